import type { ModelId } from '../../../shared/models';
import { modelPriceCny, type Pricing } from '../../../shared/settings';

/**
 * Money is counted in integer units of 0.0001 CNY (a hundredth of a fen), the
 * precision prices are given in, so 10,000 images at 0.12 add up to exactly
 * 1200, not 1199.9999999999.
 */
export const UNITS_PER_CNY = 10_000;

export const toUnits = (cny: number): number => Math.round(cny * UNITS_PER_CNY);

/** Exact to the 4 decimals prices have (for per-image figures and records). */
export const unitsToCny = (units: number): number => units / UNITS_PER_CNY;

/** Rounded to the fen, as totals are shown. */
export const unitsToCny2 = (units: number): number => Math.round(units / 100) / 100;

/** Sums CNY amounts without float drift. */
export const sumCny = (amounts: Iterable<number>): number => {
  let units = 0;
  for (const amount of amounts) units += toUnits(amount);
  return unitsToCny(units);
};

/** The price of one image of `model`, in units. */
export const priceUnits = (model: ModelId, pricing: Pricing): number =>
  toUnits(modelPriceCny(model, pricing));

/** Free images left for a model (the allowance is granted per model). */
export const freeLeft = (pricing: Pricing, used: number): number =>
  Math.max(0, pricing.freeAllowance - Math.max(0, used));

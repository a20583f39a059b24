import type { ModelId } from '../../../shared/models';
import type { Pricing } from '../../../shared/settings';
import { freeLeft, priceUnits, toUnits, unitsToCny } from './money';

export interface BudgetCheckOptions {
  /** The model of the next task. @default 'wanx-style-repaint-v1' */
  model?: ModelId;
  /** Free images of that model already used; free images cost nothing. @default none counted as free */
  freeUsed?: number;
}

/**
 * Whether a batch may submit a task of `nextImages` images without going over
 * its budget; the engine asks before every submit and pauses the batch on
 * `false`. No budget (null or undefined) always allows.
 */
export function budgetAllows(
  spentCny: number,
  nextImages: number,
  pricing: Pricing,
  budgetCny: number | null | undefined,
  options: BudgetCheckOptions = {},
): boolean {
  if (budgetCny === null || budgetCny === undefined) return true;
  const model = options.model ?? 'wanx-style-repaint-v1';
  const free = options.freeUsed === undefined ? 0 : freeLeft(pricing, options.freeUsed);
  const paid = Math.max(0, nextImages - free);
  return toUnits(spentCny) + paid * priceUnits(model, pricing) <= toUnits(budgetCny);
}

export interface Charge {
  /** Images the service reported (`usage.image_count`). */
  images: number;
  freeImages: number;
  /** What the task cost (4 decimals). */
  costCny: number;
  /** Each image's cost in result order: the free ones first, at 0. */
  perImageCny: number[];
}

/**
 * What a finished task cost, from `usage.image_count` (not from what was
 * asked): free images first, then the model's price.
 */
export function charge(
  imageCount: number,
  model: ModelId,
  pricing: Pricing,
  freeUsed: number,
): Charge {
  const images = Math.max(0, Math.trunc(imageCount));
  const freeImages = Math.min(images, freeLeft(pricing, freeUsed));
  const price = priceUnits(model, pricing);
  const perImage = Array.from({ length: images }, (_, i) => (i < freeImages ? 0 : price));
  return {
    images,
    freeImages,
    costCny: unitsToCny((images - freeImages) * price),
    perImageCny: perImage.map(unitsToCny),
  };
}

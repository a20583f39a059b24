import type { Quote } from '../../../shared/contract/jobs';
import type { ModelId } from '../../../shared/models';
import type { BatchPlan } from '../queue/batch-plan';
import { toUnits, unitsToCny, unitsToCny2 } from './money';

/** The prices and free allowance in force. */
export interface QuotePricing {
  /** CNY per image of a model (Settings). */
  perImageCny(model: ModelId): number;
  /** Free images of a model left: the allowance set in Settings less what was counted used. */
  freeLeft(model: ModelId): number;
}

/**
 * What each batch of the plan costs, in units of 0.0001 CNY, and the free
 * images it takes: batches take the free allowance left of their model in
 * order, as the engine spends it.
 */
function costs(plan: BatchPlan, pricing: QuotePricing) {
  const free = new Map<ModelId, number>();
  return plan.batches.map((batch) => {
    const left = free.get(batch.model) ?? pricing.freeLeft(batch.model);
    const billable = batch.jobs.filter((job) => job.basis === 'paid').length * batch.imagesPerJob;
    const freeImages = Math.min(billable, Math.max(0, left));
    free.set(batch.model, left - freeImages);
    const units = (billable - freeImages) * toUnits(pricing.perImageCny(batch.model));
    return { billable, freeImages, units };
  });
}

/**
 * The one quote (window, audition, CLI): what the plan makes and costs, in
 * integer money, nothing created. Images beyond the free allowance are paid
 * at the model's price; the total is rounded to the fen.
 */
export function quote(plan: BatchPlan, pricing: QuotePricing, budgetCny: number | null): Quote {
  const perBatch = costs(plan, pricing);
  const result: Quote = {
    photos: plan.photos,
    recipes: plan.batches.length,
    jobs: 0,
    images: 0,
    alreadyInLibrary: 0,
    alreadyQueued: 0,
    duplicatesInBatch: 0,
    billableImages: 0,
    freeImages: 0,
    paidImages: 0,
    perImageCny: {},
    freeLeft: {},
    costCny: 0,
    budgetCny,
    withinBudget: true,
    unsendable: plan.unsendable,
  };
  let units = 0;
  plan.batches.forEach((batch, index) => {
    const cost = perBatch[index] as (typeof perBatch)[number];
    result.jobs += batch.jobs.length;
    result.images += batch.jobs.length * batch.imagesPerJob;
    for (const job of batch.jobs) {
      if (job.basis === 'library') result.alreadyInLibrary += 1;
      if (job.basis === 'queued' || job.basis === 'planned') result.alreadyQueued += 1;
      if (job.basis === 'duplicate') result.duplicatesInBatch += 1;
    }
    result.billableImages += cost.billable;
    result.freeImages += cost.freeImages;
    result.perImageCny[batch.model] = unitsToCny(toUnits(pricing.perImageCny(batch.model)));
    result.freeLeft[batch.model] = Math.max(0, pricing.freeLeft(batch.model));
    units += cost.units;
  });
  result.paidImages = result.billableImages - result.freeImages;
  result.costCny = unitsToCny2(units);
  result.withinBudget = budgetCny === null || units <= toUnits(budgetCny);
  return result;
}

/**
 * The request's budget shared among its batches (the engine guards each
 * batch's own): by what each is quoted to cost, in units; evenly when nothing
 * is to be paid. Null without a budget.
 */
export function budgetShares(
  plan: BatchPlan,
  pricing: QuotePricing,
  budgetCny: number | null,
): (number | null)[] {
  if (budgetCny === null) return plan.batches.map(() => null);
  const total = toUnits(budgetCny);
  const perBatch = costs(plan, pricing).map((cost) => cost.units);
  const all = perBatch.reduce((a, b) => a + b, 0);
  const weights = all > 0 ? perBatch : perBatch.map(() => 1);
  const sum = weights.reduce((a, b) => a + b, 0);
  let given = 0;
  return weights.map((weight, index) => {
    const share = index === weights.length - 1 ? total - given : Math.floor((total * weight) / sum);
    given += share;
    return unitsToCny(share);
  });
}

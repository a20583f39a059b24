import type { ModelId } from '../../../shared/models';
import { recipeImages, recipeKey, recipeModel, type Recipe } from '../../../shared/recipe';
import type { Pricing } from '../../../shared/settings';
import { freeLeft, priceUnits, toUnits, unitsToCny, unitsToCny2 } from './money';

/** Free images already used, per model (a missing model has used none). */
export type FreeUsed = Partial<Record<ModelId, number>>;

export interface QuoteInput {
  /** The batch's photos; the same hash twice is one paid job, the other linked to it. */
  photos: ReadonlyArray<{ hash: string }>;
  recipes: readonly Recipe[];
  pricing: Pricing;
  freeUsed: FreeUsed;
  /** True when the library already holds this photo's result for this recipe. */
  alreadyDone: (hash: string, recipeKey: string) => boolean;
  /** No cap when absent or null. */
  budgetCny?: number | null;
  /** Pay again for results that exist (the user forced a re-run). @default false */
  force?: boolean;
}

export interface Quote {
  photos: number;
  /** Photos x recipes. */
  jobs: number;
  /** Images all jobs would make. */
  images: number;
  /** Jobs linked to a result the library already has. */
  alreadyInLibrary: number;
  /** Jobs linked to an identical job earlier in the batch (same photo and recipe). */
  duplicatesInBatch: number;
  /** Images that will be asked of the service. */
  billableImages: number;
  /** Of those, images the free allowance covers. */
  freeImages: number;
  /** What the batch costs, rounded to the fen. */
  costCny: number;
  /** CNY per image for each model the batch uses (4 decimals). */
  perImageCny: Partial<Record<ModelId, number>>;
  budgetCny: number | null;
  withinBudget: boolean;
}

/** What a batch will cost before it starts: images x price, less what is done or free. */
export function quote(input: QuoteInput): Quote {
  const seen = new Set<string>();
  const billable = new Map<ModelId, number>();
  let jobs = 0;
  let images = 0;
  let alreadyInLibrary = 0;
  let duplicatesInBatch = 0;

  for (const recipe of input.recipes) {
    const key = recipeKey(recipe);
    const count = recipeImages(recipe);
    const model = recipeModel(recipe);
    for (const { hash } of input.photos) {
      jobs += 1;
      images += count;
      const job = `${hash}\n${key}`;
      if (seen.has(job)) {
        duplicatesInBatch += 1;
        continue;
      }
      seen.add(job);
      if (!input.force && input.alreadyDone(hash, key)) {
        alreadyInLibrary += 1;
        continue;
      }
      billable.set(model, (billable.get(model) ?? 0) + count);
    }
  }

  let billableImages = 0;
  let freeImages = 0;
  let costUnits = 0;
  const perImageCny: Quote['perImageCny'] = {};
  for (const [model, count] of billable) {
    const free = Math.min(count, freeLeft(input.pricing, input.freeUsed[model] ?? 0));
    billableImages += count;
    freeImages += free;
    costUnits += (count - free) * priceUnits(model, input.pricing);
    perImageCny[model] = unitsToCny(priceUnits(model, input.pricing));
  }

  const budgetCny = input.budgetCny ?? null;
  return {
    photos: input.photos.length,
    jobs,
    images,
    alreadyInLibrary,
    duplicatesInBatch,
    billableImages,
    freeImages,
    costCny: unitsToCny2(costUnits),
    perImageCny,
    budgetCny,
    withinBudget: budgetCny === null || costUnits <= toUnits(budgetCny),
  };
}

import { z } from 'zod';
import { MODEL_IDS, type ModelId } from '../../../shared/models';
import type { Pricing } from '../../../shared/settings';
import type { KeyValueStore } from '../settings/key-value-store';
import { budgetAllows, charge, type Charge } from './budget';
import { toUnits, unitsToCny } from './money';

/** Free images already used, per model (a missing model has used none). */
export type FreeUsed = Partial<Record<ModelId, number>>;

export interface CostLedgerDeps {
  /** Where the counters persist (the settings file). */
  store: Pick<KeyValueStore, 'get' | 'set'>;
  /** Read on every call, so edited prices apply at once. */
  pricing: () => Pricing;
}

/** The account-wide counters: free images used per model, and all spend. */
export interface CostLedger {
  freeUsed(): FreeUsed;
  /** Free images this model's allowance still covers. */
  freeLeft(model: ModelId): number;
  totalSpentCny(): number;
  /** Records a finished task from `usage.image_count` and returns what it cost. */
  record(model: ModelId, imageCount: number): Charge;
  /** Whether the next task fits the batch's budget (free images counted). */
  allows(spentCny: number, nextImages: number, budgetCny: number | null, model: ModelId): boolean;
  /** Sets the free images used (the user corrects it from the console). */
  setFreeUsed(model: ModelId, used: number): void;
}

const KEY = 'costLedger';
const stateSchema = z.object({
  freeUsed: z.partialRecord(z.enum(MODEL_IDS), z.number().int().min(0)),
  spentUnits: z.number().int().min(0),
});
type LedgerState = z.infer<typeof stateSchema>;

export function createCostLedger(deps: CostLedgerDeps): CostLedger {
  const read = (): LedgerState => {
    const parsed = stateSchema.safeParse(deps.store.get(KEY));
    return parsed.success ? parsed.data : { freeUsed: {}, spentUnits: 0 };
  };
  const write = (state: LedgerState) => deps.store.set(KEY, state);

  return {
    freeUsed: () => read().freeUsed,
    freeLeft: (model) => Math.max(0, deps.pricing().freeAllowance - (read().freeUsed[model] ?? 0)),
    totalSpentCny: () => unitsToCny(read().spentUnits),
    record(model, imageCount) {
      const state = read();
      const result = charge(imageCount, model, deps.pricing(), state.freeUsed[model] ?? 0);
      state.freeUsed[model] = (state.freeUsed[model] ?? 0) + result.freeImages;
      state.spentUnits += toUnits(result.costCny);
      write(state);
      return result;
    },
    allows: (spentCny, nextImages, budgetCny, model) =>
      budgetAllows(spentCny, nextImages, deps.pricing(), budgetCny, {
        model,
        freeUsed: read().freeUsed[model] ?? 0,
      }),
    setFreeUsed(model, used) {
      const state = read();
      state.freeUsed[model] = Math.max(0, Math.trunc(used));
      write(state);
    },
  };
}

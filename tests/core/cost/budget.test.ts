import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { budgetAllows, charge } from '../../../electron/core/cost/budget';
import { createCostLedger } from '../../../electron/core/cost/cost-ledger';
import { sumCny } from '../../../electron/core/cost/money';
import { createFileStore } from '../../../electron/core/settings/key-value-store';
import { DEFAULT_PRICING, type Pricing } from '../../../shared/settings';
import { useTempDir } from '../../support/temp-dir';

const NO_FREE: Pricing = { ...DEFAULT_PRICING, freeAllowance: 0 };

describe('budgetAllows', () => {
  it('allows without a budget, and up to the budget exactly', () => {
    expect(budgetAllows(1000, 1, NO_FREE, null)).toBe(true);
    expect(budgetAllows(1000, 1, NO_FREE, undefined)).toBe(true);
    expect(budgetAllows(0.24, 1, NO_FREE, 0.36)).toBe(true);
    expect(budgetAllows(0.36, 1, NO_FREE, 0.36)).toBe(false);
    expect(budgetAllows(0.24, 1, NO_FREE, 0.36, { model: 'wanx2.1-imageedit' })).toBe(false);
  });

  it('lets free images through a spent budget', () => {
    expect(budgetAllows(0.36, 1, DEFAULT_PRICING, 0.36, { freeUsed: 499 })).toBe(true);
    expect(budgetAllows(0.36, 2, DEFAULT_PRICING, 0.36, { freeUsed: 499 })).toBe(false);
  });
});

describe('charge', () => {
  it('costs what usage.image_count says, free images first', () => {
    expect(charge(4, 'wanx2.1-imageedit', DEFAULT_PRICING, 498)).toEqual({
      images: 4,
      freeImages: 2,
      costCny: 0.28,
      perImageCny: [0, 0, 0.14, 0.14],
    });
    expect(charge(0, 'wanx-style-repaint-v1', NO_FREE, 0)).toMatchObject({ costCny: 0 });
  });

  it('adds up 10,000 charges at 0.12 to exactly 1200', () => {
    const costs = Array.from(
      { length: 10_000 },
      () => charge(1, 'wanx-style-repaint-v1', NO_FREE, 0).costCny,
    );
    expect(sumCny(costs)).toBe(1200);
  });
});

describe('cost ledger', () => {
  let temp: ReturnType<typeof useTempDir>;
  beforeEach(() => {
    temp = useTempDir('restyle-cost-');
  });
  afterEach(() => temp.cleanup());

  it('counts free images and spend per model, persisted, with prices read live', () => {
    let pricing: Pricing = { ...DEFAULT_PRICING, freeAllowance: 2 };
    const ledger = createCostLedger({ store: createFileStore(temp.path), pricing: () => pricing });
    expect(ledger.record('wanx-style-repaint-v1', 3)).toMatchObject({
      freeImages: 2,
      costCny: 0.12,
    });
    pricing = { ...pricing, styleRepaintCny: 0.1 };
    expect(ledger.record('wanx-style-repaint-v1', 1).costCny).toBe(0.1);
    expect(ledger.record('wanx2.1-imageedit', 1)).toMatchObject({ freeImages: 1, costCny: 0 });

    const reopened = createCostLedger({
      store: createFileStore(temp.path),
      pricing: () => pricing,
    });
    expect(reopened.freeUsed()).toEqual({ 'wanx-style-repaint-v1': 2, 'wanx2.1-imageedit': 1 });
    expect(reopened.totalSpentCny()).toBe(0.22);
    expect(reopened.freeLeft('wanx-style-repaint-v1')).toBe(0);
    expect(reopened.freeLeft('wanx2.1-imageedit')).toBe(1);
    expect(reopened.allows(0, 1, 0.05, 'wanx-style-repaint-v1')).toBe(false);
    reopened.setFreeUsed('wanx-style-repaint-v1', 0);
    expect(reopened.allows(0, 1, 0.05, 'wanx-style-repaint-v1')).toBe(true);
  });
});

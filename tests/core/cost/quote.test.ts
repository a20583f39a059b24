import { describe, expect, it } from 'vitest';
import { quote, type QuoteInput } from '../../../electron/core/cost/quote';
import { recipeKey, type Recipe } from '../../../shared/recipe';
import { DEFAULT_PRICING } from '../../../shared/settings';

const ANIME: Recipe = { kind: 'preset', styleIndex: 2 };
const COMIC: Recipe = { kind: 'preset', styleIndex: 0 };
const PROMPT4: Recipe = {
  kind: 'prompt',
  prompt: 'ink wash',
  function: 'stylization_all',
  variants: 4,
};
const photos = (...hashes: string[]) => hashes.map((hash) => ({ hash }));
const base = (overrides: Partial<QuoteInput>): QuoteInput => ({
  photos: photos('h1', 'h2', 'h3'),
  recipes: [ANIME],
  pricing: { ...DEFAULT_PRICING, freeAllowance: 0 },
  freeUsed: {},
  alreadyDone: () => false,
  ...overrides,
});

describe('quote', () => {
  it('prices images x price', () => {
    expect(quote(base({}))).toEqual({
      photos: 3,
      jobs: 3,
      images: 3,
      alreadyInLibrary: 0,
      duplicatesInBatch: 0,
      billableImages: 3,
      freeImages: 0,
      costCny: 0.36,
      perImageCny: { 'wanx-style-repaint-v1': 0.12 },
      budgetCny: null,
      withinBudget: true,
    });
  });

  it('subtracts results the library has, unless forced', () => {
    const done = new Set([`h2 ${recipeKey(ANIME)}`]);
    const alreadyDone = (hash: string, key: string) => done.has(`${hash} ${key}`);
    expect(quote(base({ alreadyDone }))).toMatchObject({
      jobs: 3,
      alreadyInLibrary: 1,
      billableImages: 2,
      costCny: 0.24,
    });
    expect(quote(base({ alreadyDone, force: true }))).toMatchObject({
      alreadyInLibrary: 0,
      billableImages: 3,
    });
  });

  it('counts the same photo twice in one album once', () => {
    expect(quote(base({ photos: photos('h1', 'h2', 'h1', 'h1') }))).toMatchObject({
      photos: 4,
      jobs: 4,
      images: 4,
      duplicatesInBatch: 2,
      billableImages: 2,
      costCny: 0.24,
    });
  });

  it('uses what is left of the free allowance, per model', () => {
    const pricing = { ...DEFAULT_PRICING, freeAllowance: 500 };
    const result = quote(
      base({
        photos: photos(...Array.from({ length: 10 }, (_, i) => `h${i}`)),
        recipes: [ANIME, PROMPT4],
        pricing,
        freeUsed: { 'wanx-style-repaint-v1': 496, 'wanx2.1-imageedit': 500 },
      }),
    );
    // style repaint: 10 images, 4 free, 6 x 0.12; imageedit: 40 images, none free, 40 x 0.14
    expect(result).toMatchObject({
      jobs: 20,
      images: 50,
      billableImages: 50,
      freeImages: 4,
      costCny: 6.32,
      perImageCny: { 'wanx-style-repaint-v1': 0.12, 'wanx2.1-imageedit': 0.14 },
    });
    expect(quote(base({ pricing }))).toMatchObject({ freeImages: 3, costCny: 0 });
  });

  it('bills every variant of a prompt recipe', () => {
    expect(quote(base({ recipes: [PROMPT4] }))).toMatchObject({
      images: 12,
      billableImages: 12,
      costCny: 1.68,
    });
  });

  it('tells whether the budget holds', () => {
    expect(quote(base({ budgetCny: 0.36 }))).toMatchObject({ budgetCny: 0.36, withinBudget: true });
    expect(quote(base({ budgetCny: 0.35 }))).toMatchObject({ withinBudget: false });
    expect(quote(base({ recipes: [ANIME, COMIC], budgetCny: 0.71 }))).toMatchObject({
      costCny: 0.72,
      withinBudget: false,
    });
  });

  it('has no float drift over 10,000 images at 0.12', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ hash: `h${i}` }));
    expect(quote(base({ photos: many, budgetCny: 1200 }))).toMatchObject({
      costCny: 1200,
      withinBudget: true,
    });
    let naive = 0;
    for (let i = 0; i < 10_000; i++) naive += 0.12;
    expect(naive).not.toBe(1200); // what the integer units avoid
  });
});

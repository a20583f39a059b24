import { describe, expect, it } from 'vitest';
import { budgetShares, quote, type QuotePricing } from '../../../electron/core/cost/quote';
import {
  planBatch,
  type PlanLookups,
  type PlanRecord,
} from '../../../electron/core/queue/batch-plan';
import type { ModelId } from '../../../shared/models';
import { recipeKey, type Recipe } from '../../../shared/recipe';

const ANIME: Recipe = { kind: 'preset', styleIndex: 2 };
const COMIC: Recipe = { kind: 'preset', styleIndex: 0 };
const SKETCH: Recipe = { kind: 'preset', styleIndex: 4 };
const OIL: Recipe = { kind: 'preset', styleIndex: 6 };
const PROMPT4: Recipe = {
  kind: 'prompt',
  prompt: 'ink wash',
  function: 'stylization_all',
  variants: 4,
};

/** Intake records as a scan yields them (1024 px square unless told). */
const record = (id: string, hash: string, overrides: Partial<PlanRecord> = {}): PlanRecord => ({
  id,
  hash,
  path: `/album/${id}.jpg`,
  name: `${id}.jpg`,
  folder: 'album',
  width: 1024,
  height: 1024,
  status: 'ready',
  ...overrides,
});
const records = (...hashes: string[]) => hashes.map((hash, i) => record(`p${i}`, hash));

/** What the library and the queue hold: `saved` and `queued` are `<hash> <recipeKey>`. */
const lookups = (saved: string[] = [], queued: string[] = []): PlanLookups => {
  let next = 0;
  return {
    saved: (hash, key) => (saved.includes(`${hash} ${key}`) ? ['entry-1'] : []),
    queued: (hash, key) => (queued.includes(`${hash} ${key}`) ? 'job-elsewhere' : null),
    newId: () => `job-${(next += 1)}`,
  };
};

const pricing = (
  freeLeft: Partial<Record<ModelId, number>> = {},
  prices: Record<ModelId, number> = { 'wanx-style-repaint-v1': 0.12, 'wanx2.1-imageedit': 0.14 },
): QuotePricing => ({
  perImageCny: (model) => prices[model],
  freeLeft: (model) => freeLeft[model] ?? 0,
});

describe('the quote, from the batch plan', () => {
  it('2 photos in 4 styles are 8 images, priced in integer money', () => {
    const plan = planBatch(
      { records: records('h1', 'h2'), recipes: [ANIME, COMIC, SKETCH, OIL] },
      lookups(),
    );
    expect(plan.batches.map((batch) => batch.jobs.length)).toEqual([2, 2, 2, 2]);
    expect(quote(plan, pricing(), null)).toEqual({
      photos: 2,
      recipes: 4,
      jobs: 8,
      images: 8,
      alreadyInLibrary: 0,
      alreadyQueued: 0,
      duplicatesInBatch: 0,
      billableImages: 8,
      freeImages: 0,
      paidImages: 8,
      perImageCny: { 'wanx-style-repaint-v1': 0.12 },
      freeLeft: { 'wanx-style-repaint-v1': 0 },
      costCny: 0.96,
      budgetCny: null,
      withinBudget: true,
      unsendable: [],
    });
  });

  it('the free allowance partly covering: free first, the rest paid, what is left said per model', () => {
    const plan = planBatch(
      {
        records: records(...Array.from({ length: 10 }, (_, i) => `h${i}`)),
        recipes: [ANIME, PROMPT4],
      },
      lookups(),
    );
    // style repaint: 10 images, 4 free, 6 x 0.12; imageedit: 40 images, 5 free, 35 x 0.14
    expect(
      quote(plan, pricing({ 'wanx-style-repaint-v1': 4, 'wanx2.1-imageedit': 5 }), null),
    ).toMatchObject({
      jobs: 20,
      images: 50,
      billableImages: 50,
      freeImages: 9,
      paidImages: 41,
      costCny: 5.62,
      perImageCny: { 'wanx-style-repaint-v1': 0.12, 'wanx2.1-imageedit': 0.14 },
      freeLeft: { 'wanx-style-repaint-v1': 4, 'wanx2.1-imageedit': 5 },
    });
    // Two batches of one model share what is left of its allowance, not twice over.
    const two = planBatch({ records: records('a', 'b', 'c'), recipes: [ANIME, COMIC] }, lookups());
    expect(quote(two, pricing({ 'wanx-style-repaint-v1': 4 }), null)).toMatchObject({
      billableImages: 6,
      freeImages: 4,
      paidImages: 2,
      costCny: 0.24,
    });
    expect(quote(two, pricing({ 'wanx-style-repaint-v1': 500 }), null)).toMatchObject({
      freeImages: 6,
      paidImages: 0,
      costCny: 0,
    });
  });

  it('names each photo a recipe cannot take (300 px for imageedit), and counts it nowhere else', () => {
    const small = record('tiny', 'h-small', {
      width: 300,
      height: 300,
      status: 'rejected',
      reason: { code: 'too_small', params: { width: 300, height: 300, min: 512 } },
    });
    const plan = planBatch(
      { records: [record('big', 'h-big'), small], recipes: [ANIME, PROMPT4] },
      lookups(),
    );
    const result = quote(plan, pricing(), null);
    expect(result.unsendable).toEqual([
      {
        photoId: 'tiny',
        path: '/album/tiny.jpg',
        name: 'tiny.jpg',
        folder: 'album',
        model: 'wanx2.1-imageedit',
        reason: { code: 'too_small', params: { width: 300, height: 300, min: 512 } },
      },
    ]);
    // Style repaint takes both (256 px is its least); imageedit only the big one.
    expect(result).toMatchObject({ photos: 2, jobs: 3, images: 6, billableImages: 6 });
    // A record that is not a photo is named when chosen, and otherwise left out.
    const broken = record('broken', 'h-x', { status: 'rejected', reason: { code: 'corrupt' } });
    expect(
      planBatch({ records: [broken], photoIds: ['broken'], recipes: [ANIME] }, lookups())
        .unsendable,
    ).toMatchObject([{ photoId: 'broken', reason: { code: 'corrupt' } }]);
    expect(planBatch({ records: [broken], recipes: [ANIME] }, lookups()).unsendable).toEqual([]);
  });

  it('links what the library holds, what is queued elsewhere and a copy earlier in the batch; force pays again once', () => {
    const input = {
      records: [
        record('a', 'h1'),
        record('b', 'h2'),
        record('c', 'h3'),
        record('a-copy', 'h1', { status: 'skipped', reason: { code: 'duplicate' } }),
      ],
      photoIds: ['a', 'b', 'c', 'a-copy'],
      recipes: [ANIME],
    };
    const held = lookups([`h1 ${recipeKey(ANIME)}`], [`h2 ${recipeKey(ANIME)}`]);
    const plan = planBatch(input, held);
    expect(plan.batches[0]?.jobs.map((job) => job.basis)).toEqual([
      'library',
      'queued',
      'paid',
      'duplicate',
    ]);
    // The copy follows what its first copy follows: the saved result.
    expect(plan.batches[0]?.jobs[3]?.entryIds).toEqual(['entry-1']);
    expect(quote(plan, pricing(), null)).toMatchObject({
      jobs: 4,
      alreadyInLibrary: 1,
      alreadyQueued: 1,
      duplicatesInBatch: 1,
      billableImages: 1,
      costCny: 0.12,
    });
    expect(quote(planBatch({ ...input, force: true }, held), pricing(), null)).toMatchObject({
      alreadyInLibrary: 0,
      alreadyQueued: 0,
      duplicatesInBatch: 1,
      billableImages: 3,
    });
    // Not chosen, a second copy is not sent at all.
    expect(
      quote(planBatch({ ...input, photoIds: undefined }, held), pricing(), null),
    ).toMatchObject({ photos: 3, jobs: 3 });
  });

  it('an unknown photo id is not_found', () => {
    expect(() =>
      planBatch({ records: records('h1'), photoIds: ['nope'], recipes: [ANIME] }, lookups()),
    ).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('tells whether the budget holds, and shares it among the batches by their cost', () => {
    const plan = planBatch({ records: records('h1', 'h2', 'h3'), recipes: [ANIME] }, lookups());
    expect(quote(plan, pricing(), 0.36)).toMatchObject({ budgetCny: 0.36, withinBudget: true });
    expect(quote(plan, pricing(), 0.35)).toMatchObject({ withinBudget: false });
    const both = planBatch(
      { records: records('h1', 'h2', 'h3'), recipes: [ANIME, PROMPT4] },
      lookups(),
    );
    // 0.36 and 1.68: 2.04 in all.
    expect(quote(both, pricing(), 2.03)).toMatchObject({ costCny: 2.04, withinBudget: false });
    const shares = budgetShares(both, pricing(), 2.04);
    expect(shares).toEqual([0.36, 1.68]);
    expect(budgetShares(both, pricing(), null)).toEqual([null, null]);
  });

  it('has no float drift over 10,000 images at 0.12', () => {
    const many = records(...Array.from({ length: 10_000 }, (_, i) => `h${i}`));
    const plan = planBatch({ records: many, recipes: [ANIME] }, lookups());
    expect(quote(plan, pricing(), 1200)).toMatchObject({ costCny: 1200, withinBudget: true });
    let naive = 0;
    for (let i = 0; i < 10_000; i++) naive += 0.12;
    expect(naive).not.toBe(1200); // what the integer units avoid
  });
});

// The audition: one request with all its styles, one quote from core, one
// create on Confirm; its grid fills from the engine's jobs, by photo id.
import { describe, expect, it } from 'vitest';
import { ok } from '../../../shared/result';
import { recipeKey, type Recipe } from '../../../shared/recipe';
import { createAppStore } from '../../../renderer/src/store/app-store';
import { auditionCell } from '../../../renderer/src/store/audition-slice';
import { photoKey } from '../../../renderer/src/store/batch-photo';
import {
  batchView,
  fakeApi,
  jobView,
  listJobsFrom,
  quote,
  record,
  SCAN,
  settle,
  type Answer,
} from './fake-api';

const styles: Recipe[] = [0, 1, 2, 3].map((styleIndex) => ({ kind: 'preset', styleIndex }));
const samples = [1, 2].map((i) => ({
  key: photoKey(SCAN, `p${i}`),
  photoId: `p${i}`,
  name: `IMG_${i}.jpg`,
}));

async function auditionWindow(answers: Record<string, Answer>) {
  const fake = fakeApi({ 'intake:add-paths': () => ok({ scanId: SCAN }), ...answers });
  const store = createAppStore(fake.api);
  await settle();
  await store.getState().addPaths(['/home/me/Lake']);
  fake.emit('intake:photos', { scanId: SCAN, photos: [record(1), record(2), record(3)] });
  return { ...fake, store };
}

describe('the audition', () => {
  it('is one request and one quote for 2 photos x 4 styles, created once on Confirm', async () => {
    const views = styles.map((recipe, i) =>
      batchView(`a${i}`, {
        kind: 'audition',
        recipe,
        recipeKey: recipeKey(recipe),
        jobs: { queued: 2 },
      }),
    );
    const { store, calls, channels } = await auditionWindow({
      'jobs:quote': () => ok(quote({ photos: 2, recipes: 4, jobs: 8, images: 8 })),
      // Core answers the batches in its own order; the columns follow the styles.
      'jobs:create-batch': () => ok({ batches: [...views].reverse(), quote: quote() }),
      'jobs:list-jobs': listJobsFrom((id) => [jobView(id, 1, 'queued'), jobView(id, 2, 'queued')]),
    });
    const before = calls.length;
    await store.getState().quoteAudition(SCAN, samples, styles);
    expect(calls.slice(before)).toEqual([
      {
        channel: 'jobs:quote',
        payload: { scanId: SCAN, photoIds: ['p1', 'p2'], recipes: styles, kind: 'audition' },
      },
    ]);
    expect(store.getState().audition?.quote.images).toBe(8);

    // Clicked twice before the answer: one create.
    await Promise.all([store.getState().startAudition(), store.getState().startAudition()]);
    expect(channels().filter((c) => c === 'jobs:create-batch')).toHaveLength(1);
    expect(calls.find((c) => c.channel === 'jobs:create-batch')?.payload).toEqual(
      calls.find((c) => c.channel === 'jobs:quote')?.payload,
    );
    expect(store.getState().audition?.engineBatchIds).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(Object.keys(store.getState().audition?.results ?? {})).toHaveLength(8);
  });

  it('closing it before Confirm leaves nothing to cancel', async () => {
    const { store, channels } = await auditionWindow({ 'jobs:quote': () => ok(quote()) });
    await store.getState().quoteAudition(SCAN, samples, styles);
    store.getState().closeAudition();
    await settle();
    expect(channels().filter((c) => c.startsWith('jobs:') && c !== 'jobs:quote')).toEqual([
      'jobs:engine-state',
      'jobs:recovery',
      'jobs:list-batches',
    ]);
  });

  it('of a style already in the library finishes: its cells say so, its column is done', async () => {
    const recipe = styles[0]!;
    // Core links every job to the library's results and settles the batch done at once;
    // no job event follows.
    const view = batchView('a0', {
      kind: 'audition',
      recipe,
      state: 'done',
      jobs: { skipped: 2 },
    });
    const { store } = await auditionWindow({
      'jobs:quote': () => ok(quote({ alreadyInLibrary: 2, billableImages: 0, freeImages: 0 })),
      'jobs:create-batch': () => ok({ batches: [view], quote: quote() }),
      'jobs:list-jobs': listJobsFrom((id) => [
        jobView(id, 1, 'skipped'),
        jobView(id, 2, 'skipped'),
      ]),
    });
    await store.getState().quoteAudition(SCAN, samples, [recipe]);
    await store.getState().startAudition();
    const { audition, progress } = store.getState();
    expect(audition?.results[auditionCell(0, 'p1')]).toEqual({
      state: 'skipped_done',
      resultIds: ['r-a0-1'],
    });
    expect(audition?.results[auditionCell(0, 'p2')]?.state).toBe('skipped_done');
    expect(progress.a0).toMatchObject({ state: 'done', finished: 2, total: 2 });
  });
});

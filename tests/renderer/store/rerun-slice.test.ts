// A re-run from the library: core makes the originals ready, the normal quote
// says what it makes and costs, and only Confirm creates the batches, once.
import { describe, expect, it } from 'vitest';
import type { RunPlan } from '../../../shared/contract/library';
import type { Recipe } from '../../../shared/recipe';
import { fail, ok, type Result } from '../../../shared/result';
import { createAppStore } from '../../../renderer/src/store/app-store';
import {
  batchView,
  fakeApi,
  jobView,
  listJobsFrom,
  quote,
  SCAN,
  SCAN_2,
  settle,
  type Answer,
} from './fake-api';

const anime: Recipe = { kind: 'preset', styleIndex: 3 };
const sketch: Recipe = { kind: 'preset', styleIndex: 5 };
const plan = (partial: Partial<RunPlan> = {}): RunPlan => ({
  scanId: SCAN,
  photoIds: ['p1', 'p2'],
  recipes: [anime],
  sourcesMissing: [],
  ...partial,
});

async function libraryWindow(answers: Record<string, Answer>) {
  const fake = fakeApi({
    'library:prepare-run': () => ok(plan()),
    'jobs:quote': () => ok(quote()),
    ...answers,
  });
  const store = createAppStore(fake.api);
  await settle();
  const since = fake.calls.length;
  const rerunCalls = () => fake.calls.slice(since);
  return { ...fake, store, rerunCalls };
}

describe('running results again', () => {
  it('quotes the same recipes as a new, paid take and creates nothing before Confirm', async () => {
    const { store, rerunCalls, channels } = await libraryWindow({
      'jobs:create-batch': () => ok({ batches: [batchView('b1')], quote: quote() }),
    });
    await store.getState().openRerun({ resultIds: ['r1', 'r2'] });
    const request = {
      scanId: SCAN,
      photoIds: ['p1', 'p2'],
      recipes: [anime],
      kind: 'album',
      force: true,
    };
    expect(rerunCalls()).toEqual([
      { channel: 'library:prepare-run', payload: { resultIds: ['r1', 'r2'] } },
      { channel: 'jobs:quote', payload: request },
    ]);
    expect(store.getState().rerun).toMatchObject({ phase: 'quoted', quote: quote() });
    expect(channels()).not.toContain('jobs:create-batch');

    // Clicked twice before the answer: one batch, of the request quoted.
    await Promise.all([store.getState().confirmRerun(), store.getState().confirmRerun()]);
    const creates = rerunCalls().filter((c) => c.channel === 'jobs:create-batch');
    expect(creates).toEqual([{ channel: 'jobs:create-batch', payload: request }]);
    expect(store.getState().rerun).toMatchObject({ phase: 'queued', batches: [batchView('b1')] });
  });

  it('in another style: waits for the pick, then quotes it, not paying twice', async () => {
    const { store, rerunCalls } = await libraryWindow({});
    await store.getState().openRerun({ resultIds: ['r1'] }, null);
    expect(store.getState().rerun?.phase).toBe('choosing');
    expect(rerunCalls().map((c) => c.channel)).toEqual(['library:prepare-run']);
    await store.getState().chooseRerunStyle(sketch);
    expect(rerunCalls().at(-1)).toEqual({
      channel: 'jobs:quote',
      payload: {
        scanId: SCAN,
        photoIds: ['p1', 'p2'],
        recipes: [sketch],
        kind: 'album',
        force: false,
      },
    });
    expect(store.getState().rerun?.phase).toBe('quoted');
  });

  it("an album's gaps keep the album's recipes, link what exists, and carry its name", async () => {
    const { store, rerunCalls } = await libraryWindow({
      'library:prepare-run': () => ok(plan({ recipes: [anime, sketch] })),
    });
    await store.getState().openRerun({ albumFolder: 'Trip', cells: 'gaps' }, sketch);
    expect(rerunCalls()).toEqual([
      { channel: 'library:prepare-run', payload: { albumFolder: 'Trip', cells: 'gaps' } },
      {
        channel: 'jobs:quote',
        payload: {
          scanId: SCAN,
          photoIds: ['p1', 'p2'],
          recipes: [anime, sketch],
          kind: 'album',
          force: false,
          label: 'Trip',
        },
      },
    ]);
    // The style of a gap-filling run is the album's: another cannot be chosen.
    await store.getState().chooseRerunStyle(sketch);
    expect(rerunCalls()).toHaveLength(2);
  });

  it('with every original gone there is nothing to quote; a refusal is kept to show', async () => {
    const gone = await libraryWindow({
      'library:prepare-run': () => ok(plan({ photoIds: [], sourcesMissing: ['/a/IMG_1.jpg'] })),
    });
    await gone.store.getState().openRerun({ resultIds: ['r1'] });
    expect(gone.store.getState().rerun).toMatchObject({ phase: 'choosing', quote: null });
    expect(gone.rerunCalls().map((c) => c.channel)).toEqual(['library:prepare-run']);

    const refused = await libraryWindow({
      'library:prepare-run': () => fail('not_found', 'no such result'),
    });
    await refused.store.getState().openRerun({ resultIds: ['r1'] });
    expect(refused.store.getState().rerun?.error?.code).toBe('not_found');
  });

  it('closed while core prepares: a late answer never fills another dialog', async () => {
    const held: Array<(value: Result<RunPlan>) => void> = [];
    const { store, rerunCalls } = await libraryWindow({
      'library:prepare-run': () => new Promise<Result<RunPlan>>((resolve) => held.push(resolve)),
    });
    const first = store.getState().openRerun({ resultIds: ['r1'] });
    store.getState().closeRerun();
    const second = store.getState().openRerun({ albumFolder: 'Trip', cells: 'failed' });
    held[0]?.(ok(plan({ photoIds: ['old'] })));
    await first;
    expect(store.getState().rerun).toMatchObject({ phase: 'preparing', plan: null });
    held[1]?.(ok(plan()));
    await second;
    expect(store.getState().rerun?.plan?.photoIds).toEqual(['p1', 'p2']);
    expect(rerunCalls().filter((c) => c.channel === 'jobs:quote')).toHaveLength(1);
    store.getState().closeRerun();
    expect(store.getState().rerun).toBeNull();
  });

  it('once queued, "Show in Batch" opens the tab whose run it is', async () => {
    const run = batchView('b1', { scanId: SCAN, jobs: { queued: 2 } });
    let created = false;
    const { store } = await libraryWindow({
      'intake:add-paths': () => ok({ scanId: SCAN_2 }),
      'jobs:create-batch': () => {
        created = true;
        return ok({ batches: [run], quote: quote() });
      },
      'jobs:list-batches': () => ok(created ? [run] : []),
      'intake:list-scans': () => ok([]),
      'intake:closed-scans': () => ok([]),
      'jobs:list-jobs': listJobsFrom((id) => [jobView(id, 1, 'queued'), jobView(id, 2, 'queued')]),
    });
    // Another album's tab is open.
    await store.getState().addPaths(['/home/me/Lake']);
    expect(store.getState().activeBatchId).toBe(SCAN_2);
    store.getState().setView('library');
    await store.getState().openRerun({ resultIds: ['r1'] });
    await store.getState().confirmRerun();
    await store.getState().showRerunInBatch();
    const state = store.getState();
    expect(state.view).toBe('batch');
    expect(state.rerun).toBeNull();
    const tab = state.batches.find((b) => b.id === state.activeBatchId);
    expect(tab?.runs.map((r) => r.batchId)).toEqual(['b1']);
  });
});

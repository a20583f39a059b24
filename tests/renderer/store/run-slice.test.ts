// The window's run on the one core path: quote by scan id, create on confirm,
// job events to photos by id, and every count and state from the engine's jobs.
import { describe, expect, it } from 'vitest';
import type { BatchRequest, JobView } from '../../../shared/contract/jobs';
import { ok } from '../../../shared/result';
import { createAppStore, type AppStore } from '../../../renderer/src/store/app-store';
import { photoKey, tallyPhotos } from '../../../renderer/src/store/batch-photo';
import { currentRun, runCard, runOffer } from '../../../renderer/src/store/run-state';
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

/** The chips' counts of a tab, as the gallery computes them. */
function chips(store: AppStore, tabId = SCAN) {
  const { batches, photos } = store.getState();
  const batch = batches.find((b) => b.id === tabId);
  if (!batch) throw new Error(`no tab ${tabId}`);
  return tallyPhotos(batch.keys, batch.size, photos, 'all');
}

/** A window with one scanned album of `count` photos (p1…), a preset chosen. */
async function albumWindow(count: number, answers: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({ 'intake:add-paths': () => ok({ scanId: SCAN }), ...answers });
  const store = createAppStore(fake.api);
  await settle();
  await store.getState().addPaths(['/home/me/Lake']);
  const records = Array.from({ length: count }, (_, i) => record(i + 1));
  fake.emit('intake:photos', { scanId: SCAN, photos: records });
  fake.emit('intake:scan-done', {
    scanId: SCAN,
    counts: {},
    leftOut: { count: 0, extensions: [] },
    canceled: false,
  });
  store.getState().pickPreset(3);
  return { ...fake, store };
}

describe('Start, the quote, and Confirm or Not now', () => {
  it('asks core for a quote by scan id and record ids; "Not now" leaves nothing behind', async () => {
    const { store, calls, channels } = await albumWindow(3, {
      'jobs:quote': () => ok(quote({ photos: 2, jobs: 2 })),
    });
    store.getState().setExcluded([photoKey(SCAN, 'p2')], true);
    const before = calls.length;
    await store.getState().requestQuote(SCAN);

    expect(calls.slice(before)).toEqual([
      {
        channel: 'jobs:quote',
        payload: {
          scanId: SCAN,
          photoIds: ['p1', 'p3'],
          recipes: [{ kind: 'preset', styleIndex: 3 }],
          kind: 'album',
          label: 'Lake',
        },
      },
    ]);
    expect(store.getState().pendingRun?.quote.jobs).toBe(2);

    store.getState().declineRun();
    await settle();
    expect(store.getState().pendingRun).toBeNull();
    // Nothing was created, so nothing is canceled and nothing can come back after a reload.
    expect(channels().slice(before)).toEqual(['jobs:quote']);
  });

  it('Confirm creates the batch with the request quoted, and the tab shows its run', async () => {
    const created = batchView('b1', { jobs: { queued: 2 } });
    const { store, calls } = await albumWindow(2, {
      'jobs:quote': () => ok(quote()),
      'jobs:create-batch': () => ok({ batches: [created], quote: quote() }),
      'jobs:list-jobs': listJobsFrom((id) => [jobView(id, 1, 'queued'), jobView(id, 2, 'queued')]),
    });
    await store.getState().requestQuote(SCAN);
    const request = store.getState().pendingRun?.request;
    // Clicked twice before the answer: one batch.
    await Promise.all([store.getState().confirmRun(), store.getState().confirmRun()]);
    expect(store.getState().pendingRun).toBeNull();

    const creates = calls.filter((c) => c.channel === 'jobs:create-batch');
    expect(creates.map((c) => c.payload)).toEqual([request]);
    const tab = store.getState().batches[0];
    expect(tab && currentRun(tab)?.batchId).toBe('b1');
    expect(store.getState().progress.b1?.state).toBe('active');
    expect(store.getState().runOrder).toEqual(['b1']);
  });
});

describe('counts and states from the engine', () => {
  /** An album of 25 photos confirmed; the engine has them all queued. */
  async function running(jobs: (batchId: string) => JobView[]) {
    const view = batchView('b1', { jobs: { queued: 25 } });
    const fake = await albumWindow(25, {
      'jobs:quote': () => ok(quote({ photos: 25, jobs: 25 })),
      'jobs:create-batch': () => ok({ batches: [view], quote: quote() }),
      'jobs:list-jobs': listJobsFrom(jobs),
    });
    await fake.store.getState().requestQuote(SCAN);
    await fake.store.getState().confirmRun();
    return fake;
  }
  const all = (batchId: string, state: JobView['state'], updatedAt = 1) =>
    Array.from({ length: 25 }, (_, i) => jobView(batchId, i + 1, state, updatedAt));

  it('the chips say "Queued 25" when the engine has 25 queued, with events for only 2', async () => {
    const { store, emit } = await running((id) => all(id, 'queued'));
    emit('jobs:job-updated', jobView('b1', 1, 'preparing', 2));
    emit('jobs:job-updated', jobView('b1', 2, 'submitting', 2));

    const { counts, sendable } = chips(store);
    expect(counts.queued).toBe(24);
    // Sent, not yet seen running: waiting at DashScope (the run card counts it the same way).
    expect(counts.waiting).toBe(1);
    expect(counts.running).toBe(0);
    expect(counts.ready).toBe(0);
    expect(sendable).toBe(25);
  });

  it('a job event finds its photo by photo id, not by path', async () => {
    const { store, emit } = await running((id) => all(id, 'queued'));
    // The same photo, its file since moved: the path no longer matches, the id does.
    emit('jobs:job-updated', { ...jobView('b1', 7, 'done', 3), sourcePath: '/moved/IMG_7.jpg' });
    const photo = store.getState().photos.get(photoKey(SCAN, 'p7'));
    expect(photo?.run).toEqual({ state: 'done', resultIds: ['r-b1-7'] });
    // An event of a batch no tab shows changes nothing.
    emit('jobs:job-updated', jobView('other', 8, 'done', 3));
    expect(store.getState().photos.get(photoKey(SCAN, 'p8'))?.run?.state).toBe('queued');
  });

  it('events that arrive while the run is listed are kept, the newer winning', async () => {
    const view = batchView('b1', { jobs: { queued: 2 } });
    let during = () => {};
    const { store, emit } = await albumWindow(2, {
      'jobs:quote': () => ok(quote()),
      'jobs:create-batch': () => ok({ batches: [view], quote: quote() }),
      'jobs:list-jobs': listJobsFrom((id) => {
        during();
        return [jobView(id, 1, 'queued', 1), jobView(id, 2, 'queued', 9)];
      }),
    });
    during = () => {
      emit('jobs:job-updated', jobView('b1', 1, 'running', 5)); // newer than listed
      emit('jobs:job-updated', jobView('b1', 2, 'done', 3)); // older than listed
    };
    await store.getState().requestQuote(SCAN);
    await store.getState().confirmRun();
    expect(chips(store).counts).toMatchObject({ running: 1, queued: 1, done: 0 });
  });

  it('the run card says paused, with the queue`s reason, while the engine holds the queue', async () => {
    const { store, emit } = await running((id) => all(id, 'queued'));
    emit('jobs:engine-state', { state: 'paused', reason: 'api_arrears' });
    const progress = store.getState().progress.b1;
    if (!progress) throw new Error('no progress');
    expect(progress.state).toBe('active');
    expect(runCard(progress, store.getState().engine)).toEqual({
      state: 'paused',
      reason: 'api_arrears',
      byQueue: true,
    });
    emit('jobs:engine-state', { state: 'offline', reason: null });
    expect(runCard(progress, store.getState().engine).state).toBe('offline');
    emit('jobs:engine-state', { state: 'running', reason: null });
    expect(runCard(progress, store.getState().engine).state).toBe('active');
  });

  it('a finished album offers "run again with another style", and Start for another style', async () => {
    const { store, emit } = await running((id) => all(id, 'queued'));
    const tab = () => store.getState().batches[0]!;
    const offer = () =>
      runOffer(
        tab(),
        store.getState().recipe,
        store.getState().progress[currentRun(tab())!.batchId],
      );
    expect(offer()).toBe('busy');
    for (const job of all('b1', 'done', 5)) emit('jobs:job-updated', job);
    emit('jobs:batch-progress', {
      ...store.getState().progress.b1!,
      state: 'done',
      finished: 25,
    });
    expect(chips(store).counts.done).toBe(25);
    expect(offer()).toBe('runAgain');
    store.getState().pickPreset(5);
    expect(offer()).toBe('start');
    store.getState().pickPreset(3);
    expect(offer()).toBe('runAgain');
    // No style chosen yet (a reload forgets it): still done, not "To send" again.
    store.getState().setStyleTab('prompt');
    expect(store.getState().recipe).toBeNull();
    expect(offer()).toBe('runAgain');
  });
});

describe('photos the chosen style cannot take', () => {
  it('are marked in the gallery before any quote, and named by core in it', async () => {
    const small = { width: 400, height: 300 };
    const answers: Record<string, Answer> = { 'jobs:quote': () => ok(quote()) };
    const fake = fakeApi({ 'intake:add-paths': () => ok({ scanId: SCAN }), ...answers });
    const store = createAppStore(fake.api);
    await store.getState().addPaths(['/album']);
    fake.emit('intake:photos', {
      scanId: SCAN,
      photos: [record(1), record(2, 'ready', small)],
    });
    const status = (id: string) => {
      const photo = store.getState().photos.get(photoKey(SCAN, id));
      return photo && tallyPhotos([photo.key], 1, store.getState().photos, 'all').counts;
    };
    // Style repaint takes 400 x 300; imageedit needs 512 px.
    store.getState().pickPreset(2);
    expect(status('p2')?.ready).toBe(1);
    store.getState().setStyleTab('prompt');
    store.getState().setPromptText('ink wash');
    expect(store.getState().recipe?.kind).toBe('prompt');
    expect(status('p2')?.unsendable).toBe(1);
    expect(store.getState().photos.get(photoKey(SCAN, 'p2'))?.refusal).toEqual({
      code: 'too_small',
      params: { width: 400, height: 300, min: 512 },
    });
    expect(chips(store).sendable).toBe(1);

    // Asked for anyway, so the quote names it with its reason.
    await store.getState().requestQuote(SCAN);
    const request = fake.calls.find((c) => c.channel === 'jobs:quote')?.payload as BatchRequest;
    expect(request.photoIds).toEqual(['p1', 'p2']);

    // Another model's style takes it again.
    store.getState().setStyleTab('preset');
    store.getState().pickPreset(2);
    expect(status('p2')?.ready).toBe(1);
  });
});

describe('the run card and the badges group job states one way', () => {
  it('sent and waiting at DashScope, running, and the rest', async () => {
    const { countIn, runStateOf } = await import('../../../renderer/src/store/run-state');
    const { JOB_STATES } = await import('../../../shared/contract/jobs');
    const counts = Object.fromEntries(JOB_STATES.map((s, i) => [s, i + 1])) as Record<
      (typeof JOB_STATES)[number],
      number
    >;
    expect(countIn(counts, 'waiting')).toBe(counts.submitting + counts.submitted);
    expect(countIn(counts, 'running')).toBe(counts.running + counts.downloading);
    for (const state of JOB_STATES)
      if (runStateOf(state) === 'waiting') expect(['submitting', 'submitted']).toContain(state);
  });
});

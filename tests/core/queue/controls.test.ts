import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../shared/contract';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';
import { createBatch, makePhotos, startEngineRig, until, type EngineRig } from './rig';

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
let rig: EngineRig | null = null;
beforeAll(async () => {
  mock = await createMockDashScope({ taskMs: 150, pendingMs: 10 });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  tmp = useTempDir('restyle-controls-');
});
afterEach(async () => {
  await rig?.close();
  rig = null;
  tmp.cleanup();
});

const preset = { kind: 'preset', styleIndex: 5 } as const;

describe('dedupe', () => {
  it('links a photo queued twice and one already saved instead of paying again; force pays again', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const photos = await makePhotos(tmp.path, 2);
    const r = rig;
    const copy = join(tmp.path, 'copy.jpg');
    copyFileSync(photos[0]!.path, copy);
    const first = await createBatch(r, [photos[0]!, { path: copy }], preset, { everyFile: true });
    expect(first.quote).toMatchObject({ jobs: 2, duplicatesInBatch: 1, paidImages: 1 });
    r.engine.start();
    await until(() => r.store.getBatch(first.batch.id)?.state === 'done');
    const second = await createBatch(r, photos, preset);
    expect(second.quote).toMatchObject({ jobs: 2, alreadyInLibrary: 1, paidImages: 1 });
    const skipped = r.engine.listJobs(second.batch.id).jobs[0]!;
    expect(skipped.state).toBe('skipped');
    expect(skipped.entryIds).toHaveLength(1);
    await until(() => r.store.getBatch(second.batch.id)?.state === 'done');
    const forced = await createBatch(r, [photos[0]!], preset, { force: true });
    expect(forced.quote).toMatchObject({ alreadyInLibrary: 0, paidImages: 1 });
    await until(() => r.store.getBatch(forced.batch.id)?.state === 'done');
    expect(mock.tasks()).toHaveLength(3);
  }, 20_000);

  it('gives a linked copy the result of its original, or queues it on its own when the original fails', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const r = rig;
    const [photo] = await makePhotos(tmp.path, 1);
    const copyA = join(tmp.path, 'copy-a.jpg');
    copyFileSync(photo!.path, copyA);
    const done = await createBatch(r, [photo!, { path: copyA }], preset, { everyFile: true });
    r.engine.start();
    await until(() => r.store.getBatch(done.batch.id)?.state === 'done');
    const [original, copy] = r.engine.listJobs(done.batch.id).jobs;
    expect(original!.state).toBe('done');
    expect(copy).toMatchObject({ state: 'skipped', entryIds: original!.entryIds });

    // The original's task fails (once: the mock is told so): the copy must not stay "skipped".
    mock.inject({ failTasks: { count: 1, code: 'DataInspectionFailed' } });
    const other = { kind: 'preset', styleIndex: 7 } as const;
    const copyPath = join(tmp.path, 'copy-b.jpg');
    copyFileSync(photo!.path, copyPath);
    const failed = await createBatch(r, [photo!, { path: copyPath }], other, { everyFile: true });
    await until(() => r.store.getBatch(failed.batch.id)?.state === 'done');
    const jobs = r.engine.listJobs(failed.batch.id).jobs;
    expect(jobs.map((job) => job.state).sort()).toEqual(['done', 'failed']);
    expect(jobs.find((job) => job.state === 'done')!.entryIds).toHaveLength(1);
    // One paid task per recipe (the mock's duplicate check keys on the image alone).
    expect(mock.tasks().filter((task) => task.status === 'SUCCEEDED')).toHaveLength(2);
  }, 20_000);
});

describe('budget', () => {
  it('pauses the batch before a submit would exceed its budget', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const photos = await makePhotos(tmp.path, 4);
    const r = rig;
    const { batch } = await createBatch(r, photos, preset, { budgetCny: 0.25 });
    r.engine.start();
    await until(() => r.store.getBatch(batch.id)?.pauseReason === 'budget_exceeded');
    await until(() => r.engine.busy() === 0 && r.store.getBatch(batch.id)!.counts.done === 2);
    const view = r.store.getBatch(batch.id)!;
    expect(view.spentCny).toBeCloseTo(0.24);
    expect(view.counts.queued).toBe(2);
    expect(mock.tasks()).toHaveLength(2);
  }, 20_000);
});

describe('pause, resume, cancel, retry, reorder', () => {
  it('does what the user asks', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const photos = await makePhotos(tmp.path, 6);
    const r = rig;
    const a = await createBatch(r, photos.slice(0, 3), preset);
    const b = await createBatch(r, photos.slice(3), preset);
    expect(a.batch.state).toBe('active');
    expect(r.engine.reorder([b.batch.id]).map((x) => x.id)).toEqual([b.batch.id, a.batch.id]);
    r.engine.start();
    await until(() => mock.tasks().length >= 1);
    expect(mock.tasks()[0]?.imageHash).toBeDefined();
    const firstJob = r.store.jobsIn([
      'submitting',
      'submitted',
      'running',
      'downloading',
      'done',
    ])[0]!;
    expect(firstJob.batchId).toBe(b.batch.id); // reordered batch goes first
    r.engine.pause({ batchId: a.batch.id });
    await r.engine.cancel({ batchId: b.batch.id });
    await until(
      () =>
        r.engine.busy() === 0 &&
        r.store.jobsIn(['submitted', 'running', 'downloading']).length === 0,
    );
    const paused = r.store.getBatch(a.batch.id)!;
    expect(paused.state).toBe('paused');
    expect(paused.counts.done).toBe(0);
    expect(r.store.getBatch(b.batch.id)!.state).toBe('canceled');
    mock.inject({ failTasks: { count: 6, code: 'DataInspectionFailed' } });
    r.engine.resume({ batchId: a.batch.id });
    await until(() => r.store.getBatch(a.batch.id)!.counts.failed === 3);
    mock.clearFaults();
    expect(await r.engine.retryFailed({ batchId: a.batch.id })).toBe(3);
    await until(() => r.store.getBatch(a.batch.id)!.state === 'done');
    expect(r.store.getBatch(a.batch.id)!.counts.done).toBe(3);
  }, 30_000);
});

describe('expiry', () => {
  it('marks a task older than 24 h expired after a restart and never resubmits it on its own', async () => {
    let offset = 0;
    const now = () => Date.now() + offset;
    rig = await startEngineRig(tmp.path, {
      mock,
      now,
      options: { pollMs: 60_000, tightPollMs: 60_000 },
    });
    const photos = await makePhotos(tmp.path, 1);
    const { batch } = await createBatch(rig, photos, preset);
    rig.engine.start();
    const r = rig;
    await until(() => r.store.jobsIn(['submitted']).length === 1);
    await rig.close(); // a crash-like stop with the task in flight
    offset = 25 * 60 * 60 * 1000;
    rig = await startEngineRig(tmp.path, { mock, now });
    rig.engine.start();
    const r2 = rig;
    await until(() => r2.engine.listJobs(batch.id).jobs[0]!.state === 'expired');
    expect(r2.engine.listJobs(batch.id).jobs[0]!.error?.code).toBe('api_task_expired');
    await new Promise((res) => setTimeout(res, 300));
    expect(mock.tasks()).toHaveLength(1);
  }, 20_000);
});

// Pause, resume, cancel and retry of a 20,000-job batch: every job ends where it
// should, a job that moved on meanwhile is left alone (compare-and-set), other
// batches are untouched, and the window is told once per batch (one
// `jobs:batch-changed` and one progress), not once per job.
const JOBS = 20_000;
const photo = (i: number) => ({
  path: `/album/p${i}.jpg`,
  hash: i.toString(16).padStart(64, '0'),
  folder: '',
});

/** The events the engine sends, by name and batch. */
function recordEvents(r: EngineRig) {
  const seen: Array<{ name: EventName; batchId: string }> = [];
  r.events.subscribe((name, payload) => {
    const batchId = (payload as { batchId?: string }).batchId;
    if (batchId) seen.push({ name, batchId });
  });
  return {
    /** Events since the last call, as `name batch` lines, sorted. */
    take(): string[] {
      const lines = seen.map((e) => `${e.name} ${e.batchId}`).sort();
      seen.length = 0;
      return lines;
    },
  };
}

describe('controls of a batch in bulk', () => {
  it('move 20,000 jobs with one event per batch, leaving jobs that moved on and other batches alone', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const { store, engine } = rig;
    const big = store.createBatch({
      recipe: preset,
      jobs: Array.from({ length: JOBS }, (_, i) => photo(i)),
    });
    const other = store.createBatch({ recipe: preset, jobs: [1, 2, 3].map((i) => photo(-i)) });
    const head = store.listJobs(big.id, 0, 3).jobs.map((job) => job.id);
    const [sentId, failedId, pausedId] = head as [string, string, string];
    const lastId = store.listJobs(big.id, JOBS - 1, 1).jobs[0]?.id ?? '';
    // One sent (its task at the service), one failed, one paused by the user.
    store.transition(sentId, 'preparing');
    store.transition(sentId, 'ready');
    store.transition(sentId, 'submitting', { intentAt: Date.now() });
    store.recordSubmitted(store.getJob(sentId)!, 'task-sent', null, Date.now());
    store.transition(failedId, 'failed', {
      error: { code: 'api_server_error', message: 'x', retryable: false },
    });
    store.transition(pausedId, 'paused');
    const events = recordEvents(rig);
    const progress = `jobs:batch-progress ${big.id}`;
    const changed = `jobs:batch-changed ${big.id}`;

    expect(engine.pause({ batchId: big.id })).toBe(1);
    expect(events.take()).toEqual([progress]);
    expect(store.getBatch(big.id)).toMatchObject({ state: 'paused' });
    expect(store.getBatch(big.id)?.counts.queued).toBe(JOBS - 3);

    expect(engine.resume({ batchId: big.id })).toBe(1);
    expect(events.take()).toEqual([changed, progress]);
    expect(store.getBatch(big.id)).toMatchObject({ state: 'active' });
    expect(store.getJob(pausedId)?.state).toBe('queued');

    // The last job moves on while the cancel goes through the batch, chunk by chunk.
    const racing = new Promise<void>((resolve) =>
      setImmediate(() => {
        store.transition(lastId, 'preparing');
        store.transition(lastId, 'ready');
        store.transition(lastId, 'submitting', { intentAt: Date.now() });
        resolve();
      }),
    );
    const canceled = await engine.cancel({ batchId: big.id });
    await racing;
    expect(events.take()).toEqual([changed, progress]);
    expect(store.getJob(lastId)?.state).toBe('submitting');
    expect(store.getJob(sentId)?.state).toBe('submitted');
    expect(store.getJob(failedId)?.state).toBe('canceled');
    const afterCancel = store.getBatch(big.id);
    expect(afterCancel).toMatchObject({ state: 'canceled' });
    expect(afterCancel?.counts).toMatchObject({ canceled: JOBS - 2, submitted: 1, submitting: 1 });
    expect(canceled).toBe(JOBS - 2 + 1);
    expect(store.getBatch(other.id)).toMatchObject({ state: 'active', total: 3 });
    expect(store.getBatch(other.id)?.counts.queued).toBe(3);

    expect(await engine.retryFailed({ batchId: big.id, includeExpired: true })).toBe(JOBS - 2);
    expect(events.take()).toEqual([changed, progress]);
    const retried = store.getBatch(big.id);
    expect(retried).toMatchObject({ state: 'active' });
    expect(retried?.counts).toMatchObject({ queued: JOBS - 2, canceled: 0 });
    expect(store.getJob(failedId)).toMatchObject({ state: 'queued', error: null, attempts: 0 });

    // The whole queue: each batch told once.
    await engine.cancel();
    expect(events.take()).toEqual(
      [
        changed,
        progress,
        `jobs:batch-changed ${other.id}`,
        `jobs:batch-progress ${other.id}`,
      ].sort(),
    );
    expect(store.getBatch(other.id)?.counts.canceled).toBe(3);
    expect(store.getBatch(big.id)?.counts.canceled).toBe(JOBS - 2);
  }, 120_000);

  it('a canceled job that a copy follows lets the copy go on its own', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const { store, engine } = rig;
    const first = store.createBatch({ recipe: preset, jobs: [photo(1), photo(2)] });
    const original = store.listJobs(first.id).jobs[0]!;
    const second = store.createBatch({
      recipe: preset,
      jobs: [{ ...photo(1), state: 'skipped', linkedJobId: original.id }],
    });
    await engine.cancel({ batchId: first.id });
    expect(store.getBatch(first.id)?.counts.canceled).toBe(2);
    expect(store.listJobs(second.id).jobs[0]).toMatchObject({ state: 'queued', linkedJobId: null });
    expect(store.getBatch(second.id)?.state).toBe('active');
  });
});

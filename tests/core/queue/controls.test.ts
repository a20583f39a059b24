import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

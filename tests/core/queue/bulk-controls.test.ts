// Pause, resume, cancel and retry of a 20,000-job batch through the real
// engine's controls on a real queue file: every job ends where it should,
// a job that moved on meanwhile is left alone (compare-and-set), other
// batches are untouched, and the window is told once per batch (one
// `jobs:batch-changed` and one progress), not once per job.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../shared/contract';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';
import { startEngineRig, type EngineRig } from './rig';

const JOBS = 20_000;
const preset = { kind: 'preset', styleIndex: 4 } as const;
const photo = (i: number) => ({
  path: `/album/p${i}.jpg`,
  hash: i.toString(16).padStart(64, '0'),
  folder: '',
});

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
let rig: EngineRig | null = null;
beforeAll(async () => {
  mock = await createMockDashScope({ taskMs: 150, pendingMs: 10 });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  tmp = useTempDir('restyle-bulk-');
});
afterEach(async () => {
  await rig?.close();
  rig = null;
  tmp.cleanup();
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
      error: { code: 'api_internal', message: 'x', retryable: false },
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

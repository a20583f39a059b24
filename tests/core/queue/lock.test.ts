import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashScopeClient } from '../../../electron/core/dashscope';
import {
  acquireEngineLock,
  lockOwner,
  type EngineLock,
} from '../../../electron/core/queue/engine-lock';
import { openJobStore, type JobStore } from '../../../electron/core/queue/job-store';
import { sidecarsPerTaskImage } from '../../support/sidecars';
import { useTempDir } from '../../support/temp-dir';
import { createBatch, makePhotos, startEngineRig, until, type EngineRig } from './rig';

let tmp: ReturnType<typeof useTempDir>;
const open: Array<{ close(): unknown }> = [];
beforeEach(() => {
  tmp = useTempDir('restyle-lock-');
});
afterEach(async () => {
  // Newest first: a second rig shares the first one's mock.
  for (const item of open.reverse()) await item.close();
  open.length = 0;
  tmp.cleanup();
});

const queueFile = () => join(tmp.path, 'queue.sqlite');
const alive = () => true;
const dead = () => false;

describe('the data folder lock', () => {
  it('tells its holder once another engine has taken it over, and never frees the new owner', () => {
    const store = openJobStore(queueFile());
    open.push(store);
    const first = acquireEngineLock(store.db, { pid: 4242, isAlive: alive });
    const lost: string[] = [];
    first.onLost(() => lost.push('lost'));
    expect(first.heartbeat()).toBe(true);
    expect(first.held()).toBe(true);

    // 4242 stopped past the stale limit (here: reported dead): another engine takes over.
    const second = acquireEngineLock(store.db, { pid: 4343, isAlive: (pid) => pid !== 4242 });
    expect(first.heartbeat()).toBe(false);
    expect(first.held()).toBe(false);
    expect(first.holder()).toBe(4343);
    expect(first.heartbeat()).toBe(false);
    expect(lost).toEqual(['lost']);
    first.release();
    expect(lockOwner(store.db, { isAlive: alive })).toBe(4343);
    expect(second.held()).toBe(true);
    second.release();
    expect(lockOwner(store.db, { isAlive: alive })).toBeNull();
  });

  it("refuses a live holder's lock until its heartbeat is older than the stale limit", () => {
    const store = openJobStore(queueFile());
    open.push(store);
    let now = 1_000_000;
    const first = acquireEngineLock(store.db, { pid: 4242, isAlive: alive, now: () => now });
    now += 19_000;
    expect(() =>
      acquireEngineLock(store.db, { pid: 4343, isAlive: alive, now: () => now }),
    ).toThrow(/pid 4242/);
    now += 2_000;
    const second = acquireEngineLock(store.db, { pid: 4343, isAlive: alive, now: () => now });
    expect(first.held()).toBe(false);
    second.release();
    first.release();
  });

  it('a job moved under a lock token moves only while that lock is held', async () => {
    const store = openJobStore(queueFile());
    open.push(store);
    const [photo] = await makePhotos(tmp.path, 1);
    const batch = store.createBatch({
      recipe: { kind: 'preset', styleIndex: 2 },
      jobs: [{ path: photo?.path ?? '', hash: photo?.hash ?? '', folder: 'album' }],
    });
    const job = store.listJobs(batch.id).jobs[0];
    const first = acquireEngineLock(store.db, { pid: 4242, isAlive: alive });
    const second = acquireEngineLock(store.db, { pid: 4343, isAlive: dead });
    expect(store.transition(job?.id ?? '', 'preparing', {}, ['queued'], first.token)).toBeNull();
    expect(store.getJob(job?.id ?? '')?.state).toBe('queued');
    expect(store.transition(job?.id ?? '', 'preparing', {}, ['queued'], second.token)?.state).toBe(
      'preparing',
    );
    second.release();
    first.release();
  });
});

type Step = 'submit' | 'poll' | 'download';

/**
 * Engine A runs a batch; at a chosen step another engine takes the data
 * folder over (as after A was stopped past the stale limit). A must act on
 * nothing it was doing; a second engine B then finishes the batch.
 */
async function takenOverAt(step: Step) {
  let taker: EngineLock | null = null;
  let other: JobStore | null = null;
  const takeOver = () => {
    if (taker) return;
    other = openJobStore(queueFile());
    taker = acquireEngineLock(other.db, { pid: 999_999, isAlive: dead });
  };
  const wrapClient = (client: DashScopeClient): DashScopeClient => ({
    ...client,
    async getTask(id) {
      const task = await client.getTask(id);
      if (step === 'poll' && task.status === 'SUCCEEDED') takeOver();
      return task;
    },
    async download(url, options) {
      const result = await client.download(url, options);
      if (step === 'download') takeOver();
      return result;
    },
  });
  const a: EngineRig = await startEngineRig(tmp.path, { wrapClient });
  open.push(a);
  if (step === 'submit')
    // Right after the submit intent is committed (a stop between the intent and the POST).
    a.events.subscribe((name, payload) => {
      if (name === 'jobs:job-updated' && (payload as { state: string }).state === 'submitting')
        takeOver();
    });
  const photos = await makePhotos(tmp.path, 2);
  const { batch } = await createBatch(a, photos, { kind: 'preset', styleIndex: 2 });
  const settled = a.engine.whenSettled();
  a.engine.start();
  await until(() => a.engine.lockLost() !== null, 20_000, 'A to see its lock taken over');
  await settled;
  expect(a.engine.lockLost()).toEqual({ pid: 999_999 });
  expect(a.engine.status().state).toBe('stopped');
  await until(() => a.engine.busy() === 0, 10_000, 'A to wind down');
  const afterA = {
    stats: a.mock.stats(),
    jobs: a.store.listJobs(batch.id).jobs.map((job) => job.state),
    saved: a.library.list().length,
    spent: a.store.getBatch(batch.id)?.spentCny,
  };

  // A gives up its place; the engine that took over (B here) finishes the batch.
  (taker as EngineLock | null)?.release();
  (other as JobStore | null)?.close();
  const b = await startEngineRig(tmp.path, { mock: a.mock });
  open.push(b);
  b.engine.start();
  await until(() => b.store.getBatch(batch.id)?.state === 'done', 20_000, 'B to finish');

  const stats = b.mock.stats();
  expect(stats.duplicatePaidImages).toEqual([]);
  expect(stats.totals.acceptedSubmits).toBe(2);
  for (const photo of photos) expect(b.library.find(photo.hash, 'preset:2')).toHaveLength(1);
  expect(sidecarsPerTaskImage(join(tmp.path, 'library'))).toEqual(
    new Map(b.mock.tasks().map((task) => [`${task.taskId}#0`, 1])),
  );
  return afterA;
}

describe('an engine whose data folder was taken over stops at once', () => {
  it('after the submit intent: nothing is sent; the new owner settles the intent', async () => {
    const a = await takenOverAt('submit');
    expect(a.stats.totals.submits).toBe(0);
    expect(a.jobs).toContain('submitting');
  }, 60_000);

  it('when a poll answers SUCCEEDED: the answer is left to the new owner (no spend recorded, nothing downloaded)', async () => {
    const a = await takenOverAt('poll');
    expect(a.stats.totals.downloads).toBe(0);
    expect(a.spent).toBe(0);
    expect(a.jobs).not.toContain('downloading');
    expect(a.saved).toBe(0);
  }, 60_000);

  it('after a download: nothing is saved; the new owner saves each result once', async () => {
    const a = await takenOverAt('download');
    expect(a.stats.totals.downloads).toBeGreaterThan(0);
    expect(a.saved).toBe(0);
    expect(a.jobs).toContain('downloading');
  }, 60_000);
});

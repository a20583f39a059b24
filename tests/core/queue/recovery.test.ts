import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../electron/core/db/sqlite';
import { openJobStore } from '../../../electron/core/queue/job-store';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';
import {
  pagesOf,
  PROMPT_KEY,
  queueWithTasksInFlight,
  sha256Of,
  writeGarbage,
} from './damaged-queue';
import { startEngineRig, until, type EngineRig } from './rig';

let tmp: ReturnType<typeof useTempDir>;
let mock: MockDashScope | null = null;
let rig: EngineRig | null = null;
let child: ChildProcess | null = null;
beforeEach(() => {
  tmp = useTempDir('restyle-recovery-');
});
afterEach(async () => {
  await rig?.close();
  rig = null;
  await mock?.close();
  mock = null;
  child?.kill('SIGKILL');
  child = null;
  tmp.cleanup();
});

const KEPT = /^queue\.sqlite\.corrupt-\d{8}-\d{6}$/;
const keptFiles = (dir: string) => readdirSync(dir).filter((name) => KEPT.test(name));

describe('a damaged queue file is rebuilt at open, not fatal', () => {
  it('keeps the damaged file aside, brings back what reads, and collects the tasks in flight once', async () => {
    mock = await createMockDashScope({ taskMs: 2500, pendingMs: 20 });
    const queue = await queueWithTasksInFlight(tmp.path, mock);
    const submitsBefore = mock.stats().totals.acceptedSubmits;
    expect(submitsBefore).toBe(2);

    // Garbage over the first two leaves of the jobs table (the waiting batch's
    // first photos) and over the tasks table (the running task's claim).
    const jobs = pagesOf(queue.file, 'jobs');
    expect(jobs.leaves.length).toBeGreaterThanOrEqual(4);
    const tasks = pagesOf(queue.file, 'tasks');
    writeGarbage(queue.file, [...jobs.leaves.slice(0, 2), ...tasks.leaves], jobs.pageSize);
    const damaged = sha256Of(queue.file);

    rig = await startEngineRig(tmp.path, { mock });
    const recovery = rig.store.recovery();
    expect(recovery).not.toBeNull();
    if (!recovery) return;
    // Kept as found, beside the fresh file, under the name the user is shown.
    expect(dirname(recovery.keptAs)).toBe(tmp.path);
    expect(basename(recovery.keptAs)).toMatch(KEPT);
    expect(keptFiles(tmp.path)).toEqual([basename(recovery.keptAs)]);
    expect(sha256Of(recovery.keptAs)).toBe(damaged);
    expect(recovery).toMatchObject({ batches: 3, inFlight: 2 });
    expect(recovery.jobs).toBeGreaterThan(2);
    expect(recovery.jobs).toBeLessThan(62);

    // The in-flight jobs came back as they were.
    expect(rig.store.getJob(queue.submittingJobId)?.state).toBe('submitting');
    expect(rig.store.getJob(queue.runningJobId)).toMatchObject({ taskId: queue.runningTaskId });
    expect(rig.store.claimedTaskIds()).toContain(queue.runningTaskId);
    expect(rig.store.getBatch(queue.waitingBatchId ?? '')).toMatchObject({
      state: 'paused',
      pauseReason: 'awaiting_start',
    });

    rig.engine.start();
    const r = rig;
    await until(
      () =>
        r.store.getJob(queue.submittingJobId)?.state === 'done' &&
        r.store.getJob(queue.runningJobId)?.state === 'done',
      20_000,
      'both tasks collected',
    );
    // Nothing sent again: the lost answer was found in the task list, the running task polled.
    const stats = mock.stats();
    expect(stats.totals.acceptedSubmits).toBe(submitsBefore);
    expect(stats.duplicatePaidImages).toEqual([]);
    expect(stats.queries.some((q) => q.kind === 'list')).toBe(true);
    // Every paid task has its result saved, once.
    const [sent, running] = queue.photos;
    const paid = mock.tasks().filter((task) => task.status === 'SUCCEEDED');
    expect(paid).toHaveLength(2);
    const saved = [
      ...rig.library.find(sent?.hash ?? '', 'preset:2'),
      ...rig.library.find(running?.hash ?? '', PROMPT_KEY),
    ];
    expect(saved.map((entry) => entry.taskId).sort()).toEqual(paid.map((t) => t.taskId).sort());
    expect(rig.store.getJob(queue.runningJobId)?.taskId).toBe(queue.runningTaskId);
    // The notice stays until the user dismisses it.
    expect(rig.store.recovery()).toEqual(recovery);
    rig.store.dismissRecovery();
    expect(rig.store.recovery()).toBeNull();
  }, 60_000);

  it('a file that is not a database at all (zeros) is kept aside and an empty queue starts', () => {
    const file = join(tmp.path, 'queue.sqlite');
    writeFileSync(file, Buffer.alloc(16 * 1024));
    const store = openJobStore(file);
    try {
      const recovery = store.recovery();
      expect(recovery).toMatchObject({ batches: 0, jobs: 0, inFlight: 0 });
      expect(basename(recovery?.keptAs ?? '')).toMatch(KEPT);
      expect(existsSync(recovery?.keptAs ?? '')).toBe(true);
      // The fresh queue works.
      store.createBatch({
        recipe: { kind: 'preset', styleIndex: 0 },
        jobs: [{ path: '/a.jpg', hash: 'a'.repeat(64), folder: '' }],
      });
      expect(store.listBatches()).toHaveLength(1);
    } finally {
      store.close();
    }
  });

  it('a file cut short keeps what its remaining pages hold', () => {
    const file = join(tmp.path, 'queue.sqlite');
    const store = openJobStore(file);
    for (let b = 0; b < 3; b += 1)
      store.createBatch({
        recipe: { kind: 'preset', styleIndex: b },
        jobs: Array.from({ length: 100 }, (_, i) => ({
          path: `/album/IMG_${b}_${i}.jpg`,
          hash: `${b}${i}`.padEnd(64, '0'),
          folder: 'album',
        })),
      });
    store.close();
    // Cut after half the jobs' leaf pages (wherever the schema's tables and indexes put them).
    const { leaves, pageSize } = pagesOf(file, 'jobs');
    const sorted = [...leaves].sort((a, b) => a - b);
    truncateSync(file, (sorted[Math.floor(sorted.length / 2)] ?? 20) * pageSize);

    const again = openJobStore(file);
    try {
      const recovery = again.recovery();
      expect(recovery).toMatchObject({ batches: 3 });
      expect(recovery?.jobs).toBeGreaterThan(0);
      expect(recovery?.jobs).toBeLessThan(300);
      expect(again.listBatches().map((b) => b.recipeKey)).toEqual([
        'preset:0',
        'preset:1',
        'preset:2',
      ]);
    } finally {
      again.close();
    }
  });

  it('damage only the check finds (an index page) loses no row', () => {
    const file = join(tmp.path, 'queue.sqlite');
    const store = openJobStore(file);
    store.createBatch({
      recipe: { kind: 'preset', styleIndex: 3 },
      jobs: Array.from({ length: 200 }, (_, i) => ({
        path: `/album/IMG_${i}.jpg`,
        hash: String(i).padEnd(64, '0'),
        folder: 'album',
      })),
    });
    store.close();
    const index = pagesOf(file, 'jobs_by_state');
    writeGarbage(file, index.leaves.slice(0, 1), index.pageSize);

    const again = openJobStore(file);
    try {
      expect(again.recovery()).toMatchObject({ batches: 1, jobs: 200 });
      const batch = again.listBatches()[0];
      expect(again.listJobs(batch?.id ?? '', 0, 1000).total).toBe(200);
    } finally {
      again.close();
    }
  });

  it('a rebuild cut off before the fresh file was moved into place is finished at the next open', () => {
    const file = join(tmp.path, 'queue.sqlite');
    const store = openJobStore(file);
    store.createBatch({
      recipe: { kind: 'preset', styleIndex: 4 },
      jobs: [{ path: '/a.jpg', hash: 'b'.repeat(64), folder: '' }],
    });
    store.close();
    writeGarbage(file, pagesOf(file, 'jobs').leaves, 4096);
    const rebuilt = openJobStore(file);
    const notice = rebuilt.recovery();
    rebuilt.close();
    // The state a crash leaves between the two renames: the damaged file is
    // aside, the fresh one still under its working name.
    renameSync(file, `${file}.recovering`);

    const again = openJobStore(file);
    try {
      expect(again.recovery()).toEqual(notice);
      expect(again.listBatches().map((b) => b.recipeKey)).toEqual(['preset:4']);
      expect(existsSync(`${file}.recovering`)).toBe(false);
      expect(keptFiles(tmp.path)).toHaveLength(1);
    } finally {
      again.close();
    }
  });

  it('a fresh file left from a rebuild cut off earlier is dropped; the damaged one is rebuilt again', () => {
    const file = join(tmp.path, 'queue.sqlite');
    openJobStore(file).close();
    writeFileSync(`${file}.recovering`, 'half written');
    const store = openJobStore(file);
    store.close();
    expect(existsSync(`${file}.recovering`)).toBe(false);
    expect(keptFiles(tmp.path)).toEqual([]);
  });

  it('is refused while a live process holds the damaged queue: nothing is moved', async () => {
    const file = join(tmp.path, 'queue.sqlite');
    const store = openJobStore(file);
    store.createBatch({
      recipe: { kind: 'preset', styleIndex: 5 },
      jobs: [{ path: '/a.jpg', hash: 'c'.repeat(64), folder: '' }],
    });
    store.close();
    // Another real process owns the queue (its lock row, with a fresh heartbeat).
    const owner = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    child = owner;
    const db = openDb(file);
    db.run(
      'UPDATE engine SET lock_pid = ?, lock_token = ?, heartbeat_at = ? WHERE id = 1',
      owner.pid ?? 0,
      'other',
      Date.now(),
    );
    db.close();
    writeGarbage(file, pagesOf(file, 'jobs').leaves, 4096);
    const before = sha256Of(file);

    expect(() => openJobStore(file)).toThrow(
      expect.objectContaining({ code: 'queue_damaged', params: { file } }),
    );
    expect(sha256Of(file)).toBe(before);
    expect(keptFiles(tmp.path)).toEqual([]);

    owner.kill('SIGKILL');
    await new Promise((resolve) => owner.once('exit', resolve));
    child = null;
    const again = openJobStore(file);
    try {
      expect(again.recovery()).toMatchObject({ batches: 1 });
    } finally {
      again.close();
    }
  });

  it('jobs whose batch was lost keep a batch again, paused, with the recipe their key names', () => {
    const file = join(tmp.path, 'queue.sqlite');
    const store = openJobStore(file);
    const batch = store.createBatch({
      recipe: { kind: 'prompt', prompt: 'ink: wash', function: 'stylization_all', variants: 2 },
      jobs: [{ path: '/a.jpg', hash: 'd'.repeat(64), folder: '' }],
    });
    store.close();
    writeGarbage(file, pagesOf(file, 'batches').leaves, 4096);

    const again = openJobStore(file);
    try {
      expect(again.recovery()).toMatchObject({ batches: 1, jobs: 1 });
      expect(again.getBatch(batch.id)).toMatchObject({
        recipeKey: batch.recipeKey,
        recipe: batch.recipe,
        state: 'paused',
        pauseReason: 'user',
        total: 1,
      });
    } finally {
      again.close();
    }
  });
});

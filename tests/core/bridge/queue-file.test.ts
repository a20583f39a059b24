// The window's side of a damaged, read-only or full queue file, through the
// dev bridge (the same core and dispatcher as the app's ipcMain).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBridgeApp, type BridgeApp } from '../../../electron/core/bridge/bridge-app';
import { createLibrary } from '../../../electron/core/library/library';
import { silentLogger } from '../../../electron/core/log/logger';
import { BRIDGE_TOKEN_HEADER } from '../../../shared/bridge';
import type { Result } from '../../../shared/result';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';
import {
  canFillDisk,
  canMakeReadOnly,
  runOnTinyDisk,
  runReadOnly,
  type Confined,
} from '../queue/confined';
import { pagesOf, queueWithTasksInFlight, writeGarbage } from '../queue/damaged-queue';
import { makePhotos, until } from '../queue/rig';

let tmp: ReturnType<typeof useTempDir>;
let mock: MockDashScope;
let app: BridgeApp | null = null;
let confined: Confined | null = null;
beforeEach(async () => {
  tmp = useTempDir('restyle-bridge-queue-');
  mock = await createMockDashScope({ taskMs: 1500, pendingMs: 20 });
});
afterEach(async () => {
  await app?.close();
  app = null;
  if (confined) {
    confined.child.kill('SIGKILL');
    await confined.done;
    confined = null;
  }
  await mock.close();
  tmp.cleanup();
});

/** One call as the page makes it. */
async function invoke<T>(
  bridge: { origin: string; token: string },
  channel: string,
  payload: unknown = {},
): Promise<Result<T>> {
  const answer = await fetch(`${bridge.origin}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [BRIDGE_TOKEN_HEADER]: bridge.token },
    body: JSON.stringify(payload),
  });
  return (await answer.json()) as Result<T>;
}

/** Asks until the answer holds (the bridge is in another process: no store to watch). */
async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * What the window does to run photos: it scans them (`intake:add-paths`), and
 * once the scan is done, creates the batch from the scan by its id.
 */
async function createOver<T>(
  bridge: { origin: string; token: string },
  paths: string[],
  recipe: unknown,
): Promise<Result<T>> {
  const added = await invoke<{ scanId: string }>(bridge, 'intake:add-paths', { paths });
  if (!added.ok) throw new Error(added.error.message);
  const { scanId } = added.value;
  await eventually(
    async () => {
      const scans = await invoke<Array<{ scanId: string; scanning: boolean }>>(
        bridge,
        'intake:list-scans',
      );
      return scans.ok && scans.value.some((scan) => scan.scanId === scanId && !scan.scanning);
    },
    15_000,
    'the scan done',
  );
  return invoke<T>(bridge, 'jobs:create-batch', { scanId, recipes: [recipe] });
}

const env = () => ({ DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl });

describe('the dev bridge and the queue file', () => {
  it('starts on a damaged queue file, tells the page, and collects the tasks in flight once', async () => {
    const dataDir = join(tmp.path, 'data');
    mkdirSync(dataDir);
    const queue = await queueWithTasksInFlight(dataDir, mock);
    const jobs = pagesOf(queue.file, 'jobs');
    writeGarbage(queue.file, jobs.leaves.slice(0, 2), jobs.pageSize);

    app = await startBridgeApp({ dataDir, env: env(), log: silentLogger });
    const bridge = app.bridge;
    const recovery = await invoke<{ keptAs: string; batches: number; inFlight: number }>(
      bridge,
      'jobs:recovery',
    );
    expect(recovery).toMatchObject({ ok: true, value: { batches: 3, inFlight: 2 } });
    if (!recovery.ok || !recovery.value) return;
    expect(existsSync(recovery.value.keptAs)).toBe(true);
    // The page may show the kept file in the file manager (it is in the data folder).
    expect(await invoke(bridge, 'app:reveal-path', { path: recovery.value.keptAs })).toEqual({
      ok: true,
      value: null,
    });

    const engine = app.services.engine;
    const jobState = (id: string) =>
      engine
        .listBatches()
        .flatMap((batch) => engine.listJobs(batch.id, 0, 1000).jobs)
        .find((job) => job.id === id)?.state;
    await until(
      () => jobState(queue.submittingJobId) === 'done' && jobState(queue.runningJobId) === 'done',
      20_000,
      'the tasks in flight collected',
    );
    expect(mock.stats().totals.acceptedSubmits).toBe(2);
    expect(mock.stats().duplicatePaidImages).toEqual([]);

    expect(await invoke(bridge, 'jobs:dismiss-recovery')).toEqual({ ok: true, value: null });
    expect(await invoke(bridge, 'jobs:recovery')).toEqual({ ok: true, value: null });
  }, 60_000);

  it('starts when the queue file cannot be opened at all: paused, naming it, and refusing changes', async () => {
    const dataDir = join(tmp.path, 'data');
    const file = join(dataDir, 'queue.sqlite');
    // A folder where the queue file goes.
    mkdirSync(file, { recursive: true });
    const [photo] = await makePhotos(tmp.path, 1, 'dir');
    app = await startBridgeApp({ dataDir, env: env(), log: silentLogger });
    const problem = { code: 'queue_unopenable', params: { file } };
    expect(await invoke(app.bridge, 'jobs:engine-state')).toEqual({
      ok: true,
      value: { state: 'paused', reason: problem.code, params: problem.params },
    });
    expect(await invoke(app.bridge, 'jobs:list-batches')).toEqual({ ok: true, value: [] });
    expect(
      await createOver(app.bridge, [photo?.path ?? ''], { kind: 'preset', styleIndex: 1 }),
    ).toMatchObject({ ok: false, error: problem });
    expect(await invoke(app.bridge, 'jobs:resume')).toMatchObject({ ok: false, error: problem });
    expect(mock.stats().totals.submits).toBe(0);
  });

  it.skipIf(!canMakeReadOnly)(
    'a read-only queue file: the page gets a paused queue naming the file, and changes are refused with its code',
    async () => {
      const dataDir = join(tmp.path, 'data');
      mkdirSync(dataDir);
      const queue = await queueWithTasksInFlight(dataDir, mock);
      const [photo] = await makePhotos(tmp.path, 1, 'ro');
      confined = runReadOnly(
        queue.file,
        'child',
        ['bridge', dataDir, join(tmp.path, 'lib')],
        env(),
      );
      const bridge = (await confined.next()) as { origin: string; token: string };

      const state = await invoke(bridge, 'jobs:engine-state');
      expect(state).toEqual({
        ok: true,
        value: { state: 'paused', reason: 'queue_read_only', params: { file: queue.file } },
      });
      // What is in the file still shows.
      const batches = await invoke<unknown[]>(bridge, 'jobs:list-batches');
      expect(batches.ok && batches.value.length).toBe(3);
      const created = await createOver(bridge, [photo?.path ?? ''], {
        kind: 'preset',
        styleIndex: 1,
      });
      expect(created).toMatchObject({
        ok: false,
        error: { code: 'queue_read_only', params: { file: queue.file } },
      });
      expect(await invoke(bridge, 'jobs:resume')).toMatchObject({
        ok: false,
        error: { code: 'queue_read_only', params: { file: queue.file } },
      });
      expect(mock.stats().totals.acceptedSubmits).toBe(2);
    },
    60_000,
  );

  it.skipIf(!canFillDisk)(
    'a disk that fills up while tasks run: the queue pauses naming the file; freed and resumed, it finishes and nothing is paid twice',
    async () => {
      const dataDir = join(tmp.path, 'data');
      const libraryDir = join(tmp.path, 'library');
      mkdirSync(dataDir);
      const photos = await makePhotos(tmp.path, 3, 'full');
      confined = runOnTinyDisk(
        dataDir,
        4096,
        'exec "$NODE" --import tsx "$CHILD" bridge "$1" "$LIB"',
        { ...env(), LIB: libraryDir },
      );
      const bridge = (await confined.next()) as { origin: string; token: string };
      const file = join(dataDir, 'queue.sqlite');
      const created = await createOver(
        bridge,
        photos.map((p) => p.path),
        { kind: 'preset', styleIndex: 2 },
      );
      expect(created.ok).toBe(true);
      await until(() => mock.tasks().length > 0, 15_000, 'a task at the mock');

      confined.child.stdin?.write('fill\n');
      expect(await confined.next()).toEqual({ filled: true });
      let state: Result<{ reason: string | null }> | null = null;
      await eventually(
        async () => {
          state = await invoke(bridge, 'jobs:engine-state');
          return state.ok && state.value.reason === 'queue_disk_full';
        },
        15_000,
        'the queue paused for the full disk',
      );
      expect(state).toEqual({
        ok: true,
        value: { state: 'paused', reason: 'queue_disk_full', params: { file } },
      });

      confined.child.stdin?.write('free\n');
      expect(await confined.next()).toEqual({ freed: true });
      expect(await invoke(bridge, 'jobs:resume')).toMatchObject({ ok: true });
      await eventually(
        async () => {
          const batches = await invoke<Array<{ state: string }>>(bridge, 'jobs:list-batches');
          return batches.ok && batches.value[0]?.state === 'done';
        },
        30_000,
        'the batch done',
      );
      const stats = mock.stats();
      expect(stats.duplicatePaidImages).toEqual([]);
      expect(stats.totals.acceptedSubmits).toBe(3);
      const library = createLibrary({ root: libraryDir });
      try {
        for (const photo of photos) expect(library.find(photo.hash, 'preset:2')).toHaveLength(1);
      } finally {
        library.close();
      }
    },
    90_000,
  );
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockOwner } from '../../electron/core/queue/engine-lock';
import { openJobStore } from '../../electron/core/queue/job-store';
import { makePhotos, until } from '../core/queue/rig';
import { createMockDashScope, type MockDashScope } from '../support/mock-dashscope';
import { useTempDir } from '../support/temp-dir';
import { runCli, startCli } from './cli-rig';

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
beforeAll(async () => {
  // Tasks far longer than the test: the first engine is still at work when the second starts.
  mock = await createMockDashScope({ taskMs: 600_000, pendingMs: 20 });
  tmp = useTempDir('restyle-one-engine-');
});
afterAll(async () => {
  await mock.close();
  tmp.cleanup();
});

/** The queue as the test sees it: batches, the remembered library folder, the lock's pid. */
function queue(dataDir: string) {
  const store = openJobStore(join(dataDir, 'queue.sqlite'));
  try {
    return {
      batches: store.listBatches().length,
      libraryDir: store.getMeta('libraryDir'),
      owner: lockOwner(store.db),
    };
  } finally {
    store.close();
  }
}

describe('one engine per data folder', () => {
  it('a second run or resume while a run is at work writes nothing and says who holds the folder (exit 4)', async () => {
    const dataDir = join(tmp.path, 'data');
    const firstLibrary = join(tmp.path, 'library-1');
    const secondLibrary = join(tmp.path, 'library-2');
    const mine = await makePhotos(tmp.path, 2, 'first');
    const theirs = await makePhotos(tmp.path, 2, 'second');
    const env = { DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl };
    const run = (photos: typeof mine, library: string) => [
      'run',
      ...photos.map((p) => p.path),
      '--style',
      '2',
      '--yes',
      '--data-dir',
      dataDir,
      '--library',
      library,
    ];

    const first = startCli(run(mine, firstLibrary), env);
    try {
      // At work: it holds the folder and a task of its own is running.
      await until(
        () => mock.stats().totals.acceptedSubmits >= 1 || first.child.exitCode !== null,
        30_000,
        'the first run to submit',
      );
      expect(first.child.exitCode).toBeNull();
      expect(queue(dataDir)).toEqual({
        batches: 1,
        libraryDir: firstLibrary,
        owner: first.child.pid,
      });

      const second = await runCli(run(theirs, secondLibrary), env);
      expect(second.code, second.stderr).toBe(4);
      expect(second.stderr).toContain(
        `Another Restyle (pid ${first.child.pid}) is using this data folder`,
      );
      expect(second.stderr).toContain('nothing was queued');

      const resumed = await runCli(
        ['resume', '--data-dir', dataDir, '--library', secondLibrary],
        env,
      );
      expect(resumed.code, resumed.stderr).toBe(4);
      expect(resumed.stderr).toContain(`(pid ${first.child.pid})`);

      // Nothing written: no second batch, the first run's library kept, no second library.
      expect(queue(dataDir)).toEqual({
        batches: 1,
        libraryDir: firstLibrary,
        owner: first.child.pid,
      });
      expect(existsSync(secondLibrary)).toBe(false);
      expect(first.child.exitCode).toBeNull();
      // Only the first run's photos were sent (its running task and the one waiting behind it).
      expect(mock.stats().totals.acceptedSubmits).toBeLessThanOrEqual(mine.length);
    } finally {
      first.child.kill('SIGKILL');
      await first.done;
    }
  }, 90_000);
});

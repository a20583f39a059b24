import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary } from '../../electron/core/library/library';
import { openJobStore } from '../../electron/core/queue/job-store';
import { makePhotos } from '../core/queue/rig';
import { createMockDashScope, type MockDashScope } from '../support/mock-dashscope';
import { useTempDir } from '../support/temp-dir';
import { runCli, startCli } from './cli-rig';

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
beforeAll(async () => {
  mock = await createMockDashScope({ taskMs: 300, pendingMs: 20 });
  tmp = useTempDir('restyle-crash-');
});
afterAll(async () => {
  await mock.close();
  tmp.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function batchCount(dataDir: string): number {
  const store = openJobStore(join(dataDir, 'queue.sqlite'));
  try {
    return store.listBatches().length;
  } finally {
    store.close();
  }
}

describe('crash safety: the CLI killed with SIGKILL at random moments, restarted each time', () => {
  it('ends with exactly one saved result per photo, nothing paid lost, no task paid twice', async () => {
    const photos = await makePhotos(tmp.path, 12, 'crash');
    const dataDir = join(tmp.path, 'data');
    const libraryDir = join(tmp.path, 'library');
    const env = { DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl };
    const runArgs = [
      'run',
      ...photos.map((p) => p.path),
      '--style',
      '2',
      '--yes',
      '--json',
      '--data-dir',
      dataDir,
      '--library',
      libraryDir,
    ];
    const resumeArgs = ['resume', '--json', '--data-dir', dataDir];
    // Some submits create their task and then lose the answer: those jobs stay `submitting`
    // and must be settled from the task list, in the same process or after a kill.
    mock.inject({
      dropSubmits: { count: 3, when: 'after' },
      failSubmits: { count: 2, status: 500, code: 'InternalError', afterCreate: true },
    });
    let kills = 0;
    const deadline = Date.now() + 45_000;
    while (kills < 9 && Date.now() < deadline) {
      const started = batchCount(dataDir) > 0;
      const run = startCli(started ? resumeArgs : runArgs, env);
      // Random moments: during start-up, scanning, submits, polls and saves.
      await sleep(700 + Math.floor(Math.random() * 1500));
      if (run.child.exitCode === null) {
        run.child.kill('SIGKILL');
        kills += 1;
      }
      await run.done;
    }
    expect(kills).toBeGreaterThanOrEqual(8);

    const final = await runCli(batchCount(dataDir) > 0 ? resumeArgs : runArgs, env, 40_000);
    expect(final.code, final.stderr).toBe(0);

    const library = createLibrary({ root: libraryDir });
    try {
      for (const photo of photos)
        expect(library.find(photo.hash, 'preset:2'), photo.path).toHaveLength(1);
      const stats = mock.stats();
      const lists = stats.queries.filter((q) => q.kind === 'list').length;
      console.info(
        `crash test: ${kills} kills, ${stats.totals.submits} submits, ${lists} task-list reads (reconciliations)`,
      );
      expect(stats.duplicatePaidImages).toEqual([]);
      expect(stats.maxSubmitsInAnySecond).toBeLessThanOrEqual(2);
      // Every task the account paid for has its result in the library.
      const paid = mock.tasks().filter((task) => task.status === 'SUCCEEDED');
      expect(paid).toHaveLength(12);
      const saved = new Set(library.list({ limit: 1000 }).map((entry) => entry.taskId));
      for (const task of paid) expect(saved.has(task.taskId), task.taskId).toBe(true);
      expect(lists).toBeGreaterThan(0);
    } finally {
      library.close();
    }
  }, 90_000);
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary } from '../../electron/core/library/library';
import { makePhotos } from '../core/queue/rig';
import { createMockDashScope, type MockDashScope } from '../support/mock-dashscope';
import { useTempDir } from '../support/temp-dir';
import { startCli } from './cli-rig';

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
beforeAll(async () => {
  mock = await createMockDashScope({ taskMs: 300, pendingMs: 20 });
  tmp = useTempDir('restyle-outage-');
});
afterAll(async () => {
  await mock.up();
  await mock.close();
  tmp.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an outage mid-batch', () => {
  it('holds as offline, retries failed tasks as new ones, notices the return within seconds, finishes alone', async () => {
    const photos = await makePhotos(tmp.path, 10, 'outage');
    const libraryDir = join(tmp.path, 'library');
    mock.inject({ failTasks: { count: 2, code: 'InternalError', message: 'mock task failure' } });
    const run = startCli(
      [
        'run',
        ...photos.map((p) => p.path),
        '--style',
        '4',
        '--yes',
        '--json',
        '--data-dir',
        join(tmp.path, 'data'),
        '--library',
        libraryDir,
      ],
      { DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl },
    );
    const killer = setTimeout(() => run.child.kill('SIGKILL'), 60_000);
    try {
      // The outage begins mid-batch: once tasks were sent, however long the CLI took to start
      // (a fixed wait let a slow start under load meet the outage before any submit).
      const startBy = Date.now() + 30_000;
      while (mock.stats().submits.filter((s) => s.httpStatus === 200).length < 2) {
        if (Date.now() > startBy) throw new Error('no task sent in 30 s');
        await sleep(50);
      }
      await mock.down({ mode: 'reset' }); // connections dropped
      await sleep(3000);
      await mock.up();
      mock.inject({ serverErrors: { forMs: 2500, status: 500, code: 'InternalError' } }); // then 5xx
      await sleep(2500);
      const back = Date.now();
      // The first successful API call after the service came back.
      let noticedMs = Number.POSITIVE_INFINITY;
      const watchEnd = Date.now() + 15_000;
      while (Date.now() < watchEnd) {
        const seen = mock
          .stats()
          .queries.concat()
          .filter((q) => q.at > back && q.httpStatus === 200);
        const submitted = mock.stats().submits.filter((s) => s.at > back && s.httpStatus === 200);
        const first = Math.min(...seen.map((q) => q.at), ...submitted.map((s) => s.at));
        if (Number.isFinite(first)) {
          noticedMs = first - back;
          break;
        }
        await sleep(50);
      }
      const result = await run.done;
      const events = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { event: string; state?: string });
      console.info(
        `outage test: service back, first successful call after ${noticedMs} ms; exit ${result.code}`,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(events.some((e) => e.event === 'jobs:engine-state' && e.state === 'offline')).toBe(
        true,
      );
      expect(noticedMs).toBeLessThan(5000);
      const tasks = mock.tasks();
      expect(tasks.filter((t) => t.status === 'FAILED')).toHaveLength(2);
      expect(tasks.filter((t) => t.status === 'SUCCEEDED')).toHaveLength(10);
      expect(mock.stats().duplicatePaidImages).toEqual([]);
      const library = createLibrary({ root: libraryDir });
      try {
        for (const photo of photos) expect(library.find(photo.hash, 'preset:4')).toHaveLength(1);
      } finally {
        library.close();
      }
    } finally {
      clearTimeout(killer);
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 90_000);
});

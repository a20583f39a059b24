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
  mock = await createMockDashScope({ taskMs: 600, pendingMs: 20 });
  tmp = useTempDir('restyle-interrupt-');
});
afterAll(async () => {
  await mock.close();
  tmp.cleanup();
});

describe('Ctrl-C pauses safely and resume continues', () => {
  it('stops submitting, saves the task in flight, exits 130; resume finishes with nothing paid twice', async () => {
    const photos = await makePhotos(tmp.path, 6, 'interrupt');
    const dataDir = join(tmp.path, 'data');
    const libraryDir = join(tmp.path, 'library');
    const env = { DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl };
    const run = startCli(
      ['run', ...photos.map((p) => p.path), '--style', '5', '--yes', '--json'].concat([
        '--data-dir',
        dataDir,
        '--library',
        libraryDir,
      ]),
      env,
    );
    // Interrupt once the second task has been submitted (the slot holds one at a time).
    const deadline = Date.now() + 20_000;
    while (mock.stats().totals.acceptedSubmits < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(mock.stats().totals.acceptedSubmits).toBeGreaterThanOrEqual(2);
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    expect(interrupted.code, interrupted.stderr).toBe(130);

    const submittedAtInterrupt = mock.stats().totals.acceptedSubmits;
    expect(submittedAtInterrupt).toBeLessThan(photos.length);
    // Nothing left in flight: every task sent before Ctrl-C was finished and saved.
    const store = openJobStore(join(dataDir, 'queue.sqlite'));
    try {
      const inFlight = store.jobsIn(['submitting', 'submitted', 'running', 'downloading']);
      expect(inFlight).toEqual([]);
    } finally {
      store.close();
    }
    const before = createLibrary({ root: libraryDir });
    expect(before.list({ limit: 100 })).toHaveLength(submittedAtInterrupt);
    before.close();

    const resumed = await runCli(['resume', '--json', '--data-dir', dataDir], env, 40_000);
    expect(resumed.code, resumed.stderr).toBe(0);
    const library = createLibrary({ root: libraryDir });
    try {
      for (const photo of photos) expect(library.find(photo.hash, 'preset:5')).toHaveLength(1);
    } finally {
      library.close();
    }
    const stats = mock.stats();
    expect(stats.totals.acceptedSubmits).toBe(photos.length);
    expect(stats.duplicatePaidImages).toEqual([]);
  }, 60_000);
});

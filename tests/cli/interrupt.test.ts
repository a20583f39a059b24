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
    // Interrupt once the second task has been submitted: it waits at the service behind the
    // running one (or has just started).
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
    // A task still waiting at the interrupt was withdrawn (canceled at the service, not paid).
    const withdrawn = mock.tasks().filter((task) => task.status === 'CANCELED').length;
    expect(withdrawn).toBeLessThanOrEqual(1);
    expect(mock.stats().totals.paidImages).toBe(submittedAtInterrupt - withdrawn);
    // Nothing left in flight: every task sent before Ctrl-C was finished and saved.
    const store = openJobStore(join(dataDir, 'queue.sqlite'));
    try {
      const inFlight = store.jobsIn(['submitting', 'submitted', 'running', 'downloading']);
      expect(inFlight).toEqual([]);
    } finally {
      store.close();
    }
    const before = createLibrary({ root: libraryDir });
    expect(before.list({ limit: 100 })).toHaveLength(submittedAtInterrupt - withdrawn);
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
    // The withdrawn photo was sent again by resume, and paid once.
    expect(stats.totals.acceptedSubmits).toBe(photos.length + withdrawn);
    expect(stats.totals.paidImages).toBe(photos.length);
    expect(stats.duplicatePaidImages).toEqual([]);
  }, 60_000);
});

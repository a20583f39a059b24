// The window's side of one engine per data folder: started while the `restyle`
// CLI holds the queue, the app (here through the dev bridge, the same core and
// dispatcher) waits it out, says who holds it, and carries the queue on after.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBridgeApp, type BridgeApp } from '../../../electron/core/bridge/bridge-app';
import { silentLogger } from '../../../electron/core/log/logger';
import { BRIDGE_TOKEN_HEADER } from '../../../shared/bridge';
import type { EngineStatus } from '../../../shared/contract/jobs';
import type { Result } from '../../../shared/result';
import { startCli, type CliRun } from '../../cli/cli-rig';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';
import { makePhotos, until } from '../queue/rig';

let tmp: ReturnType<typeof useTempDir>;
let mock: MockDashScope;
let app: BridgeApp | null = null;
let cli: CliRun | null = null;
beforeEach(async () => {
  tmp = useTempDir('restyle-bridge-in-use-');
  // A task long enough that the CLI is still at work when the window starts.
  mock = await createMockDashScope({ taskMs: 4000, pendingMs: 20 });
});
afterEach(async () => {
  await app?.close();
  app = null;
  if (cli) {
    cli.child.kill('SIGKILL');
    await cli.done;
    cli = null;
  }
  await mock.close();
  tmp.cleanup();
});

async function engineState(app: BridgeApp): Promise<Result<EngineStatus>> {
  const answer = await fetch(`${app.bridge.origin}/api/invoke/jobs:engine-state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [BRIDGE_TOKEN_HEADER]: app.bridge.token },
    body: '{}',
  });
  return (await answer.json()) as Result<EngineStatus>;
}

describe('the window started while the restyle command holds the data folder', () => {
  it('starts, says which Restyle holds the queue, and carries its work on once it ends, paying nothing twice', async () => {
    const dataDir = join(tmp.path, 'data');
    const libraryDir = join(tmp.path, 'library');
    const env = { DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl };
    const [photo] = await makePhotos(tmp.path, 1, 'in-use');
    if (!photo) throw new Error('no photo');
    cli = startCli(
      ['run', photo.path, '--style', '2', '--yes', '--data-dir', dataDir, '--library', libraryDir],
      env,
    );
    await until(
      () => mock.stats().totals.acceptedSubmits >= 1 || cli?.child.exitCode !== null,
      30_000,
      'the CLI to submit',
    );
    expect(cli.child.exitCode).toBeNull();

    // Before the fix, start-up threw EngineLockedError here and the bridge never came up.
    app = await startBridgeApp({ dataDir, libraryDir, env, log: silentLogger });
    expect(await engineState(app)).toEqual({
      ok: true,
      value: { state: 'paused', reason: 'queue_in_use', params: { pid: cli.child.pid } },
    });

    // The CLI dies with its task running: the window takes the queue over by itself.
    cli.child.kill('SIGKILL');
    await cli.done;
    cli = null;
    const engine = app.services.engine;
    const jobs = () =>
      engine.listBatches().flatMap((batch) => engine.listJobs(batch.id, 0, 100).jobs);
    await until(
      () => jobs().length === 1 && jobs()[0]?.state === 'done',
      30_000,
      'the window to collect the task the CLI sent',
    );
    // No longer "in use": the engine runs (idle, with nothing left to do).
    const after = await engineState(app);
    expect(after.ok && after.value.reason).toBeNull();
    expect(after.ok && after.value.state).toBe('idle');
    expect(mock.stats().totals.acceptedSubmits).toBe(1);
    expect(mock.stats().duplicatePaidImages).toEqual([]);
    expect(app.services.library.find(photo.hash, 'preset:2')).toHaveLength(1);
  }, 60_000);
});

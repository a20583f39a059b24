// Problems of this computer while a batch runs: the library folder deleted
// (or its drive unplugged) between the submit and the download. The engine
// pauses with a local reason naming the folder; the result already paid for
// stays in the queue and is saved on resume, never into a folder made anew.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';
import { createBatch, makePhotos, startEngineRig, until, type EngineRig } from './rig';

let tmp: ReturnType<typeof useTempDir>;
let mock: MockDashScope;
let rig: EngineRig | null = null;
/** The mock's clock: a task stays RUNNING until the test moves it on. */
let clock = Date.now();
beforeEach(async () => {
  tmp = useTempDir('restyle-queue-local-');
  clock = Date.now();
  mock = await createMockDashScope({ taskMs: 60_000, pendingMs: 10, now: () => clock });
});
afterEach(async () => {
  await rig?.close();
  rig = null;
  await mock.close();
  tmp.cleanup();
});

describe('the library folder goes away mid-run', () => {
  it('pauses with library_missing naming the folder, keeps the result queued, saves it on resume', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const r = rig;
    const root = r.library.root;
    const [photo] = await makePhotos(tmp.path, 1);
    const { batch } = await createBatch(r, [photo!], { kind: 'preset', styleIndex: 2 });
    r.engine.start();
    const job = () => r.engine.listJobs(batch.id).jobs[0];
    await until(() => job()?.state === 'submitted', 15_000, 'task submitted');

    rmSync(root, { recursive: true, force: true });
    clock += 120_000; // the task succeeds; the engine downloads and tries to save
    await until(() => r.engine.status().state === 'paused', 15_000, 'engine paused');

    expect(r.engine.status()).toMatchObject({
      state: 'paused',
      reason: 'library_missing',
      params: { path: root },
    });
    expect(job()?.state).toBe('downloading');
    expect(existsSync(root)).toBe(false);

    // The folder is back (remounted, or made again by the user): resume saves the result.
    mkdirSync(root);
    r.engine.resume();
    await until(() => job()?.state === 'done', 15_000, 'job done');
    const saved = readdirSync(root);
    expect(saved.filter((name) => name.endsWith('.restyle.json'))).toHaveLength(1);
    expect(mock.stats().totals.acceptedSubmits).toBe(1);
  }, 60_000);
});

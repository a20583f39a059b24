import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchProgress, EngineStatus } from '../../../shared/contract/jobs';
import {
  jobsInFlight,
  justFinished,
  pauseToNotify,
  taskbarProgress,
} from '../../../electron/core/desktop/queue-summary';
import { createBatch, makePhotos, startEngineRig, until, type EngineRig } from '../queue/rig';
import { useTempDir } from '../../support/temp-dir';

/** The desktop decisions fed with what a real engine emits while it runs a batch against the mock. */
describe('what the OS shows of the queue', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let rig: EngineRig;
  const progress = new Map<string, BatchProgress>();
  const bars: number[] = [];
  const finished: string[] = [];
  const notices: string[] = [];

  beforeEach(async () => {
    tmp = useTempDir('restyle-desktop-');
    rig = await startEngineRig(tmp.path, { mockOptions: { taskMs: 150, pendingMs: 10 } });
    progress.clear();
    bars.length = 0;
    finished.length = 0;
    notices.length = 0;
    rig.events.subscribe((name, payload) => {
      if (name === 'jobs:batch-progress') {
        const next = payload as BatchProgress;
        if (justFinished(progress.get(next.batchId), next)) finished.push(next.batchId);
        progress.set(next.batchId, next);
        bars.push(taskbarProgress(progress.values()));
      }
      if (name === 'jobs:engine-state') {
        const reason = pauseToNotify(payload as EngineStatus);
        if (reason) notices.push(reason);
      }
    });
  });
  afterEach(async () => {
    await rig.close();
    tmp.cleanup();
  });

  it('fills the taskbar bar as photos finish, hides it when done, and notifies once per batch', async () => {
    const photos = await makePhotos(tmp.path, 3);
    const { batch } = await createBatch(rig, photos, { kind: 'preset', styleIndex: 1 });
    expect(jobsInFlight(rig.engine.listBatches())).toBe(3);
    rig.engine.start();
    await until(() => rig.store.getBatch(batch.id)?.state === 'done');

    const shown = bars.filter((bar) => bar >= 0);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(shown).toContain(2 / 3);
    expect(bars.at(-1)).toBe(-1);
    expect(finished).toEqual([batch.id]);
    expect(jobsInFlight(rig.engine.listBatches())).toBe(0);
    expect(notices).toEqual([]);
  }, 20_000);

  it('notifies an account pause with its reason, and counts its unsent jobs as work in flight', async () => {
    rig.mock.inject({ failSubmits: { count: 1, status: 401, code: 'InvalidApiKey' } });
    const photos = await makePhotos(tmp.path, 2);
    await createBatch(rig, photos, { kind: 'preset', styleIndex: 2 });
    rig.engine.start();
    await until(() => rig.engine.status().state === 'paused');
    expect(notices).toEqual(['api_key_invalid']);
    expect(jobsInFlight(rig.engine.listBatches())).toBe(2);
    // A pause the user asked for is theirs: nothing to notify.
    expect(pauseToNotify({ state: 'paused', reason: 'user' })).toBeNull();
    expect(pauseToNotify({ state: 'offline', reason: 'network_offline' })).toBeNull();
  }, 20_000);
});

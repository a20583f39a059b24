import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/temp-dir';
import { createBatch, makePhotos, startEngineRig, until, type EngineRig } from './rig';

let tmp: ReturnType<typeof useTempDir>;
let rig: EngineRig | null = null;
beforeEach(() => {
  tmp = useTempDir('restyle-queue-');
});
afterEach(async () => {
  await rig?.close();
  rig = null;
  tmp.cleanup();
});

describe('the engine runs a batch end to end against the mock', () => {
  it('submits every photo once, within 2 submits/s, 1 task running and 1 waiting, and saves each result', async () => {
    rig = await startEngineRig(tmp.path);
    const photos = await makePhotos(tmp.path, 6);
    const events: string[] = [];
    rig.events.subscribe((name) => events.push(name));
    const { batch, quote } = await createBatch(rig, photos, { kind: 'preset', styleIndex: 2 });
    expect(quote).toMatchObject({
      jobs: 6,
      images: 6,
      paidImages: 6,
      perImageCny: { 'wanx-style-repaint-v1': 0.12 },
      costCny: 0.72,
    });
    rig.engine.start();
    const r = rig;
    await until(() => r.store.getBatch(batch.id)?.state === 'done', 20_000, 'batch done');
    const done = rig.store.getBatch(batch.id);
    expect(done?.counts.done).toBe(6);
    expect(done?.spentCny).toBeCloseTo(0.72);
    for (const photo of photos) expect(rig.library.find(photo.hash, 'preset:2')).toHaveLength(1);
    const stats = rig.mock.stats();
    expect(stats.totals.acceptedSubmits).toBe(6);
    expect(stats.maxSubmitsInAnySecond).toBeLessThanOrEqual(2);
    expect(stats.maxRunningByModel['wanx-style-repaint-v1']).toBe(1);
    expect(stats.maxInFlightByModel['wanx-style-repaint-v1']).toBe(2);
    expect(stats.duplicatePaidImages).toEqual([]);
    expect(events).toContain('jobs:job-updated');
    expect(events).toContain('jobs:batch-progress');
    expect(events).toContain('jobs:engine-state');
  }, 30_000);
});

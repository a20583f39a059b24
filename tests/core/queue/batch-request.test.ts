import { mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCostLedger } from '../../../electron/core/cost/cost-ledger';
import { createFileStore } from '../../../electron/core/settings/key-value-store';
import type { BatchProgress } from '../../../shared/contract/jobs';
import { DEFAULT_PRICING } from '../../../shared/settings';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';
import { createBatch, makePhotos, scanFiles, startEngineRig, until, type EngineRig } from './rig';

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
let rig: EngineRig | null = null;
beforeAll(async () => {
  mock = await createMockDashScope({ taskMs: 100, pendingMs: 10 });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  tmp = useTempDir('restyle-batch-request-');
});
afterEach(async () => {
  await rig?.close();
  rig = null;
  tmp.cleanup();
});

const anime = { kind: 'preset', styleIndex: 2 } as const;
const comic = { kind: 'preset', styleIndex: 0 } as const;

describe('batches from a kept scan', () => {
  it('a quote creates nothing: no batch, no job, no event', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const photos = await makePhotos(tmp.path, 2);
    const scanId = await scanFiles(
      rig.intake,
      photos.map((p) => p.path),
      anime,
    );
    const events: string[] = [];
    rig.events.subscribe((name) => events.push(name));
    const quote = rig.engine.quote({ scanId, recipes: [anime, comic], kind: 'audition' });
    expect(quote).toMatchObject({ photos: 2, recipes: 2, jobs: 4, images: 4, paidImages: 4 });
    expect(rig.engine.listBatches()).toEqual([]);
    expect(rig.store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM jobs')?.n).toBe(0);
    expect(events).toEqual([]);
  });

  it('one started batch per recipe, with its kind and scan; each job names its photo and album folder', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const album = join(tmp.path, 'Trip');
    mkdirSync(join(album, 'day 1'), { recursive: true });
    const [, second] = await makePhotos(album, 2);
    renameSync(second!.path, join(album, 'day 1', 'beach.jpg'));
    const scanId = await scanFiles(rig.intake, [album], anime);
    const records = rig.intake.scanRecords(scanId).records;
    const { batches, quote } = rig.engine.createBatches({
      scanId,
      recipes: [anime, comic],
      kind: 'audition',
    });
    expect(quote.jobs).toBe(4);
    expect(batches.map((b) => [b.kind, b.scanId, b.state, b.recipeKey])).toEqual([
      ['audition', scanId, 'active', 'preset:2'],
      ['audition', scanId, 'active', 'preset:0'],
    ]);
    const jobs = rig.engine.listJobs(batches[0]!.id).jobs;
    expect(jobs.map((j) => [j.photoId, j.sourcePath, j.albumFolder])).toEqual(
      records.map((r) => [r.id, r.path, r.folder]),
    );
    expect(jobs.map((j) => j.albumFolder).sort()).toEqual(['Trip', 'Trip/day 1']);
  });

  it('an audition of styles already in the library, or queued elsewhere, settles at once', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const r = rig;
    const photos = await makePhotos(tmp.path, 2);
    const done = await createBatch(r, photos, anime);
    r.engine.start();
    await until(() => r.store.getBatch(done.batch.id)?.state === 'done', 15_000, 'first run');

    const progress: BatchProgress[] = [];
    r.events.subscribe((name, payload) => {
      if (name === 'jobs:batch-progress') progress.push(payload as BatchProgress);
    });
    const again = await createBatch(r, photos, anime, { kind: 'audition' });
    expect(again.quote).toMatchObject({ jobs: 2, alreadyInLibrary: 2, paidImages: 0 });
    expect(again.batch).toMatchObject({ kind: 'audition', state: 'done', finished: 2, total: 2 });
    expect(progress.find((p) => p.batchId === again.batch.id)).toMatchObject({ state: 'done' });

    // Linked to jobs still queued in another batch: done at once too, and given their results.
    await r.engine.stop();
    const first = await createBatch(r, photos, comic);
    const linked = await createBatch(r, photos, comic, { kind: 'audition' });
    expect(linked.quote).toMatchObject({ alreadyQueued: 2, paidImages: 0 });
    expect(linked.batch.state).toBe('done');
    r.engine.start();
    await until(() => r.store.getBatch(first.batch.id)?.state === 'done', 15_000, 'the original');
    await until(
      () => r.engine.listJobs(linked.batch.id).jobs.every((j) => j.entryIds.length === 1),
      15_000,
      'the linked copies to share the results',
    );
    expect(r.store.getBatch(linked.batch.id)?.state).toBe('done');
    expect(mock.tasks()).toHaveLength(4);
  }, 30_000);

  it('an unknown scan, batch or job is not_found', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const r = rig;
    const notFound = expect.objectContaining({ code: 'not_found' });
    const scanId = '3f0c8a52-3d7b-4c0e-9a8e-2b1f6a1d9c11';
    expect(() => r.engine.quote({ scanId, recipes: [anime] })).toThrow(notFound);
    expect(() => r.engine.createBatches({ scanId, recipes: [anime] })).toThrow(notFound);
    expect(() => r.engine.pause({ batchId: 'nope' })).toThrow(notFound);
    expect(() => r.engine.resume({ jobId: 'nope' })).toThrow(notFound);
    await expect(r.engine.cancel({ batchId: 'nope' })).rejects.toThrow(notFound);
    await expect(r.engine.retryFailed({ jobId: 'nope' })).rejects.toThrow(notFound);
    expect(() => r.engine.listJobs('nope')).toThrow(notFound);
  });

  it('sidecars and XMP record what each image was charged: 0 for one the free allowance covered', async () => {
    const costs = createCostLedger({
      store: createFileStore(join(tmp.path, 'settings')),
      pricing: () => ({ ...DEFAULT_PRICING, freeAllowance: 1 }),
    });
    rig = await startEngineRig(tmp.path, { mock, costs });
    const r = rig;
    const photos = await makePhotos(tmp.path, 2);
    const { batch, quote } = await createBatch(r, photos, anime);
    expect(quote).toMatchObject({ freeImages: 1, paidImages: 1, costCny: 0.12 });
    r.engine.start();
    await until(() => r.store.getBatch(batch.id)?.state === 'done', 15_000, 'the batch');
    const root = r.library.root;
    const names = readdirSync(root, { recursive: true, encoding: 'utf8' });
    const sidecars = names
      .filter((n) => n.endsWith('.restyle.json'))
      .map((n) => JSON.parse(readFileSync(join(root, n), 'utf8')) as { costCny: number });
    expect(sidecars.map((s) => s.costCny).sort()).toEqual([0, 0.12]);
    const xmpCosts: string[] = [];
    for (const name of names.filter((n) => /\.(jpe?g|png)$/i.test(n))) {
      const xmp = (await sharp(join(root, name)).metadata()).xmp?.toString('utf8') ?? '';
      xmpCosts.push(/restyle:CostCNY="([^"]*)"/.exec(xmp)?.[1] ?? 'missing');
    }
    expect(xmpCosts.sort()).toEqual(['0', '0.12']);
    expect(
      r.library
        .list()
        .map((e) => e.costCny)
        .sort(),
    ).toEqual([0, 0.12]);
    expect(r.store.getBatch(batch.id)?.spentCny).toBeCloseTo(0.12);
  }, 20_000);
});

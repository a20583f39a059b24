import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCostLedger } from '../../../electron/core/cost/cost-ledger';
import { openDb } from '../../../electron/core/db/sqlite';
import { CREATE_CHUNK } from '../../../electron/core/queue/engine-controls';
import { LOCK_STALE_MS } from '../../../electron/core/queue/engine-lock';
import { openJobStore, type JobStore } from '../../../electron/core/queue/job-store';
import { salvageQueue } from '../../../electron/core/queue/salvage';
import { migrate } from '../../../electron/core/queue/schema';
import { createFileStore } from '../../../electron/core/settings/key-value-store';
import type { BatchProgress } from '../../../shared/contract/jobs';
import { recipeKey, recipeModel } from '../../../shared/recipe';
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
    const quote = await rig.engine.quote({ scanId, recipes: [anime, comic], kind: 'audition' });
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
    const { batches, quote } = await rig.engine.createBatches({
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
    await expect(r.engine.quote({ scanId, recipes: [anime] })).rejects.toThrow(notFound);
    await expect(r.engine.createBatches({ scanId, recipes: [anime] })).rejects.toThrow(notFound);
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

// Creating a batch in chunks (issue 12 item 4): the event loop runs between
// chunks, yet no reader ever sees half a batch, a creation a crash or a kill
// left behind is dropped at the next open and nothing of it is ever sent, a
// copy whose original ended meanwhile is not left waiting, and two requests
// at once are created one after the other (the second follows the first).
const photo = (i: number) => ({
  path: `/album/p${i}.jpg`,
  hash: i.toString(16).padStart(64, '0'),
  folder: '',
});
const count = (store: JobStore, sql: string) => store.db.get<{ n: number }>(sql)?.n ?? 0;
/** Jobs of batches still `creating`. */
const creatingJobs = (store: JobStore) =>
  count(
    store,
    `SELECT COUNT(*) AS n FROM jobs j JOIN batches b ON b.id = j.batch_id WHERE b.state = 'creating'`,
  );
/** The counts the triggers keep against a GROUP BY over the jobs. */
function expectKeptCounts(store: JobStore): void {
  const rows = (sql: string) =>
    store.db.all<{ b: string; s: string; n: number }>(sql).map((r) => `${r.b} ${r.s} ${r.n}`);
  expect(rows('SELECT batch_id AS b, state AS s, n FROM batch_counts ORDER BY b, s')).toEqual(
    rows('SELECT batch_id AS b, state AS s, COUNT(*) AS n FROM jobs GROUP BY b, s ORDER BY b, s'),
  );
}

describe('a batch created in chunks', () => {
  it('is seen by no reader while its jobs are written, then whole', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const r = rig;
    const photos = await makePhotos(tmp.path, CREATE_CHUNK + 20);
    const scanId = await scanFiles(
      r.intake,
      photos.map((p) => p.path),
      anime,
    );
    const model = recipeModel(anime);
    // The quote plans in steps too: the event loop turns while it runs.
    let turns = 0;
    let quoting = true;
    const turn = () => {
      turns += 1;
      if (quoting) setImmediate(turn);
    };
    setImmediate(turn);
    await r.engine.quote({ scanId, recipes: [anime] });
    quoting = false;
    expect(turns).toBeGreaterThan(0);

    const seen = new Set<string>();
    let midway = 0;
    let sampling = true;
    // Every turn of the event loop during the creation, as the engine's loop, the window and the library would read.
    const sample = () => {
      if (!sampling) return;
      if (creatingJobs(r.store) > 0) midway += 1;
      if (r.engine.listBatches().length > 0) seen.add('listBatches');
      if (r.store.hasLiveWork()) seen.add('hasLiveWork');
      if (r.store.nextQueued(model, 10).length > 0) seen.add('nextQueued');
      if (r.store.nextBackoffAt() !== null) seen.add('nextBackoffAt');
      if (r.store.albumJobs().length > 0) seen.add('albumJobs');
      if (r.store.findLiveDuplicate((photos[0] as { hash: string }).hash, recipeKey(anime)))
        seen.add('findLiveDuplicate');
      if (sampling) setImmediate(sample);
    };
    setImmediate(sample);
    const { batches } = await r.engine.createBatches({ scanId, recipes: [anime] });
    sampling = false;

    expect(midway).toBeGreaterThan(0);
    expect([...seen]).toEqual([]);
    const [batch] = batches;
    expect(r.engine.listBatches().map((b) => [b.id, b.state, b.total, b.counts.queued])).toEqual([
      [batch?.id, 'active', photos.length, photos.length],
    ]);
    const jobs = r.engine.listJobs(batch?.id as string, 0, 1000).jobs;
    expect(jobs.map((j) => j.seq)).toEqual(photos.map((_, i) => i));
    // Time-ordered ids (UUID version 7): each chunk appends to the id index.
    expect(jobs.map((j) => j.id)).toEqual(jobs.map((j) => j.id).sort());
    expect(jobs.every((j) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/.test(j.id))).toBe(true);
    expect(r.store.hasLiveWork()).toBe(true);
    expectKeptCounts(r.store);
  }, 60_000);

  it('the engine stops after a creation under way, so the host closes a queue with it whole', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const r = rig;
    const photos = await makePhotos(tmp.path, CREATE_CHUNK * 2 + 5);
    const scanId = await scanFiles(
      r.intake,
      photos.map((p) => p.path),
      anime,
    );
    const creating = r.engine.createBatches({ scanId, recipes: [anime] });
    // As a host quits: the engine stopped, then the queue and the library closed.
    await r.engine.stop();
    r.store.close();
    r.library.close();
    rig = null;
    const { batches } = await creating;
    const store = openJobStore(join(tmp.path, 'queue.sqlite'));
    try {
      expect(store.listBatches().map((b) => [b.id, b.state, b.total])).toEqual([
        [batches[0]?.id, 'active', photos.length],
      ]);
    } finally {
      store.close();
    }
  }, 60_000);

  it('two requests at once: the second follows the jobs of the first, nothing is paid twice', async () => {
    rig = await startEngineRig(tmp.path, { mock });
    const r = rig;
    const photos = await makePhotos(tmp.path, 3);
    const scanId = await scanFiles(
      r.intake,
      photos.map((p) => p.path),
      anime,
    );
    const [first, second] = await Promise.all([
      r.engine.createBatches({ scanId, recipes: [anime] }),
      r.engine.createBatches({ scanId, recipes: [anime] }),
    ]);
    expect(first.quote.paidImages).toBe(3);
    expect(second.quote.paidImages).toBe(0);
    const firstIds = r.engine.listJobs(first.batches[0]?.id as string).jobs.map((j) => j.id);
    expect(
      r.engine.listJobs(second.batches[0]?.id as string).jobs.map((j) => [j.state, j.linkedJobId]),
    ).toEqual(firstIds.map((id) => ['skipped', id]));
    r.engine.start();
    await until(() => r.engine.listBatches().every((b) => b.state === 'done'), 30_000, 'done');
    expect(mock.tasks()).toHaveLength(3);
  }, 60_000);
});

describe('a creation that did not end', () => {
  it('left by a killed process: never listed nor sent, dropped at the next open', async () => {
    const file = join(tmp.path, 'queue.sqlite');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./queue-file-child.ts', import.meta.url)),
        'creating',
        file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [first] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { batchId } = JSON.parse(first) as { batchId: string };
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;

    // Opened at once (within the lock's stale limit): still there, seen by no one, sent never.
    rig = await startEngineRig(tmp.path, { mock });
    const r = rig;
    expect(creatingJobs(r.store)).toBe(200);
    expect(r.engine.listBatches()).toEqual([]);
    expect(r.store.hasLiveWork()).toBe(false);
    expect(r.store.setBatchState(batchId, 'active', null)).toBe(false);
    const photos = await makePhotos(tmp.path, 2);
    const { batch } = await createBatch(r, photos, anime);
    r.engine.start();
    await until(() => r.store.getBatch(batch.id)?.state === 'done', 30_000, 'done');
    expect(mock.tasks()).toHaveLength(2);
    expect(count(r.store, `SELECT COUNT(*) AS n FROM jobs WHERE batch_id = '${batchId}'`)).toBe(
      count(
        r.store,
        `SELECT COUNT(*) AS n FROM jobs WHERE batch_id = '${batchId}' AND state = 'queued'`,
      ),
    );
    await r.close();
    rig = null;

    // Opened once no chunk was written for the stale limit: dropped with its jobs and counts.
    const later = openJobStore(file, () => Date.now() + LOCK_STALE_MS + 1);
    try {
      expect(count(later, `SELECT COUNT(*) AS n FROM batches WHERE id = '${batchId}'`)).toBe(0);
      expect(count(later, `SELECT COUNT(*) AS n FROM jobs WHERE batch_id = '${batchId}'`)).toBe(0);
      expect(later.listBatches().map((b) => b.id)).toEqual([batch.id]);
      expectKeptCounts(later);
    } finally {
      later.close();
    }
  }, 60_000);

  it('dropped meanwhile (its process stopped too long): the creation ends with batch_abandoned', () => {
    const file = join(tmp.path, 'queue.sqlite');
    const store = openJobStore(file);
    try {
      const [id] = store.beginBatches([{ recipe: anime }]);
      store.addJobs(id as string, [photo(1)], 0);
      // Another process opens the queue past the stale limit.
      openJobStore(file, () => Date.now() + LOCK_STALE_MS + 1).close();
      expect(() => store.addJobs(id as string, [photo(2)], 1)).toThrow(
        expect.objectContaining({ code: 'batch_abandoned' }),
      );
      expect(() => store.finishBatches([id as string])).toThrow(
        expect.objectContaining({ code: 'batch_abandoned' }),
      );
      expect(count(store, 'SELECT COUNT(*) AS n FROM jobs')).toBe(0);
    } finally {
      store.close();
    }
  });

  it('salvaged from a damaged queue: still being created, not a batch of half the jobs', () => {
    const store = openJobStore(join(tmp.path, 'queue.sqlite'));
    const [id] = store.beginBatches([{ recipe: anime }]);
    store.addJobs(id as string, [photo(1), photo(2)], 0);
    const fresh = openDb(join(tmp.path, 'fresh.sqlite'));
    migrate(fresh);
    salvageQueue(store.db, fresh, Date.now());
    store.close();
    fresh.close();
    const salvaged = openJobStore(join(tmp.path, 'fresh.sqlite'));
    try {
      expect(salvaged.listBatches()).toEqual([]);
      expect(creatingJobs(salvaged)).toBe(2);
    } finally {
      salvaged.close();
    }
  });
});

describe('a copy written while its original ends', () => {
  it('takes the results of a done original, and is queued on its own after any other end', () => {
    const store = openJobStore(join(tmp.path, 'queue.sqlite'));
    try {
      const queued = store.createBatch({ recipe: anime, jobs: [photo(1), photo(2), photo(3)] });
      const [done, failed, live] = store.listJobs(queued.id).jobs;
      for (const to of ['preparing', 'ready', 'submitting', 'submitted', 'downloading'] as const)
        store.transition(done?.id as string, to);
      store.transition(done?.id as string, 'done', { entryIds: ['entry-1'] });
      store.transition(failed?.id as string, 'failed');

      const [id] = store.beginBatches([{ recipe: anime }]);
      const copy = (original: typeof done, i: number) => ({
        ...photo(i),
        state: 'skipped' as const,
        linkedJobId: original?.id as string,
      });
      store.addJobs(id as string, [copy(done, 1), copy(failed, 2), copy(live, 3)], 0);
      store.finishBatches([id as string]);
      expect(
        store.listJobs(id as string).jobs.map((j) => [j.state, j.linkedJobId, j.entryIds]),
      ).toEqual([
        ['skipped', done?.id, ['entry-1']],
        ['queued', null, []],
        ['skipped', live?.id, []],
      ]);
      expectKeptCounts(store);
    } finally {
      store.close();
    }
  });
});

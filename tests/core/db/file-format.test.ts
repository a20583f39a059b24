import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndexDb } from '../../../electron/core/library/index-db';
import { openJobStore } from '../../../electron/core/queue/job-store';
import { SCHEMA_VERSION } from '../../../electron/core/queue/schema';
import { useTempDir } from '../../support/temp-dir';

const FIXTURES = join(import.meta.dirname, '../../fixtures/sqlite');
/** What the better-sqlite3 version read from the same files (tests/fixtures/sqlite/README.md). */
const before = JSON.parse(readFileSync(join(FIXTURES, 'read-by-better-sqlite3.json'), 'utf8'));

describe('databases written before the move to node:sqlite', () => {
  let tmp: ReturnType<typeof useTempDir>;
  beforeEach(() => {
    tmp = useTempDir('restyle-format-');
    copyFileSync(join(FIXTURES, 'queue-v1.sqlite'), join(tmp.path, 'queue.sqlite'));
    copyFileSync(join(FIXTURES, 'library-index-v1.sqlite'), join(tmp.path, 'library.sqlite'));
  });
  afterEach(() => tmp.cleanup());

  it('opened and migrated: the queue reads as before (albums, no scan or photo id), then takes new writes', () => {
    const store = openJobStore(join(tmp.path, 'queue.sqlite'), () => 1_800_000_000_000);
    expect(store.db.pragma('user_version')).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode')).toBe('wal');
    const batches = store.listBatches();
    const old = before.queue as { batches: object[]; jobs: object[][] };
    expect({
      batches,
      jobs: batches.map((b) => store.listJobs(b.id).jobs),
      engine: store.engineStatus(),
      meta: store.getMeta('free-allowance'),
      claimed: [...store.claimedTaskIds()].sort(),
      spent: store.totalSpent(),
    }).toEqual({
      ...old,
      // Rows older than batches made from a scan by id, and than the crop kept with a job.
      batches: old.batches.map((batch) => ({ ...batch, kind: 'album', scanId: null })),
      jobs: old.jobs.map((jobs) => jobs.map((job) => ({ ...job, photoId: null, crop: null }))),
    });

    const queued = store.listJobs(before.queue.batches[0].id, 0, 10, ['queued']).jobs[0];
    expect(store.transition(queued?.id ?? '', 'preparing')?.state).toBe('preparing');
    const added = store.createBatch({
      recipe: { kind: 'preset', styleIndex: 0 },
      jobs: [{ path: '/p/e.jpg', hash: 'e'.repeat(64), folder: '' }],
    });
    store.close();

    const again = openJobStore(join(tmp.path, 'queue.sqlite'));
    expect(again.listBatches().map((b) => [b.id, b.position])).toEqual([
      [before.queue.batches[0].id, 1],
      [added.id, 2],
    ]);
    expect(again.getJob(queued?.id ?? '')?.state).toBe('preparing');
    again.close();
  });

  it('the library index of an older version opens empty, to be rebuilt from the sidecars', () => {
    const file = join(tmp.path, 'library.sqlite');
    const index = openIndexDb(file, (error) => {
      throw error;
    });
    // Not damaged: of another version (v1 had fewer columns), so fresh, and the library rebuilds it.
    expect(index.fresh).toBe(true);
    expect(index.list({})).toEqual([]);
    index.close();
    const again = openIndexDb(file, (error) => {
      throw error;
    });
    expect(again.fresh).toBe(false);
    again.close();
  });
});

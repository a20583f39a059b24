// The counts per batch and state and the total spend the queue keeps (triggers
// of schema version 4) against what the jobs and tasks say, on real SQLite
// files: through every way a job's state changes, after a migration from a
// version 3 queue, and after the salvage of a damaged one.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../electron/core/db/sqlite';
import { openJobStore, type JobStore } from '../../../electron/core/queue/job-store';
import { salvageQueue } from '../../../electron/core/queue/salvage';
import { migrate, SCHEMA_VERSION } from '../../../electron/core/queue/schema';
import { JOB_STATES } from '../../../electron/core/queue/states';
import { useTempDir } from '../../support/temp-dir';

const preset = { kind: 'preset', styleIndex: 2 } as const;
const photo = (i: number) => ({
  path: `/album/p${i}.jpg`,
  hash: i.toString(16).padStart(64, '0'),
  folder: '',
});

/** Every batch's counts as the triggers keep them, and as a GROUP BY over the jobs finds them. */
function keptAndCounted(db: Db): { kept: string[]; counted: string[] } {
  const rows = (sql: string) =>
    db.all<{ b: string; s: string; n: number }>(sql).map((r) => `${r.b} ${r.s} ${r.n}`);
  return {
    kept: rows('SELECT batch_id AS b, state AS s, n FROM batch_counts ORDER BY b, s'),
    counted: rows(
      'SELECT batch_id AS b, state AS s, COUNT(*) AS n FROM jobs GROUP BY b, s ORDER BY b, s',
    ),
  };
}

function expectKept(store: JobStore): void {
  const { kept, counted } = keptAndCounted(store.db);
  expect(kept).toEqual(counted);
  for (const batch of store.listBatches()) {
    const byState = store.db.all<{ state: string; n: number }>(
      'SELECT state, COUNT(*) AS n FROM jobs WHERE batch_id = ? GROUP BY state',
      batch.id,
    );
    const expected = Object.fromEntries(JOB_STATES.map((s) => [s, 0]));
    for (const row of byState) expected[row.state] = row.n;
    expect(batch.counts).toEqual(expected);
    expect(batch.total).toBe(byState.reduce((sum, row) => sum + row.n, 0));
  }
  const units = store.db.get<{ u: number }>(
    'SELECT TOTAL(ROUND(cost_cny * 10000)) AS u FROM tasks',
  )?.u;
  expect(store.totalSpent()).toBe((units ?? 0) / 10_000);
}

describe('counts per batch kept by the queue', () => {
  let tmp: ReturnType<typeof useTempDir>;
  beforeEach(() => (tmp = useTempDir('restyle-kept-')));
  afterEach(() => tmp.cleanup());

  it('match a GROUP BY over the jobs through every way a job moves', () => {
    const store = openJobStore(join(tmp.path, 'queue.sqlite'));
    try {
      const a = store.createBatch({
        recipe: preset,
        jobs: [0, 1, 2, 3, 4, 5].map(photo),
      });
      const first = store.listJobs(a.id).jobs[0];
      const b = store.createBatch({
        recipe: { kind: 'preset', styleIndex: 3 },
        state: 'paused',
        pauseReason: 'user',
        jobs: [
          { ...photo(10), state: 'skipped', linkedJobId: first?.id ?? '' },
          {
            ...photo(11),
            state: 'failed',
            error: { code: 'api_server_error', message: 'x', retryable: false },
          },
          photo(12),
        ],
      });
      expectKept(store);
      expect(store.getBatch(a.id)?.counts.queued).toBe(6);

      // One by one, through the engine's steps, with a task recorded and paid.
      const [j0, j1, j2, j3] = store.listJobs(a.id).jobs;
      store.transition(j0?.id ?? '', 'preparing');
      store.transition(j0?.id ?? '', 'ready');
      store.transition(j0?.id ?? '', 'submitting', { intentAt: 1 });
      const sent = store.recordSubmitted(store.getJob(j0?.id ?? '')!, 'task-0', null, 2);
      expectKept(store);
      store.recordSucceeded(sent!, ['http://x/0.png'], 1, { costCny: 0.2, perImageCny: [0.2] }, 5);
      store.transition(j0?.id ?? '', 'done', { entryIds: ['e0'] });
      // A move to the same state (an unanswered submit stays `submitting`) and a refused one.
      store.transition(j1?.id ?? '', 'preparing');
      store.transition(j1?.id ?? '', 'ready');
      store.transition(j1?.id ?? '', 'submitting', { intentAt: 3 });
      store.transition(j1?.id ?? '', 'submitting', { intentAt: 4 }, ['submitting']);
      expect(store.transition(j2?.id ?? '', 'done')).toBeNull();
      store.transition(j3?.id ?? '', 'paused');
      // A patch with no state change.
      store.setEntryIds(j3?.id ?? '', ['e']);
      expectKept(store);
      expect(store.totalSpent()).toBe(0.2);

      // In bulk, as the controls do, and a batch's jobs in other batches untouched.
      store.moveBatchJobs(a.id, 'canceled', { finishedAt: 9 }, ['queued', 'paused'], {
        limit: 2,
      });
      expectKept(store);
      store.moveBatchJobs(b.id, 'queued', { error: null }, ['failed', 'skipped'], { limit: 100 });
      expectKept(store);

      // Rows written by plain SQL (a task's cost set again, a job and a task deleted).
      store.db.run("UPDATE tasks SET cost_cny = 0.14 WHERE task_id = 'task-0'");
      store.db.run('DELETE FROM jobs WHERE id = ?', j2?.id ?? '');
      expectKept(store);
      store.db.run("DELETE FROM tasks WHERE task_id = 'task-0'");
      expectKept(store);
      expect(store.totalSpent()).toBe(0);
      // A state whose last job left keeps no row.
      expect(
        store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM batch_counts WHERE n <= 0')?.n,
      ).toBe(0);
    } finally {
      store.close();
    }
  });

  it('are made when a version 3 queue is opened, with the spend of its tasks', () => {
    const file = join(tmp.path, 'queue.sqlite');
    const db = openDb(file);
    migrate(db, 3);
    expect(db.pragma('user_version')).toBe(3);
    const recipe = JSON.stringify(preset);
    db.run(
      `INSERT INTO batches (id, position, created_at, recipe, recipe_key, model, state, spent_cny)
       VALUES ('b1', 1, 1, ?, 'preset:2', 'wanx-style-repaint-v1', 'active', 0.4),
              ('b2', 2, 2, ?, 'preset:2', 'wanx-style-repaint-v1', 'done', 0)`,
      recipe,
      recipe,
    );
    const states = ['queued', 'queued', 'done', 'done', 'failed', 'submitted', 'skipped'];
    states.forEach((state, i) =>
      db.run(
        `INSERT INTO jobs (id, batch_id, seq, source_path, source_hash, album_folder, recipe_key,
         model, state, updated_at) VALUES (?, ?, ?, ?, ?, '', 'preset:2', 'wanx-style-repaint-v1', ?, 1)`,
        `j${i}`,
        i < 5 ? 'b1' : 'b2',
        i,
        `/p${i}.jpg`,
        String(i).padStart(64, '0'),
        state,
      ),
    );
    db.run(
      `INSERT INTO tasks (task_id, job_id, batch_id, model, submitted_at, status, cost_cny)
       VALUES ('t2', 'j2', 'b1', 'wanx-style-repaint-v1', 1, 'SUCCEEDED', 0.2),
              ('t3', 'j3', 'b1', 'wanx-style-repaint-v1', 1, 'SUCCEEDED', 0.2),
              ('t5', 'j5', 'b2', 'wanx-style-repaint-v1', 1, 'PENDING', 0)`,
    );
    db.close();

    const store = openJobStore(file);
    try {
      expect(store.db.pragma('user_version')).toBe(SCHEMA_VERSION);
      expectKept(store);
      expect(store.getBatch('b1')?.counts).toMatchObject({ queued: 2, done: 2, failed: 1 });
      expect(store.getBatch('b2')).toMatchObject({ total: 2, finished: 1 });
      expect(store.totalSpent()).toBe(0.4);
      expect(store.hasLiveWork()).toBe(true);
      store.transition('j0', 'preparing');
      expectKept(store);
    } finally {
      store.close();
    }
  });

  it('are made again by the salvage of a damaged queue (lost batch and lost original)', () => {
    const damaged = openJobStore(join(tmp.path, 'old.sqlite'));
    const a = damaged.createBatch({ recipe: preset, jobs: [0, 1, 2].map(photo) });
    const [original] = damaged.listJobs(a.id).jobs;
    const b = damaged.createBatch({
      recipe: preset,
      jobs: [{ ...photo(0), state: 'skipped', linkedJobId: original?.id ?? '' }, photo(4)],
    });
    damaged.db.run(
      `INSERT INTO tasks (task_id, job_id, batch_id, model, submitted_at, status, cost_cny)
       VALUES ('t', ?, ?, 'wanx-style-repaint-v1', 1, 'SUCCEEDED', 0.2)`,
      original?.id ?? '',
      a.id,
    );
    // What the damage took: batch a's row, and the original job (its copy takes its task).
    damaged.db.exec('PRAGMA foreign_keys = OFF');
    damaged.db.run('DELETE FROM batches WHERE id = ?', a.id);
    damaged.db.run('DELETE FROM jobs WHERE id = ?', original?.id ?? '');
    // The kept counts of the damaged file are not to be trusted: made wrong here.
    damaged.db.run('UPDATE batch_counts SET n = n + 7');

    const fresh = openDb(join(tmp.path, 'fresh.sqlite'));
    migrate(fresh);
    salvageQueue(damaged.db, fresh, 5);
    damaged.close();
    fresh.close();
    const store = openJobStore(join(tmp.path, 'fresh.sqlite'));
    try {
      expectKept(store);
      expect(store.getBatch(a.id)).toMatchObject({ state: 'paused', total: 2 });
      expect(store.getBatch(b.id)?.counts).toMatchObject({ submitted: 1, queued: 1 });
      expect(store.totalSpent()).toBe(0.2);
    } finally {
      store.close();
    }
  });
});

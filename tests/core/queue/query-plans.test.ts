// The queries the engine makes on every pass (and the controls' bulk moves)
// read through indexes: SQLite's own plan for each, on a real queue file, has
// no scan of the jobs or tasks tables, so their cost does not grow with the
// queue. The SQL is taken from the store as it runs (its connection is
// watched, not replaced), so a query rewritten later is checked as it is.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db, SqlParams } from '../../../electron/core/db/sqlite';
import { openJobStore, type JobStore } from '../../../electron/core/queue/job-store';
import { TASK_STATES } from '../../../electron/core/queue/states';
import { useTempDir } from '../../support/temp-dir';

const model = 'wanx-style-repaint-v1';

interface Statement {
  sql: string;
  params: SqlParams;
}

/** Records every statement `db` runs while `fn` runs (the calls still go to SQLite). */
function statementsOf(db: Db, fn: () => unknown): Statement[] {
  const seen: Statement[] = [];
  const methods = ['get', 'all', 'run'] as const;
  const originals = methods.map((name) => db[name]);
  for (const name of methods) {
    const original = db[name].bind(db) as (sql: string, ...params: SqlParams) => unknown;
    // Assigned on the object itself, so the store's own calls are seen; restored below.
    (db as unknown as Record<string, unknown>)[name] = (sql: string, ...params: SqlParams) => {
      seen.push({ sql, params });
      return original(sql, ...params);
    };
  }
  try {
    fn();
  } finally {
    methods.forEach((name, i) => {
      (db as unknown as Record<string, unknown>)[name] = originals[i];
    });
  }
  return seen;
}

/** Lines of SQLite's plan that read a whole table (or a whole index of it) of jobs or tasks. */
function scans(db: Db, statements: readonly Statement[]): string[] {
  return statements.flatMap(({ sql, params }) =>
    db
      .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params)
      .map((row) => row.detail)
      .filter((detail) => /^SCAN (j|jobs|c|t|tasks)\b/.test(detail))
      .map((detail) => `${detail} in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`),
  );
}

/** What the engine asks on a pass, a progress event and a control, as it asks it. */
function enginePass(store: JobStore, batchId: string, jobId: string): void {
  store.jobsIn([...TASK_STATES]);
  store.jobsIn(['submitted', 'running']);
  store.jobsIn(['downloading']);
  store.jobsIn(['submitting'], model);
  store.jobsIn(['submitted', 'running'], model);
  store.jobsIn(['preparing'], model);
  store.jobsIn(['ready'], model);
  store.nextQueued(model, 2);
  store.nextBackoffAt();
  store.hasLiveWork();
  store.getBatch(batchId);
  store.listBatches();
  store.recentTaskMs(model);
  store.totalSpent();
  store.linkedTo(jobId);
  store.recentIntents(model, 0);
  store.findLiveDuplicate('f'.repeat(64), 'preset:1');
  store.listJobs(batchId, 0, 1000, ['needs_attention']);
  store.listJobs(batchId, 0, 1000, ['failed', 'expired']);
  store.moveBatchJobs(batchId, 'canceled', { finishedAt: 1 }, ['queued', 'paused'], {
    limit: 2,
    unlinked: true,
  });
}

describe('the engine’s queries on a real queue file', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let store: JobStore;
  let batchId: string;
  let jobId: string;
  beforeEach(() => {
    tmp = useTempDir('restyle-plans-');
    store = openJobStore(join(tmp.path, 'queue.sqlite'));
    const batch = store.createBatch({
      recipe: { kind: 'preset', styleIndex: 1 },
      jobs: Array.from({ length: 50 }, (_, i) => ({
        path: `/p/${i}.jpg`,
        hash: i.toString(16).padStart(64, '0'),
        folder: '',
      })),
    });
    batchId = batch.id;
    jobId = store.listJobs(batchId, 0, 1).jobs[0]?.id ?? '';
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  /** The indexes SQLite's plans name for the statements `fn` runs. */
  const indexesOf = (fn: () => unknown): string[] =>
    statementsOf(store.db, fn).flatMap(({ sql, params }) =>
      store.db
        .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params)
        .flatMap((row) => /USING (?:COVERING )?INDEX (\w+)/.exec(row.detail)?.[1] ?? []),
    );

  /** Queries whose cost rests on one index (else they would walk every job of a state). */
  const needs = (): Array<[string, () => unknown, string[]]> => [
    ['nextQueued', () => store.nextQueued(model, 2), ['batch_counts_by_state', 'jobs_by_state']],
    ['nextBackoffAt', () => store.nextBackoffAt(), ['jobs_by_backoff']],
    ['hasLiveWork', () => store.hasLiveWork(), ['batch_counts_by_state']],
    ['linkedTo', () => store.linkedTo(jobId), ['jobs_by_link']],
    ['recentIntents', () => store.recentIntents(model, 0), ['jobs_by_intent']],
    ['recentTaskMs', () => store.recentTaskMs(model), ['tasks_by_end']],
    [
      'findLiveDuplicate',
      () => store.findLiveDuplicate('f'.repeat(64), 'preset:1'),
      ['jobs_by_source'],
    ],
    ['listJobs', () => store.listJobs(batchId, 0, 10, ['needs_attention']), ['jobs_by_state']],
    [
      'moveBatchJobs',
      () => store.moveBatchJobs(batchId, 'canceled', {}, ['queued'], { limit: 1, unlinked: true }),
      ['jobs_by_state', 'jobs_by_link'],
    ],
  ];

  it('read jobs and tasks only through indexes (no SCAN of either)', () => {
    const statements = statementsOf(store.db, () => enginePass(store, batchId, jobId));
    expect(statements.length).toBeGreaterThan(15);
    expect(scans(store.db, statements)).toEqual([]);
  });

  it('each use the index their cost rests on', () => {
    for (const [name, fn, indexes] of needs())
      expect({ name, used: indexesOf(fn) }).toEqual({
        name,
        used: expect.arrayContaining(indexes),
      });
  });

  it('fail these checks when an index they need is gone', () => {
    store.db.exec('DROP INDEX tasks_by_end');
    const tasks = statementsOf(store.db, () => store.recentTaskMs(model));
    expect(scans(store.db, tasks)).toEqual([expect.stringMatching(/^SCAN tasks\b/)]);
    store.db.exec('DROP INDEX jobs_by_link');
    expect(indexesOf(() => store.linkedTo(jobId))).not.toContain('jobs_by_link');
  });
});

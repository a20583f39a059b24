import { UNITS_PER_CNY } from '../cost/money';
import type { Db } from '../db/sqlite';

/**
 * What the queue keeps so that reading it costs nothing with its size: the
 * jobs of each batch per state (`batch_counts`, a row while the count is not 0)
 * and what every task cost (`queue_totals.spent_units`, in units of 0.0001 CNY),
 * both kept by the triggers of migration 4. Made again from the jobs and tasks
 * by this (migration 4 itself, and the salvage of a damaged queue).
 */
const REBUILD_KEPT_SQL = `
  DELETE FROM batch_counts;
  INSERT INTO batch_counts (batch_id, state, n)
    SELECT batch_id, state, COUNT(*) FROM jobs GROUP BY batch_id, state;
  INSERT OR IGNORE INTO queue_totals (id, spent_units) VALUES (1, 0);
  UPDATE queue_totals SET spent_units =
    (SELECT TOTAL(ROUND(cost_cny * ${UNITS_PER_CNY})) FROM tasks) WHERE id = 1;
`;

/** Makes the kept counts and spend again from the jobs and tasks (in the caller's transaction). */
export function rebuildKept(db: Db): void {
  db.exec(REBUILD_KEPT_SQL);
}

/** Migrations by `user_version`: index i brings the database from version i to i + 1. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    recipe TEXT NOT NULL,
    recipe_key TEXT NOT NULL,
    model TEXT NOT NULL,
    state TEXT NOT NULL,
    pause_reason TEXT,
    budget_cny REAL,
    spent_cny REAL NOT NULL DEFAULT 0,
    force INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES batches(id),
    seq INTEGER NOT NULL,
    source_path TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    album_folder TEXT NOT NULL,
    recipe_key TEXT NOT NULL,
    model TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL DEFAULT 0,
    intent_at INTEGER,
    task_id TEXT,
    request_id TEXT,
    submitted_at INTEGER,
    finished_at INTEGER,
    result_urls TEXT,
    image_count INTEGER,
    adjustments TEXT NOT NULL DEFAULT '[]',
    linked_job_id TEXT,
    entry_ids TEXT,
    error_code TEXT,
    error_message TEXT,
    retryable INTEGER,
    candidates TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX jobs_by_state ON jobs(state, batch_id, seq);
  CREATE INDEX jobs_by_batch ON jobs(batch_id, seq);
  CREATE INDEX jobs_by_source ON jobs(source_hash, recipe_key);
  CREATE TABLE tasks (
    task_id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    model TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    images INTEGER,
    cost_cny REAL NOT NULL DEFAULT 0,
    ended_at INTEGER
  );
  CREATE TABLE engine (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    state TEXT NOT NULL DEFAULT 'idle',
    reason TEXT,
    lock_pid INTEGER,
    lock_token TEXT,
    heartbeat_at INTEGER
  );
  INSERT INTO engine (id) VALUES (1);
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // Batches made from an intake scan by id: their kind (an album run or an audition) and
  // scan; each job's photo (PhotoRecord.id); what each image of a task was charged (0 for
  // one the free allowance covered). Older rows: an album, nulls.
  `
  ALTER TABLE batches ADD COLUMN kind TEXT NOT NULL DEFAULT 'album';
  ALTER TABLE batches ADD COLUMN scan_id TEXT;
  ALTER TABLE jobs ADD COLUMN photo_id TEXT;
  ALTER TABLE tasks ADD COLUMN image_costs TEXT;
  `,
  // The part of the upright photo sent (JSON CropBox) when preparation cut it to the model's
  // aspect limit, for the result's sidecar (\`source.crop\`). Older rows and uncut photos: NULL.
  `
  ALTER TABLE jobs ADD COLUMN crop TEXT;
  `,
  // Cost that does not grow with the queue (docs/job-engine.md): counts per batch and state
  // and the total spend kept by triggers, and indexes for each query the engine's loop makes.
  `
  CREATE TABLE batch_counts (
    batch_id TEXT NOT NULL,
    state TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (batch_id, state)
  ) WITHOUT ROWID;
  CREATE INDEX batch_counts_by_state ON batch_counts(state, batch_id);
  CREATE TABLE queue_totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    spent_units INTEGER NOT NULL DEFAULT 0
  );
  CREATE TRIGGER jobs_counted_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO batch_counts (batch_id, state, n) VALUES (NEW.batch_id, NEW.state, 1)
      ON CONFLICT (batch_id, state) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER jobs_counted_delete AFTER DELETE ON jobs BEGIN
    UPDATE batch_counts SET n = n - 1 WHERE batch_id = OLD.batch_id AND state = OLD.state;
    DELETE FROM batch_counts WHERE batch_id = OLD.batch_id AND state = OLD.state AND n <= 0;
  END;
  CREATE TRIGGER jobs_counted_update AFTER UPDATE OF state, batch_id ON jobs
  WHEN OLD.state IS NOT NEW.state OR OLD.batch_id IS NOT NEW.batch_id BEGIN
    UPDATE batch_counts SET n = n - 1 WHERE batch_id = OLD.batch_id AND state = OLD.state;
    DELETE FROM batch_counts WHERE batch_id = OLD.batch_id AND state = OLD.state AND n <= 0;
    INSERT INTO batch_counts (batch_id, state, n) VALUES (NEW.batch_id, NEW.state, 1)
      ON CONFLICT (batch_id, state) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER tasks_spent_insert AFTER INSERT ON tasks WHEN NEW.cost_cny != 0 BEGIN
    UPDATE queue_totals SET spent_units = spent_units + ROUND(NEW.cost_cny * ${UNITS_PER_CNY})
      WHERE id = 1;
  END;
  CREATE TRIGGER tasks_spent_update AFTER UPDATE OF cost_cny ON tasks
  WHEN OLD.cost_cny IS NOT NEW.cost_cny BEGIN
    UPDATE queue_totals SET spent_units = spent_units
      - ROUND(OLD.cost_cny * ${UNITS_PER_CNY}) + ROUND(NEW.cost_cny * ${UNITS_PER_CNY}) WHERE id = 1;
  END;
  CREATE TRIGGER tasks_spent_delete AFTER DELETE ON tasks WHEN OLD.cost_cny != 0 BEGIN
    UPDATE queue_totals SET spent_units = spent_units - ROUND(OLD.cost_cny * ${UNITS_PER_CNY})
      WHERE id = 1;
  END;
  CREATE INDEX jobs_by_backoff ON jobs(state, not_before);
  CREATE INDEX jobs_by_link ON jobs(linked_job_id) WHERE linked_job_id IS NOT NULL;
  CREATE INDEX tasks_by_end ON tasks(model, status, ended_at);
  ${REBUILD_KEPT_SQL}
  `,
  // The submits of the last second, read when an engine starts (its rate window counts what a
  // process before it sent), without reading every job.
  `
  CREATE INDEX jobs_by_intent ON jobs(model, intent_at) WHERE intent_at IS NOT NULL;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings a database up to SCHEMA_VERSION (or `target`: a queue of an earlier
 * version, for tests), one transaction per step; refuses a newer one.
 */
export function migrate(db: Db, target = SCHEMA_VERSION): void {
  const current = Number(db.pragma('user_version'));
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `queue database is version ${current}, newer than this Restyle (${SCHEMA_VERSION})`,
    );
  }
  for (let version = current; version < target; version += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

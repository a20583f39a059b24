import type { Db } from '../db/sqlite';

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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings a database up to SCHEMA_VERSION, one transaction per step; refuses a newer one. */
export function migrate(db: Db): void {
  const current = Number(db.pragma('user_version'));
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `queue database is version ${current}, newer than this Restyle (${SCHEMA_VERSION})`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}

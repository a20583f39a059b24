/**
 * Salvage of a damaged queue file into a fresh one: what SQLite can still
 * read, row by row, checked against the schema, then made consistent again
 * (claims for every task id, a batch for jobs whose batch was lost, a link
 * to a job that was lost undone). node:sqlite has no `.recover`; `VACUUM INTO`
 * stops at the first unreadable page (and copied cells it could not order
 * into a file that failed its own check), so every table is read by rowid
 * ranges instead, halving a range that fails until single unreadable rows
 * are left behind.
 */
import { BATCH_KINDS } from '../../../shared/contract/jobs';
import { MODEL_IDS, type ModelId } from '../../../shared/models';
import { recipeKey, recipeSchema, type Recipe } from '../../../shared/recipe';
import type { Db, SqlValue } from '../db/sqlite';
import { rebuildKept } from './schema';
import { ENGINE_STATES, JOB_STATES, STORED_BATCH_STATES, TASK_STATES } from './states';

type Row = Record<string, unknown>;

export interface SalvageCounts {
  /** Batches in the fresh file (those read, and those made again for jobs whose batch was lost). */
  batches: number;
  jobs: number;
  /** Jobs with a task (or a submit) in flight at DashScope: polled or reconciled before anything is sent. */
  inFlight: number;
  /** Rows that could not be read, or were read damaged, in every table. */
  lostRows: number;
  /** Task ids of lost jobs (still in the damaged file, for the log). */
  lostTaskIds: string[];
}

/** Rows a range read may return at most before it is split: keeps each read small. */
const CHUNK = 512;
/** Upper bound of rows per page when the table's last rowid cannot be read. */
const ROWS_PER_PAGE = 100;

/** The tables the queue keeps, in the order they are copied (parents first). */
const TABLES = ['batches', 'jobs', 'tasks', 'meta', 'engine'] as const;

interface Column {
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function columnsOf(db: Db, table: string): Column[] {
  return db
    .all<{ name: string; type: string; notnull: number; dflt_value: unknown }>(
      `PRAGMA table_info(${quote(table)})`,
    )
    .map((c) => ({
      name: c.name,
      type: c.type.toUpperCase(),
      notNull: c.notnull === 1,
      hasDefault: c.dflt_value !== null,
    }));
}

/** The highest rowid of a table: from the table, else from any of its indexes (a separate tree). */
function lastRowid(db: Db, table: string): number | null {
  const attempts = [`SELECT MAX(rowid) AS m FROM ${quote(table)}`];
  try {
    const indexes = db.all<{ name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?",
      table,
    );
    for (const { name } of indexes)
      attempts.push(
        `SELECT MAX(rowid) AS m FROM (SELECT rowid FROM ${quote(table)} INDEXED BY ${quote(name)})`,
      );
  } catch {
    // The schema itself is unreadable: only the table's own tree may answer.
  }
  for (const sql of attempts) {
    try {
      const m = db.get<{ m: number | null }>(sql)?.m;
      return m === null || m === undefined ? 0 : Number(m);
    } catch {
      // Damaged on this path: try the next.
    }
  }
  return null;
}

/** Every row of a table that can still be read, and how many rowids could not. */
function readTable(
  db: Db,
  table: string,
  columns: readonly string[],
): { rows: Row[]; lost: number } {
  const rows: Row[] = [];
  let lost = 0;
  let hi = lastRowid(db, table);
  if (hi === null) {
    try {
      hi = Number(db.pragma('page_count')) * ROWS_PER_PAGE;
    } catch {
      return { rows, lost: 1 };
    }
  }
  const select = `SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)} WHERE rowid BETWEEN ? AND ?`;
  const stack: Array<[number, number]> = [];
  for (let lo = hi; lo >= 1; lo -= CHUNK) stack.push([Math.max(1, lo - CHUNK + 1), lo]);
  while (stack.length > 0) {
    const [lo, top] = stack.pop() as [number, number];
    try {
      rows.push(...db.all<Row>(select, lo, top));
    } catch {
      if (lo === top) {
        lost += 1;
        continue;
      }
      const mid = Math.floor((lo + top) / 2);
      stack.push([mid + 1, top], [lo, mid]);
    }
  }
  return { rows, lost };
}

const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
const isArrayJson = (v: unknown) => {
  if (typeof v !== 'string') return false;
  try {
    return Array.isArray(JSON.parse(v));
  } catch {
    return false;
  }
};
const oneOf = (values: readonly string[]) => (v: unknown) =>
  typeof v === 'string' && values.includes(v);

/** What a value must be beyond its declared type (states, models, JSON). */
const CHECKS: Record<string, Record<string, (v: unknown) => boolean>> = {
  batches: {
    state: oneOf(STORED_BATCH_STATES),
    kind: oneOf(BATCH_KINDS),
    model: oneOf(MODEL_IDS),
    recipe: (v) => typeof v === 'string' && recipeOfJson(v) !== null,
  },
  jobs: {
    state: oneOf(JOB_STATES),
    model: oneOf(MODEL_IDS),
    result_urls: (v) => v === null || isArrayJson(v),
    adjustments: isArrayJson,
    entry_ids: (v) => v === null || isArrayJson(v),
    candidates: (v) => v === null || isArrayJson(v),
  },
  tasks: { model: oneOf(MODEL_IDS), image_costs: (v) => v === null || isArrayJson(v) },
  engine: { state: oneOf(ENGINE_STATES) },
};

function recipeOfJson(text: string): Recipe | null {
  try {
    const parsed = recipeSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A value of the declared type (NULL only where the schema allows it). */
function fits(column: Column, value: unknown): boolean {
  if (value === null || value === undefined) return !column.notNull || column.hasDefault;
  if (column.type.includes('INT')) return isInt(value);
  if (column.type.includes('REAL')) return typeof value === 'number' && Number.isFinite(value);
  if (column.type.includes('TEXT')) return typeof value === 'string';
  return true;
}

/**
 * A recipe from its key, for jobs whose batch was lost. The key of a
 * reference recipe has no path: such a batch can still collect and save its
 * tasks; a photo of it not yet sent fails, as its reference is unknown.
 */
function recipeFromKey(key: string): Recipe | null {
  const [kind, ...rest] = key.split(':');
  let raw: unknown = null;
  if (kind === 'preset') raw = { kind, styleIndex: Number(rest[0]) };
  if (kind === 'reference')
    raw = { kind, refHash: rest[0], refPath: '(lost with the damaged queue file)' };
  if (kind === 'prompt' && rest.length >= 4) {
    const [fn, variants, seed, ...prompt] = rest;
    raw = {
      kind,
      function: fn,
      variants: Number(variants),
      ...(seed ? { seed: Number(seed) } : {}),
      prompt: prompt.join(':'),
    };
  }
  const parsed = recipeSchema.safeParse(raw);
  return parsed.success && recipeKey(parsed.data) === key ? parsed.data : null;
}

/**
 * Copies what `from` (the damaged file, or null when nothing in it can be
 * read) still holds into `to` (a fresh, migrated queue), in one transaction.
 */
export function salvageQueue(from: Db | null, to: Db, now: number): SalvageCounts {
  let lostRows = 0;
  const read: Record<string, Row[]> = {};
  for (const table of TABLES) {
    const target = columnsOf(to, table);
    read[table] = [];
    if (!from) continue;
    let present: Set<string>;
    try {
      present = new Set(columnsOf(from, table).map((c) => c.name));
    } catch {
      lostRows += 1;
      continue;
    }
    const columns = target.filter((c) => present.has(c.name));
    if (columns.length === 0) continue;
    const { rows, lost } = readTable(
      from,
      table,
      columns.map((c) => c.name),
    );
    lostRows += lost;
    const checks = CHECKS[table] ?? {};
    for (const row of rows) {
      const ok =
        columns.every((c) => fits(c, row[c.name])) &&
        Object.entries(checks).every(([name, check]) => !(name in row) || check(row[name]));
      if (ok) read[table]?.push(row);
      else lostRows += 1;
    }
  }

  // Jobs may come before the batch made again for them: the keys are checked once, at the end.
  to.exec('PRAGMA foreign_keys = OFF');
  to.transaction(() => {
    const insert = (table: string, row: Row) => {
      const names = Object.keys(row).filter(
        (name) => row[name] !== null && row[name] !== undefined,
      );
      return to.run(
        `INSERT OR IGNORE INTO ${quote(table)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
        ...names.map((name) => row[name] as SqlValue),
      ).changes;
    };
    for (const row of read.batches ?? []) {
      // A recipe read damaged but still valid must still be the batch's own.
      const recipe = recipeOfJson(String(row.recipe));
      if (recipe && recipeKey(recipe) === row.recipe_key) insert('batches', row);
      else lostRows += 1;
    }
    for (const row of read.jobs ?? []) insert('jobs', row);
    for (const row of read.tasks ?? []) insert('tasks', row);
    for (const row of read.meta ?? []) insert('meta', row);
    const engine = (read.engine ?? []).find((row) => row.id === 1);
    if (engine) {
      // The state the user left (a pause and its reason); never the old lock.
      to.run(
        'UPDATE engine SET state = ?, reason = ? WHERE id = 1',
        engine.state as SqlValue,
        (engine.reason ?? null) as SqlValue,
      );
    }
    lostRows += repair(to, now);
    // What still points nowhere (a job of a batch that could not be made again) goes.
    for (const bad of to.all<{ rowid: number }>(
      "SELECT rowid FROM pragma_foreign_key_check('jobs')",
    )) {
      lostRows += to.run('DELETE FROM jobs WHERE rowid = ?', bad.rowid).changes;
    }
    // The counts per batch and the spend, made again from what was copied.
    rebuildKept(to);
  }, 'immediate');
  to.exec('PRAGMA foreign_keys = ON');

  const count = (sql: string) => Number(to.get<{ n: number }>(sql)?.n ?? 0);
  const taskStates = [...TASK_STATES].map((s) => `'${s}'`).join(',');
  const lostTaskIds = to
    .all<{ task_id: string }>(
      `SELECT task_id FROM tasks WHERE job_id NOT IN (SELECT id FROM jobs) AND status IN ('PENDING', 'SUCCEEDED')`,
    )
    .map((r) => r.task_id);
  return {
    batches: count('SELECT COUNT(*) AS n FROM batches'),
    jobs: count('SELECT COUNT(*) AS n FROM jobs'),
    inFlight: count(`SELECT COUNT(*) AS n FROM jobs WHERE state IN (${taskStates})`),
    lostRows,
    lostTaskIds,
  };
}

/**
 * Makes the copy consistent where rows were lost; returns the jobs dropped.
 * Rows SQLite could read are the current ones (it reads through its WAL), so
 * what is missing is only ever whole rows.
 */
function repair(db: Db, now: number): number {
  let dropped = 0;
  // A job in a task state with no task id (read damaged): only the user can tell
  // whether it was sent, as resolving a `needs_attention` job does.
  db.run(
    `UPDATE jobs SET state = 'needs_attention', candidates = '[]', updated_at = ?
     WHERE state IN ('submitted', 'running', 'downloading') AND task_id IS NULL`,
    now,
  );
  // A finished task whose result addresses were lost: polled again, they come back.
  db.run(
    `UPDATE jobs SET state = 'submitted', updated_at = ?
     WHERE state = 'downloading' AND (result_urls IS NULL OR result_urls = '[]')`,
    now,
  );
  // Every task id a job holds stays claimed, so no other job ever adopts it.
  db.run(
    `INSERT OR IGNORE INTO tasks (task_id, job_id, batch_id, model, submitted_at, status)
     SELECT task_id, id, batch_id, model, COALESCE(submitted_at, intent_at, updated_at),
            CASE WHEN state IN ('downloading', 'done') THEN 'SUCCEEDED' ELSE 'PENDING' END
     FROM jobs WHERE task_id IS NOT NULL`,
  );
  // A copy linked to a job that was lost: it takes over the lost job's task when
  // one is in flight or finished (same photo, same recipe: the same paid result),
  // else it is queued on its own.
  const orphans = db.all<{ id: string; linked_job_id: string }>(
    `SELECT id, linked_job_id FROM jobs WHERE state = 'skipped' AND linked_job_id IS NOT NULL
     AND linked_job_id NOT IN (SELECT id FROM jobs)`,
  );
  for (const copy of orphans) {
    const task = db.get<{ task_id: string; submitted_at: number }>(
      `SELECT task_id, submitted_at FROM tasks WHERE job_id = ? AND status IN ('PENDING', 'SUCCEEDED')
       ORDER BY submitted_at DESC LIMIT 1`,
      copy.linked_job_id,
    );
    if (task) {
      db.run(
        `UPDATE jobs SET state = 'submitted', task_id = ?, submitted_at = ?, linked_job_id = NULL,
         updated_at = ? WHERE id = ?`,
        task.task_id,
        task.submitted_at,
        now,
        copy.id,
      );
      db.run('UPDATE tasks SET job_id = ? WHERE task_id = ?', copy.id, task.task_id);
    } else {
      db.run(
        `UPDATE jobs SET state = 'queued', linked_job_id = NULL, not_before = 0, updated_at = ?
         WHERE id = ?`,
        now,
        copy.id,
      );
    }
  }
  // Jobs whose batch was lost get a batch again (paused: its budget and state are unknown),
  // with the recipe of another batch of the same key, or one rebuilt from the key.
  const lostBatches = db.all<{ batch_id: string; recipe_key: string; model: string }>(
    `SELECT batch_id, MIN(recipe_key) AS recipe_key, MIN(model) AS model FROM jobs
     WHERE batch_id NOT IN (SELECT id FROM batches) GROUP BY batch_id`,
  );
  for (const lost of lostBatches) {
    const known = db.get<{ recipe: string }>(
      'SELECT recipe FROM batches WHERE recipe_key = ? LIMIT 1',
      lost.recipe_key,
    );
    const recipe = known ? recipeOfJson(known.recipe) : recipeFromKey(lost.recipe_key);
    if (!recipe || !MODEL_IDS.includes(lost.model as ModelId)) {
      dropped += db.run('DELETE FROM jobs WHERE batch_id = ?', lost.batch_id).changes;
      continue;
    }
    const position = Number(
      db.get<{ p: number | null }>('SELECT MAX(position) AS p FROM batches')?.p ?? 0,
    );
    db.run(
      `INSERT INTO batches (id, position, created_at, label, recipe, recipe_key, model, state, pause_reason)
       VALUES (?, ?, ?, '', ?, ?, ?, 'paused', 'user')`,
      lost.batch_id,
      position + 1,
      now,
      JSON.stringify(recipe),
      lost.recipe_key,
      lost.model,
    );
    // Jobs of other keys in the same lost batch cannot share its recipe.
    dropped += db.run(
      'DELETE FROM jobs WHERE batch_id = ? AND recipe_key != ?',
      lost.batch_id,
      lost.recipe_key,
    ).changes;
  }
  return dropped;
}

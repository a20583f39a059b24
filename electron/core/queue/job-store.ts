import { randomBytes, randomUUID } from 'node:crypto';
import type {
  BatchKind,
  BatchState,
  BatchView,
  JobError,
  JobView,
  PauseReason,
  StateCounts,
} from '../../../shared/contract/jobs';
import type { ModelId } from '../../../shared/models';
import type { Adjustment, CropBox } from '../../../shared/photos';
import { recipeKey, recipeModel, type Recipe } from '../../../shared/recipe';
import { RestyleError } from '../../../shared/result';
import type { SqlValue } from '../db/sqlite';
import { HOLDS_LOCK_SQL, LOCK_STALE_MS } from './engine-lock';
import { jobQueries } from './job-queries';
import {
  dismissQueueRecovery,
  openQueueFile,
  queueRecovery,
  type QueueFileOptions,
} from './queue-file';
import {
  CREATING,
  FINAL_STATES,
  JOB_STATES,
  canTransition,
  statesLeadingTo,
  type JobState,
} from './states';

/** The fields a transition may set besides the state. */
export interface JobPatch {
  attempts?: number;
  notBefore?: number;
  intentAt?: number | null;
  taskId?: string | null;
  requestId?: string | null;
  submittedAt?: number | null;
  finishedAt?: number | null;
  resultUrls?: string[] | null;
  imageCount?: number | null;
  adjustments?: readonly Adjustment[];
  /** The part of the upright photo sent, when preparation cut it (null: all of it). */
  crop?: CropBox | null;
  linkedJobId?: string | null;
  entryIds?: string[] | null;
  error?: JobError | null;
  candidates?: string[] | null;
}

/** A job row with what the view leaves out. */
export interface JobRow extends JobView {
  notBefore: number;
  intentAt: number | null;
  resultUrls: string[];
  adjustments: Adjustment[];
  /** The part of the upright photo sent, when preparation cut it; null: all of it. */
  crop: CropBox | null;
}

export interface NewJob {
  /** Given when other jobs of the same creation link to it. @default a new UUID */
  id?: string;
  /** The intake record (`PhotoRecord.id`) it was made from. */
  photoId?: string | null;
  path: string;
  hash: string;
  folder: string;
  /** What intake found it needs (preparation sets them again). */
  adjustments?: readonly Adjustment[];
  state?: 'queued' | 'skipped' | 'failed';
  linkedJobId?: string;
  entryIds?: string[];
  error?: JobError;
}

export interface NewBatch {
  recipe: Recipe;
  /** @default 'album' */
  kind?: BatchKind;
  /** The intake scan it was made from. */
  scanId?: string | null;
  label?: string;
  budgetCny?: number | null;
  force?: boolean;
  state?: BatchState;
  pauseReason?: PauseReason | null;
  jobs: NewJob[];
}

const COLUMNS: Record<keyof JobPatch, string> = {
  attempts: 'attempts',
  notBefore: 'not_before',
  intentAt: 'intent_at',
  taskId: 'task_id',
  requestId: 'request_id',
  submittedAt: 'submitted_at',
  finishedAt: 'finished_at',
  resultUrls: 'result_urls',
  imageCount: 'image_count',
  adjustments: 'adjustments',
  crop: 'crop',
  linkedJobId: 'linked_job_id',
  entryIds: 'entry_ids',
  error: 'error_code',
  candidates: 'candidates',
};

type Row = Record<string, string | number | null>;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const list = (v: unknown): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : []);
/** A crop as written by a move (JSON), or null for none (or a value that is not one). */
function cropOf(v: unknown): CropBox | null {
  if (typeof v !== 'string') return null;
  try {
    const box = JSON.parse(v) as Partial<CropBox> | null;
    const fields = [box?.left, box?.top, box?.width, box?.height];
    return fields.every((n) => Number.isInteger(n) && (n as number) >= 0) ? (box as CropBox) : null;
  } catch {
    return null;
  }
}

const inList = (states: readonly string[]) => states.map((s) => `'${s}'`).join(',');

/** The SET clause of a move to `to` with `patch`, and its named parameters. */
function changeOf(
  to: JobState,
  patch: JobPatch,
  at: number,
): { sets: string[]; params: Record<string, SqlValue> } {
  const sets = ['state = @state', 'updated_at = @updatedAt'];
  const params: Record<string, SqlValue> = { state: to, updatedAt: at };
  for (const [key, value] of Object.entries(patch) as [keyof JobPatch, unknown][]) {
    if (value === undefined) continue;
    if (key === 'error') {
      const error = value as JobError | null;
      sets.push(
        'error_code = @errorCode',
        'error_message = @errorMessage',
        'retryable = @retryable',
      );
      params.errorCode = error?.code ?? null;
      params.errorMessage = error?.message ?? null;
      params.retryable = error ? (error.retryable ? 1 : 0) : null;
      continue;
    }
    sets.push(`${COLUMNS[key]} = @${key}`);
    params[key] =
      value !== null && typeof value === 'object'
        ? JSON.stringify(value)
        : (value as string | number | null);
  }
  return { sets, params };
}

/** States a move to `to` may start from (within `from`, when given); none is a programming error. */
function fromStates(to: JobState, from?: readonly JobState[]): JobState[] {
  const allowed = (from ?? statesLeadingTo(to)).filter((s) => canTransition(s, to));
  if (allowed.length === 0) throw new TransitionError(`no state leads to ${to}`);
  return allowed;
}

export const emptyCounts = (): StateCounts =>
  Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as StateCounts;

function toJob(row: Row): JobRow {
  const code = str(row.error_code);
  return {
    id: String(row.id),
    batchId: String(row.batch_id),
    seq: Number(row.seq),
    photoId: str(row.photo_id),
    sourcePath: String(row.source_path),
    sourceHash: String(row.source_hash),
    albumFolder: String(row.album_folder),
    recipeKey: String(row.recipe_key),
    model: String(row.model) as ModelId,
    state: String(row.state) as JobState,
    attempts: Number(row.attempts),
    taskId: str(row.task_id),
    requestId: str(row.request_id),
    submittedAt: num(row.submitted_at),
    finishedAt: num(row.finished_at),
    imageCount: num(row.image_count),
    entryIds: list(row.entry_ids),
    linkedJobId: str(row.linked_job_id),
    error: code
      ? ({
          code,
          message: str(row.error_message) ?? '',
          retryable: row.retryable === 1,
        } as JobError)
      : null,
    candidates: list(row.candidates),
    updatedAt: Number(row.updated_at),
    notBefore: Number(row.not_before),
    intentAt: num(row.intent_at),
    resultUrls: list(row.result_urls),
    adjustments: list(row.adjustments) as Adjustment[],
    crop: cropOf(row.crop),
  };
}

/** The public part of a row (what crosses IPC). */
export function jobView(row: JobRow): JobView {
  const { notBefore: _n, intentAt: _i, resultUrls: _r, adjustments: _a, crop: _c, ...view } = row;
  return view;
}

/** A creation whose `creating` rows were dropped (as left by a crash) before it ended. */
const abandoned = (batchId: string) =>
  new RestyleError('batch_abandoned', `batch ${batchId} was dropped while it was created`);

/** Thrown when a state change is not allowed by the machine. */
export class TransitionError extends Error {
  override readonly name = 'TransitionError';
}

export type JobStore = ReturnType<typeof openJobStore>;

/**
 * The durable queue: `<dataDir>/queue.sqlite` in WAL mode with `synchronous=FULL`,
 * so a state committed before a side effect (the submit intent, a task id) survives
 * a crash or power loss. Every state change is one transaction, compare-and-set on
 * the current state, so two writers (the engine, a `restyle cancel`) never clobber.
 */
export function openJobStore(
  file: string,
  now: () => number = Date.now,
  options: Omit<QueueFileOptions, 'now'> = {},
) {
  // Rebuilt when damaged; a coded error (or, with `fallback`, read-only) when it cannot be written.
  const { db, problem } = openQueueFile(file, { ...options, now });

  const getJob = (id: string): JobRow | null => {
    const row = db.get<Row>('SELECT * FROM jobs WHERE id = ?', id);
    return row ? toJob(row) : null;
  };

  /** A batch's jobs per state, as the triggers keep them (no job is read). */
  function counts(batchId: string): StateCounts {
    const result = emptyCounts();
    const rows = db.all<{ state: JobState; n: number }>(
      'SELECT state, n FROM batch_counts WHERE batch_id = ?',
      batchId,
    );
    for (const row of rows) result[row.state] = row.n;
    return result;
  }

  function toBatch(row: Row): BatchView {
    const c = counts(String(row.id));
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    const recipe = JSON.parse(String(row.recipe)) as Recipe;
    return {
      id: String(row.id),
      position: Number(row.position),
      createdAt: Number(row.created_at),
      label: String(row.label),
      kind: row.kind === 'audition' ? 'audition' : 'album',
      scanId: str(row.scan_id),
      recipe,
      recipeKey: String(row.recipe_key),
      model: String(row.model) as ModelId,
      state: String(row.state) as BatchState,
      pauseReason: str(row.pause_reason) as PauseReason | null,
      budgetCny: num(row.budget_cny),
      spentCny: Number(row.spent_cny),
      force: row.force === 1,
      counts: c,
      total,
      finished: c.done + c.skipped,
    };
  }

  const getBatch = (id: string): BatchView | null => {
    const row = db.get<Row>('SELECT * FROM batches WHERE id = ?', id);
    return row ? toBatch(row) : null;
  };

  /**
   * Moves a job to `to` if it is still in a state that may lead there (and in
   * `from`, when given); returns the new row, or null when it had moved on.
   * With `lockToken`, only while that engine lock is held, in the same statement
   * (an engine that lost its lock while stopped cannot act on what it read).
   */
  function transition(
    id: string,
    to: JobState,
    patch: JobPatch = {},
    from?: readonly JobState[],
    lockToken?: string,
  ): JobRow | null {
    const allowed = fromStates(to, from);
    const { sets, params } = changeOf(to, patch, now());
    params.id = id;
    const states = inList(allowed);
    let guard = '';
    if (lockToken !== undefined) {
      guard = ` AND ${HOLDS_LOCK_SQL}`;
      params.lockToken = lockToken;
    }
    const changed = db.run(
      `UPDATE jobs SET ${sets.join(', ')} WHERE id = @id AND state IN (${states})${guard}`,
      params,
    ).changes;
    return changed === 1 ? getJob(id) : null;
  }

  /**
   * A user's change to many jobs of a batch at once (cancel, resume, retry):
   * up to `limit` of its jobs in `from` (seq order) move to `to`, in one
   * statement, compare-and-set like `transition` (a job that moved on is not
   * touched). With `unlinked`, jobs that skipped copies follow are left
   * (their move must carry the copies along, one by one). Answers the ids
   * moved: fewer than `limit` when none is left.
   */
  function moveBatchJobs(
    batchId: string,
    to: JobState,
    patch: JobPatch,
    from: readonly JobState[],
    options: { limit: number; unlinked?: boolean },
  ): string[] {
    const { sets, params } = changeOf(to, patch, now());
    const unlinked = options.unlinked
      ? `AND NOT EXISTS (SELECT 1 FROM jobs c WHERE c.linked_job_id = j.id AND c.state = 'skipped')`
      : '';
    params.batchId = batchId;
    params.limit = options.limit;
    return db
      .all<{ id: string }>(
        `UPDATE jobs SET ${sets.join(', ')} WHERE id IN (
           SELECT j.id FROM jobs j WHERE j.batch_id = @batchId
           AND j.state IN (${inList(fromStates(to, from))}) ${unlinked}
           ORDER BY j.seq LIMIT @limit) RETURNING id`,
        params,
      )
      .map((row) => row.id);
  }

  /** Writes a batch's row (no jobs) at the end of the queue; answers its id. */
  function insertBatch(input: Omit<NewBatch, 'jobs'>, state: string, at: number): string {
    const id = randomUUID();
    const position =
      (db.get<Row>('SELECT MAX(position) AS p FROM batches')?.p as number | null) ?? 0;
    db.run(
      `INSERT INTO batches (id, position, created_at, label, kind, scan_id, recipe, recipe_key, model, state, pause_reason, budget_cny, force)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id,
      position + 1,
      at,
      input.label ?? '',
      input.kind ?? 'album',
      input.scanId ?? null,
      JSON.stringify(input.recipe),
      recipeKey(input.recipe),
      recipeModel(input.recipe),
      state,
      input.pauseReason ?? null,
      input.budgetCny ?? null,
      input.force ? 1 : 0,
    );
    return id;
  }

  /**
   * Writes jobs of a batch, numbered from `firstSeq` (in the caller's
   * transaction). A job that follows another (`linkedJobId`) whose fate is
   * already sealed takes it now, as the engine's follow-up would have when
   * that job ended: its results when done; queued on its own after any
   * other end (or when that job is gone), so no copy waits on a job that
   * will never give it a result.
   */
  function insertJobs(batchId: string, jobs: readonly NewJob[], firstSeq: number, at: number) {
    const batch = db.get<Row>('SELECT recipe_key, model FROM batches WHERE id = ?', batchId) as Row;
    const insert = `INSERT INTO jobs (id, batch_id, seq, photo_id, source_path, source_hash, album_folder, recipe_key, model, state,
         adjustments, linked_job_id, entry_ids, error_code, error_message, retryable, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    jobs.forEach((job, index) => {
      let { state = 'queued', linkedJobId = null } = job;
      let entryIds = job.entryIds ? JSON.stringify(job.entryIds) : null;
      if (linkedJobId !== null) {
        const original = db.get<Row>('SELECT state, entry_ids FROM jobs WHERE id = ?', linkedJobId);
        const ended = !original || FINAL_STATES.has(original.state as JobState);
        if (ended && original?.state === 'done') entryIds = str(original.entry_ids);
        else if (ended) [state, linkedJobId] = ['queued', null];
      }
      db.run(
        insert,
        job.id ?? newId(),
        batchId,
        firstSeq + index,
        job.photoId ?? null,
        job.path,
        job.hash,
        job.folder,
        batch.recipe_key,
        batch.model,
        state,
        JSON.stringify(job.adjustments ?? []),
        linkedJobId,
        entryIds,
        job.error?.code ?? null,
        job.error?.message ?? null,
        job.error ? (job.error.retryable ? 1 : 0) : null,
        at,
      );
    });
  }

  /** A batch and all its jobs in one transaction (tests, seeds; the engine creates in chunks). */
  function createBatch(input: NewBatch): BatchView {
    const at = now();
    const id = db.transaction(() => {
      const batchId = insertBatch(input, input.state ?? 'active', at);
      insertJobs(batchId, input.jobs, 0, at);
      return batchId;
    });
    return getBatch(id) as BatchView;
  }

  /**
   * Creation in chunks, so no transaction holds the process long while the
   * user never sees half a batch: `beginBatches` writes the rows `creating`
   * (no reader lists them, the engine starts none of their jobs, no new
   * request follows their jobs), `addJobs` writes a chunk of one's jobs,
   * `finishBatches` makes them all `active` in one transaction, and
   * `dropBatches` takes back a creation that failed. Each chunk renews the
   * rows' `created_at`: a creation left by a crash, a kill or a process
   * stopped past LOCK_STALE_MS is dropped when the queue is next opened.
   */
  const creation = {
    beginBatches(inputs: readonly Omit<NewBatch, 'jobs' | 'state'>[]): string[] {
      const at = now();
      return db.transaction(() => inputs.map((input) => insertBatch(input, CREATING, at)));
    },
    /**
     * One chunk of a batch's jobs; `abandoned` when the creation was dropped
     * meanwhile. Committed without waiting for the disk (synchronous=NORMAL,
     * the fsync is most of a chunk's time): the `finishBatches` commit, with
     * the usual FULL, syncs the write-ahead log and every chunk in it, and a
     * chunk lost to a power cut before it was only ever `creating`.
     */
    addJobs(batchId: string, jobs: readonly NewJob[], firstSeq: number): void {
      const at = now();
      db.exec('PRAGMA synchronous = NORMAL');
      try {
        db.transaction(() => {
          const renewed = db.run(
            `UPDATE batches SET created_at = ? WHERE id = ? AND state = '${CREATING}'`,
            at,
            batchId,
          ).changes;
          if (renewed !== 1) throw abandoned(batchId);
          insertJobs(batchId, jobs, firstSeq, at);
        });
      } finally {
        db.exec('PRAGMA synchronous = FULL');
      }
    },
    /** Makes the batches visible and startable at once (their `created_at`: now). */
    finishBatches(ids: readonly string[]): void {
      const at = now();
      db.transaction(() => {
        for (const id of ids)
          if (
            db.run(
              `UPDATE batches SET state = 'active', created_at = ? WHERE id = ? AND state = '${CREATING}'`,
              at,
              id,
            ).changes !== 1
          )
            throw abandoned(id);
      });
    },
    /** Drops batches still `creating`, with their jobs (a creation that failed). */
    dropBatches(ids: readonly string[]): void {
      db.transaction(() => {
        for (const id of ids) {
          const creating = `SELECT id FROM batches WHERE id = @id AND state = '${CREATING}'`;
          db.run(`DELETE FROM jobs WHERE batch_id IN (${creating})`, { id });
          db.run(`DELETE FROM batches WHERE id IN (${creating})`, { id });
        }
      });
    },
  };

  /** Creations left unfinished (no chunk written for LOCK_STALE_MS): dropped with their jobs. */
  function dropAbandoned(): void {
    const ids = db
      .all<{ id: string }>(
        `SELECT id FROM batches WHERE state = '${CREATING}' AND created_at < ?`,
        now() - LOCK_STALE_MS,
      )
      .map((row) => row.id);
    if (ids.length > 0) creation.dropBatches(ids);
  }
  if (!problem) dropAbandoned();

  const core = { db, toJob, toBatch, getBatch, transition };
  return {
    ...core,
    ...jobQueries(core, now),
    getJob,
    counts,
    moveBatchJobs,
    createBatch,
    ...creation,
    /** The queue file (`<data>/queue.sqlite`). */
    file,
    /** Why the queue is read-only (opened with `fallback`); null when it works. */
    problem,
    /** The rebuild of a damaged queue file, until dismissed. */
    recovery: () => queueRecovery(db),
    dismissRecovery: () => dismissQueueRecovery(db),
    close: () => db.close(),
  };
}

let lastIdMs = 0;
let idSeq = 0;

/**
 * A job's id: a time-ordered UUID (version 7, RFC 9562; a counter in
 * `rand_a` keeps ids of one millisecond in order). Jobs are written in
 * creation order, so each new id lands at the end of the id index instead of
 * on a random page of it: a chunk of jobs rewrites a few pages, not one per
 * job (a 100,000-job creation in chunks took half the time).
 */
export function newId(): string {
  let ms = Date.now();
  if (ms <= lastIdMs) {
    ms = lastIdMs;
    idSeq += 1;
    if (idSeq > 0xfff) [ms, idSeq] = [ms + 1, 0];
  } else idSeq = 0;
  lastIdMs = ms;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (idSeq >> 8);
  bytes[7] = idSeq & 0xff;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

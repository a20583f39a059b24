import type {
  BatchState,
  BatchView,
  EngineStatus,
  PauseReason,
} from '../../../shared/contract/jobs';
import type { ModelId } from '../../../shared/models';
import { unitsToCny } from '../cost/money';
import type { Db, SqlValue } from '../db/sqlite';
import { folderScope } from '../db/folder-scope';
import { HOLDS_LOCK_SQL } from './engine-lock';
import type { JobPatch, JobRow } from './job-store';
import { CREATING, LIVE_STATES, MOVING_STATES, type JobState } from './states';

/** What the queries need of the store. */
export interface StoreCore {
  db: Db;
  toJob(row: Record<string, string | number | null>): JobRow;
  toBatch(row: Record<string, string | number | null>): BatchView;
  getBatch(id: string): BatchView | null;
  transition(
    id: string,
    to: JobState,
    patch?: JobPatch,
    from?: readonly JobState[],
    lockToken?: string,
  ): JobRow | null;
}

type Row = Record<string, string | number | null>;

/** What an album's coverage reads of one job (electron/core/library/album-queries.ts). */
export interface AlbumJob {
  sourceHash: string;
  sourcePath: string;
  albumFolder: string;
  recipeKey: string;
  /** The batch's recipe, as stored (JSON). */
  recipeJson: string;
  state: JobState;
}

const inList = (states: readonly string[]) => states.map((s) => `'${s}'`).join(',');

/** Moving states that hold work whatever their batch's state (a queued job waits on an active batch). */
const BUSY_STATES = MOVING_STATES.filter((state) => state !== 'queued');

/** Reads and multi-row writes of the queue, each write one transaction. */
export function jobQueries(core: StoreCore, now: () => number) {
  const { db } = core;

  const jobs = (sql: string, ...params: SqlValue[]) => db.all<Row>(sql, ...params).map(core.toJob);

  return {
    /** The batches the user has (none still being created), in queue order. */
    listBatches(): BatchView[] {
      return db
        .all<Row>(`SELECT * FROM batches WHERE state != '${CREATING}' ORDER BY position`)
        .map(core.toBatch);
    },

    listJobs(batchId: string, offset = 0, limit = 200, states?: readonly JobState[]) {
      const where = states?.length ? `AND state IN (${inList(states)})` : '';
      // The total from the kept counts: no job is counted.
      const total = Number(
        db.get<Row>(`SELECT TOTAL(n) AS n FROM batch_counts WHERE batch_id = ? ${where}`, batchId)
          ?.n,
      );
      const rows = jobs(
        `SELECT * FROM jobs WHERE batch_id = ? ${where} ORDER BY seq LIMIT ? OFFSET ?`,
        batchId,
        limit,
        offset,
      );
      return { jobs: rows, total };
    },

    /** Jobs in these states (every batch), oldest batch position first. */
    jobsIn(states: readonly JobState[], model?: ModelId): JobRow[] {
      const byModel = model ? 'AND j.model = ?' : '';
      const params = model ? [model] : [];
      return jobs(
        `SELECT j.* FROM jobs j JOIN batches b ON b.id = j.batch_id
         WHERE j.state IN (${inList(states)}) ${byModel} ORDER BY b.position, j.seq`,
        ...params,
      );
    },

    /**
     * Queued jobs of active batches that may start now, in batch order: the
     * active batches of the model that have queued jobs (kept counts), each
     * read in seq order up to what is still wanted, so the cost is the jobs
     * returned (and those waiting on a backoff), never the queue's size.
     */
    nextQueued(model: ModelId, limit: number): JobRow[] {
      const at = now();
      const found: JobRow[] = [];
      const batches = db.all<{ id: string }>(
        `SELECT b.id FROM batch_counts c JOIN batches b ON b.id = c.batch_id
         WHERE c.state = 'queued' AND b.state = 'active' AND b.model = ? ORDER BY b.position`,
        model,
      );
      for (const { id } of batches) {
        if (found.length >= limit) break;
        found.push(
          ...jobs(
            `SELECT * FROM jobs INDEXED BY jobs_by_state WHERE state = 'queued' AND batch_id = ? AND model = ?
             AND not_before <= ? ORDER BY seq LIMIT ?`,
            id,
            model,
            at,
            limit - found.length,
          ),
        );
      }
      return found;
    },

    /**
     * When the submits of a model since `since` left (their intents, committed
     * before each POST), oldest first: an engine that starts counts what a
     * process before it sent within the rate window. Read once per start.
     */
    recentIntents(model: ModelId, since: number): number[] {
      return db
        .all<{ at: number }>(
          'SELECT intent_at AS at FROM jobs WHERE model = ? AND intent_at > ? ORDER BY intent_at',
          model,
          since,
        )
        .map((row) => Number(row.at));
    },

    /** Earliest `not_before` of a queued job of an active batch waiting on a backoff. */
    nextBackoffAt(): number | null {
      const row = db.get<Row>(
        `SELECT j.not_before AS t FROM jobs j INDEXED BY jobs_by_backoff
         JOIN batches b ON b.id = j.batch_id
         WHERE j.state = 'queued' AND j.not_before > ? AND b.state = 'active'
         ORDER BY j.not_before LIMIT 1`,
        now(),
      );
      return row?.t == null ? null : Number(row.t);
    },

    /**
     * Whether the engine has anything to move: a job preparing, ready or with
     * a task, or a queued job of an active batch. From the kept counts.
     */
    hasLiveWork(): boolean {
      const row = db.get<Row>(
        `SELECT EXISTS (SELECT 1 FROM batch_counts WHERE state IN (${inList(BUSY_STATES)}))
         OR EXISTS (SELECT 1 FROM batch_counts c JOIN batches b ON b.id = c.batch_id
                    WHERE c.state = 'queued' AND b.state = 'active') AS live`,
      );
      return row?.live === 1;
    },

    /** The skipped copies that follow this job (same photo and recipe), in batch order. */
    linkedTo(jobId: string): JobRow[] {
      return jobs(
        `SELECT j.* FROM jobs j JOIN batches b ON b.id = j.batch_id
         WHERE j.linked_job_id = ? AND j.state = 'skipped' ORDER BY b.position, j.seq`,
        jobId,
      );
    },

    /**
     * A job of another row with the same photo and recipe still on its way to
     * a result. A done one is not: its result is in the library (the plan
     * links that first), or gone from it, deleted or missing, and then made
     * again (a result the user deleted is no reason not to pay for it again).
     * Nor is a job of a batch still being created: that creation may yet be
     * dropped (a crash), and nothing may follow a job that can vanish. The
     * engine creates one request at a time, so only another process's
     * creation at the same moment goes unseen (and is then paid twice).
     */
    findLiveDuplicate(hash: string, key: string, excludeId?: string): JobRow | null {
      const live = inList(LIVE_STATES);
      const rows = jobs(
        `SELECT * FROM jobs WHERE source_hash = ? AND recipe_key = ? AND state IN (${live})
         AND id != ? AND linked_job_id IS NULL
         AND batch_id NOT IN (SELECT id FROM batches WHERE state = '${CREATING}')
         ORDER BY updated_at LIMIT 1`,
        hash,
        key,
        excludeId ?? '',
      );
      return rows[0] ?? null;
    },

    /**
     * The jobs of an album folder and the folders below it (every job: none
     * given), oldest batch first, with their batch's recipe.
     */
    albumJobs(albumFolder?: string): AlbumJob[] {
      const scope = albumFolder === undefined ? null : folderScope('j.album_folder', albumFolder);
      return db.all<AlbumJob>(
        `SELECT j.source_hash AS sourceHash, j.source_path AS sourcePath,
         j.album_folder AS albumFolder, j.recipe_key AS recipeKey, b.recipe AS recipeJson,
         j.state AS state FROM jobs j JOIN batches b ON b.id = j.batch_id
         WHERE b.state != '${CREATING}' ${scope ? `AND ${scope.sql}` : ''} ORDER BY b.created_at, b.position, j.seq`,
        scope?.params ?? {},
      );
    },

    /** Every task id any job has ever had: never adopted by another job. */
    claimedTaskIds(): Set<string> {
      const rows = db.all<{ task_id: string }>('SELECT task_id FROM tasks');
      return new Set(rows.map((r) => r.task_id));
    },

    /** The task id, committed the moment it is known, with its claim. */
    recordSubmitted(
      job: JobRow,
      taskId: string,
      requestId: string | null,
      at: number,
    ): JobRow | null {
      return db.transaction(() => {
        db.run(
          `INSERT OR IGNORE INTO tasks (task_id, job_id, batch_id, model, submitted_at, status)
           VALUES (?, ?, ?, ?, ?, 'PENDING')`,
          taskId,
          job.id,
          job.batchId,
          job.model,
          at,
        );
        return core.transition(
          job.id,
          'submitted',
          { taskId, requestId, submittedAt: at, error: null, candidates: null },
          ['submitting', 'needs_attention'],
        );
      });
    },

    /**
     * A SUCCEEDED task (duration on the service's clock when known): its spend,
     * what each of its images was charged (0 for one the free allowance
     * covered) and its result URLs, before anything is downloaded.
     */
    recordSucceeded(
      job: JobRow,
      urls: string[],
      images: number,
      cost: { costCny: number; perImageCny: readonly number[] },
      durationMs: number | null,
    ): JobRow | null {
      const { costCny } = cost;
      return db.transaction(() => {
        const task = db.get<Row>('SELECT status FROM tasks WHERE task_id = ?', job.taskId);
        if (task?.status !== 'SUCCEEDED') {
          db.run(
            `UPDATE tasks SET status = 'SUCCEEDED', images = ?, cost_cny = ?, image_costs = ?,
             ended_at = COALESCE(submitted_at + ?, ?) WHERE task_id = ?`,
            images,
            costCny,
            JSON.stringify(cost.perImageCny),
            durationMs,
            now(),
            job.taskId,
          );
          db.run('UPDATE batches SET spent_cny = spent_cny + ? WHERE id = ?', costCny, job.batchId);
        }
        return core.transition(job.id, 'downloading', { resultUrls: urls, imageCount: images }, [
          'submitted',
          'running',
        ]);
      });
    },

    /** Whether a task's success (and spend) is already recorded (a replay after a crash). */
    taskSucceeded(taskId: string): boolean {
      return (
        db.get<Row>('SELECT status FROM tasks WHERE task_id = ?', taskId)?.status === 'SUCCEEDED'
      );
    },

    /** What each image of a succeeded task was charged, in result order; null when not recorded (older queues). */
    imageCosts(taskId: string): number[] | null {
      const text = db.get<Row>(
        'SELECT image_costs FROM tasks WHERE task_id = ?',
        taskId,
      )?.image_costs;
      if (typeof text !== 'string') return null;
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) && parsed.every((n) => typeof n === 'number') ? parsed : null;
    },

    recordTaskEnded(taskId: string, status: string): void {
      db.run('UPDATE tasks SET status = ?, ended_at = ? WHERE task_id = ?', status, now(), taskId);
    },

    /** Measured task times (submit to end) of the latest successful tasks, for the ETA. */
    recentTaskMs(model: ModelId, limit = 20): number[] {
      const rows = db.all<{ ms: number }>(
        `SELECT ended_at - submitted_at AS ms FROM tasks
         WHERE model = ? AND status = 'SUCCEEDED' AND ended_at IS NOT NULL
         ORDER BY ended_at DESC LIMIT ?`,
        model,
        limit,
      );
      return rows.map((r) => r.ms);
    },

    /** What every task cost, in CNY: the total the triggers keep of `tasks.cost_cny`. */
    totalSpent(): number {
      return unitsToCny(
        Number(db.get<Row>('SELECT spent_units AS s FROM queue_totals WHERE id = 1')?.s ?? 0),
      );
    },

    /** The library results of a batch's jobs (its "Show results"), each once. */
    batchEntryIds(batchId: string): string[] {
      return db
        .all<{ id: string }>(
          `SELECT DISTINCT e.value AS id FROM jobs j, json_each(j.entry_ids) e
           WHERE j.batch_id = ? AND j.entry_ids IS NOT NULL`,
          batchId,
        )
        .map((row) => row.id);
    },

    /** Shares a finished job's results with a job linked to it (same photo and recipe). */
    setEntryIds(id: string, entryIds: readonly string[]): JobRow | null {
      db.run(
        'UPDATE jobs SET entry_ids = ?, updated_at = ? WHERE id = ?',
        JSON.stringify(entryIds),
        now(),
        id,
      );
      const row = db.get<Row>('SELECT * FROM jobs WHERE id = ?', id);
      return row ? core.toJob(row) : null;
    },

    /** A batch still being created is only ever made active by its creation. */
    setBatchState(
      id: string,
      state: BatchState,
      reason: PauseReason | null,
      from?: readonly BatchState[],
    ): boolean {
      const guard = from ? `AND state IN (${inList(from)})` : `AND state != '${CREATING}'`;
      return (
        db.run(
          `UPDATE batches SET state = ?, pause_reason = ? WHERE id = ? ${guard}`,
          state,
          reason,
          id,
        ).changes === 1
      );
    },

    reorder(ids: readonly string[]): void {
      db.transaction(() => {
        const all = db
          .all<{ id: string }>('SELECT id FROM batches ORDER BY position')
          .map((r) => r.id);
        const named = ids.filter((id) => all.includes(id));
        const order = [...named, ...all.filter((id) => !named.includes(id))];
        order.forEach((id, index) =>
          db.run('UPDATE batches SET position = ? WHERE id = ?', index + 1, id),
        );
      });
    },

    getMeta(key: string): string | null {
      const row = db.get<Row>('SELECT value FROM meta WHERE key = ?', key);
      return row ? String(row.value) : null;
    },

    setMeta(key: string, value: string): void {
      db.run(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        key,
        value,
      );
    },

    engineStatus(): EngineStatus {
      const row = db.get<Row>('SELECT state, reason FROM engine WHERE id = 1') as Row;
      return {
        state: row.state as EngineStatus['state'],
        reason: row.reason as PauseReason | null,
      };
    },

    /** With `lockToken`, only while that engine lock is held. */
    setEngineStatus(status: EngineStatus, lockToken?: string): void {
      const guard = lockToken === undefined ? '' : ` AND ${HOLDS_LOCK_SQL}`;
      db.run(`UPDATE engine SET state = @state, reason = @reason WHERE id = 1${guard}`, {
        state: status.state,
        reason: status.reason,
        ...(lockToken === undefined ? {} : { lockToken }),
      });
    },
  };
}

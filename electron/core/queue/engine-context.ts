import type { EngineStatus, JobView, PauseReason } from '../../../shared/contract/jobs';
import type { ModelId } from '../../../shared/models';
import type { Limits } from '../../../shared/settings';
import type { CostLedger } from '../cost/cost-ledger';
import type { DashScopeClient } from '../dashscope';
import type { EventBus } from '../events';
import type { IntakeService } from '../intake/intake-service';
import type { Library } from '../library/types';
import type { Logger } from '../log/logger';
import type { EngineLock } from './engine-lock';
import type { JobPatch, JobRow, JobStore } from './job-store';
import type { PollTiming } from './poll-timing';
import type { RateWindow } from './rate-window';
import type { JobState } from './states';

/** Tuning of the engine; the defaults follow docs/dashscope-api.md. */
export interface EngineOptions {
  /** Poll interval while a task runs. @default 1000 */
  pollMs?: number;
  /** Poll interval once a task is past its expected end (from measured task times). @default 50 */
  tightPollMs?: number;
  /**
   * Keep one task of each model waiting (PENDING at the service) behind the
   * running ones, so the account's slot never idles between tasks; an endpoint
   * that refuses the waiting task is remembered and sent one task per slot.
   * `false`: at most the model's concurrency in flight. @default true
   */
  pipeline?: boolean;
  /** Task queries per second, all models (the service allows 20). @default 15 */
  queriesPerSecond?: number;
  /** Submits per model in any sliding window. @default 2 */
  submitsPerWindow?: number;
  /** The sliding window; a little over a second absorbs clock jitter. @default 1100 */
  submitWindowMs?: number;
  /** Backoff of retryable errors (full jitter). @default { baseMs: 500, maxMs: 5000 } */
  backoff?: { baseMs: number; maxMs: number };
  /** Tries per job before a retryable failure becomes final. @default 6 */
  maxAttempts?: number;
  /** Reconciliation of unanswered submits against the task list. @default { skewMs: 5000, windowMs: 40000 } */
  reconcile?: { skewMs: number; windowMs: number };
  /** Wait after an unanswered submit before the task list is read (lets the service record it). @default 1500 */
  reconcileDelayMs?: number;
  /** Probe interval while offline. @default 1000 */
  offlineProbeMs?: number;
  /**
   * How long the data folder's lock may go without a heartbeat before another
   * engine takes it over (the lock beats every quarter of it). @default LOCK_STALE_MS (20 s)
   */
  lockStaleMs?: number;
  /** How often an engine started with `wait` tries again for a lock another Restyle holds. @default 5000 */
  lockRetryMs?: number;
  /** Task and result validity. @default TASK_TTL_MS (24 h) */
  taskTtlMs?: number;
}

export interface EngineClock {
  now(): number;
}

/** Everything the engine uses, injected (the composition root or a test decides). */
export interface JobEngineDeps {
  store: JobStore;
  client: DashScopeClient;
  /** Uploads are prepared by it; batches are made from its kept scans. */
  intake: Pick<IntakeService, 'prepare' | 'scanRecords'>;
  library: Library;
  /** Concurrency per model and whether to crop. */
  limits: () => Limits;
  /** CNY per image of a model. @default MODELS[model].defaultPriceCny */
  priceCny?: (model: ModelId) => number;
  /**
   * The cost guard (electron/core/cost): what a finished task cost from
   * `usage.image_count` (free allowance first) and whether the next submit fits
   * a batch's budget. @default price × images, budget checked against that price
   */
  costs?: Pick<CostLedger, 'record' | 'allows' | 'freeLeft'>;
  events?: Pick<EventBus, 'emit'>;
  log?: Logger;
  /** @default Date.now */
  clock?: EngineClock;
  /** @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1), for backoff jitter. @default Math.random */
  random?: () => number;
  /**
   * The data folder's lock: `true` takes it on start; a lock the host already
   * took (the CLI takes it before it writes anything) is used as is; `false`
   * runs without one (`restyle status`, `restyle cancel`). @default true
   */
  lock?: boolean | EngineLock;
  options?: EngineOptions;
}

export interface Lane {
  model: ModelId;
  rate: RateWindow;
  /** A submit or a reconciliation of this model is under way. */
  busy: boolean;
  /** Photos being prepared. */
  preparing: Set<string>;
  /** Earliest time of the next reconciliation. */
  reconcileAt: number;
  /** Throttled: no submit before this. */
  coolUntil: number;
  /**
   * Tasks in flight an endpoint accepted at most (it refused one more while they
   * ran), by endpoint; null: it never refused. Read once from the queue's meta.
   */
  learned: Map<string, number | null>;
  /** The rate window holds the submits recorded before this engine started. */
  seeded: boolean;
}

export interface Ctx {
  deps: JobEngineDeps;
  store: JobStore;
  opts: Required<EngineOptions>;
  now(): number;
  random(): number;
  log: Logger;
  lanes: Map<ModelId, Lane>;
  queryRate: RateWindow;
  /** Prepared uploads by job id (kept in memory only, never in SQLite). */
  prepared: Map<
    string,
    { dataUri: string; adjustments: JobRow['adjustments']; crop: JobRow['crop'] }
  >;
  polling: Set<string>;
  nextPollAt: Map<string, number>;
  /** The service's clock and the round trip, measured: when a running task should end here. */
  timing: PollTiming;
  /** Jobs whose waiting (PENDING) task a pause is canceling: canceled, they go back in line. */
  withdrawing: Set<string>;
  pollFailures: Map<string, number>;
  downloading: Set<string>;
  downloadAt: Map<string, number>;
  status: EngineStatus;
  /**
   * An engine step's state change, emitted to the window; null when the job
   * had moved on or this engine no longer holds the data folder's lock.
   */
  move(id: string, to: JobState, patch?: JobPatch, from?: readonly JobState[]): JobRow | null;
  /** A user's change (pause, cancel, retry…): compare-and-set only, whichever engine holds the lock. */
  moveForUser(
    id: string,
    to: JobState,
    patch?: JobPatch,
    from?: readonly JobState[],
  ): JobRow | null;
  /**
   * Whether this engine may still act (it holds the data folder's lock, or
   * runs without one). Asked before anything is sent or saved; false stops
   * the engine.
   */
  owns(): boolean;
  emitJob(job: JobView): void;
  /** `params` fill the reason's text (the file a local reason names). */
  setEngine(
    state: EngineStatus['state'],
    reason: PauseReason | null,
    params?: EngineStatus['params'],
  ): void;
  /** Reacts to an error of any call: true when it was network or account level (handled here). */
  escalate(error: unknown): boolean;
  backoffMs(attempt: number, floorMs?: number | null): number;
  wake(): void;
}

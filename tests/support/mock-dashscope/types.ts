import { z } from 'zod';

/** How the mock behaves; every field can be changed at run time with `configure`. */
export interface MockConfig {
  /** Time a task spends RUNNING before it ends. @default 2000 */
  taskMs: number;
  /** Least time a task stays PENDING, even with a free slot. @default 100 */
  pendingMs: number;
  /**
   * Tasks processed at once per model (the account's limit).
   * @default from shared/models.ts: 1 for style repaint, 2 for imageedit
   */
  concurrency: Record<string, number>;
  /**
   * What happens to a task beyond the concurrency: `queue` (the real service,
   * "1 task processing at a time": extra tasks wait as PENDING) or `reject`
   * (429 `rejectCode`, for tests of a stricter account).
   * @default 'queue'
   */
  overConcurrency: 'queue' | 'reject';
  /**
   * The 429 code of a submit refused by `overConcurrency: 'reject'`, with the
   * service's message for it: a stricter account answers
   * `Throttling.AllocationQuota` to a task sent while one is in flight.
   * @default 'Throttling.AllocationQuota'
   */
  rejectCode: ThrottleCode;
  /**
   * The network's round trip on every API answer (submit, task query, list,
   * cancel, result download), in real time: half before the request is handled
   * (its `at` and the task's submit time are its arrival), half before the
   * answer leaves. Admin routes are not delayed. @default 0
   */
  latencyMs: number;
  /** Submissions per model in any sliding second before 429 `Throttling.RateQuota`. @default 2 */
  submitsPerSecond: number;
  /** Task queries (get, list, cancel) in any sliding second before 429. @default 20 */
  queriesPerSecond: number;
  /** How long result URLs stay valid. @default 24 h */
  resultTtlMs: number;
  /** How long a task can be queried before it reads UNKNOWN. @default 24 h */
  taskTtlMs: number;
  /** Decode submitted images (sharp) and check their resolution. @default true */
  validateImages: boolean;
  /** Side of the square result image. @default 256 */
  resultSide: number;
  /** @default 'jpeg' */
  resultFormat: 'jpeg' | 'png';
  /** Records kept per kind (oldest dropped first). @default 100000 */
  maxRecords: number;
}

/** The service's 429 codes. */
export const THROTTLE_CODES = [
  'Throttling',
  'Throttling.RateQuota',
  'Throttling.AllocationQuota',
] as const;
export type ThrottleCode = (typeof THROTTLE_CODES)[number];

export const configPatchSchema = z
  .object({
    taskMs: z.number().int().min(0),
    pendingMs: z.number().int().min(0),
    concurrency: z.record(z.string(), z.number().int().min(1)),
    overConcurrency: z.enum(['queue', 'reject']),
    rejectCode: z.enum(THROTTLE_CODES),
    latencyMs: z.number().int().min(0),
    submitsPerSecond: z.number().int().min(1),
    queriesPerSecond: z.number().int().min(1),
    resultTtlMs: z.number().int().min(0),
    taskTtlMs: z.number().int().min(0),
    validateImages: z.boolean(),
    resultSide: z.number().int().min(1).max(4096),
    resultFormat: z.enum(['jpeg', 'png']),
    maxRecords: z.number().int().min(1),
  })
  .partial()
  .strict();
export type MockConfigPatch = z.infer<typeof configPatchSchema>;

/**
 * Faults to inject, as data: the same object drives the mock in-process
 * (`mock.inject(plan)`) and over HTTP (`POST /__admin/faults`). Counted faults
 * add to what is already pending; the others replace the current value.
 */
export const faultPlanSchema = z
  .object({
    /** The next `count` submits answer `status` + `code`; with `afterCreate` the task is created first (outcome unknown). */
    failSubmits: z.object({
      count: z.number().int().min(1),
      status: z.number().int().min(400).max(599),
      code: z.string().min(1),
      message: z.string().optional(),
      afterCreate: z.boolean().optional(),
    }),
    /** The next `count` tasks created end FAILED with this `output.code`. */
    failTasks: z.object({
      count: z.number().int().min(1),
      code: z.string().min(1),
      message: z.string().optional(),
    }),
    /** Destroy the socket of the next `count` submits, `before` (no task) or `after` creating the task. */
    dropSubmits: z.object({
      count: z.number().int().min(1),
      when: z.enum(['before', 'after']).optional(),
    }),
    /** Destroy the socket of the next `count` task queries. */
    dropQueries: z.object({ count: z.number().int().min(1) }),
    /** The next `count` task queries answer `status` + `code`. */
    failQueries: z.object({
      count: z.number().int().min(1),
      status: z.number().int().min(400).max(599),
      code: z.string().min(1),
      message: z.string().optional(),
    }),
    /** The next `count` answers (of `route`) are 200 with a body that is not valid JSON; a malformed submit still creates its task. */
    malformed: z.object({
      count: z.number().int().min(1),
      route: z.enum(['submit', 'query', 'any']).optional(),
    }),
    /** Every API call answers `status` (500) with `code` (InternalError) for `forMs` (mock clock). */
    serverErrors: z.object({
      forMs: z.number().int().min(0),
      status: z.number().int().optional(),
      code: z.string().optional(),
    }),
    /** Result URLs expire this long after the task ended (null: back to resultTtlMs). */
    resultUrlTtlMs: z.number().int().min(0).nullable(),
    /** Every API answer is delayed this long (real time). */
    delayMs: z.number().int().min(0),
    /** After this many paid images, submits answer 429 `Throttling.AllocationQuota` (null: no quota). */
    quotaImages: z.number().int().min(0).nullable(),
    /** Submits answer 400 `Arrearage`. */
    arrears: z.boolean(),
  })
  .partial()
  .strict();
export type FaultPlan = z.infer<typeof faultPlanSchema>;

export interface SubmitRecord {
  at: number;
  model: string | null;
  taskId: string | null;
  /** null when the socket was dropped. */
  httpStatus: number | null;
  code: string | null;
  /** sha256 (hex, 16 chars) of the image reference as sent: tells whether one photo was submitted twice. */
  imageHash: string | null;
  workspace: string | null;
  asyncHeader: boolean;
}

export interface QueryRecord {
  at: number;
  kind: 'task' | 'list' | 'cancel';
  taskId: string | null;
  httpStatus: number | null;
  workspace: string | null;
  /** The raw query string of a list call. */
  query?: string;
}

export interface DownloadRecord {
  at: number;
  taskId: string;
  httpStatus: number;
}

export interface MockStats {
  totals: {
    submits: number;
    acceptedSubmits: number;
    queries: number;
    downloads: number;
    /** Images of SUCCEEDED tasks: what the account was billed. */
    paidImages: number;
  };
  /** Most submit requests (accepted or not) that arrived in any sliding second. */
  maxSubmitsInAnySecond: number;
  /** Most accepted submits (tasks created) in any sliding second. */
  maxAcceptedSubmitsInAnySecond: number;
  maxQueriesInAnySecond: number;
  /** Most tasks PENDING or RUNNING at once, all models together, and per model. */
  maxInFlight: number;
  maxInFlightByModel: Record<string, number>;
  /** Most tasks RUNNING at once per model (never above the concurrency). */
  maxRunningByModel: Record<string, number>;
  /** Queries per second over the span from the first query to the last. */
  pollsPerSecond: number;
  /**
   * Per model, the share of its task slots that was busy: the RUNNING time of
   * its ended tasks / (the span from the first one's submit to the last one's
   * end x the model's concurrency). 1 is the physical limit.
   */
  slotUtilisation: Record<string, number>;
  /** Submits refused because the model's slots were taken (`overConcurrency: 'reject'`). */
  refusedSubmits: number;
  /** Image hashes billed more than once (SUCCEEDED in two tasks or more). */
  duplicatePaidImages: string[];
  submits: SubmitRecord[];
  queries: QueryRecord[];
  downloads: DownloadRecord[];
}

export type TaskState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

export interface MockTask {
  taskId: string;
  requestId: string;
  model: string;
  status: TaskState;
  submittedAt: number;
  startedAt: number | null;
  endedAt: number | null;
  imageHash: string;
  /** Images the task makes (`n` for imageedit). */
  images: number;
  /** Set by a `failTasks` fault. */
  failWith: { code: string; message: string } | null;
}

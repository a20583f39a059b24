// Job engine channels (issue: the job engine). Times are epoch milliseconds.
import { z } from 'zod';
import type { ModelId } from '../models';
import { recipeSchema, type Recipe } from '../recipe';
import type { ErrorCode } from '../result';
import { event, invoke } from './define';

export const JOB_STATES = [
  'queued',
  'preparing',
  'ready',
  'submitting',
  'submitted',
  'running',
  'downloading',
  'done',
  'skipped',
  'failed',
  'canceled',
  'paused',
  'expired',
  'needs_attention',
] as const;
/** See docs/job-engine.md for the machine; `needs_attention` waits for the user (ambiguous task list). */
export type JobState = (typeof JOB_STATES)[number];

export const BATCH_STATES = ['active', 'paused', 'canceled', 'done'] as const;
/** `paused` stops new submits only: tasks already sent are still polled and downloaded. */
export type BatchState = (typeof BATCH_STATES)[number];

export const ENGINE_STATES = ['running', 'idle', 'paused', 'offline', 'stopped'] as const;
/** `paused`: an account-level error holds the whole queue; `offline`: resumes by itself. */
export type EngineState = (typeof ENGINE_STATES)[number];

/** Why a batch or the engine is paused: an error code, or the user, or a batch not yet started. */
export type PauseReason = ErrorCode | 'user' | 'awaiting_start';

export interface JobError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

export interface JobView {
  id: string;
  batchId: string;
  seq: number;
  sourcePath: string;
  sourceHash: string;
  albumFolder: string;
  recipeKey: string;
  model: ModelId;
  state: JobState;
  attempts: number;
  taskId: string | null;
  requestId: string | null;
  submittedAt: number | null;
  finishedAt: number | null;
  imageCount: number | null;
  /** Library entries of this job's results (or of the saved result it was linked to). */
  entryIds: string[];
  /** The job this one duplicates (same photo and recipe in the queue). */
  linkedJobId: string | null;
  error: JobError | null;
  /** `needs_attention`: the unclaimed tasks that could be this job's. */
  candidates: string[];
  updatedAt: number;
}

export type StateCounts = Record<JobState, number>;

export interface BatchView {
  id: string;
  position: number;
  createdAt: number;
  label: string;
  recipe: Recipe;
  recipeKey: string;
  model: ModelId;
  state: BatchState;
  pauseReason: PauseReason | null;
  budgetCny: number | null;
  spentCny: number;
  force: boolean;
  counts: StateCounts;
  total: number;
  /** Jobs ended done or skipped. */
  finished: number;
}

export interface BatchProgress {
  batchId: string;
  state: BatchState;
  pauseReason: PauseReason | null;
  counts: StateCounts;
  finished: number;
  total: number;
  /** From measured task times; null until one is known. */
  etaMs: number | null;
  spentCny: number;
  totalSpentCny: number;
}

export interface EngineStatus {
  state: EngineState;
  reason: PauseReason | null;
  /** Fill the reason's text: `file`, the queue file a local reason (`queue_*`) names. */
  params?: Record<string, string | number>;
}

/**
 * The queue file was found damaged at open and rebuilt from what could be
 * read; shown (window banner, CLI line) until the user dismisses it.
 */
export interface QueueRecovery {
  /** The damaged file, kept aside as found: it still holds the task ids. */
  keptAs: string;
  batches: number;
  jobs: number;
  /** Jobs with a task in flight: followed up at DashScope before anything is sent. */
  inFlight: number;
  at: number;
}

export interface Quote {
  jobs: number;
  /** Jobs that will be paid for (not linked to a saved or queued result). */
  paidJobs: number;
  images: number;
  priceCny: number;
  /** Images of this batch the free allowance covers (billed at 0). */
  freeImages: number;
  /** Free images left before this batch; null when the engine keeps no ledger. */
  freeLeft: number | null;
  /** What the images beyond the free allowance cost. */
  totalCny: number;
  budgetCny: number | null;
}

export interface RejectedPhoto {
  path: string;
  reason: string;
}

const id = z.string().min(1).max(100);

export const createBatchSchema = z
  .object({
    /** Files and folders, scanned as intake scans them. */
    paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
    recipe: recipeSchema,
    budgetCny: z.number().min(0).max(1_000_000).optional(),
    /** Pay again even where a saved or queued result exists. */
    force: z.boolean().default(false),
    label: z.string().max(200).optional(),
    /** Start at once; otherwise the batch waits (`awaiting_start`) for `jobs:start` after the quote. */
    start: z.boolean().default(false),
  })
  .strict();
export type CreateBatchRequest = z.input<typeof createBatchSchema>;

const target = z
  .object({ batchId: id.optional(), jobId: id.optional() })
  .strict()
  .refine((v) => !(v.batchId && v.jobId), 'give batchId or jobId, not both');

export const jobsInvoke = {
  'jobs:create-batch': invoke<{ batch: BatchView; quote: Quote; rejected: RejectedPhoto[] }>()(
    createBatchSchema,
  ),
  'jobs:quote': invoke<Quote>()(z.object({ batchId: id }).strict()),
  'jobs:start': invoke<BatchView>()(z.object({ batchId: id }).strict()),
  /** A batch, a job, or (neither) the whole queue. */
  'jobs:pause': invoke<{ changed: number }>()(target),
  /** A batch, a job, or (neither) the whole queue, clearing an account-level pause. */
  'jobs:resume': invoke<{ changed: number }>()(target),
  'jobs:cancel': invoke<{ changed: number }>()(target),
  'jobs:retry-failed': invoke<{ changed: number }>()(
    z
      .object({
        batchId: id.optional(),
        jobId: id.optional(),
        includeExpired: z.boolean().default(false),
      })
      .strict(),
  ),
  /** Batch ids in the order wanted; batches not named keep their order after these. */
  'jobs:reorder': invoke<BatchView[]>()(
    z.object({ batchIds: z.array(id).min(1).max(10_000) }).strict(),
  ),
  /** Settles a `needs_attention` job: adopt one candidate task, pay for a new one, or cancel. */
  'jobs:resolve': invoke<JobView>()(
    z
      .object({ jobId: id, action: z.enum(['adopt', 'resubmit', 'cancel']), taskId: id.optional() })
      .strict(),
  ),
  'jobs:list-batches': invoke<BatchView[]>()(z.object({}).strict()),
  'jobs:list-jobs': invoke<{ jobs: JobView[]; total: number }>()(
    z
      .object({
        batchId: id,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
        states: z.array(z.enum(JOB_STATES)).optional(),
      })
      .strict(),
  ),
  'jobs:engine-state': invoke<EngineStatus>()(z.object({}).strict()),
  /** The queue file's rebuild after damage, until dismissed; null when there was none. */
  'jobs:recovery': invoke<QueueRecovery | null>()(z.object({}).strict()),
  'jobs:dismiss-recovery': invoke<null>()(z.object({}).strict()),
};

export const jobsEvents = {
  'jobs:job-updated': event<JobView>(),
  'jobs:batch-progress': event<BatchProgress>(),
  'jobs:engine-state': event<EngineStatus>(),
};

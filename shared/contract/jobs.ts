// Job engine channels (issue: the job engine). Times are epoch milliseconds.
import { z } from 'zod';
import type { ModelId } from '../models';
import type { PhotoReason } from '../photos';
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

/** `album`: a run of an album's photos; `audition`: a few photos tried in several styles. */
export const BATCH_KINDS = ['album', 'audition'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

export interface JobError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

export interface JobView {
  id: string;
  batchId: string;
  seq: number;
  /** The intake record (`PhotoRecord.id`) this job was made from; null for jobs older than scans by id. */
  photoId: string | null;
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
  kind: BatchKind;
  /** The intake scan the batch was made from (its window tab); null for batches older than scans by id. */
  scanId: string | null;
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

/** A chosen photo the recipe's model cannot take (too small for imageedit, say): named in the quote. */
export interface UnsendablePhoto {
  photoId: string;
  path: string;
  name: string;
  /** The album folder (`PhotoRecord.folder`). */
  folder: string;
  model: ModelId;
  reason: PhotoReason;
}

/**
 * What a batch will make and cost, computed once in core (electron/core/cost/quote.ts,
 * integer money) from the same photos→jobs plan the batch is created from; the
 * window, the audition and the CLI all show this. Money in CNY.
 */
export interface Quote {
  /** Photos chosen that at least one recipe can take. */
  photos: number;
  recipes: number;
  /** Photos × recipes that will be made (unsendable ones left out). */
  jobs: number;
  /** Images all those jobs make. */
  images: number;
  /** Jobs linked to a result the library already holds (not paid again). */
  alreadyInLibrary: number;
  /** Jobs linked to the same photo and recipe queued in another batch (not paid twice). */
  alreadyQueued: number;
  /** Jobs linked to an identical photo earlier in this batch (same content). */
  duplicatesInBatch: number;
  /** Images that will be asked of the service. */
  billableImages: number;
  /** Of those, images the free allowance covers (charged 0). */
  freeImages: number;
  /** billableImages − freeImages. */
  paidImages: number;
  /** CNY per image for each model the batch uses (4 decimals), from Settings. */
  perImageCny: Partial<Record<ModelId, number>>;
  /**
   * Free images left per model before this batch: the allowance as set in
   * Settings less what Restyle counted as used (the API does not report it).
   */
  freeLeft: Partial<Record<ModelId, number>>;
  /** What the paid images cost, rounded to the fen. */
  costCny: number;
  budgetCny: number | null;
  withinBudget: boolean;
  /** Chosen photos a recipe's model cannot take, each named with its reason. */
  unsendable: UnsendablePhoto[];
}

const id = z.string().min(1).max(100);

/**
 * A batch request: photos of one intake scan (by its id and record ids; the
 * album root is the folder the user dropped) × recipes. One core function turns
 * it into jobs (electron/core/queue/batch-plan.ts), for the window and the CLI.
 */
export const batchRequestSchema = z
  .object({
    scanId: id,
    /** Records of that scan to send; absent: every record that can be sent. */
    photoIds: z.array(id).min(1).max(100_000).optional(),
    recipes: z.array(recipeSchema).min(1).max(12),
    /**
     * Per recipe (same order), the photos of `photoIds` it is for; absent: every
     * photo in every recipe. A re-run of chosen results is only those pairs.
     */
    recipePhotoIds: z.array(z.array(id).max(100_000)).max(12).optional(),
    kind: z.enum(BATCH_KINDS).default('album'),
    budgetCny: z.number().min(0).max(1_000_000).optional(),
    /** Pay again even where a saved or queued result exists. */
    force: z.boolean().default(false),
    label: z.string().max(200).optional(),
  })
  .strict()
  .refine(
    (v) => v.recipePhotoIds === undefined || v.recipePhotoIds.length === v.recipes.length,
    'recipePhotoIds needs one list per recipe',
  );
export type BatchRequest = z.input<typeof batchRequestSchema>;

const target = z
  .object({ batchId: id.optional(), jobId: id.optional() })
  .strict()
  .refine((v) => !(v.batchId && v.jobId), 'give batchId or jobId, not both');

export const jobsInvoke = {
  /** What the request would make and cost; nothing is created. `not_found`: no such scan. */
  'jobs:quote': invoke<Quote>()(batchRequestSchema),
  /**
   * Creates and starts one batch per recipe (after the user confirmed the
   * quote), with the quote it was made at. `not_found`: no such scan.
   */
  'jobs:create-batch': invoke<{ batches: BatchView[]; quote: Quote }>()(batchRequestSchema),
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
  /**
   * Many jobs of a batch changed at once (a cancel, retry or resume of the
   * batch): one event instead of one `jobs:job-updated` each; the window
   * lists the batch's jobs again.
   */
  'jobs:batch-changed': event<{ batchId: string }>(),
  'jobs:engine-state': event<EngineStatus>(),
};

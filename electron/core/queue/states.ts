/**
 * The job state machine of docs/architecture.md ("The job engine"), pure.
 * Every state change goes through `canTransition`; the store refuses others.
 */
import { BATCH_STATES, type JobState } from '../../../shared/contract/jobs';

export { JOB_STATES, BATCH_STATES, ENGINE_STATES } from '../../../shared/contract/jobs';
export type { JobState, BatchState, EngineState } from '../../../shared/contract/jobs';

/**
 * A batch still being written (its jobs in chunks, docs/job-engine.md): a
 * state of the queue file only, never of a `BatchView`. No reader lists it and
 * the engine never starts its jobs; its last chunk makes it `active`, and one
 * left by a crash is dropped with its jobs when the queue is next opened.
 */
export const CREATING = 'creating';

/** Every state a batch row may hold (salvage checks them): those of the contract and `creating`. */
export const STORED_BATCH_STATES: readonly string[] = [...BATCH_STATES, CREATING];

/** States after which the engine does nothing more with a job without the user's word. */
export const FINAL_STATES: ReadonlySet<JobState> = new Set([
  'done',
  'skipped',
  'failed',
  'canceled',
  'expired',
]);

/** States the engine still moves forward by itself: waiting to be sent, or a task in flight. */
export const MOVING_STATES: readonly JobState[] = [
  'queued',
  'preparing',
  'ready',
  'submitting',
  'submitted',
  'running',
  'downloading',
];

/** States that wait for the user (not final, but the engine will not move them). */
export const WAITING_STATES: ReadonlySet<JobState> = new Set(['paused', 'needs_attention']);

/**
 * A job still on its way to a result: moving, or waiting for the user. A new
 * request's job for the same photo and recipe follows it ("already queued"),
 * and the library's coverage shows its cell as queued.
 */
export const LIVE_STATES: readonly JobState[] = [...MOVING_STATES, ...WAITING_STATES];

/** A task exists (or may exist) at DashScope: it is paid for or may be, so it is never dropped. */
export const TASK_STATES: ReadonlySet<JobState> = new Set([
  'submitting',
  'submitted',
  'running',
  'downloading',
]);

/** States that hold one of the account's task slots for the job's model. */
export const SLOT_STATES: ReadonlySet<JobState> = new Set(['submitting', 'submitted', 'running']);

const ALLOWED: Readonly<Record<JobState, readonly JobState[]>> = {
  queued: ['preparing', 'skipped', 'canceled', 'paused', 'failed'],
  preparing: ['ready', 'queued', 'failed', 'skipped', 'canceled', 'paused'],
  ready: ['submitting', 'queued', 'skipped', 'canceled', 'paused'],
  // `submitting` is the intent: only the task list may settle it (adopt, resubmit, ask).
  submitting: ['submitted', 'queued', 'failed', 'needs_attention', 'submitting', 'expired'],
  submitted: ['running', 'downloading', 'failed', 'queued', 'expired', 'canceled'],
  running: ['downloading', 'failed', 'queued', 'expired', 'canceled'],
  downloading: ['done', 'failed', 'expired', 'downloading'],
  done: ['queued'],
  skipped: ['queued'],
  failed: ['queued', 'canceled'],
  canceled: ['queued'],
  paused: ['queued', 'canceled'],
  expired: ['queued', 'canceled'],
  needs_attention: ['submitted', 'queued', 'canceled', 'failed'],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return ALLOWED[from].includes(to);
}

/** States a job may be in for `to` to be reached. */
export function statesLeadingTo(to: JobState): JobState[] {
  return (Object.keys(ALLOWED) as JobState[]).filter((from) => canTransition(from, to));
}

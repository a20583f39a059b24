import type {
  BatchProgress,
  BatchState,
  EngineStatus,
  JobState,
  JobView,
  PauseReason,
  StateCounts,
} from '../../../shared/contract/jobs';
import { JOB_STATES } from '../../../shared/contract/jobs';
import { recipeKey, type Recipe } from '../../../shared/recipe';
import type { PhotoRun, RunState } from './batch-photo';
import type { Batch, TabRun } from './batch-slice';

/** The engine's 14 job states, collapsed into what a photo cell shows (null: not in a run). */
const RUN_STATE_OF: Record<JobState, RunState | null> = {
  queued: 'queued',
  preparing: 'queued',
  ready: 'queued',
  paused: 'queued',
  submitting: 'waiting',
  submitted: 'waiting',
  running: 'running',
  downloading: 'running',
  done: 'done',
  skipped: 'skipped_done',
  failed: 'failed',
  expired: 'failed',
  needs_attention: 'failed',
  canceled: null,
};

export const runStateOf = (state: JobState): RunState | null => RUN_STATE_OF[state];

/** How many of a batch's jobs a photo would show in `state` (the run card's counts). */
export const countIn = (counts: StateCounts, state: RunState): number =>
  JOB_STATES.reduce((n, job) => n + (RUN_STATE_OF[job] === state ? counts[job] : 0), 0);

/** A job as a photo's run: its collapsed state, error and library entries. */
export function photoRunOf(job: JobView): PhotoRun | null {
  const state = runStateOf(job.state);
  if (!state) return null;
  return {
    state,
    ...(job.error && state === 'failed'
      ? { error: { code: job.error.code, message: job.error.message } }
      : {}),
    resultIds: job.entryIds,
  };
}

/** "3 min" / "40 s": the ETA in the largest whole unit (the caller translates). */
export function etaParts(ms: number): { unit: 'seconds' | 'minutes' | 'hours'; count: number } {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90) return { unit: 'seconds', count: seconds };
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return { unit: 'minutes', count: minutes };
  return { unit: 'hours', count: Math.round(minutes / 60) };
}

/** What a run card shows: the batch's state, or the whole queue's when that holds the batch. */
export type RunCardState = BatchState | 'offline';

export interface RunCard {
  state: RunCardState;
  reason: PauseReason | null;
  /** The reason's params (the file a local reason names). */
  params?: Record<string, string | number>;
  /** Paused by the whole queue (an account or local problem), not by this batch. */
  byQueue: boolean;
}

/**
 * The run's state as the engine has it: a batch the engine counts as active
 * is not running while the whole queue is paused (no key, arrears) or offline,
 * so the card says so, with the queue's reason.
 */
export function runCard(progress: BatchProgress, engine: EngineStatus | null): RunCard {
  if (progress.state === 'active' && engine?.state === 'paused') {
    return {
      state: 'paused',
      reason: engine.reason,
      ...(engine.params ? { params: engine.params } : {}),
      byQueue: true,
    };
  }
  if (progress.state === 'active' && engine?.state === 'offline') {
    return { state: 'offline', reason: null, byQueue: true };
  }
  return { state: progress.state, reason: progress.pauseReason, byQueue: false };
}

/** The run a tab shows: its latest. */
export const currentRun = (batch: Batch): TabRun | null =>
  batch.runs[batch.runs.length - 1] ?? null;

/**
 * What a tab's overview offers: `start` (the quote), `busy` (its run is
 * unfinished), `runAgain` (its run is done, in the chosen style or none yet: pick another),
 * `reopen` (a tab rebuilt from an earlier session's queue cannot be run again).
 */
export type RunOffer = 'start' | 'busy' | 'runAgain' | 'reopen';

export function runOffer(
  batch: Batch,
  recipe: Recipe | null,
  progress: BatchProgress | undefined,
): RunOffer {
  const run = currentRun(batch);
  if (progress && (progress.state === 'active' || progress.state === 'paused')) return 'busy';
  if (batch.source === 'queue') return 'reopen';
  // Done: not offered again in the same style (nor before another is chosen, after a reload).
  if (
    run &&
    progress?.state === 'done' &&
    (!recipe || recipeKey(recipe) === recipeKey(run.recipe))
  ) {
    return 'runAgain';
  }
  return 'start';
}

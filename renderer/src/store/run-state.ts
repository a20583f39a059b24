import type { JobState, JobView } from '../../../shared/contract/jobs';
import type { PhotoRun, RunState } from './batch-photo';

/** The engine's 14 job states, collapsed into what a photo cell shows (null: not in a run). */
const RUN_STATE_OF: Record<JobState, RunState | null> = {
  queued: 'queued',
  preparing: 'queued',
  ready: 'queued',
  paused: 'queued',
  submitting: 'running',
  submitted: 'running',
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

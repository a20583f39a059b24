import type { BatchProgress, BatchView, EngineStatus } from '../../../shared/contract/jobs';
import { ERROR_CODES, type ErrorCode } from '../../../shared/result';
import { MOVING_STATES } from '../queue/states';

/**
 * What the OS shows of the queue, decided here in plain Node and applied by
 * electron/main: the taskbar/dock progress, when to notify, and whether
 * quitting would leave work in flight.
 */

/** Progress over the batches still running: 0..1, or -1 to hide the bar. */
export function taskbarProgress(batches: Iterable<BatchProgress>): number {
  let total = 0;
  let finished = 0;
  for (const batch of batches) {
    if (batch.state !== 'active' || batch.finished >= batch.total) continue;
    total += batch.total;
    finished += batch.finished;
  }
  return total === 0 ? -1 : finished / total;
}

/** True when this progress event is the one that finished its batch. */
export function justFinished(before: BatchProgress | undefined, next: BatchProgress): boolean {
  return before !== undefined && before.state !== 'done' && next.state === 'done';
}

/** The account-level reason worth a notification, when the engine pauses for one. */
export function pauseToNotify(status: EngineStatus): ErrorCode | null {
  const reason = status.reason;
  if (status.state !== 'paused' || typeof reason !== 'string') return null;
  return (ERROR_CODES as readonly string[]).includes(reason) ? (reason as ErrorCode) : null;
}

/** Jobs that would be left unfinished by quitting now: waiting to be sent, or with a task in flight. */
export function jobsInFlight(batches: readonly BatchView[]): number {
  return batches
    .filter((batch) => batch.state === 'active')
    .reduce(
      (sum, batch) => sum + MOVING_STATES.reduce((n, state) => n + batch.counts[state], 0),
      0,
    );
}

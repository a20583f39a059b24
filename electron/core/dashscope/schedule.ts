/** Pure timing helpers for the scheduler: when to poll again, how long to back off. */

export interface PollScheduleOptions {
  /** First interval. @default 1000 */
  initialMs?: number;
  /** The interval never grows beyond this. @default 5000 */
  maxMs?: number;
  /** The interval doubles after every this many polls; `Infinity` keeps it flat. @default 3 */
  doubleEvery?: number;
}

/** The official SDKs' cadence: polls at 0, 1, 2, 4, 6, 8, 12, 16, 20, 25 s… */
export const SDK_POLLING: Required<PollScheduleOptions> = {
  initialMs: 1000,
  maxMs: 5000,
  doubleEvery: 3,
};

/**
 * About one poll a second while a task runs (architecture.md): the service
 * answers at once, and 20 queries/s leave room for many tasks at 1/s.
 */
export const RUNNING_POLLING: Required<PollScheduleOptions> = {
  initialMs: 1000,
  maxMs: 1000,
  doubleEvery: Number.POSITIVE_INFINITY,
};

/**
 * How long to wait after the `pollsDone`-th poll (1-based) before the next.
 * With the SDK defaults: 1, 1, 2, 2, 2, 4, 4, 4, 5, 5… seconds.
 */
export function pollDelayMs(pollsDone: number, options: PollScheduleOptions = {}): number {
  const { initialMs, maxMs, doubleEvery } = { ...SDK_POLLING, ...options };
  const polls = Math.max(1, Math.floor(pollsDone));
  const doublings = Number.isFinite(doubleEvery) ? Math.floor(polls / doubleEvery) : 0;
  // 2 ** 30 is already far past any cap; the clamp keeps huge counts finite.
  return Math.min(maxMs, initialMs * 2 ** Math.min(doublings, 30));
}

/** The times (ms after submit) of the first `count` polls; the first is at 0. */
export function pollTimesMs(count: number, options: PollScheduleOptions = {}): number[] {
  const times: number[] = [];
  let at = 0;
  for (let poll = 1; poll <= count; poll += 1) {
    times.push(at);
    at += pollDelayMs(poll, options);
  }
  return times;
}

export interface BackoffOptions {
  /** Ceiling of the first retry's wait. @default 1000 */
  baseMs?: number;
  /** No wait exceeds this. @default 60000 */
  maxMs?: number;
  /** A number in [0, 1); injected by tests. @default Math.random */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: a uniform wait in
 * [0, min(maxMs, baseMs * 2^attempt)), attempt counted from 0.
 * A `Retry-After` from the service, when present, is a floor the caller applies.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 1000, maxMs = 60_000, random = Math.random } = options;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, Math.floor(attempt)), 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

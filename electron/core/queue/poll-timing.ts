/**
 * When to ask about a running task: at its expected end, not on a fixed grid.
 *
 * The service stamps a task's times on its own clock (`submit_time`,
 * `scheduled_time`, `end_time`). Running times measured on that clock need no
 * correction; the moment a task started does, to be compared with this
 * machine's clock. Each submit gives bounds on the difference: the service
 * stamped `submit_time` after the request left here (`sentAt`) and before its
 * answer came back (`answeredAt`), so `submit_time - answeredAt <= offset <=
 * submit_time - sentAt`. The bounds of recent submits are intersected, and the
 * estimate is the lower bound plus half a query's round trip (the answer's
 * way back), kept inside them.
 */

/** How many recent samples are kept (round trips, clock bounds). */
const SAMPLES = 8;

export interface PollTimingOptions {
  /** Poll interval while nothing better is known. */
  pollMs: number;
  /** The shortest interval, right after the expected end. */
  tightPollMs: number;
}

export type PollTiming = ReturnType<typeof createPollTiming>;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

export function createPollTiming(options: PollTimingOptions) {
  const submits = new Map<string, { sentAt: number; answeredAt: number }>();
  /** [lower, upper] bounds of (service clock - local clock), newest last. */
  const bounds: [number, number][] = [];
  const roundTrips: number[] = [];

  const push = <T>(list: T[], value: T) => {
    list.push(value);
    if (list.length > SAMPLES) list.shift();
  };

  return {
    /** A submit's send and answer times here (the task's `submit_time` comes with its first poll). */
    noteSubmit(taskId: string, sentAt: number, answeredAt: number): void {
      submits.set(taskId, { sentAt, answeredAt });
      if (submits.size > 64) submits.delete(submits.keys().next().value as string);
    },

    /** A task's `submit_time` on the service's clock: one more bound on the clocks' difference. */
    noteSubmitTime(taskId: string, submitTime: Date | null): void {
      const sent = submits.get(taskId);
      if (!sent || !submitTime) return;
      submits.delete(taskId);
      const at = submitTime.getTime();
      push(bounds, [at - sent.answeredAt, at - sent.sentAt]);
    },

    /** A task query's round trip here. */
    noteRoundTrip(ms: number): void {
      if (Number.isFinite(ms) && ms >= 0) push(roundTrips, ms);
    },

    /** Median of recent query round trips (0 before the first). */
    roundTripMs(): number {
      return roundTrips.length === 0 ? 0 : median(roundTrips);
    },

    /** Estimated (service clock - local clock); 0 before the first sample. */
    offsetMs(): number {
      if (bounds.length === 0) return 0;
      let lower = Number.NEGATIVE_INFINITY;
      let upper = Number.POSITIVE_INFINITY;
      for (const [lo, hi] of bounds) {
        lower = Math.max(lower, lo);
        upper = Math.min(upper, hi);
      }
      // Bounds that do not meet (a clock stepped, a stamp rounded): the newest alone.
      if (lower > upper) [lower, upper] = bounds[bounds.length - 1] as [number, number];
      return Math.min(upper, lower + this.roundTripMs() / 2);
    },

    /**
     * When a task that started at `startedAt` (service clock) should end here,
     * from `runMs` (a low estimate of its running time); null when either is unknown.
     */
    expectedEnd(startedAt: Date | null, runMs: number | null): number | null {
      if (!startedAt || runMs === null) return null;
      return startedAt.getTime() - this.offsetMs() + runMs;
    },

    /**
     * The next poll: `min(now + pollMs, expected end - half a round trip)`, so
     * the query reaches the service as the task ends. Once that moment has
     * passed and the task still runs, tightly at first, then less often the
     * longer it overruns (a quarter of the overrun, within [tightPollMs, pollMs]).
     */
    nextPollAt(now: number, expectedEnd: number | null): number {
      if (expectedEnd === null) return now + options.pollMs;
      const target = expectedEnd - this.roundTripMs() / 2;
      if (target > now) return Math.min(now + options.pollMs, target);
      const overrun = now - target;
      return now + Math.min(options.pollMs, Math.max(options.tightPollMs, overrun / 4));
    },
  };
}

/**
 * When to ask about a running task: at its expected end, not on a fixed grid.
 *
 * The service stamps a task's times on its own clock (`submit_time`,
 * `scheduled_time`, `end_time`). Running times measured on that clock need no
 * correction; the moment a task started does, to be compared with this
 * machine's clock. Every answer bounds the clocks' difference (`offset`,
 * service minus local): the service did something between the moment a
 * request left here (`askedAt`) and the moment its answer came back
 * (`answeredAt`).
 * - A submit: `submit_time` was stamped in between, so
 *   `submit_time - answeredAt <= offset <= submit_time - askedAt`.
 * - A query that finds a task started (or ended) was answered after it, so
 *   `scheduled_time (end_time) - answeredAt <= offset`; the last query that found
 *   it still waiting (running) was answered before, so
 *   `offset <= scheduled_time (end_time) - askedAt`.
 * Polled around each end, the queries bracket the offset within about one
 * poll interval. The bounds of recent answers are intersected; the estimate
 * leans to the early side (half a round trip below the upper bound, never
 * below the lower one): a poll that comes early costs one more query, one that
 * comes late leaves the slot idle.
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
  /** Per task: when the last query that found it waiting / running was sent. */
  const stillAt = new Map<string, { pending?: number; running?: number }>();
  /** [lower, upper] bounds of (service clock - local clock), newest last. */
  let bounds: [number, number][] = [];
  const roundTrips: number[] = [];

  const push = <T>(list: T[], value: T) => {
    list.push(value);
    if (list.length > SAMPLES) list.shift();
  };
  /** Keeps at most 64 entries of a per-task map (tasks the engine stopped asking about). */
  const cap = <K, V>(map: Map<K, V>) => {
    if (map.size > 64) map.delete(map.keys().next().value as K);
  };
  const bound = (lower: number, upper: number) => push(bounds, [lower, upper]);

  function intersect(): [number, number] {
    let lower = Number.NEGATIVE_INFINITY;
    let upper = Number.POSITIVE_INFINITY;
    for (const [lo, hi] of bounds) {
      lower = Math.max(lower, lo);
      upper = Math.min(upper, hi);
    }
    return [lower, upper];
  }

  return {
    /** A submit's send and answer times here (the task's `submit_time` comes with its first poll). */
    noteSubmit(taskId: string, sentAt: number, answeredAt: number): void {
      submits.set(taskId, { sentAt, answeredAt });
      cap(submits);
    },

    /** A task query's answer: its round trip, and the bounds its times give (see above). */
    noteAnswer(
      task: {
        taskId: string;
        status: string;
        submitTime: Date | null;
        scheduledTime: Date | null;
        endTime: Date | null;
      },
      askedAt: number,
      answeredAt: number,
    ): void {
      push(roundTrips, Math.max(0, answeredAt - askedAt));
      const sent = submits.get(task.taskId);
      if (sent && task.submitTime) {
        submits.delete(task.taskId);
        const at = task.submitTime.getTime();
        bound(at - sent.answeredAt, at - sent.sentAt);
      }
      const seen = stillAt.get(task.taskId) ?? {};
      if (task.status === 'PENDING') seen.pending = askedAt;
      else if (task.scheduledTime && seen.pending !== undefined) {
        const at = task.scheduledTime.getTime();
        bound(at - answeredAt, at - seen.pending);
        delete seen.pending;
      }
      if (task.status === 'RUNNING') seen.running = askedAt;
      else if (task.endTime && seen.running !== undefined) {
        const at = task.endTime.getTime();
        bound(at - answeredAt, at - seen.running);
        delete seen.running;
      }
      if (task.status === 'PENDING' || task.status === 'RUNNING') {
        stillAt.set(task.taskId, seen);
        cap(stillAt);
      } else stillAt.delete(task.taskId);
    },

    /** Median of recent query round trips (0 before the first). */
    roundTripMs(): number {
      return roundTrips.length === 0 ? 0 : median(roundTrips);
    },

    /** Estimated (service clock - local clock); 0 before the first sample. */
    offsetMs(): number {
      if (bounds.length === 0) return 0;
      let [lower, upper] = intersect();
      // Bounds that do not meet (a clock was stepped): the newest alone from now on.
      if (lower > upper) {
        bounds = bounds.slice(-1);
        [lower, upper] = intersect();
      }
      const half = this.roundTripMs() / 2;
      if (!Number.isFinite(upper)) return lower + half;
      return Math.max(lower, upper - half);
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

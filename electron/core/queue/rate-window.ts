/** A sliding-window limiter: at most `limit` events in any `windowMs`, on an injected clock. */
export interface RateWindowOptions {
  limit: number;
  /** @default 1000 */
  windowMs?: number;
  /** @default Date.now */
  now?: () => number;
}

export interface RateWindow {
  /** Milliseconds until one more event fits (0: now). */
  waitMs(): number;
  /** Records an event now if one fits; false otherwise. */
  tryTake(): boolean;
  /** Events recorded in the current window. */
  count(): number;
  /** Records an event that happened at `at` (another process's, before this one started). */
  seed(at: number): void;
}

export function createRateWindow(options: RateWindowOptions): RateWindow {
  const windowMs = options.windowMs ?? 1000;
  const now = options.now ?? Date.now;
  const times: number[] = [];
  const prune = (at: number) => {
    while (times.length > 0 && (times[0] as number) <= at - windowMs) times.shift();
  };
  return {
    waitMs() {
      const at = now();
      prune(at);
      if (times.length < options.limit) return 0;
      return Math.max(0, (times[times.length - options.limit] as number) + windowMs - at);
    },
    tryTake() {
      const at = now();
      prune(at);
      if (times.length >= options.limit) return false;
      times.push(at);
      return true;
    },
    count() {
      prune(now());
      return times.length;
    },
    seed(at) {
      let i = times.length;
      while (i > 0 && (times[i - 1] as number) > at) i -= 1;
      times.splice(i, 0, at);
      prune(now());
    },
  };
}

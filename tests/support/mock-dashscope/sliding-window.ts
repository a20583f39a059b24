/** Counts events in a sliding window of a given width, on the mock's clock. */
export class SlidingWindow {
  private readonly times: number[] = [];
  constructor(private readonly widthMs = 1000) {}

  /** Events in (now - width, now]. */
  count(now: number): number {
    while (this.times.length > 0 && (this.times[0] as number) <= now - this.widthMs)
      this.times.shift();
    return this.times.length;
  }

  add(now: number): void {
    this.times.push(now);
  }

  clear(): void {
    this.times.length = 0;
  }
}

/** The most events of a sorted list of times that fall in any window [t, t + width). */
export function maxInAnyWindow(times: readonly number[], widthMs = 1000): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] as number) - (times[start] as number) >= widthMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

// Frame times while a grid scrolls in the real window, for the gallery and
// library benches: one page script and one way of saying the figures.

/** The frame budget of a 60 Hz display. */
export const FRAME_BUDGET_MS = 16.7;

/** The value at `p` percent of `sorted` (ascending). */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

// Page scripts are plain source: tsx would wrap named functions in a helper the page lacks.
/**
 * A page script: scrolls the element `data-testid={scrollTestId}` from the
 * top over `duration` ms, one step per frame, to the bottom (or `pixels`
 * down); resolves with the frame deltas.
 */
export const scrollFrames = (scrollTestId: string, duration: number, pixels?: number): string =>
  `new Promise((resolve) => {
  const scroller = document.querySelector('[data-testid="${scrollTestId}"]');
  scroller.scrollTop = 0;
  const distance = ${pixels ?? 'scroller.scrollHeight - scroller.clientHeight'};
  const deltas = [];
  let started = 0;
  let last = 0;
  const frame = (now) => {
    if (started === 0) started = now;
    else deltas.push(now - last);
    last = now;
    const progress = Math.min(1, (now - started) / ${duration});
    scroller.scrollTop = distance * progress;
    if (progress < 1) requestAnimationFrame(frame);
    else resolve(deltas);
  };
  requestAnimationFrame(frame);
})`;

/** "N frames, p50 …, p95 …, p99 …, max … (budget p95 ≤ 16.7 ms: met)". */
export function frameStats(frames: readonly number[]): string {
  const sorted = [...frames].sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  return (
    `${frames.length} frames, p50 ${percentile(sorted, 50).toFixed(1)} ms, ` +
    `p95 ${p95.toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, ` +
    `max ${(sorted[sorted.length - 1] ?? NaN).toFixed(1)} ms ` +
    `(budget p95 ≤ ${FRAME_BUDGET_MS} ms: ${p95 <= FRAME_BUDGET_MS + 0.1 ? 'met' : 'MISSED'})`
  );
}

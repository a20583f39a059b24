// Frame times in the real window, for the gallery and library benches: one
// page script and one way of saying the figures.

/** The frame budget of a 60 Hz display. */
export const FRAME_BUDGET_MS = 16.7;
/** A frame counts as over the budget when it missed a refresh: its delta is past 1.5 budgets. */
const MISSED_REFRESH_MS = FRAME_BUDGET_MS * 1.5;

/** The value at `p` percent of `sorted` (ascending). */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

// Page scripts are plain source: tsx would wrap named functions in a helper the page lacks.
/**
 * A page script: runs `setup`, then `step` once per frame for `duration` ms
 * (`progress` goes 0 → 1); resolves with the frame deltas.
 */
const framesScript = (duration: number, setup = '', step = ''): string =>
  `new Promise((resolve) => {
  ${setup}
  const deltas = [];
  let started = 0;
  let last = 0;
  const frame = (now) => {
    if (started === 0) started = now;
    else deltas.push(now - last);
    last = now;
    const progress = Math.min(1, (now - started) / ${duration});
    ${step}
    if (progress < 1) requestAnimationFrame(frame);
    else resolve(deltas);
  };
  requestAnimationFrame(frame);
})`;

/** A page script: the frame deltas over `duration` ms with nothing moved (the anchor). */
export const idleFrames = (duration: number): string => framesScript(duration);

/**
 * A page script: scrolls the element `data-testid={scrollTestId}` from the
 * top over `duration` ms, one step per frame, to the bottom (or `pixels`
 * down); resolves with the frame deltas.
 */
export const scrollFrames = (scrollTestId: string, duration: number, pixels?: number): string =>
  framesScript(
    duration,
    `const scroller = document.querySelector('[data-testid="${scrollTestId}"]');
  scroller.scrollTop = 0;
  const distance = ${pixels ?? 'scroller.scrollHeight - scroller.clientHeight'};`,
    'scroller.scrollTop = distance * progress;',
  );

/**
 * "N frames, p50 …, p95 …, p99 …, max … ms; over the 16.7 ms budget (60 Hz):
 * k (x %)": figures, never a pass mark (at the refresh cap p95 is 16.7 ms
 * however much time a frame had left).
 */
export function frameStats(frames: readonly number[]): string {
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (p: number) => percentile(sorted, p).toFixed(1);
  const over = frames.filter((ms) => ms > MISSED_REFRESH_MS).length;
  const share = frames.length > 0 ? (100 * over) / frames.length : NaN;
  return (
    `${frames.length} frames, p50 ${at(50)}, p95 ${at(95)}, p99 ${at(99)}, ` +
    `max ${(sorted[sorted.length - 1] ?? NaN).toFixed(1)} ms; ` +
    `over the ${FRAME_BUDGET_MS} ms budget (60 Hz, a refresh missed): ${over} (${share.toFixed(1)} %)`
  );
}

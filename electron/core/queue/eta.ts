/**
 * Time left for `remaining` jobs with `concurrency` slots, from measured task
 * times (median, robust to the odd slow task); null until one task was measured.
 */
export function estimateEtaMs(
  remaining: number,
  concurrency: number,
  measuredMs: readonly number[],
): number | null {
  if (remaining <= 0) return 0;
  const samples = measuredMs.filter((ms) => Number.isFinite(ms) && ms > 0).sort((a, b) => a - b);
  if (samples.length === 0) return null;
  const median = samples[Math.floor(samples.length / 2)] as number;
  return Math.round(Math.ceil(remaining / Math.max(1, concurrency)) * median);
}

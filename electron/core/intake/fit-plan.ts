import type { ImageLimits } from '../../../shared/models';
import { fitToLimits, type FitOptions, type FitPlan } from '../../../shared/fit';
import { IntakeError } from './intake-error';

export type { FitOptions, FitPlan };

/** Computes the fit (shared/fit.ts), or throws `too_small`: photos are never upscaled. */
export function planFit(
  width: number,
  height: number,
  limits: ImageLimits,
  options: FitOptions = {},
): FitPlan {
  const fit = fitToLimits(width, height, limits, options);
  if (fit.ok) return fit.plan;
  throw new IntakeError(
    'too_small',
    `${width}x${height} is under ${limits.minSide} px`,
    fit.reason.params ?? {},
  );
}

/** Scales a size down by `factor`, keeping both sides at least 1 px. */
export const scaled = (width: number, height: number, factor: number) => ({
  width: Math.max(1, Math.floor(width * factor)),
  height: Math.max(1, Math.floor(height * factor)),
});

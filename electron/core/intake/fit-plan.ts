import type { ImageLimits } from '../../../shared/models';
import type { PhotoReason } from '../../../shared/photos';
import { IntakeError } from './intake-error';

/** How an upright photo of `width` x `height` is fitted to a model's limits. */
export interface FitPlan {
  width: number;
  height: number;
  /** Cropped to the aspect limit (subject-aware), then scaled to `width` x `height`. */
  cropped: boolean;
  downscaled: boolean;
  /** Set when the photo is beyond the aspect limit and sent uncropped by setting. */
  note?: PhotoReason;
}

export interface FitOptions {
  /** Crop photos beyond the aspect limit; false sends them uncropped (the service crops). @default true */
  crop?: boolean;
}

/** Computes the fit, or throws `too_small`: photos are never upscaled. */
export function planFit(
  width: number,
  height: number,
  limits: ImageLimits,
  options: FitOptions = {},
): FitPlan {
  const crop = options.crop ?? true;
  const landscape = width >= height;
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const tooSmall = () =>
    new IntakeError('too_small', `${width}x${height} is under ${limits.minSide} px`, {
      width,
      height,
      min: limits.minSide,
    });
  if (short < limits.minSide) throw tooSmall();

  const aspect = long / short;
  const beyond = aspect > limits.maxAspect + 1e-6;
  const cropped = beyond && crop;
  const keptLong = cropped ? Math.floor(short * limits.maxAspect) : long;
  const scale = Math.min(1, limits.maxLongSide / keptLong, limits.maxShortSide / short);
  const targetLong = Math.max(1, Math.floor(keptLong * scale));
  const targetShort = Math.max(1, Math.floor(short * scale));
  if (targetShort < limits.minSide) throw tooSmall();

  const plan: FitPlan = {
    width: landscape ? targetLong : targetShort,
    height: landscape ? targetShort : targetLong,
    cropped,
    downscaled: scale < 1,
  };
  if (beyond && !crop) {
    plan.note = {
      code: 'aspect_sent_uncropped',
      params: { aspect: round2(aspect), max: limits.maxAspect },
    };
  }
  return plan;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Scales a size down by `factor`, keeping both sides at least 1 px. */
export const scaled = (width: number, height: number, factor: number) => ({
  width: Math.max(1, Math.floor(width * factor)),
  height: Math.max(1, Math.floor(height * factor)),
});

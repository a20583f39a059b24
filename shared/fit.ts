/**
 * How an upright photo is fitted to a model's limits, or why the model cannot
 * take it. Pure: core prepares uploads by it (electron/core/intake/fit-plan.ts),
 * the batch plan names the photos a recipe cannot take, and the window marks
 * them in the gallery before the quote, all from this one function.
 */
import { MODELS, type ImageLimits, type ModelId } from './models';
import type { PhotoReason } from './photos';

/**
 * A crop that cuts at most this share of the long side (a 1501 x 1000 photo
 * under a 1.5:1 limit loses 1 px) is still made, since the model refuses
 * anything beyond its limit, but it is not a visible change: the photo is
 * not reported as `cropped` for it.
 */
export const VISIBLE_CROP_SHARE = 0.01;

export interface FitPlan {
  width: number;
  height: number;
  /**
   * The upright size kept when the photo is cut to the aspect limit
   * (subject-aware), before it is scaled to `width` x `height`; null: the
   * whole photo is sent.
   */
  crop: { width: number; height: number } | null;
  /** The crop is a visible change: it cuts more than `VISIBLE_CROP_SHARE` of the long side. */
  cropped: boolean;
  downscaled: boolean;
  /** Set when the photo is beyond the aspect limit and sent uncropped by setting. */
  note?: PhotoReason;
}

export interface FitOptions {
  /** Crop photos beyond the aspect limit; false sends them uncropped (the service crops). @default true */
  crop?: boolean;
}

export type FitResult = { ok: true; plan: FitPlan } | { ok: false; reason: PhotoReason };

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Computes the fit; a photo under the model's smallest side is refused (never upscaled). */
export function fitToLimits(
  width: number,
  height: number,
  limits: ImageLimits,
  options: FitOptions = {},
): FitResult {
  const crop = options.crop ?? true;
  const landscape = width >= height;
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const tooSmall: FitResult = {
    ok: false,
    reason: { code: 'too_small', params: { width, height, min: limits.minSide } },
  };
  if (short < limits.minSide) return tooSmall;

  const aspect = long / short;
  const beyond = aspect > limits.maxAspect + 1e-6;
  const cut = beyond && crop;
  const keptLong = cut ? Math.floor(short * limits.maxAspect) : long;
  const scale = Math.min(1, limits.maxLongSide / keptLong, limits.maxShortSide / short);
  const targetLong = Math.max(1, Math.floor(keptLong * scale));
  const targetShort = Math.max(1, Math.floor(short * scale));
  if (targetShort < limits.minSide) return tooSmall;

  const upright = (along: number, across: number) =>
    landscape ? { width: along, height: across } : { width: across, height: along };
  const plan: FitPlan = {
    ...upright(targetLong, targetShort),
    crop: cut ? upright(keptLong, short) : null,
    cropped: cut && long - keptLong > long * VISIBLE_CROP_SHARE,
    downscaled: scale < 1,
  };
  if (beyond && !crop) {
    plan.note = {
      code: 'aspect_sent_uncropped',
      params: { aspect: round2(aspect), max: limits.maxAspect },
    };
  }
  return { ok: true, plan };
}

/**
 * Why `model` cannot take a photo of this upright size (too small for
 * imageedit's 512 px, say); null when it can, or when the size is unknown
 * (the photo is then judged when it is prepared).
 */
export function modelRefusal(
  photo: { width: number | null; height: number | null },
  model: ModelId,
): PhotoReason | null {
  if (photo.width === null || photo.height === null) return null;
  const fit = fitToLimits(photo.width, photo.height, MODELS[model].limits);
  return fit.ok ? null : fit.reason;
}

import sharp from 'sharp';
import { fitToLimits, type FitPlan } from '../../../shared/fit';
import { MODEL_IDS, MODELS, type ModelId } from '../../../shared/models';
import type { CropBox } from '../../../shared/photos';
import type { ImageSource } from './decode';
import { classifyDecodeError } from './intake-error';

/** The long side, in px, of the copy a crop is placed on (sharp's attention strategy). */
const LOOK_SIDE = 1024;

/**
 * The upright photo, small, as raw pixels: what crops are placed on. Made the
 * same way for the scan and for the upload, so both place a crop alike.
 */
export interface CropLook {
  pixels: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  /** The upright photo's size. */
  upright: { width: number; height: number };
}

export async function lookForCrop(
  source: ImageSource,
  upright: { width: number; height: number },
  hasAlpha: boolean,
): Promise<CropLook> {
  const size = { width: upright.width, height: upright.height };
  try {
    let image = source
      .pipeline()
      .rotate()
      .resize(LOOK_SIDE, LOOK_SIDE, { fit: 'inside', withoutEnlargement: true });
    if (hasAlpha) image = image.flatten({ background: '#ffffff' });
    const { data, info } = await image
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      pixels: data,
      width: info.width,
      height: info.height,
      channels: info.channels,
      upright: size,
    };
  } catch (error) {
    throw classifyDecodeError(error);
  }
}

/**
 * Where the part a plan keeps (`plan.crop`) sits in the upright photo: on
 * what draws the eye (sharp's attention strategy), found on the small look,
 * then scaled back to the photo's pixels. The upload is cut to exactly this
 * box, and the window shows the original cut to it beside the result.
 */
export async function placeCrop(
  look: CropLook,
  keep: NonNullable<FitPlan['crop']>,
): Promise<CropBox> {
  const { upright } = look;
  const sx = look.width / upright.width;
  const sy = look.height / upright.height;
  const width = Math.min(look.width, Math.max(1, Math.round(keep.width * sx)));
  const height = Math.min(look.height, Math.max(1, Math.round(keep.height * sy)));
  const { info } = await sharp(look.pixels, {
    raw: { width: look.width, height: look.height, channels: look.channels },
  })
    .resize(width, height, { fit: 'cover', position: sharp.strategy.attention })
    .raw()
    .toBuffer({ resolveWithObject: true });
  // sharp reports the offsets as negative numbers (where the kept part starts).
  const offsetLeft = Math.abs(info.cropOffsetLeft ?? 0);
  const offsetTop = Math.abs(info.cropOffsetTop ?? 0);
  const clamp = (value: number, max: number) => Math.min(Math.max(0, Math.round(value)), max);
  return {
    left: clamp(offsetLeft / sx, upright.width - keep.width),
    top: clamp(offsetTop / sy, upright.height - keep.height),
    width: keep.width,
    height: keep.height,
  };
}

/**
 * Where each model's crop sits (`PhotoRecord.crops`), for the models that
 * cut this photo to their aspect limit; undefined when none does (or when
 * photos are sent uncropped). One small look serves every model.
 */
export async function placeCrops(
  source: ImageSource,
  probe: { width: number; height: number; hasAlpha: boolean },
  crop: boolean,
): Promise<Partial<Record<ModelId, CropBox>> | undefined> {
  const cuts = MODEL_IDS.flatMap((model) => {
    const fit = fitToLimits(probe.width, probe.height, MODELS[model].limits, { crop });
    return fit.ok && fit.plan.crop ? [{ model, keep: fit.plan.crop }] : [];
  });
  if (cuts.length === 0) return undefined;
  const look = await lookForCrop(source, probe, probe.hasAlpha);
  const crops: Partial<Record<ModelId, CropBox>> = {};
  for (const { model, keep } of cuts) crops[model] = await placeCrop(look, keep);
  return crops;
}

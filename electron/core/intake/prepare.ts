import sharp, { type Sharp } from 'sharp';
import type { ImageLimits } from '../../../shared/models';
import type { Adjustment, CropBox, PhotoReason } from '../../../shared/photos';
import { lookForCrop, placeCrop } from './crop';
import type { ImageSource } from './decode';
import { planFit, scaled, type FitPlan } from './fit-plan';
import { IntakeError, classifyDecodeError } from './intake-error';
import { stripJpegMetadata } from './jpeg-strip';
import { probeImage, type Probe } from './probe';

const DATA_URI_PREFIX = 'data:image/jpeg;base64,';

export interface PrepareOptions {
  limits: ImageLimits;
  /** Crop photos beyond the aspect limit (false: send them uncropped). @default true */
  crop?: boolean;
  /** Highest JPEG quality tried; the byte limit may force a lower one. @default 90 */
  maxQuality?: number;
  /** Below this quality the photo is downscaled instead. @default 50 */
  minQuality?: number;
}

/** A photo ready to upload: an upright, sRGB, metadata-free JPEG under the model's limits. */
export interface PreparedImage {
  jpeg: Buffer;
  /** `data:image/jpeg;base64,…`, strictly shorter than `limits.maxBytes`. */
  dataUri: string;
  width: number;
  height: number;
  /** The JPEG quality encoded at; null: the original JPEG is sent as is, only its metadata stripped. */
  quality: number | null;
  original: { width: number; height: number };
  /** The part of the upright original sent, when it was cut to the aspect limit. */
  crop?: CropBox;
  adjustments: Adjustment[];
  note?: PhotoReason;
}

/** The largest JPEG whose data URI stays strictly under `maxBytes`. */
export const maxJpegBytes = (maxBytes: number): number =>
  Math.floor((maxBytes - 1 - DATA_URI_PREFIX.length) / 4) * 3;

/**
 * Prepares one photo for a model. Throws IntakeError (too small, truncated,
 * corrupt…). The original file is only read.
 */
export async function prepareImage(
  source: ImageSource,
  options: PrepareOptions,
): Promise<PreparedImage> {
  const { limits } = options;
  const maxQuality = options.maxQuality ?? 90;
  const minQuality = options.minQuality ?? 50;
  const probe = await probeImage(source);
  const plan = planFit(probe.width, probe.height, limits, { crop: options.crop ?? true });
  const adjustments = [...probe.adjustments];
  if (probe.hasAlpha && !(await isOpaque(source))) adjustments.push('flattened');
  if (plan.cropped) adjustments.push('cropped');
  if (plan.downscaled) adjustments.push('downscaled');

  const budget = maxJpegBytes(limits.maxBytes);
  try {
    const asIs = await sendableAsIs(source, probe, plan, budget);
    if (asIs) {
      return {
        jpeg: asIs,
        dataUri: DATA_URI_PREFIX + asIs.toString('base64'),
        width: probe.width,
        height: probe.height,
        quality: null,
        original: { width: probe.width, height: probe.height },
        adjustments,
        ...(plan.note ? { note: plan.note } : {}),
      };
    }
    const crop = plan.crop
      ? await placeCrop(await lookForCrop(source, probe, probe.hasAlpha), plan.crop)
      : null;
    const pipeline = fitted(source, plan, crop, probe.hasAlpha);
    const first = await pipeline
      .jpeg(jpegOptions(maxQuality))
      .toBuffer({ resolveWithObject: true });
    let result: { jpeg: Buffer; width: number; height: number; quality: number | null } = {
      jpeg: first.data,
      width: first.info.width,
      height: first.info.height,
      quality: maxQuality,
    };
    if (first.data.length > budget) {
      // Too big at full quality: render once to pixels, then search the quality (and size if need be).
      const raw = await fitted(source, plan, crop, probe.hasAlpha)
        .raw()
        .toBuffer({ resolveWithObject: true });
      result = await fitBytes(
        raw.data,
        raw.info,
        budget,
        minQuality,
        maxQuality - 1,
        limits.minSide,
      );
      adjustments.push('recompressed');
      if (result.width < plan.width && !adjustments.includes('downscaled'))
        adjustments.push('downscaled');
    }
    const prepared: PreparedImage = {
      ...result,
      dataUri: DATA_URI_PREFIX + result.jpeg.toString('base64'),
      original: { width: probe.width, height: probe.height },
      adjustments,
    };
    if (crop) prepared.crop = crop;
    if (plan.note) prepared.note = plan.note;
    return prepared;
  } catch (error) {
    throw classifyDecodeError(error);
  }
}

/**
 * The JPEG as it is, metadata stripped (jpeg-strip.ts), when nothing else
 * needs doing: upright, 8-bit sRGB, no crop, no downscale, and under the byte
 * limit. Null: it is decoded and re-encoded.
 */
async function sendableAsIs(
  source: ImageSource,
  probe: Probe,
  plan: FitPlan,
  budget: number,
): Promise<Buffer | null> {
  if (source.format !== 'jpeg' || !source.bytes) return null;
  if (probe.adjustments.length > 0 || probe.hasAlpha || plan.crop || plan.downscaled) return null;
  const stripped = stripJpegMetadata(await source.bytes());
  // The walk and sharp's header must agree on what the photo is.
  if (!stripped || stripped.frame.width !== probe.width || stripped.frame.height !== probe.height)
    return null;
  return stripped.jpeg.length <= budget ? stripped.jpeg : null;
}

/** Orient, flatten, cut to `crop`, scale and convert to 8-bit sRGB; no metadata is carried over. */
function fitted(
  source: ImageSource,
  plan: FitPlan,
  crop: CropBox | null,
  hasAlpha: boolean,
): Sharp {
  // Extracting after rotate() cuts the upright photo (sharp orients first).
  let image = source.pipeline().rotate();
  if (hasAlpha) image = image.flatten({ background: '#ffffff' });
  if (crop) image = image.extract(crop);
  const kept = crop ?? plan;
  if (plan.downscaled || kept.width !== plan.width || kept.height !== plan.height) {
    image = image.resize(plan.width, plan.height, { fit: 'fill' });
  }
  return image.toColourspace('srgb');
}

/**
 * Settings that buy bytes cheaply: plain libjpeg-turbo at 4:2:0. Optimised
 * Huffman tables (sharp's default) cost 1.74x the encode time for 4.3 % fewer
 * bytes, and mozjpeg's trellis far more; both are off.
 */
const jpegOptions = (quality: number) => ({
  quality,
  chromaSubsampling: '4:2:0',
  optimiseCoding: false,
  mozjpeg: false,
  trellisQuantisation: false,
  overshootDeringing: false,
  optimiseScans: false,
});

interface RawInfo {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Binary-searches the highest quality that fits; downscales when even `minQuality` does not. */
async function fitBytes(
  pixels: Buffer,
  info: RawInfo,
  budget: number,
  minQuality: number,
  maxQuality: number,
  minSide: number,
) {
  let { width, height } = info;
  let input = pixels;
  for (;;) {
    const encode = (quality: number) =>
      sharp(input, { raw: { width, height, channels: info.channels } })
        .jpeg(jpegOptions(quality))
        .toBuffer();
    let best: { jpeg: Buffer; quality: number } | null = null;
    let low = minQuality;
    let high = maxQuality;
    let smallest = Infinity;
    while (low <= high) {
      const quality = Math.floor((low + high) / 2);
      const jpeg = await encode(quality);
      if (jpeg.length <= budget) {
        best = { jpeg, quality };
        low = quality + 1;
      } else {
        smallest = Math.min(smallest, jpeg.length);
        high = quality - 1;
      }
    }
    if (best) return { ...best, width, height };
    // Bytes scale roughly with pixel count: shrink by the square root of the overshoot, with margin.
    const next = scaled(width, height, Math.min(0.9, Math.sqrt(budget / smallest) * 0.95));
    if (Math.min(next.width, next.height) < minSide) {
      throw new IntakeError('too_large', `cannot fit under ${budget} bytes above ${minSide} px`, {
        bytes: budget,
      });
    }
    input = await sharp(input, { raw: { width, height, channels: info.channels } })
      .resize(next.width, next.height, { fit: 'fill' })
      .raw()
      .toBuffer();
    ({ width, height } = next);
  }
}

/** Whether an image with an alpha channel is in fact fully opaque (then flattening changes nothing). */
export async function isOpaque(source: ImageSource): Promise<boolean> {
  try {
    const { data, info } = await source
      .pipeline()
      .resize(512, 512, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    for (let i = info.channels - 1; i < data.length; i += info.channels)
      if (data[i] !== 255) return false;
    return true;
  } catch {
    return false;
  }
}

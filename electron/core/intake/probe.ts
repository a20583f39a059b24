import type { Adjustment } from '../../../shared/photos';
import type { ImageSource } from './decode';
import { classifyDecodeError } from './intake-error';

/** What the header says, before any pixel is decoded. */
export interface Probe {
  /** Upright size (EXIF orientation applied). */
  width: number;
  height: number;
  hasAlpha: boolean;
  /** Invisible normalisations the upload gets: `rotated`, `converted_to_srgb`. */
  adjustments: Adjustment[];
}

const SRGB_LIKE = new Set(['srgb', 'b-w', 'rgb']);

export async function probeImage(source: ImageSource): Promise<Probe> {
  let meta;
  try {
    meta = await source.pipeline().metadata();
  } catch (error) {
    throw classifyDecodeError(error);
  }
  const orientation = meta.orientation ?? 1;
  const swap = orientation >= 5 && orientation <= 8;
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const adjustments: Adjustment[] = [];
  if (orientation > 1 && orientation <= 8) adjustments.push('rotated');
  const wideSamples = meta.depth !== undefined && meta.depth !== 'uchar' && meta.depth !== 'char';
  if (wideSamples || (meta.space !== undefined && !SRGB_LIKE.has(meta.space)))
    adjustments.push('converted_to_srgb');
  const hasAlpha = source.hasAlpha ?? meta.hasAlpha === true;
  return { width: swap ? height : width, height: swap ? width : height, hasAlpha, adjustments };
}

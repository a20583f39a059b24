import sharp, { type Metadata } from 'sharp';
import { RestyleError } from '../../../shared/result';

/** Formats a result may have, with the extension its file gets. */
export const RESULT_FORMATS = { png: 'png', jpeg: 'jpg', webp: 'webp' } as const;
export type ResultFormat = keyof typeof RESULT_FORMATS;

export interface CheckedImage {
  format: ResultFormat;
  ext: string;
  width: number;
  height: number;
}

/**
 * A result that cannot be decoded in full (a truncated or wrong download):
 * it is refused before anything is written. Code `file_unreadable`.
 */
export class ResultImageError extends RestyleError {
  override readonly name = 'ResultImageError';
  constructor(detail: string) {
    super('file_unreadable', `the result image does not decode: ${detail}`, { detail });
  }
}

/**
 * Decodes every pixel (a header alone would pass a truncated download) and
 * reports the real format, whatever the URL or content type claimed.
 */
export async function checkResultImage(bytes: Buffer): Promise<CheckedImage> {
  if (bytes.length === 0) throw new ResultImageError('empty');
  let meta: Metadata;
  try {
    const image = sharp(bytes, { failOn: 'truncated', limitInputPixels: 1 << 28 });
    meta = await image.metadata();
    await image.stats();
  } catch (error) {
    throw new ResultImageError((error as Error).message);
  }
  const format = meta.format;
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  if (!format || !(format in RESULT_FORMATS)) {
    throw new ResultImageError(`unexpected format ${format ?? 'unknown'}`);
  }
  const known = format as ResultFormat;
  return { format: known, ext: RESULT_FORMATS[known], width, height };
}

import { decode as decodeBmp } from 'bmp-ts';
import sharp, { type Sharp, type SharpOptions } from 'sharp';
import type { PhotoFormat } from '../../../shared/photos';
import { kindOf, NotARegularFileError, readRegularFile } from '../fs/regular-file';
import { classifyDecodeError } from './intake-error';

/**
 * Truncated files are errors (a half-grey photo must not be sent), milder
 * oddities (a bad EXIF block, a trailing byte) are not.
 * GIF and animated WebP give their first frame (sharp's default, `pages: 1`).
 */
export const SHARP_INPUT: SharpOptions = { failOn: 'truncated', limitInputPixels: 268_402_689 };

/** A photo opened for reading: make as many sharp pipelines from it as needed. */
export interface ImageSource {
  format: PhotoFormat;
  /** A fresh pipeline over the photo, not yet oriented. */
  pipeline(): Sharp;
  /** Known for pixels decoded here (the raw header cannot tell an unused alpha). */
  hasAlpha?: boolean;
  /** The file's bytes as they are on disk (formats sharp reads from the file), for sending a JPEG as is. */
  bytes?(): Promise<Buffer>;
}

/**
 * Opens a photo whose content was sniffed as `format`. sharp reads most
 * formats straight from the file (so it can shrink on load); HEIC (HEVC,
 * which the prebuilt sharp cannot decode) and BMP (which it cannot read) are
 * decoded here to raw pixels first.
 */
export async function openImage(path: string, format: PhotoFormat): Promise<ImageSource> {
  try {
    // sharp opens the path itself: a file swapped for a FIFO since the scan must not reach it.
    const kind = await kindOf(path);
    if (kind !== 'file' && kind !== 'missing' && kind !== 'unreadable')
      throw new NotARegularFileError(path, kind);
    if (format === 'heic') return await openHeic(path);
    if (format === 'bmp') return await openBmp(path);
  } catch (error) {
    throw classifyDecodeError(error);
  }
  return {
    format,
    pipeline: () => sharp(path, SHARP_INPUT),
    bytes: () => readRegularFile(path),
  };
}

async function openHeic(path: string): Promise<ImageSource> {
  const file = await readRegularFile(path);
  // HEIF files coded with AV1 (AVIF in a HEIC wrapper) are sharp's own business.
  const meta = await sharp(file)
    .metadata()
    .catch(() => null);
  if (meta?.compression === 'av1')
    return { format: 'heic', pipeline: () => sharp(file, SHARP_INPUT) };
  // Loaded with the first HEIC: libheif's WASM costs every process that
  // loads intake 0.2 s to start, and most albums hold none.
  const { default: decodeHeic } = await import('heic-decode');
  const image = await decodeHeic({ buffer: file });
  return rawSource(
    'heic',
    Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength),
    image.width,
    image.height,
  );
}

async function openBmp(path: string): Promise<ImageSource> {
  const file = await readRegularFile(path);
  const image = decodeBmp(file, { toRGBA: true });
  // Most 32-bit BMPs leave the alpha byte at 0 meaning "unused", not "transparent".
  const alphaUsed = image.bitPP === 32 && !alphaIs(image.data, 0);
  return rawSource('bmp', image.data, image.width, image.height, alphaUsed);
}

function rawSource(
  format: PhotoFormat,
  rgba: Buffer,
  width: number,
  height: number,
  alphaUsed?: boolean,
): ImageSource {
  const keepAlpha = alphaUsed ?? !alphaIs(rgba, 255);
  return {
    format,
    hasAlpha: keepAlpha,
    pipeline: () => {
      const image = sharp(rgba, { ...SHARP_INPUT, raw: { width, height, channels: 4 } });
      return keepAlpha ? image : image.removeAlpha();
    },
  };
}

/** True when every pixel's alpha (4th byte of RGBA) equals `value`. */
function alphaIs(rgba: Uint8Array, value: number): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== value) return false;
  return true;
}

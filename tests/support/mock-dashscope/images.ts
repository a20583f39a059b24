import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { MODELS, type ModelId } from '../../../shared/models';

export interface ImageProblem {
  code: 'InvalidImageFormat' | 'InvalidImageResolution' | 'InvalidURL' | 'InvalidParameter';
  message: string;
}

const DATA_URI = /^data:([^;,]+);base64,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const hashImageRef = (ref: string): string =>
  createHash('sha256').update(ref).digest('hex').slice(0, 16);

/**
 * Checks an image reference as the service does: a data URI of an allowed type
 * that decodes and fits the model's resolution limits, or an http(s) URL
 * without non-ASCII characters (not fetched).
 */
export async function checkImageRef(
  ref: unknown,
  model: ModelId,
  decode: boolean,
): Promise<ImageProblem | null> {
  if (typeof ref !== 'string' || ref === '')
    return { code: 'InvalidParameter', message: 'image url is required' };
  const limits = MODELS[model].limits;
  if (/^https?:\/\//.test(ref)) {
    return /^[\x21-\x7e]+$/.test(ref)
      ? null
      : { code: 'InvalidURL', message: 'The request URL is invalid' };
  }
  const match = DATA_URI.exec(ref);
  if (!match)
    return {
      code: 'InvalidURL',
      message: 'The request URL is invalid, make sure the url is correct and is an image',
    };
  const [, mime = '', data = ''] = match;
  if (!limits.formats.includes(mime))
    return { code: 'InvalidImageFormat', message: 'The input image is in invalid format' };
  if (!BASE64.test(data) || data.length % 4 !== 0) {
    return { code: 'InvalidImageFormat', message: 'The input image is in invalid format' };
  }
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length === 0 || bytes.length > limits.maxBytes) {
    return { code: 'InvalidImageFormat', message: 'The input image is in invalid format' };
  }
  if (!decode) return null;
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes).metadata());
  } catch {
    return { code: 'InvalidImageFormat', message: 'The input image is in invalid format' };
  }
  if (!width || !height)
    return { code: 'InvalidImageFormat', message: 'The input image is in invalid format' };
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  if (short < limits.minSide || long > limits.maxLongSide || short > limits.maxShortSide) {
    return {
      code: 'InvalidImageResolution',
      message: 'The input image resolution is too large or small',
    };
  }
  return null;
}

/** A real, decodable result image (one per format and size, cached by the caller). */
export async function makeResultImage(side: number, format: 'jpeg' | 'png'): Promise<Buffer> {
  const image = sharp({
    create: { width: side, height: side, channels: 3, background: { r: 200, g: 120, b: 60 } },
  });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 80 }).toBuffer();
}

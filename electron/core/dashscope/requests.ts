import {
  IMAGEEDIT_FUNCTIONS,
  MAX_VARIANTS,
  MODELS,
  PROMPT_MAX_CHARS,
  type ImageEditFunction,
} from '../../../shared/models';
import { DashScopeError } from './errors';

/** A preset style (0-9) or a custom style reference image; the two are exclusive. */
export type StyleRepaintRequest =
  | { imageDataUri: string; styleIndex: number; styleRefDataUri?: never }
  | { imageDataUri: string; styleRefDataUri: string; styleIndex?: never };

export interface ImageEditRequest {
  function: ImageEditFunction;
  /** Required, at most 800 characters: a longer prompt is refused here, not silently cut. */
  prompt: string;
  /** A `data:image/...;base64,` URI (or an http(s) URL). */
  baseImageDataUri: string;
  /** `description_edit_with_mask` only; an http(s) URL (the service takes no base64 mask). */
  maskImageUrl?: string;
  /** Images per task, 1-4. @default 1 (service default) */
  n?: number;
  /** 0..2147483647. */
  seed?: number;
  watermark?: boolean;
  /** `expand` only: 1.0-2.0 each. */
  topScale?: number;
  bottomScale?: number;
  leftScale?: number;
  rightScale?: number;
  /** `super_resolution` only: 1-4. */
  upscaleFactor?: number;
}

export interface SubmitBody {
  model: string;
  input: Record<string, string | number>;
  parameters?: Record<string, string | number | boolean>;
}

/** A request refused before it left the machine: the photo's recipe is wrong, never retried. */
export function invalidRequest(message: string): DashScopeError {
  return new DashScopeError({ code: 'api_invalid_input', message, retryable: false, scope: 'job' });
}

const DATA_URI = /^data:(image\/[a-z0-9.+-]+);base64,[A-Za-z0-9+/]+={0,2}$/;

/** Checks an image reference without ever putting it in a message (it may be megabytes, and private). */
function checkImageRef(value: unknown, field: string, formats: readonly string[]): string {
  if (typeof value !== 'string' || value === '') throw invalidRequest(`${field} is required`);
  if (value.startsWith('data:')) {
    const match = DATA_URI.exec(value);
    if (!match) throw invalidRequest(`${field} is not a base64 data URI`);
    if (!formats.includes(match[1] ?? ''))
      throw invalidRequest(`${field} has an unsupported type ${match[1]}`);
    return value;
  }
  if (/^https?:\/\/[\x21-\x7e]+$/.test(value)) return value;
  throw invalidRequest(
    `${field} must be a data URI or an http(s) URL without spaces or non-ASCII characters`,
  );
}

function checkRange(
  value: number | undefined,
  field: string,
  min: number,
  max: number,
  integer: boolean,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidRequest(`${field} must be between ${min} and ${max}`);
  }
  if (integer && !Number.isInteger(value)) throw invalidRequest(`${field} must be a whole number`);
}

export function styleRepaintBody(request: StyleRepaintRequest): SubmitBody {
  const model = MODELS['wanx-style-repaint-v1'];
  const image = checkImageRef(request.imageDataUri, 'imageDataUri', model.limits.formats);
  const hasIndex = request.styleIndex !== undefined && request.styleIndex !== null;
  const hasRef = request.styleRefDataUri !== undefined && request.styleRefDataUri !== null;
  if (hasIndex === hasRef)
    throw invalidRequest('give either styleIndex or styleRefDataUri, not both');
  if (hasRef) {
    const ref = checkImageRef(request.styleRefDataUri, 'styleRefDataUri', model.limits.formats);
    return { model: model.id, input: { image_url: image, style_index: -1, style_ref_url: ref } };
  }
  checkRange(request.styleIndex, 'styleIndex', 0, 9, true);
  return {
    model: model.id,
    input: { image_url: image, style_index: request.styleIndex as number },
  };
}

export function imageEditBody(request: ImageEditRequest): SubmitBody {
  const model = MODELS['wanx2.1-imageedit'];
  if (!(IMAGEEDIT_FUNCTIONS as readonly string[]).includes(request.function)) {
    throw invalidRequest('unknown imageedit function');
  }
  const prompt = typeof request.prompt === 'string' ? request.prompt.trim() : '';
  if (prompt === '') throw invalidRequest('prompt is required');
  // Counted in code points, as a person counts characters (CJK included).
  if ([...prompt].length > PROMPT_MAX_CHARS) {
    throw invalidRequest(`prompt is longer than ${PROMPT_MAX_CHARS} characters`);
  }
  const input: Record<string, string | number> = {
    function: request.function,
    prompt,
    base_image_url: checkImageRef(
      request.baseImageDataUri,
      'baseImageDataUri',
      model.limits.formats,
    ),
  };
  if (request.maskImageUrl !== undefined) {
    if (request.function !== 'description_edit_with_mask') {
      throw invalidRequest('a mask is only used by description_edit_with_mask');
    }
    if (!/^https?:\/\/[\x21-\x7e]+$/.test(request.maskImageUrl)) {
      throw invalidRequest('maskImageUrl must be an http(s) URL (no data URI)');
    }
    input.mask_image_url = request.maskImageUrl;
  } else if (request.function === 'description_edit_with_mask') {
    throw invalidRequest('description_edit_with_mask needs maskImageUrl');
  }

  checkRange(request.n, 'n', 1, MAX_VARIANTS, true);
  checkRange(request.seed, 'seed', 0, 2_147_483_647, true);
  checkRange(request.upscaleFactor, 'upscaleFactor', 1, 4, true);
  const parameters: Record<string, string | number | boolean> = {};
  if (request.n !== undefined) parameters.n = request.n;
  if (request.seed !== undefined) parameters.seed = request.seed;
  if (request.watermark !== undefined) parameters.watermark = request.watermark;
  const scales = [
    ['topScale', 'top_scale'],
    ['bottomScale', 'bottom_scale'],
    ['leftScale', 'left_scale'],
    ['rightScale', 'right_scale'],
  ] as const;
  for (const [field, wire] of scales) {
    const value = request[field];
    checkRange(value, field, 1, 2, false);
    if (value !== undefined) parameters[wire] = value;
  }
  if (request.upscaleFactor !== undefined) parameters.upscale_factor = request.upscaleFactor;
  const body: SubmitBody = { model: model.id, input };
  if (Object.keys(parameters).length > 0) body.parameters = parameters;
  return body;
}

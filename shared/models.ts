/**
 * What the DashScope image models accept, from docs/dashscope-api.md.
 * Where the published documents disagree, the stricter value is kept.
 */
export const MODEL_IDS = ['wanx-style-repaint-v1', 'wanx2.1-imageedit'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export interface ImageLimits {
  /** Smallest accepted side, in pixels; smaller photos are rejected, never upscaled. */
  minSide: number;
  /** Largest accepted long side and short side (5760x3240 for style repaint). */
  maxLongSide: number;
  maxShortSide: number;
  /** Long side / short side. Beyond it the photo is cropped (or sent as is, by setting). */
  maxAspect: number;
  /** Byte limit of the image as sent (we keep the whole data URI under it). */
  maxBytes: number;
  /** MIME types the service decodes. */
  formats: readonly string[];
}

export interface ModelInfo {
  id: ModelId;
  limits: ImageLimits;
  /** CNY per output image (editable in Settings). */
  defaultPriceCny: number;
  /** Tasks the account may have in flight for this model. */
  defaultConcurrency: number;
  /** Submissions per second per account. */
  submitsPerSecond: number;
  /** Task queries per second per account. */
  queriesPerSecond: number;
  /** Free images granted to a new account. */
  freeAllowance: number;
  submitPath: string;
}

const TEN_MB = 10 * 1024 * 1024;

export const MODELS: Record<ModelId, ModelInfo> = {
  'wanx-style-repaint-v1': {
    id: 'wanx-style-repaint-v1',
    limits: {
      minSide: 256,
      maxLongSide: 5760,
      maxShortSide: 3240,
      maxAspect: 1.5,
      maxBytes: TEN_MB,
      formats: ['image/jpeg', 'image/png', 'image/bmp', 'image/webp'],
    },
    defaultPriceCny: 0.12,
    defaultConcurrency: 1,
    submitsPerSecond: 2,
    queriesPerSecond: 20,
    freeAllowance: 500,
    submitPath: '/services/aigc/image-generation/generation',
  },
  'wanx2.1-imageedit': {
    id: 'wanx2.1-imageedit',
    limits: {
      minSide: 512,
      maxLongSide: 4096,
      maxShortSide: 4096,
      maxAspect: 4,
      maxBytes: TEN_MB,
      formats: ['image/jpeg', 'image/png', 'image/bmp', 'image/tiff', 'image/webp'],
    },
    defaultPriceCny: 0.14,
    defaultConcurrency: 2,
    submitsPerSecond: 2,
    queriesPerSecond: 20,
    freeAllowance: 500,
    submitPath: '/services/aigc/image2image/image-synthesis',
  },
};

/** The presets of wanx-style-repaint-v1 (style_index 0-9); names live in the locale files. */
export const STYLE_PRESETS = [
  { index: 0, slug: 'retro-comic' },
  { index: 1, slug: '3d-fairy-tale' },
  { index: 2, slug: 'anime' },
  { index: 3, slug: 'fresh' },
  { index: 4, slug: 'future-tech' },
  { index: 5, slug: 'chinese-painting' },
  { index: 6, slug: 'warrior-general' },
  { index: 7, slug: 'vivid-cartoon' },
  { index: 8, slug: 'elegant-chinese' },
  { index: 9, slug: 'new-year' },
] as const;

export const IMAGEEDIT_FUNCTIONS = [
  'stylization_all',
  'stylization_local',
  'description_edit_with_mask',
  'remove_watermark',
  'expand',
  'super_resolution',
  'colorization',
  'doodle',
  'control_cartoon_feature',
] as const;
export type ImageEditFunction = (typeof IMAGEEDIT_FUNCTIONS)[number];

export const PROMPT_MAX_CHARS = 800;
export const MAX_VARIANTS = 4;

/** Task ids and result URLs live 24 hours. */
export const TASK_TTL_MS = 24 * 60 * 60 * 1000;

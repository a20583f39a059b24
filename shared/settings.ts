import { z } from 'zod';
import { MODELS, type ModelId } from './models';
import { recipeSchema } from './recipe';

export const REGIONS = ['beijing', 'singapore', 'custom'] as const;
export type Region = (typeof REGIONS)[number];

/** Base URLs include `/api/v1`, the official SDK's convention (DASHSCOPE_HTTP_BASE_URL). */
export const REGION_BASE_URLS: Record<Exclude<Region, 'custom'>, string> = {
  beijing: 'https://dashscope.aliyuncs.com/api/v1',
  singapore: 'https://dashscope-intl.aliyuncs.com/api/v1',
};

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const limitsSchema = z.object({
  /** Tasks in flight per model; the account's documented limits are the defaults. */
  styleRepaintConcurrency: z.number().int().min(1).max(10),
  imageEditConcurrency: z.number().int().min(1).max(10),
  /** Send photos beyond the aspect limit uncropped (the service then crops them itself). */
  sendUncropped: z.boolean(),
});
export type Limits = z.infer<typeof limitsSchema>;

export const DEFAULT_LIMITS: Limits = {
  styleRepaintConcurrency: MODELS['wanx-style-repaint-v1'].defaultConcurrency,
  imageEditConcurrency: MODELS['wanx2.1-imageedit'].defaultConcurrency,
  sendUncropped: false,
};

/** Which field of Limits holds each model's tasks in flight. */
const CONCURRENCY_FIELD = {
  'wanx-style-repaint-v1': 'styleRepaintConcurrency',
  'wanx2.1-imageedit': 'imageEditConcurrency',
} as const satisfies Record<ModelId, keyof Limits>;

/** How many tasks of `model` may be in flight at once, from the limits in force. */
export const modelConcurrency = (model: ModelId, limits: Limits): number =>
  limits[CONCURRENCY_FIELD[model]];

/** Recipes the user saved for reuse (Batch > Styles), newest first. */
export const MAX_SAVED_RECIPES = 50;
export const savedRecipeSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    recipe: recipeSchema,
  })
  .strict();
export type SavedRecipe = z.output<typeof savedRecipeSchema>;

/** A price in CNY: at least 0, at most 4 decimals (a hundredth of a fen). */
const priceCny = z
  .number()
  .min(0)
  .max(1000)
  .refine((value) => Math.abs(value * 10_000 - Math.round(value * 10_000)) < 1e-6, {
    message: 'at most 4 decimals',
  });

export const pricingSchema = z.object({
  /** CNY per image of wanx-style-repaint-v1. */
  styleRepaintCny: priceCny,
  /** CNY per image of wanx2.1-imageedit. */
  imageEditCny: priceCny,
  /** Free images per model granted to the account. */
  freeAllowance: z.number().int().min(0).max(1_000_000),
});
export type Pricing = z.infer<typeof pricingSchema>;

export const DEFAULT_PRICING: Pricing = {
  styleRepaintCny: MODELS['wanx-style-repaint-v1'].defaultPriceCny,
  imageEditCny: MODELS['wanx2.1-imageedit'].defaultPriceCny,
  freeAllowance: MODELS['wanx-style-repaint-v1'].freeAllowance,
};

/** Which field of Pricing holds each model's price. */
export const PRICE_FIELD = {
  'wanx-style-repaint-v1': 'styleRepaintCny',
  'wanx2.1-imageedit': 'imageEditCny',
} as const satisfies Record<ModelId, keyof Pricing>;

/** CNY per output image of `model`, from the prices in force. */
export const modelPriceCny = (model: ModelId, pricing: Pricing): number =>
  pricing[PRICE_FIELD[model]];

/** Where the API key came from, as the window may see it (never the key itself). */
export type KeySource = 'stored' | 'session' | 'env' | 'none';

/**
 * How safely this machine can keep a secret:
 * `secure` (OS keychain), `insecure` (encryption backed by a plain-text store,
 * e.g. Linux without a keyring), `unavailable` (no encryption at all).
 */
export type SecretStorageStatus = 'secure' | 'insecure' | 'unavailable';

export interface KeyStatus {
  source: KeySource;
  /** e.g. `sk-…9f3a`; null when no key. */
  hint: string | null;
  storage: SecretStorageStatus;
}

export interface SettingsView {
  region: Region;
  /** The custom base URL (used when region is `custom`). */
  customEndpoint: string;
  /** The base URL in force. */
  endpoint: string;
  /**
   * True when the environment's DASHSCOPE_HTTP_BASE_URL decides `endpoint`,
   * over the region chosen (a custom address the user saved still wins).
   */
  endpointFromEnv: boolean;
  workspaceId: string;
  libraryDir: string;
  language: Language;
  theme: Theme;
  limits: Limits;
  pricing: Pricing;
  savedRecipes: SavedRecipe[];
  key: KeyStatus;
}

export const settingsPatchSchema = z
  .object({
    region: z.enum(REGIONS),
    customEndpoint: z.string().max(500),
    workspaceId: z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, - and _ only'),
    libraryDir: z.string().min(1).max(4096),
    language: z.enum(LANGUAGES),
    theme: z.enum(THEMES),
    limits: limitsSchema.partial(),
    pricing: pricingSchema.partial(),
    savedRecipes: z.array(savedRecipeSchema).max(MAX_SAVED_RECIPES),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/**
 * How to keep a new key: `auto` stores it when the OS store is secure and
 * otherwise asks (answers `secure_storage_unavailable`); `session` keeps it in
 * memory only; `insecure` stores it although the OS store is not secure.
 */
export const keyPersistenceSchema = z.enum(['auto', 'session', 'insecure']);
export type KeyPersistence = z.infer<typeof keyPersistenceSchema>;

/** DashScope keys look like `sk-` followed by letters and digits. */
export const apiKeySchema = z
  .string()
  .trim()
  .min(8)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import {
  DEFAULT_LIMITS,
  DEFAULT_PRICING,
  LANGUAGES,
  REGION_BASE_URLS,
  REGIONS,
  THEMES,
  limitsSchema,
  pricingSchema,
  savedRecipeSchema,
  type KeyPersistence,
  type KeyStatus,
  type Language,
  type Limits,
  type Pricing,
  type Region,
  type SavedRecipe,
  type SettingsPatch,
  type SettingsView,
  type Theme,
} from '../../../shared/settings';
import { RestyleError } from '../../../shared/result';
import { ensureDir } from '../fs/ensure-dir';
import type { KeyValueStore } from './key-value-store';
import type { SecretCipher } from './secret-cipher';

export interface SettingsServiceDeps {
  store: KeyValueStore;
  cipher: SecretCipher;
  /** Process environment: DASHSCOPE_API_KEY and DASHSCOPE_HTTP_BASE_URL are honoured. */
  env: Readonly<Record<string, string | undefined>>;
  defaults: { libraryDir: string; language: Language };
  /** Called after every change, with what the window may see. */
  onChange?: (view: SettingsView) => void;
}

export interface SettingsService {
  view(): SettingsView;
  update(patch: SettingsPatch): SettingsView;
  setKey(key: string, persistence: KeyPersistence): KeyStatus;
  removeKey(): KeyStatus;
  /** The key itself, for the DashScope client only. Never crosses the contract. */
  apiKey(): string | null;
  endpoint(): string;
  /**
   * The endpoint that would be in force after `patch`, checked as `update`
   * checks it (throws `invalid_endpoint`); nothing is written.
   */
  endpointAfter(patch: SettingsPatch): string;
  workspaceId(): string;
  limits(): Limits;
  /** Prices per image and the free allowance (editable in Settings). */
  pricing(): Pricing;
  language(): Language;
  /** Registers a listener; returns a function that removes it. */
  subscribe(listener: (view: SettingsView) => void): () => void;
}

const KEY_FIELD = 'apiKey';

/** `sk-…9f3a`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
  const prefix = key.startsWith('sk-') ? 'sk-' : '';
  return `${prefix}…${key.slice(-4)}`;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https anywhere; plain http only to this computer (local mocks and proxies). */
export function checkEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new RestyleError('invalid_endpoint', `not a URL: ${url}`);
  }
  const loopback = LOOPBACK_HOSTS.has(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new RestyleError('invalid_endpoint', `endpoint must use https: ${url}`);
  }
  return parsed.toString().replace(/\/+$/, '');
}

/** The folder must be absolute and writable; it is created when missing. */
export function checkLibraryDir(dir: string): string {
  if (!isAbsolute(dir)) {
    throw new RestyleError('invalid_folder', `not an absolute path: ${dir}`, {
      reason: 'not an absolute path',
    });
  }
  try {
    ensureDir(dir);
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const reason = (error as Error).message;
    throw new RestyleError('invalid_folder', `cannot use ${dir}: ${reason}`, { reason });
  }
  return dir;
}

const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : fallback;

export function createSettingsService(deps: SettingsServiceDeps): SettingsService {
  const { store, cipher, env } = deps;
  const listeners = new Set<(view: SettingsView) => void>();
  if (deps.onChange) listeners.add(deps.onChange);
  let sessionKey: string | null = null;

  const storedKey = (): string | null => {
    const sealed = store.get(KEY_FIELD);
    if (typeof sealed !== 'string' || sealed === '') return null;
    try {
      return cipher.decrypt(Buffer.from(sealed, 'base64'));
    } catch {
      // Sealed by another keychain or a damaged file: treat as absent, the user sets it again.
      return null;
    }
  };

  const region = (): Region => pick(store.get('region'), REGIONS, 'beijing');
  const customEndpoint = (): string => {
    const value = store.get('customEndpoint');
    return typeof value === 'string' ? value : '';
  };
  const limits = (): Limits => {
    const parsed = limitsSchema.partial().safeParse(store.get('limits') ?? {});
    return { ...DEFAULT_LIMITS, ...(parsed.success ? parsed.data : {}) };
  };
  const pricing = (): Pricing => {
    const parsed = pricingSchema.partial().safeParse(store.get('pricing') ?? {});
    return { ...DEFAULT_PRICING, ...(parsed.success ? parsed.data : {}) };
  };

  // Each entry is checked on read, so one damaged entry drops alone.
  const savedRecipes = (): SavedRecipe[] => {
    const stored = store.get('savedRecipes');
    if (!Array.isArray(stored)) return [];
    return stored.flatMap((entry: unknown) => {
      const parsed = savedRecipeSchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  };

  /** The environment's base URL when it decides the endpoint (a saved custom address wins). */
  const envEndpoint = (chosen: Region, custom: string): string | null =>
    (chosen === 'custom' && custom) || !env.DASHSCOPE_HTTP_BASE_URL
      ? null
      : env.DASHSCOPE_HTTP_BASE_URL.replace(/\/+$/, '');
  const endpointFor = (chosen: Region, custom: string): string => {
    if (chosen === 'custom' && custom) return custom;
    return (
      envEndpoint(chosen, custom) ?? REGION_BASE_URLS[chosen === 'custom' ? 'beijing' : chosen]
    );
  };
  const endpoint = (): string => endpointFor(region(), customEndpoint());

  /** The region and custom endpoint a patch asks for, checked; throws `invalid_endpoint`. */
  const connectionAfter = (patch: SettingsPatch) => {
    const custom = patch.customEndpoint
      ? checkEndpoint(patch.customEndpoint)
      : patch.customEndpoint;
    const nextRegion = patch.region ?? region();
    if (nextRegion === 'custom' && !(custom ?? customEndpoint())) {
      throw new RestyleError('invalid_endpoint', 'a custom region needs an endpoint');
    }
    return { region: nextRegion, customEndpoint: custom };
  };

  const keyStatus = (): KeyStatus => {
    const storage = cipher.status();
    const stored = storedKey();
    if (sessionKey) return { source: 'session', hint: maskKey(sessionKey), storage };
    if (stored) return { source: 'stored', hint: maskKey(stored), storage };
    const fromEnv = env.DASHSCOPE_API_KEY?.trim();
    if (fromEnv) return { source: 'env', hint: maskKey(fromEnv), storage };
    return { source: 'none', hint: null, storage };
  };

  const view = (): SettingsView => {
    const libraryDir = store.get('libraryDir');
    return {
      region: region(),
      customEndpoint: customEndpoint(),
      endpoint: endpoint(),
      endpointFromEnv: envEndpoint(region(), customEndpoint()) !== null,
      workspaceId:
        typeof store.get('workspaceId') === 'string' ? (store.get('workspaceId') as string) : '',
      libraryDir:
        typeof libraryDir === 'string' && libraryDir ? libraryDir : deps.defaults.libraryDir,
      language: pick(store.get('language'), LANGUAGES, deps.defaults.language),
      theme: pick<Theme>(store.get('theme'), THEMES, 'system'),
      limits: limits(),
      pricing: pricing(),
      savedRecipes: savedRecipes(),
      key: keyStatus(),
    };
  };

  const changed = (): SettingsView => {
    const current = view();
    for (const listener of listeners) listener(current);
    return current;
  };

  return {
    view,
    endpoint,
    endpointAfter: (patch) => {
      const next = connectionAfter(patch);
      return endpointFor(next.region, next.customEndpoint ?? customEndpoint());
    },
    limits,
    pricing,
    language: () => view().language,
    workspaceId: () => view().workspaceId,
    apiKey: () => sessionKey ?? storedKey() ?? (env.DASHSCOPE_API_KEY?.trim() || null),

    update(patch) {
      // Validate everything before writing anything.
      const { customEndpoint } = connectionAfter(patch);
      const libraryDir =
        patch.libraryDir === undefined ? undefined : checkLibraryDir(patch.libraryDir);

      if (patch.region !== undefined) store.set('region', patch.region);
      if (customEndpoint !== undefined) store.set('customEndpoint', customEndpoint);
      if (patch.workspaceId !== undefined) store.set('workspaceId', patch.workspaceId.trim());
      if (libraryDir !== undefined) store.set('libraryDir', libraryDir);
      if (patch.language !== undefined) store.set('language', patch.language);
      if (patch.theme !== undefined) store.set('theme', patch.theme);
      if (patch.limits !== undefined) store.set('limits', { ...limits(), ...patch.limits });
      if (patch.pricing !== undefined) store.set('pricing', { ...pricing(), ...patch.pricing });
      if (patch.savedRecipes !== undefined) store.set('savedRecipes', patch.savedRecipes);
      return changed();
    },

    setKey(key, persistence) {
      const trimmed = key.trim();
      const storage = cipher.status();
      if (persistence === 'session') {
        sessionKey = trimmed;
        return changed().key;
      }
      if (storage === 'unavailable' || (storage === 'insecure' && persistence === 'auto')) {
        throw new RestyleError('secure_storage_unavailable', `secret storage is ${storage}`, {
          storage,
        });
      }
      store.set(KEY_FIELD, cipher.encrypt(trimmed).toString('base64'));
      sessionKey = null;
      return changed().key;
    },

    removeKey() {
      sessionKey = null;
      store.delete(KEY_FIELD);
      return changed().key;
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

import { z } from 'zod';
import { invoke, event } from './define';
import { MODEL_IDS, type ModelId } from '../models';
import {
  apiKeySchema,
  keyPersistenceSchema,
  settingsPatchSchema,
  type KeyStatus,
  type SettingsView,
} from '../settings';

/**
 * What a key check found, one thing each:
 * `valid` the server took the key; `rejected` it refused the key itself
 * (401/403-type: invalid, or not allowed these models); `account` it took the
 * key but the account cannot run tasks (arrears, quota); `unreachable` no
 * usable answer came (network, DNS, TLS, timeout, 5xx), so the key was not
 * checked; `not_dashscope` the address answered, but not as DashScope does (a
 * web page, a redirect, a 404, a proxy's own login), so the key was not
 * checked either; `missing` there is no key to check.
 */
export const KEY_CHECK_OUTCOMES = [
  'valid',
  'rejected',
  'account',
  'unreachable',
  'not_dashscope',
  'missing',
] as const;
export type KeyCheckOutcome = (typeof KEY_CHECK_OUTCOMES)[number];

export interface KeyCheck {
  /** `outcome === 'valid'`. */
  valid: boolean;
  outcome: KeyCheckOutcome;
  /** When not valid: why, as an error code the UI translates. */
  code?: string;
  endpoint: string;
  /** The server asked, as the user reads it: host and port of `endpoint`. */
  host: string;
  /**
   * When unreachable: the socket error (ENOTFOUND, ECONNREFUSED, a TLS code) or
   * `HTTP 503`; when not_dashscope: the status it answered with (`HTTP 404`).
   */
  detail?: string;
}

/**
 * One model's free images as Restyle counts them. DashScope does not report
 * the allowance: `allowance` is the user's own figure (Settings), `used` is
 * what Restyle counted (the user may correct it), `left` is what remains.
 */
export interface FreeAllowance {
  model: ModelId;
  allowance: number;
  used: number;
  left: number;
}

export const settingsInvoke = {
  'settings:get': invoke<SettingsView>()(z.null()),
  'settings:update': invoke<SettingsView>()(settingsPatchSchema),
  /** Write-only: the key goes in, only its status comes back. */
  'settings:set-key': invoke<KeyStatus>()(
    z.object({ key: apiKeySchema, persistence: keyPersistenceSchema }).strict(),
  ),
  'settings:remove-key': invoke<KeyStatus>()(z.null()),
  /** A free authenticated call that creates nothing. */
  'settings:test-key': invoke<KeyCheck>()(z.null()),
  /** Opens the OS folder chooser; null when the user cancels. */
  'settings:choose-library-dir': invoke<SettingsView | null>()(z.null()),
  /** Each model's free images: the allowance set in Settings, used as counted, left (MODEL_IDS order). */
  'settings:free-allowance': invoke<FreeAllowance[]>()(z.null()),
  /** Corrects the free images used of one model (from the console's figure); answers as above. */
  'settings:set-free-used': invoke<FreeAllowance[]>()(
    z.object({ model: z.enum(MODEL_IDS), used: z.number().int().min(0).max(1_000_000) }).strict(),
  ),
};

export const settingsEvents = {
  'settings:changed': event<SettingsView>(),
};

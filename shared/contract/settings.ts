import { z } from 'zod';
import { invoke, event } from './define';
import {
  apiKeySchema,
  keyPersistenceSchema,
  settingsPatchSchema,
  type KeyStatus,
  type SettingsView,
} from '../settings';

export interface KeyCheck {
  valid: boolean;
  /** When invalid: why, as an error code the UI translates. */
  code?: string;
  endpoint: string;
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
};

export const settingsEvents = {
  'settings:changed': event<SettingsView>(),
};

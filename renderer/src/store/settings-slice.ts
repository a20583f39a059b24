import type { StateCreator } from 'zustand';
import type { RestyleApi } from '../../../shared/contract';
import type { AppInfo } from '../../../shared/contract/app';
import type { FreeAllowance, KeyCheck } from '../../../shared/contract/settings';
import type { ModelId } from '../../../shared/models';
import { ok, type AppError } from '../../../shared/result';
import type { KeyPersistence, SettingsPatch, SettingsView } from '../../../shared/settings';
import type { AppState } from './app-store';
import { asksWindowChooser } from './picker-slice';

export interface SettingsSlice {
  settings: SettingsView | null;
  appInfo: AppInfo | null;
  /** The last settings error, for the form to show. */
  settingsError: AppError | null;
  keyCheck: KeyCheck | null;
  keyBusy: boolean;
  /** A key waiting for the user's answer to "no secure store: session or store anyway?". */
  keyAwaitingConsent: string | null;
  /** Each model's free images (the allowance is the user's own figure); null until loaded. */
  freeAllowance: FreeAllowance[] | null;
  loadSettings(): Promise<void>;
  loadFreeAllowance(): Promise<void>;
  /** Corrects the free images Restyle counted as used for one model. */
  setFreeUsed(model: ModelId, used: number): Promise<void>;
  updateSettings(patch: SettingsPatch): Promise<boolean>;
  setKey(key: string, persistence: KeyPersistence): Promise<boolean>;
  cancelKeyConsent(): void;
  removeKey(): Promise<void>;
  testKey(): Promise<void>;
  chooseLibraryDir(): Promise<void>;
  receiveSettings(settings: SettingsView): void;
}

export const createSettingsSlice =
  (api: RestyleApi): StateCreator<AppState, [], [], SettingsSlice> =>
  (set, get) => ({
    settings: null,
    appInfo: null,
    settingsError: null,
    keyCheck: null,
    keyBusy: false,
    keyAwaitingConsent: null,
    freeAllowance: null,

    async loadSettings() {
      const [settings, info] = await Promise.all([
        api.invoke('settings:get', null),
        api.invoke('app:info', null),
      ]);
      set({
        settings: settings.ok ? settings.value : null,
        appInfo: info.ok ? info.value : null,
        settingsError: settings.ok ? null : settings.error,
      });
    },

    async updateSettings(patch) {
      const result = await api.invoke('settings:update', patch);
      set(
        result.ok
          ? { settings: result.value, settingsError: null }
          : { settingsError: result.error },
      );
      // A new allowance changes what is left.
      if (result.ok && patch.pricing?.freeAllowance !== undefined) await get().loadFreeAllowance();
      return result.ok;
    },

    async loadFreeAllowance() {
      const result = await api.invoke('settings:free-allowance', null);
      set(result.ok ? { freeAllowance: result.value } : { settingsError: result.error });
    },

    async setFreeUsed(model, used) {
      const result = await api.invoke('settings:set-free-used', { model, used });
      set(
        result.ok
          ? { freeAllowance: result.value, settingsError: null }
          : { settingsError: result.error },
      );
    },

    async setKey(key, persistence) {
      set({ keyBusy: true, keyCheck: null });
      const result = await api.invoke('settings:set-key', { key, persistence });
      if (result.ok) {
        set((state) => ({
          keyBusy: false,
          keyAwaitingConsent: null,
          settingsError: null,
          settings: state.settings ? { ...state.settings, key: result.value } : state.settings,
        }));
        return true;
      }
      if (result.error.code === 'secure_storage_unavailable' && persistence === 'auto') {
        set({ keyBusy: false, keyAwaitingConsent: key });
        return false;
      }
      set({ keyBusy: false, keyAwaitingConsent: null, settingsError: result.error });
      return false;
    },

    cancelKeyConsent: () => set({ keyAwaitingConsent: null }),

    async removeKey() {
      const result = await api.invoke('settings:remove-key', null);
      set((state) =>
        result.ok
          ? {
              keyCheck: null,
              settings: state.settings ? { ...state.settings, key: result.value } : state.settings,
            }
          : { settingsError: result.error },
      );
    },

    async testKey() {
      set({ keyBusy: true, keyCheck: null });
      const result = await api.invoke('settings:test-key', null);
      set(
        result.ok
          ? { keyBusy: false, keyCheck: result.value }
          : { keyBusy: false, settingsError: result.error },
      );
    },

    async chooseLibraryDir() {
      let result = await api.invoke('settings:choose-library-dir', null);
      if (asksWindowChooser(result) && get().canBrowse) {
        // What the host's chooser does with the folder: settings.update({ libraryDir }).
        const [folder] = (await get().pickInWindow('folder', get().settings?.libraryDir)) ?? [];
        result = folder ? await api.invoke('settings:update', { libraryDir: folder }) : ok(null);
      }
      if (!result.ok) set({ settingsError: result.error });
      else if (result.value) set({ settings: result.value, settingsError: null });
    },

    receiveSettings: (settings) => set({ settings }),
  });

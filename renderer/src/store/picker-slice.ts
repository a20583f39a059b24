import type { StateCreator } from 'zustand';
import { ok, type Result } from '../../../shared/result';
import type { WindowApi } from '../api/window-api';
import type { AppState } from './app-store';

/** What the in-page folder browser is choosing: photos and folders, one image, or one folder. */
export type PickerKind = 'photos' | 'reference' | 'folder';

export interface PickerRequest {
  /** Tells one opening from the next (the dialog starts afresh). */
  id: number;
  kind: PickerKind;
  /** The folder it opens in; null for the home folder. */
  start: string | null;
}

export interface PickerSlice {
  /** True on the dev bridge, whose client can list folders (never in the app). */
  canBrowse: boolean;
  /** The in-page folder browser's request while it is open. */
  picker: PickerRequest | null;
  /** The folder photos and references were last chosen from: the next choice starts there. */
  pickerFolder: string | null;
  /**
   * Opens the in-page folder browser; resolves with the chosen paths, or null
   * when the user cancels. The caller goes on exactly as after the OS chooser.
   */
  pickInWindow(kind: PickerKind, start?: string | null): Promise<string[] | null>;
  /**
   * Photos and folders to add, or one reference image: the host's chooser
   * (`intake:choose-paths`), or this page's folder browser where the host asks
   * the window to choose. Null when the user cancels.
   */
  choosePaths(kind: 'photos' | 'reference'): Promise<Result<string[] | null>>;
  /** The folder browser's answer: chosen paths (null: canceled), and the folder it was in. */
  answerPicker(paths: string[] | null, folder: string | null): void;
}

/**
 * Whether the host asked the window to choose by itself: the dev bridge has no
 * OS chooser, and (with no test's choice queued) answers `choose_in_window`.
 */
export const asksWindowChooser = (answer: Result<unknown>): boolean =>
  !answer.ok && answer.error.code === 'choose_in_window';

export const createPickerSlice =
  (api: WindowApi): StateCreator<AppState, [], [], PickerSlice> =>
  (set, get) => {
    let pending: ((paths: string[] | null) => void) | null = null;
    let opened = 0;

    return {
      canBrowse: typeof api.browse === 'function',
      picker: null,
      pickerFolder: null,

      pickInWindow(kind, start) {
        pending?.(null); // a second request cancels the first
        opened += 1;
        const from = start !== undefined ? start : kind === 'folder' ? null : get().pickerFolder;
        set({ picker: { id: opened, kind, start: from } });
        return new Promise((resolve) => {
          pending = resolve;
        });
      },

      async choosePaths(kind) {
        const answer = await api.invoke('intake:choose-paths', { single: kind === 'reference' });
        return asksWindowChooser(answer) && get().canBrowse
          ? ok(await get().pickInWindow(kind))
          : answer;
      },

      answerPicker(paths, folder) {
        const resolve = pending;
        pending = null;
        const kind = get().picker?.kind;
        set({
          picker: null,
          ...(paths && folder && kind !== 'folder' ? { pickerFolder: folder } : {}),
        });
        resolve?.(paths && paths.length > 0 ? paths : null);
      },
    };
  };

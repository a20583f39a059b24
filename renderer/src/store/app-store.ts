import { createContext, useContext } from 'react';
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { WindowApi } from '../api/window-api';
import { createAuditionSlice, type AuditionSlice } from './audition-slice';
import { createBatchSlice, type BatchSlice } from './batch-slice';
import { createLibrarySlice, type FindMemory, type LibrarySlice } from './library-slice';
import { createNavSlice, type NavSlice } from './nav-slice';
import { createPickerSlice, type PickerSlice } from './picker-slice';
import { createRerunSlice, type RerunSlice } from './rerun-slice';
import { recipeModel } from '../../../shared/recipe';
import { createJobListings } from './restore-queue';
import { createRunSlice, type RunSlice, type TabMemory } from './run-slice';
import { createScanInbox } from './scan-inbox';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createStyleSlice, type StyleSlice } from './style-slice';

export type AppState = NavSlice &
  SettingsSlice &
  BatchSlice &
  StyleSlice &
  RunSlice &
  AuditionSlice &
  PickerSlice &
  RerunSlice &
  LibrarySlice;
export type AppStore = UseBoundStore<StoreApi<AppState>>;

const ACTIVE_TAB = 'restyle.activeTab';

/** The open tab, kept in the page's sessionStorage (survives a reload, not a restart). */
function sessionTabMemory(): TabMemory | undefined {
  const storage = (globalThis as { sessionStorage?: Storage }).sessionStorage;
  if (!storage) return undefined;
  return {
    read: () => storage.getItem(ACTIVE_TAB),
    write: (id) => (id ? storage.setItem(ACTIVE_TAB, id) : storage.removeItem(ACTIVE_TAB)),
  };
}

const LIBRARY_FIND = 'restyle.libraryFind';

/** The Library's find (filters, sort, view), kept in localStorage: there when the user comes back. */
function localFindMemory(): FindMemory | undefined {
  const storage = (globalThis as { localStorage?: Storage }).localStorage;
  if (!storage) return undefined;
  return {
    read: () => storage.getItem(LIBRARY_FIND),
    write: (value) => storage.setItem(LIBRARY_FIND, value),
  };
}

/**
 * One store per window, created with its API seam (no module-level state).
 * `memory` keeps the open tab across a reload (default: sessionStorage);
 * `findMemory` the Library's filters (default: localStorage).
 */
export function createAppStore(
  api: WindowApi,
  memory: TabMemory | undefined = sessionTabMemory(),
  findMemory: FindMemory | undefined = localFindMemory(),
): AppStore {
  const inbox = createScanInbox();
  const listings = createJobListings(api);
  const store = create<AppState>()((...args) => ({
    ...createNavSlice(...args),
    ...createSettingsSlice(api)(...args),
    ...createBatchSlice(api, inbox)(...args),
    ...createStyleSlice(api, inbox)(...args),
    ...createRunSlice(api, inbox, listings)(...args),
    ...createAuditionSlice(api, listings)(...args),
    ...createPickerSlice(api)(...args),
    ...createRerunSlice(api)(...args),
    ...createLibrarySlice(api, findMemory)(...args),
  }));
  api.on('settings:changed', (settings) => store.getState().receiveSettings(settings));
  // Scan events go to the batch that started the scan, or to the style reference.
  api.on('intake:photos', ({ scanId, photos }) => {
    const state = store.getState();
    if (state.referenceScanId === scanId) state.receiveReference(photos);
    else if (state.batches.some((b) => b.id === scanId)) state.receivePhotos(scanId, photos);
    else inbox.hold(scanId, { photos });
  });
  api.on('intake:scan-done', (done) => {
    const state = store.getState();
    if (state.batches.some((b) => b.id === done.scanId)) state.receiveScanDone(done);
    else if (state.referenceScanId !== done.scanId) inbox.hold(done.scanId, { done });
  });
  api.on('library:changed', ({ added }) => {
    store.getState().receiveResult(added);
    store.getState().libraryChanged();
  });
  api.on('library:updated', () => store.getState().libraryChanged());
  api.on('jobs:job-updated', (job) => store.getState().receiveJob(job));
  api.on('jobs:batch-changed', ({ batchId }) => void store.getState().receiveBatchChanged(batchId));
  api.on('jobs:batch-progress', (progress) => store.getState().receiveProgress(progress));
  api.on('jobs:engine-state', (status) => store.getState().receiveEngine(status));
  // A style of another model judges again which photos it cannot take.
  store.subscribe((state, before) => {
    const model = state.recipe && recipeModel(state.recipe);
    if (model !== (before.recipe && recipeModel(before.recipe))) state.markRefusals();
    if (memory && state.activeBatchId !== before.activeBatchId) memory.write(state.activeBatchId);
  });
  void store.getState().loadEngineState();
  void store.getState().restoreTabs(memory);
  return store;
}

export const StoreContext = createContext<{ store: AppStore; api: WindowApi } | null>(null);

function useStoreContext() {
  const context = useContext(StoreContext);
  if (!context) throw new Error('StoreContext missing');
  return context;
}

/** Selects several fields at once, re-rendering only when one of them changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStoreContext().store(useShallow(selector));
}

/** Reads the store directly (for event handlers that need the latest state without subscribing). */
export function useAppStore(): AppStore {
  return useStoreContext().store;
}

export function useApi(): WindowApi {
  return useStoreContext().api;
}

import { createContext, useContext } from 'react';
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { RestyleApi } from '../../../shared/contract';
import { createNavSlice, type NavSlice } from './nav-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';

export type AppState = NavSlice & SettingsSlice;
export type AppStore = UseBoundStore<StoreApi<AppState>>;

/** One store per window, created with its API seam (no module-level state). */
export function createAppStore(api: RestyleApi): AppStore {
  const store = create<AppState>()((...args) => ({
    ...createNavSlice(...args),
    ...createSettingsSlice(api)(...args),
  }));
  api.on('settings:changed', (settings) => store.getState().receiveSettings(settings));
  return store;
}

export const StoreContext = createContext<{ store: AppStore; api: RestyleApi } | null>(null);

function useStoreContext() {
  const context = useContext(StoreContext);
  if (!context) throw new Error('StoreContext missing');
  return context;
}

/** Selects several fields at once, re-rendering only when one of them changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStoreContext().store(useShallow(selector));
}

export function useApi(): RestyleApi {
  return useStoreContext().api;
}

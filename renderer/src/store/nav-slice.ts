import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

export type View = 'batch' | 'library' | 'settings';

export interface NavSlice {
  view: View;
  setView(view: View): void;
}

export const createNavSlice: StateCreator<AppState, [], [], NavSlice> = (set) => ({
  view: 'batch',
  setView: (view) => set({ view }),
});

import Store from 'electron-store';
import type { KeyValueStore } from '../core/settings/key-value-store';

/** Settings in the app's userData folder (config.json), through electron-store. */
export function createElectronStore(): KeyValueStore {
  const store = new Store<Record<string, unknown>>({ name: 'config' });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    get path() {
      return store.path;
    },
  };
}

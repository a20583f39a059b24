import Conf from 'conf';

/**
 * The persistent settings file. electron-store (in the app) and conf (CLI,
 * bridge, tests) both satisfy it and write the same `config.json` format.
 */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  readonly path: string;
}

/**
 * A settings file in `dir`, outside Electron (same format electron-store writes).
 * It is opened on first use, not here (opening makes `dir`): `createServices`
 * opens the queue file and takes the data folder's lock first, so a CLI that
 * finds the folder in use, or unusable, has written nothing and names the queue file.
 */
export function createFileStore(dir: string): KeyValueStore {
  let opened: Conf<Record<string, unknown>> | null = null;
  const conf = () =>
    (opened ??= new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: 'config',
      projectName: 'restyle',
    }));
  return {
    get: (key) => conf().get(key),
    set: (key, value) => conf().set(key, value),
    delete: (key) => conf().delete(key),
    get path() {
      return conf().path;
    },
  };
}

import { join } from 'node:path';

/**
 * What core's folder rules need to know of the OS. Core never reads it itself:
 * the edge (electron/main, the CLI, scripts) passes `process.platform`,
 * `os.homedir()` and `process.env`.
 */
export interface HostOs {
  platform: string;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The app's data folder as Electron names it (`app.getPath('userData')` for
 * productName Restyle), so the CLI and the window share settings, queue and
 * library. `RESTYLE_DATA_DIR` overrides it.
 */
export function defaultDataDir({ platform, home, env }: HostOs): string {
  if (env.RESTYLE_DATA_DIR) return env.RESTYLE_DATA_DIR;
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Restyle');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Restyle');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Restyle');
  }
}

/** The default library: a Restyle folder in the user's Pictures folder. */
export const defaultLibraryDir = (picturesDir: string): string => join(picturesDir, 'Restyle');

/** The app's folders, decided by the edge (Electron's app.getPath, or CLI flags). */
export interface AppPaths {
  data: string;
  cache: string;
  logs: string;
  /** Where the library goes until the user picks another folder. */
  defaultLibrary: string;
}

/** The standard layout under one data folder (CLI and bridge). */
export function pathsUnder(dataDir: string, libraryDir?: string): AppPaths {
  return {
    data: dataDir,
    cache: join(dataDir, 'cache'),
    logs: join(dataDir, 'logs'),
    defaultLibrary: libraryDir ?? join(dataDir, 'library'),
  };
}

/** The durable job queue of a data folder. */
export const queueFile = (dataDir: string): string => join(dataDir, 'queue.sqlite');

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

import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathsUnder, type AppPaths } from './services';

/**
 * The app's data folder as Electron names it (`app.getPath('userData')` for
 * productName Restyle), so the CLI and the window share settings, queue and
 * library. `RESTYLE_DATA_DIR` overrides it.
 */
export function defaultDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (env.RESTYLE_DATA_DIR) return env.RESTYLE_DATA_DIR;
  const home = homedir();
  switch (process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Restyle');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Restyle');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Restyle');
  }
}

/** The default library: a Restyle folder in the user's Pictures folder. */
export function defaultLibraryDir(picturesDir = join(homedir(), 'Pictures')): string {
  return join(picturesDir, 'Restyle');
}

export function cliPaths(dataDir: string, libraryDir?: string): AppPaths {
  return pathsUnder(dataDir, libraryDir ?? defaultLibraryDir());
}

/**
 * What the CLI reads of its process and OS (environment, home folder,
 * platform, locale), in one place at the edge; core is handed the values.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Limits } from '../../shared/settings';
import {
  defaultDataDir,
  defaultLibraryDir,
  pathsUnder,
  type AppPaths,
  type HostOs,
} from '../core/app-paths';
import { LOCK_STALE_MS } from '../core/queue/engine-lock';

export const hostOs = (): HostOs => ({
  platform: process.platform,
  home: homedir(),
  env: process.env,
});

export { cliLanguage, cliTranslator } from './language';

/** The data folder: `--data-dir`, else `RESTYLE_DATA_DIR`, else the app's own. */
export const cliDataDir = (flag?: string): string => resolve(flag ?? defaultDataDir(hostOs()));

/** The folders under a data folder, with the default library in Pictures, as the app has them. */
export const cliPaths = (dataDir: string): AppPaths =>
  pathsUnder(dataDir, defaultLibraryDir(join(homedir(), 'Pictures')));

/** A whole number from the environment within [min, max]; undefined when unset or out of range. */
function envInt(name: string, min: number, max: number): number | undefined {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/**
 * Tasks in flight per model over the settings' (`RESTYLE_STYLE_REPAINT_CONCURRENCY`,
 * `RESTYLE_IMAGEEDIT_CONCURRENCY`, 1 to 10; tests and benches): only those set.
 */
export function envLimits(): Partial<Limits> {
  const over: Partial<Limits> = {};
  const styleRepaint = envInt('RESTYLE_STYLE_REPAINT_CONCURRENCY', 1, 10);
  const imageEdit = envInt('RESTYLE_IMAGEEDIT_CONCURRENCY', 1, 10);
  if (styleRepaint !== undefined) over.styleRepaintConcurrency = styleRepaint;
  if (imageEdit !== undefined) over.imageEditConcurrency = imageEdit;
  return over;
}

/** `RESTYLE_LOCK_STALE_MS` (1 s to 10 min) over the lock's stale limit: tests freeze an engine for seconds, not 20 s. */
export const envLockStaleMs = (): number =>
  envInt('RESTYLE_LOCK_STALE_MS', 1000, 600_000) ?? LOCK_STALE_MS;

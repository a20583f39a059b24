import { lstatSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isTempFile } from './atomic-file';
import { isSidecarName, imagePathFor, parseSidecar, type Sidecar } from './sidecar';

/** The library's own folder (index, caches): never scanned for results. */
export const PRIVATE_DIR = '.restyle';
/** A temp file this old is left over from a crash, not a save in progress. */
const STALE_TEMP_MS = 60 * 60 * 1000;

export interface FoundResult {
  imagePath: string;
  sidecarPath: string;
  sidecar: Sidecar;
}

export interface ScanReport {
  found: FoundResult[];
  /** Sidecars that are not ours or cannot be read, with why. */
  ignored: Array<{ path: string; reason: string }>;
  /** Leftover temp files removed. */
  removedTemps: string[];
}

/**
 * Walks the library for sidecars (symlinks are not followed, so no loops and
 * nothing outside the root), keeping those whose image is still there, and
 * clears temp files a crash left behind.
 */
export function scanSidecars(root: string, now: number): ScanReport {
  const report: ScanReport = { found: [], ignored: [], removedTemps: [] };
  const walk = (dir: string, top: boolean) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      report.ignored.push({ path: dir, reason: (error as Error).message });
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!(top && entry.name === PRIVATE_DIR)) walk(path, false);
      } else if (entry.isFile() && isTempFile(entry.name)) {
        removeIfStale(path, now, report);
      } else if (entry.isFile() && isSidecarName(entry.name)) {
        readOne(path, report);
      }
    }
  };
  walk(root, true);
  return report;
}

function removeIfStale(path: string, now: number, report: ScanReport) {
  try {
    if (now - statSync(path).mtimeMs < STALE_TEMP_MS) return;
    rmSync(path, { force: true });
    report.removedTemps.push(path);
  } catch {
    // Gone already, or not ours to remove: either way it is not indexed.
  }
}

function readOne(sidecarPath: string, report: ScanReport) {
  let text: string;
  try {
    text = readFileSync(sidecarPath, 'utf8');
  } catch (error) {
    report.ignored.push({ path: sidecarPath, reason: (error as Error).message });
    return;
  }
  const sidecar = parseSidecar(text);
  if (!sidecar) {
    report.ignored.push({ path: sidecarPath, reason: 'not a Restyle sidecar' });
    return;
  }
  const imagePath = imagePathFor(sidecarPath);
  let image;
  try {
    // lstat: the library writes regular files; a link (`x.png -> /etc/passwd`) is not a result.
    image = lstatSync(imagePath);
  } catch {
    report.ignored.push({ path: sidecarPath, reason: 'its image is missing' });
    return;
  }
  if (!image.isFile()) {
    report.ignored.push({ path: sidecarPath, reason: 'its image is not a regular file' });
    return;
  }
  report.found.push({ imagePath, sidecarPath, sidecar });
}

import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isTempFile } from './atomic-file';
import { isSidecarName } from './sidecar';

/** The library's own folder (index, held deletes): never scanned for results. */
export const PRIVATE_DIR = '.restyle';
/** A temp file this old is left over from a crash, not a save in progress. */
const STALE_TEMP_MS = 60 * 60 * 1000;
/** What a result image can be named (what the library writes). */
const IMAGE_NAME = /\.(png|jpe?g|webp)$/i;

/** A file's size and modification time when it was looked at. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** What the library folder holds, by path relative to the root (`/`-separated, as the index keeps it). */
export interface LibraryListing {
  /** Every sidecar-named file, with its stamp. */
  sidecars: Map<string, FileStamp>;
  /** Every regular file (what a sidecar's image is looked up in). */
  files: Set<string>;
  /** Regular files named like a result image (png, jpg, webp). */
  images: string[];
  /** Folders that could not be read, with why. */
  unreadable: Array<{ path: string; reason: string }>;
  /** Leftover temp files removed. */
  removedTemps: string[];
  /** Every folder walked (the root is `''`), with its mtime taken before it was listed. */
  folders: Map<string, number>;
}

/**
 * Walks the library folder: sidecars (stat'ed), images and every regular
 * file, as steps (`yield`) so a caller can let other work run in between
 * (`runYielding`) or run it at once (`runNow`). Symlinks are not followed (no
 * loops, nothing outside the root, and a link is never a result's image), the
 * private folder is skipped, and temp files a crash left are removed.
 */
export function* walkLibrary(root: string, now: number): Generator<void, LibraryListing> {
  const listing: LibraryListing = {
    sidecars: new Map(),
    files: new Set(),
    images: [],
    unreadable: [],
    removedTemps: [],
    folders: new Map(),
  };
  const folders: Array<{ path: string; rel: string }> = [{ path: root, rel: '' }];
  const due = stepDue();
  for (let folder = folders.pop(); folder; folder = folders.pop()) {
    let entries;
    try {
      // The mtime first: a change while the folder is listed moves it past what is remembered.
      listing.folders.set(folder.rel, statSync(folder.path).mtimeMs);
      entries = readdirSync(folder.path, { withFileTypes: true });
    } catch (error) {
      listing.unreadable.push({ path: folder.path, reason: (error as Error).message });
      continue;
    }
    for (const entry of entries) {
      const path = join(folder.path, entry.name);
      const rel = folder.rel === '' ? entry.name : `${folder.rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rel !== PRIVATE_DIR) folders.push({ path, rel });
        continue;
      }
      if (!entry.isFile()) continue;
      if (isTempFile(entry.name)) {
        removeIfStale(path, now, listing);
        continue;
      }
      listing.files.add(rel);
      if (isSidecarName(entry.name)) {
        const stamp = stampOf(path);
        if (stamp) listing.sidecars.set(rel, stamp);
        if (due()) yield;
      } else if (IMAGE_NAME.test(entry.name)) listing.images.push(rel);
    }
    if (due()) yield;
  }
  return listing;
}

/**
 * Whether every folder of the library still has the mtime the last walk saw
 * (`remembered`, by relative path, the root `''`): then no file or folder was
 * added, removed or renamed anywhere in it, since each of those moves the
 * mtime of the folder it is in, and the folder tree itself is the one walked
 * then. One stat per folder, as steps; false at the first difference.
 */
export function* foldersUnchanged(
  root: string,
  remembered: ReadonlyMap<string, number>,
): Generator<void, boolean> {
  if (!remembered.has('')) return false;
  const due = stepDue();
  for (const [rel, mtime] of remembered) {
    const stamp = stampOf(rel === '' ? root : join(root, ...rel.split('/')));
    if (!stamp || stamp.mtimeMs !== mtime) return false;
    if (due()) yield;
  }
  return true;
}

/** The file's stamp, or null when it went away since it was listed. */
export function stampOf(path: string): FileStamp | null {
  try {
    const info = statSync(path);
    return { size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return null;
  }
}

function removeIfStale(path: string, now: number, listing: LibraryListing) {
  try {
    if (now - statSync(path).mtimeMs < STALE_TEMP_MS) return;
    rmSync(path, { force: true });
    listing.removedTemps.push(path);
  } catch {
    // Gone already, or not ours to remove: either way it is not indexed.
  }
}

/** How long a step of stepwise work runs before it lets the event loop in (`yield`). */
const STEP_MS = 4;

/**
 * A clock for stepwise work: true when the current step has run `STEP_MS`,
 * and a new step starts. Work checks it between items (`if (due()) yield;`).
 */
export function stepDue(ms = STEP_MS): () => boolean {
  let start = performance.now();
  return () => {
    const now = performance.now();
    if (now - start < ms) return false;
    start = now;
    return true;
  };
}

/** Runs a walk's (or any stepwise work's) steps to the end at once: the index rebuilt while the library opens. */
export function runNow<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs the steps, giving the event loop (the main process: IPC, the window's images) a turn between them. */
export async function runYielding<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

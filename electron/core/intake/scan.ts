import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { LeftOut } from '../../../shared/contract/intake';
import { extensionOf, isNotPhotoName } from '../../../shared/photos';
import { openRegularFile } from '../fs/regular-file';

/** One file met by the walk, before its content is looked at. */
export interface ScanEntry {
  path: string;
  name: string;
  /** See PhotoRecord.folder. */
  folder: string;
  /** 0 when the size is unknown (unreadable). */
  bytes: number;
  /**
   * `system`: a hidden or OS file, skipped; `left_out`: a regular file whose
   * extension says it is not a photo (`.json`, `.mov`…), only counted;
   * `special`: a FIFO, socket or
   * device, never opened (a FIFO would block the read); `broken_link`: a
   * symlink whose target is gone (or that loops on itself); `missing`: a
   * given path that does not exist; `error`: could not be stat'ed;
   * `folder_error`: a folder that could not be listed.
   */
  kind:
    | 'file'
    | 'system'
    | 'left_out'
    | 'special'
    | 'broken_link'
    | 'missing'
    | 'error'
    | 'folder_error';
  /** The errno code when kind is `error` or `folder_error`. */
  error?: string;
}

const SYSTEM_FILES = new Set([
  '.ds_store',
  'thumbs.db',
  'ehthumbs.db',
  'desktop.ini',
  'icon\r',
  '.localized',
]);
const SYSTEM_DIRS = new Set([
  '$recycle.bin',
  'system volume information',
  '@eadir',
  '__macosx',
  'node_modules',
]);

/** Hidden and OS bookkeeping files: dot files (incl. `._*` resource forks), `Thumbs.db`, `desktop.ini`… */
export const isSystemName = (name: string): boolean =>
  name.startsWith('.') || SYSTEM_FILES.has(name.toLowerCase());

/** Hidden and OS bookkeeping folders (`.git`, `$RECYCLE.BIN`, `@eaDir`, `node_modules`…), not entered. */
export const isSystemDir = (name: string): boolean =>
  name.startsWith('.') || SYSTEM_DIRS.has(name.toLowerCase());

const toPosix = (p: string): string => (sep === '/' ? p : p.split(sep).join('/'));

export interface WalkOptions {
  signal?: AbortSignal;
}

/**
 * Counts files left out by their extension into `summary` (kept up to date in
 * place): how many, and their extensions, most frequent first (then by name),
 * at most 10.
 */
export function leftOutTally(summary: LeftOut = { count: 0, extensions: [] }) {
  const byExtension = new Map<string, number>();
  return {
    summary,
    add(name: string): void {
      const extension = extensionOf(name);
      byExtension.set(extension, (byExtension.get(extension) ?? 0) + 1);
      summary.count += 1;
      summary.extensions = [...byExtension]
        .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, 10)
        .map(([ext]) => ext);
    },
  };
}

/**
 * Walks files and folders depth-first, streaming entries as it goes.
 * Symlinks are followed; a folder or file reached twice (loop, second link,
 * the same path dropped twice) is visited once, by device + inode.
 * Hidden folders are not entered; hidden files come out as `system`.
 */
export async function* walk(
  paths: readonly string[],
  options: WalkOptions = {},
): AsyncGenerator<ScanEntry> {
  const seen = new Set<string>();
  for (const input of paths) {
    const root = dirname(input);
    const stack: string[] = [input];
    while (stack.length > 0) {
      if (options.signal?.aborted) return;
      const path = stack.pop() as string;
      const name = basename(path);
      const folder = toPosix(relative(root, dirname(path)));
      let info;
      try {
        info = await stat(path);
      } catch (error) {
        yield { path, name, folder, bytes: 0, ...(await statFailure(path, error)) };
        continue;
      }
      const identity = `${info.dev}:${info.ino}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      if (info.isDirectory()) {
        // Dropped folders are walked even when hidden; hidden subfolders are not.
        if (path !== input && isSystemDir(name)) continue;
        let names: string[];
        try {
          names = await readdir(path);
        } catch (error) {
          yield { path, name, folder, bytes: 0, kind: 'folder_error', error: errnoOf(error) };
          continue;
        }
        // Reverse-sorted onto the stack, so entries come out in name order.
        names.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
        for (const child of names) stack.push(join(path, child));
      } else if (info.isFile()) {
        yield {
          path,
          name,
          folder,
          bytes: info.size,
          kind: isSystemName(name) ? 'system' : isNotPhotoName(name) ? 'left_out' : 'file',
        };
      } else {
        // Reported, not dropped: the user gave it (or it sits among the photos).
        yield {
          path,
          name,
          folder,
          bytes: 0,
          kind: isSystemName(name) ? 'system' : 'special',
        };
      }
    }
  }
}

/** Why stat failed: a dangling or looping symlink, a missing path, or another error. */
async function statFailure(
  path: string,
  error: unknown,
): Promise<Pick<ScanEntry, 'kind' | 'error'>> {
  const code = errnoOf(error);
  if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') {
    const link = await lstat(path).catch(() => null);
    if (link?.isSymbolicLink() || code === 'ELOOP') return { kind: 'broken_link' };
    if (code === 'ENOENT') return { kind: 'missing' };
  }
  return { kind: 'error', error: code };
}

const errnoOf = (error: unknown): string =>
  error && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'EIO';

/** The first bytes of a regular file, for content sniffing (a FIFO or device is refused, unopened). */
export async function readHead(path: string, length = 64): Promise<Buffer> {
  const handle = await openRegularFile(path);
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

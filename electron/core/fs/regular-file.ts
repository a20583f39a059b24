import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isInside } from './is-inside';

/**
 * What a path is, asked without opening it (opening a FIFO for reading blocks
 * until a writer comes; a device such as /dev/zero never ends).
 */
export type FileKind =
  'file' | 'directory' | 'fifo' | 'socket' | 'device' | 'broken_link' | 'missing' | 'unreadable';

/** The kind of a stat result (links already followed). */
export function kindOfStats(
  info: Stats,
): Exclude<FileKind, 'broken_link' | 'missing' | 'unreadable'> {
  if (info.isFile()) return 'file';
  if (info.isDirectory()) return 'directory';
  if (info.isFIFO()) return 'fifo';
  if (info.isSocket()) return 'socket';
  return 'device';
}

const errnoOf = (error: unknown): string | undefined =>
  error && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/**
 * The kind of `path`, links followed; a link whose target is gone (or that
 * loops) is `broken_link`, not `missing`.
 */
export async function kindOf(path: string): Promise<FileKind> {
  try {
    return kindOfStats(await stat(path));
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') {
      const link = await lstat(path).catch(() => null);
      if (link?.isSymbolicLink()) return 'broken_link';
      return code === 'ELOOP' ? 'broken_link' : 'missing';
    }
    return 'unreadable';
  }
}

/** A path that is something else than a regular file: refused before any byte is read. */
export class NotARegularFileError extends Error {
  override readonly name = 'NotARegularFileError';
  readonly code = 'ENOTREGULAR';
  constructor(
    readonly path: string,
    readonly kind: FileKind,
  ) {
    super(`${path} is not a regular file (${kind})`);
  }
}

/** Opening never waits for a FIFO's writer (POSIX); plain reads of regular files ignore it. */
const READ_NONBLOCK = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `path` for reading only when it is a regular file: its type is
 * checked before the open (a FIFO or device is refused, never opened for a
 * blocking read), and again on the opened handle (fstat), so a file swapped
 * for a pipe in between is refused too. Throws NotARegularFileError, or the
 * open's own error (ENOENT, EACCES…).
 */
export async function openRegularFile(path: string): Promise<FileHandle> {
  const kind = await kindOf(path);
  // Missing or unstattable: the open below fails and says why, with its errno.
  if (kind !== 'file' && kind !== 'missing' && kind !== 'unreadable')
    throw new NotARegularFileError(path, kind);
  return checkHandle(await open(path, READ_NONBLOCK), path);
}

async function checkHandle(handle: FileHandle, path: string): Promise<FileHandle> {
  try {
    const kind = kindOfStats(await handle.stat());
    if (kind !== 'file') throw new NotARegularFileError(path, kind);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** All of a regular file's bytes (see openRegularFile). */
export async function readRegularFile(path: string): Promise<Buffer> {
  const handle = await openRegularFile(path);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * `path` opened for reading, or null: only when its real path (links
 * resolved) lies inside `root`'s real path, it is a regular file, and the
 * handle opened is that same file (device + inode checked on the open handle,
 * so a swap between the check and the open is refused). The caller closes it.
 */
export async function openFileInside(root: string, path: string): Promise<FileHandle | null> {
  try {
    const realRoot = await realpath(root);
    const real = await realpath(path);
    if (!isInside(realRoot, real)) return null;
    const handle = await openRegularFile(real);
    try {
      const opened = await handle.stat();
      const now = await stat(real);
      if (opened.dev === now.dev && opened.ino === now.ino && (await realpath(path)) === real)
        return handle;
    } catch {
      // Gone or swapped meanwhile: refused like any other mismatch.
    }
    await handle.close();
    return null;
  } catch {
    return null;
  }
}

/**
 * A file's bytes for the window, or null: opened by openFileInside, and only
 * when `accept` likes the bytes (an image signature: a hard link to a foreign
 * file fails there).
 */
export async function readFileInside(
  root: string,
  path: string,
  accept: (bytes: Buffer) => boolean,
): Promise<Buffer | null> {
  const handle = await openFileInside(root, path);
  if (!handle) return null;
  try {
    const bytes = await handle.readFile();
    return accept(bytes) ? bytes : null;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

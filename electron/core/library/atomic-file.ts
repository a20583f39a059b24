import { randomBytes } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The file operations the library performs, as one seam: the real ones
 * below, or a test's wrapper that fails at a chosen step (ENOSPC mid-write,
 * a crash before the rename) without faking the library itself.
 */
export interface FileOps {
  /** Creates `path` (failing if it exists), writes all of `data`, fsyncs and closes it. */
  writeNew(path: string, data: Buffer): Promise<void>;
  /** Moves `from` to `to`; fails with EEXIST instead of replacing `to`. */
  renameNoReplace(from: string, to: string): Promise<void>;
  /** Moves `from` to `to`, replacing `to` atomically (a sidecar rewritten in place). */
  renameReplacing(from: string, to: string): Promise<void>;
  /** Makes a rename in `dir` durable (a no-op where folders cannot be fsynced). */
  syncDir(dir: string): Promise<void>;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): Promise<void>;
}

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException)?.code;

/** File systems without hard links (FAT, exFAT, some network shares) answer these to link(). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EACCES']);

export const nodeFileOps: FileOps = {
  async writeNew(path, data) {
    const handle = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
    try {
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  },

  async renameNoReplace(from, to) {
    // link() refuses an existing target atomically, so a file the user put
    // there a moment ago is never replaced; rename() would silently replace it.
    try {
      await link(from, to);
      await unlink(from);
      return;
    } catch (error) {
      if (!NO_HARD_LINKS.has(errno(error) ?? '')) throw error;
    }
    if (existsSync(to)) {
      throw Object.assign(new Error(`EEXIST: file already exists, rename '${to}'`), {
        code: 'EEXIST',
      });
    }
    await rename(from, to);
  },

  renameReplacing: (from, to) => rename(from, to),

  async syncDir(dir) {
    try {
      const handle = await open(dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // Windows cannot open or fsync a folder; NTFS journals the rename itself.
    }
  },

  async remove(path) {
    try {
      await unlink(path);
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw error;
    }
  },
};

/** Temp files are hidden, in the target's folder (same file system: rename is atomic). */
export const TEMP_SUFFIX = '.restyle-tmp';

export const isTempFile = (name: string): boolean =>
  name.startsWith('.') && name.endsWith(TEMP_SUFFIX);

/**
 * Writes `data` to `path` so that `path` is either absent or complete:
 * temp file, fsync, rename without replacing, fsync the folder. On any
 * failure the temp file is removed and the error rethrown (EEXIST when
 * `path` is taken). With `replace`, a file at `path` is replaced atomically
 * instead (readers see the old file or the new one, never a part).
 */
export async function writeFileAtomic(
  ops: FileOps,
  path: string,
  data: Buffer,
  options: { replace?: boolean } = {},
): Promise<void> {
  const temp = join(
    dirname(path),
    `.${basename(path)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`,
  );
  try {
    await ops.writeNew(temp, data);
    if (options.replace) await ops.renameReplacing(temp, path);
    else await ops.renameNoReplace(temp, path);
  } catch (error) {
    await ops.remove(temp).catch(() => undefined);
    throw error;
  }
  await ops.syncDir(dirname(path));
}

export const isExists = (error: unknown): boolean => errno(error) === 'EEXIST';
export const isDiskFull = (error: unknown): boolean =>
  errno(error) === 'ENOSPC' || errno(error) === 'EDQUOT';

/** The coded local problem a failed write is (the disk is full, the folder read-only or not ours), or null. */
export function localFailure(
  error: unknown,
): 'disk_full' | 'folder_read_only' | 'folder_not_writable' | null {
  if (isDiskFull(error)) return 'disk_full';
  const code = errno(error);
  if (code === 'EROFS') return 'folder_read_only';
  return code === 'EACCES' || code === 'EPERM' ? 'folder_not_writable' : null;
}

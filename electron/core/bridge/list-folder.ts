import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import {
  BROWSE_MAX_ENTRIES,
  type BrowseErrorCode,
  type BrowseResult,
  type FolderEntry,
} from '../../../shared/bridge';
import { PHOTO_EXTENSIONS } from '../../../shared/photos';
import { isSystemDir, isSystemName } from '../intake/scan';

/** Image files by extension, as the OS chooser filters them (intake then checks the bytes). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(
  PHOTO_EXTENSIONS.map((ext) => `.${ext}`),
);

const MAX_PATH = 4096;

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const failure = (code: BrowseErrorCode, message: string): BrowseResult => ({
  ok: false,
  error: { code, message },
});

const errnoOf = (error: unknown): string =>
  error && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'EIO';

/** An errno from stat or readdir, as the page's browser should explain it. */
function explain(error: unknown, path: string): BrowseResult {
  const errno = errnoOf(error);
  switch (errno) {
    case 'ENOENT':
    case 'ELOOP':
      return failure('not_found', `${errno}: no folder at ${path}`);
    case 'ENOTDIR':
      return failure('not_a_folder', `${errno}: ${path} is not a folder`);
    case 'EACCES':
    case 'EPERM':
      return failure('unreadable', `${errno}: ${path} may not be read`);
    default:
      return failure('unreadable', `${errno}: ${path} cannot be read`);
  }
}

/**
 * Lists one folder for the dev bridge's folder browser: its subfolders and
 * image files (by extension) sorted by name, hidden and system entries left
 * out. Links are followed one level: a link to a folder is a folder, a broken
 * or looping link is left out. Nothing is walked recursively, so a link loop
 * only ever costs the one step the user takes.
 *
 * `path` must be absolute (null lists `home`); it is normalised. Every
 * failure is a coded result, never an exception.
 */
export async function listFolder(
  path: string | null,
  options: { home: string },
): Promise<BrowseResult> {
  const requested = path ?? options.home;
  if (requested.length === 0 || requested.length > MAX_PATH || requested.includes('\0'))
    return failure('invalid_path', 'the path is empty, too long or holds a NUL byte');
  if (!isAbsolute(requested)) return failure('invalid_path', `not an absolute path: ${requested}`);
  const folder = resolve(requested);

  let names: Dirent[];
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) return failure('not_a_folder', `${folder} is not a folder`);
    names = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    return explain(error, folder);
  }

  const folders: FolderEntry[] = [];
  const images: FolderEntry[] = [];
  await Promise.all(
    names.map(async (entry) => {
      const child = { name: entry.name, path: join(folder, entry.name) };
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      // A link (or a file system that does not tell the type): what does it lead to?
      if (entry.isSymbolicLink() || (!isDirectory && !isFile)) {
        try {
          const target = await stat(child.path);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          return; // broken, looping or unreadable link: nothing to open
        }
      }
      if (isDirectory && !isSystemDir(entry.name)) folders.push(child);
      else if (
        isFile &&
        !isSystemName(entry.name) &&
        IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())
      )
        images.push(child);
    }),
  );
  folders.sort((a, b) => byName.compare(a.name, b.name));
  images.sort((a, b) => byName.compare(a.name, b.name));

  const parent = dirname(folder);
  return {
    ok: true,
    value: {
      path: folder,
      parent: parent === folder ? null : parent,
      home: options.home,
      folders: folders.slice(0, BROWSE_MAX_ENTRIES),
      images: images.slice(0, BROWSE_MAX_ENTRIES),
      folderCount: folders.length,
      imageCount: images.length,
    },
  };
}

import { createHash } from 'node:crypto';
import { lstat, mkdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import sharp from 'sharp';
import type { ResultVariant } from '../../../shared/contract';
import { RestyleError } from '../../../shared/result';
import { kindOf, readFileInside } from '../fs/regular-file';
import { openImage, SHARP_INPUT } from '../intake/decode';
import { hashFile } from '../intake/hash';
import { readHead } from '../intake/scan';
import { sniff } from '../intake/sniff';
import { isWebp } from '../intake/thumbnails';
import { revealablePath } from '../security/reveal-path';
import { nodeFileOps, writeFileAtomic } from './atomic-file';
import type { Library } from './types';

/** The long side of a result's grid preview (`thumb`), px. */
export const RESULT_THUMB_PX = 320;
/** The long side at most of the original as it was sent (`source`), px. */
export const SOURCE_PREVIEW_PX = 2048;

const RESULT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

const isJpeg = (bytes: Buffer): boolean => {
  const sniffed = sniff(bytes.subarray(0, 64));
  return sniffed.kind === 'image' && sniffed.format === 'jpeg';
};

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException)?.code;

/**
 * The file of a result, to act on it (reveal, open with the default app, copy,
 * drag out, export): by id only. `not_found` for an unknown id; `file_missing`
 * (params.path) when the file is gone from the folder; `forbidden_path` when
 * it is not a regular file (a link planted in the library) or, links
 * resolved, lies outside the library. Returns the real path.
 */
export async function resultFile(library: Library, id: string): Promise<string> {
  const entry = library.get(id);
  if (!entry) throw new RestyleError('not_found', `no result ${id} in the library`);
  let info;
  try {
    info = await lstat(entry.path);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new RestyleError('file_missing', `${entry.path} is gone`, { path: entry.path });
    throw error;
  }
  if (!info.isFile())
    throw new RestyleError('forbidden_path', `${entry.path} is not a regular file`);
  return revealablePath(entry.path, [library.root]);
}

export interface ServedImage {
  body: Buffer;
  type: string;
}

export interface ResultReaders {
  /** What `restyle://result/<id>/<variant>` serves; null (a 404) for anything else. */
  read(id: string, variant: string): Promise<ServedImage | null>;
}

/**
 * The window's images of library results, by id only (never a path):
 *
 * - `full`: the result's own bytes (library.readImage: a regular image file
 *   really inside the library).
 * - `thumb`: a WebP of at most RESULT_THUMB_PX for grids, cached under
 *   `<cacheDir>/results/` by id, size, mtime and inode (a file replaced gets
 *   a new one), so a grid of 100,000 results decodes each image once.
 * - `source`: the original photo as it was sent, for before/after: upright,
 *   cut to the crop the result's sidecar records, at most SOURCE_PREVIEW_PX,
 *   JPEG; cached by the original's content hash and crop. Only the photo the
 *   result was made from: the file at its recorded path must still have its
 *   recorded SHA-256 (HEIC and BMP decoded as intake decodes them).
 */
export function createResultReaders(library: Library, cacheDir: string): ResultReaders {
  const cacheRoot = join(cacheDir, 'results');
  const inFlight = new Map<string, Promise<ServedImage | null>>();

  const cachePath = (parts: Array<string | number>, ext: string): string => {
    const key = createHash('sha256').update(parts.join('\0')).digest('hex');
    return join(cacheRoot, key.slice(0, 2), `${key}.${ext}`);
  };

  /** A cached preview, or one made now (made once however many ask at the same time). */
  const cached = (
    path: string,
    type: string,
    accept: (bytes: Buffer) => boolean,
    make: () => Promise<Buffer | null>,
  ): Promise<ServedImage | null> => {
    const running = inFlight.get(path);
    if (running) return running;
    const task = (async () => {
      const hit = await readFileInside(cacheRoot, path, accept);
      if (hit) return { body: hit, type };
      const body = await make().catch(() => null);
      if (!body) return null;
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFileAtomic(nodeFileOps, path, body);
      } catch {
        // Stored a moment ago by another process (EEXIST), or the cache cannot be written: served all the same.
      }
      return { body, type };
    })().finally(() => inFlight.delete(path));
    inFlight.set(path, task);
    return task;
  };

  const full = async (id: string): Promise<ServedImage | null> => {
    const entry = library.get(id);
    const type = RESULT_TYPES[entry?.path.split('.').pop()?.toLowerCase() ?? ''];
    const body = entry && type ? await library.readImage(id) : null;
    return body && type ? { body, type } : null;
  };

  const thumb = async (id: string): Promise<ServedImage | null> => {
    const entry = library.get(id);
    const info = entry ? await stat(entry.path).catch(() => null) : null;
    if (!entry || !info?.isFile()) return null;
    const key = ['thumb', RESULT_THUMB_PX, entry.id, info.size, info.mtimeMs, info.ino];
    return cached(cachePath(key, 'webp'), 'image/webp', isWebp, async () => {
      const bytes = await library.readImage(id);
      if (!bytes) return null;
      return sharp(bytes, SHARP_INPUT)
        .rotate()
        .resize(RESULT_THUMB_PX, RESULT_THUMB_PX, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 75, effort: 2 })
        .toBuffer();
    });
  };

  const source = async (id: string): Promise<ServedImage | null> => {
    const entry = library.get(id);
    if (!entry) return null;
    const crop = entry.sourceCrop;
    const key = ['source', SOURCE_PREVIEW_PX, entry.sourceHash, JSON.stringify(crop)];
    return cached(cachePath(key, 'jpg'), 'image/jpeg', isJpeg, async () => {
      const path = entry.sourcePath;
      if (!isAbsolute(path) || (await kindOf(path)) !== 'file') return null;
      // The photo this result was made from, not whatever now has its name.
      if ((await hashFile(path)) !== entry.sourceHash) return null;
      const sniffed = sniff(await readHead(path));
      if (sniffed.kind !== 'image') return null;
      // Upright first: the crop is in the upright original's pixels (as intake placed it).
      let image = (await openImage(path, sniffed.format)).pipeline().rotate();
      if (crop) image = image.extract(crop);
      return image
        .resize(SOURCE_PREVIEW_PX, SOURCE_PREVIEW_PX, { fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb')
        .jpeg({ quality: 85 })
        .toBuffer();
    });
  };

  const readers: Record<ResultVariant, (id: string) => Promise<ServedImage | null>> = {
    full,
    thumb,
    source,
  };
  return {
    read: (id, variant) =>
      Object.prototype.hasOwnProperty.call(readers, variant)
        ? readers[variant as ResultVariant](id)
        : Promise.resolve(null),
  };
}

import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { THUMBNAIL_SIZES } from '../../../shared/photos';
import type { ThumbnailSize } from '../../../shared/contract';
import type { ImageSource } from './decode';
import { readFileInside } from '../fs/regular-file';
import { classifyDecodeError } from './intake-error';
import { isContentHash } from './hash';
import { sniff } from './sniff';

const isThumbnailSize = (value: unknown): value is ThumbnailSize =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(THUMBNAIL_SIZES, value);

export const isWebp = (bytes: Buffer): boolean => {
  const sniffed = sniff(bytes.subarray(0, 64));
  return sniffed.kind === 'image' && sniffed.format === 'webp';
};

/** `<cacheDir>/thumbs/<ab>/<hash>-<px>.webp`; only ever built from a checked hash and size. */
export function thumbnailPath(cacheDir: string, hash: string, size: ThumbnailSize): string {
  return join(cacheDir, 'thumbs', hash.slice(0, 2), `${hash}-${THUMBNAIL_SIZES[size]}.webp`);
}

/**
 * A cached thumbnail's bytes, or null when absent. Anything but a 64-hex
 * hash and a known size is refused (null), so no caller can reach another path.
 */
export async function readThumbnail(
  cacheDir: string,
  hash: unknown,
  size: unknown,
): Promise<Buffer | null> {
  if (!isContentHash(hash) || !isThumbnailSize(size)) return null;
  // Only a regular WebP file really inside the cache (no link out, no FIFO).
  return readFileInside(join(cacheDir, 'thumbs'), thumbnailPath(cacheDir, hash, size), isWebp);
}

/**
 * Makes both thumbnails unless cached: the large one from the photo (sharp
 * shrinks JPEG and WebP on load), the small one from the large. Throws
 * IntakeError when the photo cannot be decoded (a truncated file fails here).
 */
export async function ensureThumbnails(
  cacheDir: string,
  hash: string,
  source: () => Promise<ImageSource>,
): Promise<void> {
  const large = thumbnailPath(cacheDir, hash, 'large');
  const small = thumbnailPath(cacheDir, hash, 'small');
  if ((await exists(large)) && (await exists(small))) return;
  let largeWebp: Buffer;
  let smallWebp: Buffer;
  try {
    const image = await source();
    const side = THUMBNAIL_SIZES.large;
    largeWebp = await image
      .pipeline()
      .rotate()
      .resize(side, side, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .webp({ quality: 80, effort: 2 })
      .toBuffer();
    const sideSmall = THUMBNAIL_SIZES.small;
    smallWebp = await sharp(largeWebp)
      .resize(sideSmall, sideSmall, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75, effort: 2 })
      .toBuffer();
  } catch (error) {
    throw classifyDecodeError(error);
  }
  await mkdir(dirname(large), { recursive: true });
  await writeAtomic(large, largeWebp);
  await writeAtomic(small, smallWebp);
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Temp file then rename: a reader never sees half a thumbnail. */
export async function writeAtomic(path: string, data: Buffer): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

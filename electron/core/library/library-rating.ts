/**
 * A result's rating and favourite, written where they survive (issue 11): in
 * its sidecar's `user` block, which a rebuild of the index reads back, and as
 * `xmp:Rating` in the image, which Lightroom, digiKam and Immich show. Each
 * file is replaced atomically (a temp file renamed over it).
 */
import { lstatSync, readFileSync } from 'node:fs';
import { sniff } from '../intake/sniff';
import type { Logger } from '../log/logger';
import { writeFileAtomic, type FileOps } from './atomic-file';
import { sidecarXmp } from './provenance';
import type { ResultFormat } from './result-image';
import { parseSidecar, serializeSidecar, type Sidecar } from './sidecar';
import { locateXmp, replaceXmp, RESTYLE_XMP_NS, setXmpProperty, XMP_NS } from './xmp';

export interface RatingFiles {
  ops: FileOps;
  log: Logger;
  /** A result image's bytes when `path` is one inside the library (never through a planted link). */
  readResult(path: string): Promise<Buffer | null>;
  /** A failed write as the coded error the user sees (disk full, read-only…). */
  failure(error: unknown): unknown;
}

export interface UserMarks {
  rating: number;
  favourite: boolean;
}

/** The sidecar at `path` when it is a regular file recording result `id`. */
function sidecarAt(path: string, id: string): Sidecar | null {
  try {
    if (!lstatSync(path).isFile()) return null;
    const sidecar = parseSidecar(readFileSync(path, 'utf8'));
    return sidecar?.id === id ? sidecar : null;
  } catch {
    return null;
  }
}

const formatOf = (bytes: Buffer): ResultFormat | null => {
  const sniffed = sniff(bytes.subarray(0, 64));
  if (sniffed.kind !== 'image') return null;
  return sniffed.format === 'png' || sniffed.format === 'jpeg' || sniffed.format === 'webp'
    ? sniffed.format
    : null;
};

/**
 * The image's bytes with `xmp:Rating` (0: unrated, as the XMP spec has it)
 * and `restyle:ResultId` in its packet; the packet rebuilt from the sidecar
 * when it has none. Null when nothing changes or the format has no place for it (WebP).
 */
export function ratedImage(
  image: Buffer,
  id: string,
  rating: number,
  sidecar: Sidecar | null,
): Buffer | null {
  const format = formatOf(image);
  if (!format) return null;
  const found = locateXmp(image);
  const base = found?.packet ?? (sidecar ? sidecarXmp(sidecar) : null);
  if (base === null) return null;
  const rated = setXmpProperty(
    base,
    { prefix: 'xmp', name: 'Rating', namespace: XMP_NS },
    String(rating),
  );
  const packet =
    rated &&
    setXmpProperty(rated, { prefix: 'restyle', name: 'ResultId', namespace: RESTYLE_XMP_NS }, id);
  if (!packet || packet === found?.packet) return null;
  return replaceXmp(image, format, packet);
}

/**
 * Writes a result's marks to its files: the sidecar (when it is there and
 * ours), then, when the rating is set, the image's XMP (when the image is
 * there). Returns the image's size on disk afterwards, null when it was not
 * rewritten.
 */
export async function writeMarks(
  files: RatingFiles,
  result: { id: string; imagePath: string; sidecarPath: string },
  marks: UserMarks,
  ratingSet: boolean,
): Promise<number | null> {
  const sidecar = sidecarAt(result.sidecarPath, result.id);
  if (!sidecar) {
    files.log.warn('library: no sidecar to keep the rating in; the index alone has it', {
      id: result.id,
      path: result.sidecarPath,
    });
  } else if (sidecar.user?.rating !== marks.rating || sidecar.user.favourite !== marks.favourite) {
    const next: Sidecar = {
      ...sidecar,
      user: { rating: marks.rating, favourite: marks.favourite },
    };
    try {
      await writeFileAtomic(files.ops, result.sidecarPath, serializeSidecar(next), {
        replace: true,
      });
    } catch (error) {
      throw files.failure(error);
    }
  }
  if (!ratingSet) return null;
  const image = await files.readResult(result.imagePath);
  // Gone from the folder (shown as missing): the sidecar and the index keep the rating.
  if (!image) return null;
  const rated = ratedImage(image, result.id, marks.rating, sidecar);
  if (!rated) return null;
  try {
    await writeFileAtomic(files.ops, result.imagePath, rated, { replace: true });
  } catch (error) {
    throw files.failure(error);
  }
  return rated.length;
}

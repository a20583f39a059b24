/**
 * One photo found by intake (issue 3): what it is, and whether and how it can
 * be sent to a model. Reasons and adjustments are codes; their text lives in
 * the locale files (`intake.reason.<code>`, `intake.adjustment.<code>`).
 */
import type { ModelId } from './models';

export const PHOTO_STATUSES = ['ready', 'adjusted', 'skipped', 'rejected'] as const;
/**
 * `ready`: sent as it looks (only re-encoded, metadata stripped);
 * `adjusted`: sent after a visible change (cropped, downscaled, flattened);
 * `skipped`: not a photo to send (system file, duplicate);
 * `rejected`: cannot be sent, with a reason.
 */
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];

/** Formats intake reads (content-sniffed, not by extension). */
export const PHOTO_FORMATS = ['jpeg', 'png', 'webp', 'bmp', 'tiff', 'gif', 'avif', 'heic'] as const;
export type PhotoFormat = (typeof PHOTO_FORMATS)[number];

/**
 * File extensions (lower case, no dot) of the photo formats: what the OS
 * chooser and the preview's folder browser show. Intake still checks the bytes.
 */
export const PHOTO_EXTENSIONS = [
  'jpg',
  'jpeg',
  'jpe',
  'jfif',
  'png',
  'webp',
  'bmp',
  'tif',
  'tiff',
  'gif',
  'avif',
  'heic',
  'heif',
] as const;

export const REASON_CODES = [
  // skipped
  'system_file',
  'duplicate',
  // rejected
  'unreadable',
  /** A FIFO, socket or device: refused by its type, never opened. */
  'not_a_regular_file',
  /** A symlink whose target is gone (or that loops). */
  'broken_link',
  'not_found',
  /** A folder that could not be listed (its files are not known). */
  'unreadable_folder',
  'empty',
  'not_image',
  'unsupported_format',
  'truncated',
  'corrupt',
  'too_small',
  'too_large',
  // notes on a sendable photo
  'aspect_sent_uncropped',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const ADJUSTMENTS = [
  'rotated',
  'converted_to_srgb',
  'flattened',
  'cropped',
  'downscaled',
  'recompressed',
] as const;
/** What preparation changed; `rotated` and `converted_to_srgb` keep the photo as it looks. */
export type Adjustment = (typeof ADJUSTMENTS)[number];

/** Adjustments that change how the photo looks, making its status `adjusted`. */
export const VISIBLE_ADJUSTMENTS: readonly Adjustment[] = [
  'cropped',
  'downscaled',
  'flattened',
  'recompressed',
];

export interface PhotoReason {
  code: ReasonCode;
  params?: Record<string, string | number>;
}

export interface PreparedSummary {
  width: number;
  height: number;
  /** Length of the data URI as uploaded. */
  uploadBytes: number;
  /** JPEG quality the byte limit allowed. */
  quality: number;
}

export interface PhotoRecord {
  /** Stable per path within the app (not the content hash: duplicates have their own id). */
  id: string;
  /** SHA-256 of the file's bytes, hex; null when the file could not be read. */
  hash: string | null;
  path: string;
  name: string;
  /**
   * The folder within the drop, `/`-separated, starting with the dropped
   * folder's own name (`Trip 2024/day 1`); empty for a file dropped on its own.
   */
  folder: string;
  format: PhotoFormat | null;
  /** Size as seen upright (after EXIF orientation); null when unknown. */
  width: number | null;
  height: number | null;
  bytes: number;
  status: PhotoStatus;
  model: ModelId;
  reason?: PhotoReason;
  adjustments: Adjustment[];
  /** Filled when the photo was actually prepared (CLI dry run, job engine). */
  prepared?: PreparedSummary;
  /** True when thumbnails are in the cache (`thumbnailUrl(hash, size)`). */
  thumbnails: boolean;
}

export const THUMBNAIL_SIZES = { small: 320, large: 1024 } as const;

export const statusFor = (adjustments: readonly Adjustment[]): PhotoStatus =>
  adjustments.some((a) => VISIBLE_ADJUSTMENTS.includes(a)) ? 'adjusted' : 'ready';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Gallery order: by album folder, then by file name in natural order
 * (`IMG_2` before `IMG_10`), the path breaking ties. Core keeps a scan's
 * records in this order and the window shows them in it.
 */
export function compareGalleryOrder(
  a: Pick<PhotoRecord, 'folder' | 'name' | 'path'>,
  b: Pick<PhotoRecord, 'folder' | 'name' | 'path'>,
): number {
  return (
    collator.compare(a.folder, b.folder) ||
    collator.compare(a.name, b.name) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
}

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

/**
 * Extensions (lower case, no dot) of files that are known not to be photos:
 * the sidecars, videos, notes and catalogs that come with a phone backup, a
 * Google Takeout export, a camera card or a raw developer's folder. Intake
 * leaves them out quietly (counted in `ScanDone.leftOut`), instead of listing
 * each as a rejected photo. A file with any other extension (or none) is
 * still looked at by its bytes, so a photo misnamed `.jpg` is never lost and
 * a `.jpg` that is not an image is still rejected with its reason.
 */
export const NOT_PHOTO_EXTENSIONS: ReadonlySet<string> = new Set(
  [
    // metadata and sidecars: Takeout, iOS edits, Lightroom, darktable, DxO, RawTherapee, Capture One, ON1, ACDSee
    'json xmp aae xml thm dop pp3 cos on1 arp exif plist',
    // catalogs, databases, checksums, shortcuts
    'db sqlite lrcat ctg md5 sha1 sha256 sfv ini info nfo log url webloc lnk',
    // video, and the camera cards' video bookkeeping (GoPro, DJI, AVCHD, Insta360, Samsung)
    'mov mp4 m4v 3gp 3g2 avi mkv webm mts m2ts mpg mpeg wmv flv vob mod tod lrv lrf srt insv bdm cpi mpl ssmeta',
    // audio: voice memos, camera voice notes
    'mp3 m4a aac wav amr ogg opus flac wma',
    // documents and pages
    'txt md rtf pdf html htm csv tsv doc docx xls xlsx ppt pptx odt ods pages numbers key epub',
    // archives, programs, places and contacts
    'zip rar 7z tar gz tgz bz2 xz exe dll dmg iso apk gpx kml kmz vcf ics',
  ].flatMap((group) => group.split(' ')),
);

/** A file name's extension, lower case without the dot; empty when it has none (`.bashrc` has none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The name says "not a photo" (`.json`, `.mov`, `.aae`…): left out of a scan, counted. */
export const isNotPhotoName = (name: string): boolean =>
  NOT_PHOTO_EXTENSIONS.has(extensionOf(name));

/** The name has a photo format's extension (the copy kept among duplicates has one, when any does). */
export const hasPhotoExtension = (name: string): boolean =>
  (PHOTO_EXTENSIONS as readonly string[]).includes(extensionOf(name));

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

/** The size a photo's upload will have (the fit plan); the engine builds the upload itself. */
export interface PlannedUpload {
  width: number;
  height: number;
}

/** A rectangle of the upright photo, in its pixels. */
export interface CropBox {
  left: number;
  top: number;
  width: number;
  height: number;
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
  /**
   * The size its upload will have for `model`, by the fit plan (a photo the
   * byte limit forces smaller is made smaller when the engine prepares it).
   */
  planned?: PlannedUpload;
  /**
   * The part of the upright photo each model is sent, for the models that cut
   * it to their aspect limit (a hair's crop too, though it is not reported as
   * `cropped`). Placed by core exactly as the upload is cut, so the window
   * can show the original as it was sent. Absent for a model: the whole photo.
   */
  crops?: Partial<Record<ModelId, CropBox>>;
  /** True when thumbnails are in the cache (`thumbnailUrl(hash, size)`). */
  thumbnails: boolean;
}

/** Where a photo sits in the drop, `/`-separated (`Trip 2024/day 1/beach.jpg`): how a duplicate names the copy kept. */
export const pathInDrop = (photo: Pick<PhotoRecord, 'folder' | 'name'>): string =>
  photo.folder ? `${photo.folder}/${photo.name}` : photo.name;

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

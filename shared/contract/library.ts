// Library channels (issue 11: the history library). Every result ever made,
// indexed from its sidecar; the window asks for pages, never the whole library,
// and names results by id only (paths are shown, never sent back).
import { z } from 'zod';
import { MODEL_IDS, type ModelId } from '../models';
import type { Adjustment, CropBox } from '../photos';
import type { Recipe } from '../recipe';
import { event, invoke } from './define';

/** A style's name in both languages (the sidecar's `style.name`). */
export interface StyleName {
  en: string;
  'zh-CN': string;
}

/** One saved result as the window sees it; core's `LibraryEntry` is this type. */
export interface LibraryItem {
  id: string;
  /** Absolute path of the result image (shown, never sent back: channels take ids). */
  path: string;
  sidecarPath: string;
  /** The image's file name (`IMG_0001.anime.png`). */
  fileName: string;
  sourcePath: string;
  /** The original's file name (`IMG_0001.jpg`). */
  sourceName: string;
  sourceHash: string;
  albumFolder: string;
  recipe: Recipe;
  recipeKey: string;
  styleSlug: string;
  styleName: StyleName;
  variant: number;
  model: ModelId;
  taskId: string;
  requestId: string | null;
  costCny: number;
  width: number;
  height: number;
  /** Size of the file on disk, bytes. */
  bytes: number;
  submittedAt: string;
  finishedAt: string;
  savedAt: string;
  /** What preparation did to the photo before it was sent. */
  adjustments: Adjustment[];
  /** The part of the (upright) original that was sent, when it was cropped; null: all of it. */
  sourceCrop: CropBox | null;
  /** 0 (unrated) to 5; kept in the sidecar and as `xmp:Rating` in the image. */
  rating: number;
  favourite: boolean;
  /** False when the image file is gone from the library folder (shown as missing). */
  present: boolean;
}

/** How a list is ordered. `album`: album folder, then file name. */
export const LIBRARY_SORTS = ['newest', 'oldest', 'album', 'name', 'cost'] as const;
export type LibrarySort = (typeof LIBRARY_SORTS)[number];

const id = z.string().min(1).max(100);
const hash = z.string().regex(/^[0-9a-f]{64}$/);
const day = z.iso.date();

/**
 * What to show: every field narrows, and they combine (AND). Kept by the
 * window between visits; the same filter drives the CLI's `library list`.
 */
export const libraryQueryFilterSchema = z
  .object({
    /** This album folder and the folders below it. */
    albumFolder: z.string().max(4096).optional(),
    /** Any of these recipes (styles, references, prompts). */
    recipeKeys: z.array(z.string().max(2000)).max(100).optional(),
    models: z.array(z.enum(MODEL_IDS)).max(MODEL_IDS.length).optional(),
    /** Saved on or after this day / on or before this day (local calendar day, `YYYY-MM-DD`). */
    from: day.optional(),
    to: day.optional(),
    favourite: z.boolean().optional(),
    /** Rated at least this (1-5). */
    minRating: z.number().int().min(1).max(5).optional(),
    /** `present`: files on disk; `missing`: entries whose file is gone. Absent: both. */
    presence: z.enum(['present', 'missing']).optional(),
    /** Words found in the file name, the source path or the prompt (case-insensitive). */
    text: z.string().max(200).optional(),
    /** The results of one run (a batch of the queue): "Show results". */
    batchId: id.optional(),
    sourceHash: hash.optional(),
  })
  .strict();
export type LibraryQueryFilter = z.infer<typeof libraryQueryFilterSchema>;

const page = {
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
};

/** One tile of the Photos view: a source photo with its newest result. */
export interface PhotoTile {
  sourceHash: string;
  sourcePath: string;
  sourceName: string;
  albumFolder: string;
  /** The newest result of this photo that matches the filter. */
  newest: LibraryItem;
  /** Results of this photo that match the filter. */
  results: number;
  /** Distinct recipes among them (the badge). */
  styles: number;
  costCny: number;
}

/** A photo's results, styles as columns (each column newest first, across runs). */
export interface PhotoStack {
  sourceHash: string;
  sourcePath: string;
  sourceName: string;
  albumFolder: string;
  /** Whether the original is still where it was found. */
  sourcePresent: boolean;
  columns: Array<{
    recipeKey: string;
    recipe: Recipe;
    styleName: StyleName;
    model: ModelId;
    results: LibraryItem[];
  }>;
}

/** A count per value of one filter dimension, within what the other filters leave. */
export interface FacetCount<K extends string = string> {
  key: K;
  count: number;
}

export interface LibraryFacets {
  /** Results the whole filter matches. */
  total: number;
  albums: FacetCount[];
  styles: Array<FacetCount & { styleName: StyleName; model: ModelId }>;
  models: FacetCount<ModelId>[];
  favourites: number;
  /** key: '1'…'5', results rated exactly that. */
  ratings: FacetCount[];
  present: number;
  missing: number;
}

/** What part of the library cost: money in CNY (4 decimals per image, summed). */
export interface SpendLine {
  key: string;
  /** For styles: the style's name; for albums: the folder; for months: `YYYY-MM`. */
  label: string | StyleName;
  results: number;
  costCny: number;
}

export interface LibraryStats {
  results: number;
  photos: number;
  costCny: number;
  /** Results made under the free allowance (charged 0). */
  freeResults: number;
  byAlbum: SpendLine[];
  byStyle: SpendLine[];
  /** Newest month first. */
  byMonth: SpendLine[];
  byModel: SpendLine[];
}

export interface AlbumSummary {
  albumFolder: string;
  photos: number;
  results: number;
  styles: number;
  costCny: number;
  /** Cells of the coverage matrix by state. */
  cells: Record<CoverageState, number>;
  lastSavedAt: string;
  /** Newest result, for the album's tile. */
  coverId: string;
}

/**
 * One cell of an album's coverage matrix (photo × style): `done` a result is on
 * disk; `missing` its file is gone; `failed` the last job for it failed;
 * `queued` a job for it is waiting or running; `none` never made (a gap).
 */
export const COVERAGE_STATES = ['done', 'missing', 'failed', 'queued', 'none'] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];

export interface Coverage {
  albumFolder: string;
  /** Columns: every recipe used on a photo of this album (in the library or the queue). */
  styles: Array<{ recipeKey: string; recipe: Recipe; styleName: StyleName; model: ModelId }>;
  /** Rows of this page: the album's photos (from the library and the queue). */
  photos: Array<{
    sourceHash: string;
    sourcePath: string;
    sourceName: string;
    /** One per column, in column order. */
    cells: Array<{ state: CoverageState; resultId: string | null }>;
  }>;
  /** Photos in the album (all pages). */
  total: number;
  /** Cells of the whole album by state. */
  counts: Record<CoverageState, number>;
}

/**
 * Photos made ready to run again (an intake scan of the originals, each under
 * its album folder), for the normal `jobs:quote` / `jobs:create-batch`.
 */
export interface RunPlan {
  scanId: string;
  photoIds: string[];
  /** The recipes to quote (the same ones, for a re-run or the album's gaps). */
  recipes: Recipe[];
  /**
   * A re-run of chosen results: per recipe, the photos it was made from (pass
   * as `recipePhotoIds` when running the same recipes again, so only those
   * pairs are made). Absent for an album's gaps or failed cells.
   */
  recipePhotoIds?: string[][];
  /** Originals that are no longer where they were found (not in the scan). */
  sourcesMissing: string[];
}

export interface SyncReport {
  /** Entries now in the index. */
  entries: number;
  /** Results found that the index did not have (sidecars copied in). */
  added: number;
  /** Results found under a new name or folder, re-linked with their ratings. */
  relinked: number;
  /** Entries whose file is gone (kept, shown as missing). */
  missing: number;
}

export interface ExportReport {
  /** Where it went: the folder, or the zip file. */
  destination: string;
  /** Images written (sidecars not counted). */
  images: number;
  /** Entries left out because their file is missing. */
  skipped: number;
}

const ids = z.array(id).min(1).max(10_000);

export const libraryInvoke = {
  /** Newest first, paged (the batch view's previews; the Library uses `library:results`). */
  'library:list': invoke<{ entries: LibraryItem[] }>()(
    z
      .object({
        albumFolder: z.string().max(4096).optional(),
        recipeKey: z.string().max(2000).optional(),
        sourceHash: hash.optional(),
        since: z.iso.datetime().optional(),
        ...page,
      })
      .strict(),
  ),
  /** The Results view: a page of results matching the filter, and how many match in all. */
  'library:results': invoke<{ items: LibraryItem[]; total: number }>()(
    z
      .object({
        filter: libraryQueryFilterSchema.default({}),
        sort: z.enum(LIBRARY_SORTS).default('newest'),
        ...page,
      })
      .strict(),
  ),
  /** The Photos view: one tile per source photo with a result matching the filter. */
  'library:photos': invoke<{ photos: PhotoTile[]; total: number }>()(
    z
      .object({
        filter: libraryQueryFilterSchema.default({}),
        sort: z.enum(LIBRARY_SORTS).default('newest'),
        ...page,
      })
      .strict(),
  ),
  /** A photo's stack: the original and all its results, styles as columns. `not_found`: none. */
  'library:photo-stack': invoke<PhotoStack>()(z.object({ sourceHash: hash }).strict()),
  /** Counts per filter value (each within the other filters). */
  'library:facets': invoke<LibraryFacets>()(
    z.object({ filter: libraryQueryFilterSchema.default({}) }).strict(),
  ),
  /** What the results matching the filter cost: in total, per album, style, month and model. */
  'library:stats': invoke<LibraryStats>()(
    z.object({ filter: libraryQueryFilterSchema.default({}) }).strict(),
  ),
  /** The Albums view. */
  'library:albums': invoke<AlbumSummary[]>()(z.object({}).strict()),
  /** An album's coverage matrix, a page of photos at a time. */
  'library:coverage': invoke<Coverage>()(
    z.object({ albumFolder: z.string().max(4096), ...page }).strict(),
  ),
  /** One result. `not_found`: no such id. */
  'library:get': invoke<LibraryItem>()(z.object({ id }).strict()),
  /** Rates and/or (un)favourites results: index, sidecar and the image's `xmp:Rating`. */
  'library:set-rating': invoke<{ items: LibraryItem[] }>()(
    z
      .object({
        ids,
        rating: z.number().int().min(0).max(5).optional(),
        favourite: z.boolean().optional(),
      })
      .strict()
      .refine((v) => v.rating !== undefined || v.favourite !== undefined, 'rating or favourite'),
  ),
  /**
   * Takes results (image and sidecar) out of the library, held aside so
   * `library:undo-delete` can put them back while the window is open; they go
   * to the OS trash when the window closes, the app quits or the next start
   * finds them.
   */
  'library:delete': invoke<{ undoToken: string; deleted: number }>()(z.object({ ids }).strict()),
  'library:undo-delete': invoke<{ restored: number }>()(z.object({ undoToken: z.uuid() }).strict()),
  /** Forgets entries whose file is gone (these, or every missing one); their sidecars go to the trash. */
  'library:remove-missing': invoke<{ removed: number }>()(
    z.object({ ids: ids.optional() }).strict(),
  ),
  /** Shows the result in the OS file manager. */
  'library:reveal': invoke<null>()(z.object({ id }).strict()),
  /** Opens the result with the OS default app. */
  'library:open': invoke<null>()(z.object({ id }).strict()),
  /** Puts the result's image on the clipboard. */
  'library:copy-image': invoke<null>()(z.object({ id }).strict()),
  /** Starts an OS drag of these results' files out of the window (sent on `dragstart`). */
  'library:start-drag': invoke<null>()(z.object({ ids }).strict()),
  /**
   * Copies results to a folder the user chooses (the OS dialog; in a browser,
   * the page's own folder browser, whose choice comes back as `destination`).
   * `folders`: the album tree; `flat`: one folder; `zip`: one zip file. null: canceled.
   */
  'library:export': invoke<ExportReport | null>()(
    z
      .object({
        ids,
        layout: z.enum(['folders', 'flat', 'zip']).default('folders'),
        sidecars: z.boolean().default(true),
        destination: z.string().min(1).max(4096).optional(),
      })
      .strict(),
  ),
  /**
   * The originals of these results (a re-run) or of an album's gaps or failed
   * cells, scanned again under their album folders: quote and create the
   * batch with the normal `jobs:*` channels.
   */
  'library:prepare-run': invoke<RunPlan>()(
    z.union([
      z.object({ resultIds: ids }).strict(),
      z.object({ albumFolder: z.string().max(4096), cells: z.enum(['gaps', 'failed']) }).strict(),
    ]),
  ),
  /** Compares the index with the folder (the window gets focus): new, moved and missing results. */
  'library:sync': invoke<SyncReport>()(z.object({}).strict()),
  /** Rebuilds the index from the sidecars (Settings); ratings and favourites are kept. */
  'library:rebuild': invoke<SyncReport>()(z.object({}).strict()),
};

export const libraryEvents = {
  /** A result was saved and indexed. */
  'library:changed': event<{ added: LibraryItem }>(),
  /** Results were rated, deleted, restored, re-linked or found: pages shown are out of date. */
  'library:updated': event<{
    reason: 'rating' | 'delete' | 'undo' | 'sync' | 'rebuild' | 'remove';
  }>(),
};

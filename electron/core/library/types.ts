import type { ModelId } from '../../../shared/models';
import type { Adjustment, CropBox } from '../../../shared/photos';
import type {
  LibraryFacets,
  LibraryItem,
  LibraryQueryFilter,
  LibrarySort,
  LibraryStats,
  PhotoStack,
  PhotoTile,
} from '../../../shared/contract/library';
import type { Recipe } from '../../../shared/recipe';
import type { Db } from '../db/sqlite';
import type { SyncOutcome } from './library-sync';

/** What the job engine hands the library once a result is downloaded. */
export interface SaveResultInput {
  source: {
    /** Absolute path of the original photo. */
    path: string;
    /** SHA-256 (hex) of the original's bytes. */
    hash: string;
    /** The photo's folder within the dropped album, e.g. `Trip 2024/day 1` (PhotoRecord.folder). */
    albumFolder: string;
    /** The part of the upright original sent, when preparation cut it (the sidecar's `source.crop`). */
    crop?: CropBox;
  };
  recipe: Recipe;
  /** 0-based index of this image among the task's results. */
  variant: number;
  /** The downloaded image bytes (checked to decode before anything is written). */
  image: Buffer;
  model: ModelId;
  taskId: string;
  requestId: string | null;
  /** What this image cost (0 when it came from the free allowance). */
  costCny: number;
  /** ISO timestamps. */
  submittedAt: string;
  finishedAt: string;
  /** What preparation did to the photo before it was sent. */
  adjustments: readonly Adjustment[];
}

/**
 * One saved result, as indexed (and as its sidecar describes it): the
 * contract's `LibraryItem`, so the window sees exactly what core keeps.
 */
export type LibraryEntry = LibraryItem;

export interface LibraryFilter {
  albumFolder?: string;
  recipeKey?: string;
  sourceHash?: string;
  /** ISO; entries saved at or after. */
  since?: string;
  limit?: number;
  offset?: number;
}

/**
 * A filter as core runs it: the contract's, with a batch (`batchId`) resolved
 * to the ids of its results by the caller (the queue knows them, not the library).
 */
export type LibraryQuery = Omit<LibraryQueryFilter, 'batchId'> & {
  /** Only these results (a batch's). An empty list matches nothing. */
  ids?: readonly string[];
};

export interface Page {
  offset: number;
  limit: number;
}

/** What `setRating` changes; what is left out stays as it is. */
export interface RatingChange {
  /** 0 (unrated) to 5. */
  rating?: number;
  favourite?: boolean;
}

/**
 * The library folder: results mirroring the album tree, each with a sidecar,
 * indexed in SQLite inside the folder. The index is a cache of the files.
 */
export interface Library {
  readonly root: string;
  /** Writes atomically (temp file, fsync, rename), never overwrites, then indexes. */
  save(input: SaveResultInput): Promise<LibraryEntry>;
  /** Saved results for this photo and recipe (dedupe). */
  find(sourceHash: string, recipeKey: string): LibraryEntry[];
  get(id: string): LibraryEntry | null;
  list(filter?: LibraryFilter): LibraryEntry[];
  /** A page of results matching the filter (paged queries: library-queries.ts), and how many match. */
  results(
    filter: LibraryQuery,
    sort: LibrarySort,
    page: Page,
  ): { items: LibraryEntry[]; total: number };
  /** A page of photos with a result matching the filter: one tile each, its newest result. */
  photos(
    filter: LibraryQuery,
    sort: LibrarySort,
    page: Page,
  ): { photos: PhotoTile[]; total: number };
  /** A photo's results, a column per recipe; null when the library has none of it. */
  photoStack(sourceHash: string): PhotoStack | null;
  /** Counts per value of each filter dimension, each within the other filters. */
  facets(filter: LibraryQuery): LibraryFacets;
  /** What the results matching the filter cost. */
  stats(filter: LibraryQuery): LibraryStats;
  /**
   * Runs a read of the index's database (reopened first when its file was
   * replaced): the album queries join it with the queue's jobs (album-queries.ts).
   */
  readIndex<T>(read: (db: Db) => T): T;
  /**
   * Rates and/or (un)favourites results: the sidecar's `user` block, the
   * image's `xmp:Rating` (while its file is there) and the index. Unknown ids
   * are passed over; the results rated come back.
   */
  setRating(ids: readonly string[], change: RatingChange): Promise<LibraryEntry[]>;
  /** A result's bytes by id only (for the window's image protocol). */
  readImage(id: string): Promise<Buffer | null>;
  /**
   * Re-reads every sidecar under the root and rebuilds the index, keeping
   * ratings, missing entries and re-linking moved results (library-sync.ts).
   */
  rebuildIndex(): Promise<SyncOutcome>;
  /** Compares the index with the folder: new, moved and missing results (only changed files are read). */
  sync(): Promise<SyncOutcome>;
  /** Holds results aside for Undo and takes them out of the index (library-trash.ts). */
  deleteResults(ids: readonly string[]): Promise<{ undoToken: string; deleted: number }>;
  undoDelete(undoToken: string): Promise<{ restored: number }>;
  /** Forgets missing entries (these, or all); their orphaned sidecars go to the OS trash. */
  removeMissing(ids?: readonly string[]): Promise<{ removed: number }>;
  /** Sends held deletes to the OS trash (the window closed, the app quits); Undo ends. Never rejects. */
  finalizeDeletes(): Promise<void>;
  close(): void;
}

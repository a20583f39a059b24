/**
 * Albums and their coverage (issue 11, the Albums view): what the library and
 * the queue know of each album's photos × styles. An album is the folder the
 * user dropped, the first part of a result's album folder (`Trip 2024` for
 * `Trip 2024/day 1`); photos dropped on their own make the album `''`.
 *
 * A cell (photo × recipe) is, in this order: `done` a result of it is on disk;
 * `queued` a job for it is live in the queue (the quote says "already queued");
 * `failed` the last job for it failed or expired; `missing` its results' files
 * are gone; `none` never made (a gap).
 *
 * One album's matrix reads that album's rows whole (an index range of the
 * folder); the list of every album reads only narrow columns of every result
 * (an index alone), since at 100,000 results the wide rows cost seconds.
 */
import { basename } from 'node:path';
import {
  COVERAGE_STATES,
  type AlbumSummary,
  type Coverage,
  type CoverageState,
  type StyleName,
} from '../../../shared/contract/library';
import type { ModelId } from '../../../shared/models';
import { compareGalleryOrder } from '../../../shared/photos';
import { recipeModel, recipeSchema, type Recipe } from '../../../shared/recipe';
import { UNITS_PER_CNY, unitsToCny } from '../cost/money';
import { albumOf, folderScope } from '../db/folder-scope';
import type { Db } from '../db/sqlite';
import type { JobStore } from '../queue/job-store';
import { LIVE_STATES } from '../queue/states';
import { changeStamp } from './library-queries';
import { styleNames } from './provenance';
import type { Library } from './types';

/** Where albums are read from: the library's index and the queue (`Services` is one). */
export interface AlbumSources {
  library: Pick<Library, 'readIndex'>;
  /** `db`: watched for changes (`changeStamp`), so an unchanged queue is not read again. */
  queue: Pick<JobStore, 'albumJobs' | 'db'>;
}

/** A recipe used on an album: a column of its coverage. */
export interface AlbumStyle {
  recipeKey: string;
  recipe: Recipe;
  styleName: StyleName;
  model: ModelId;
}

/**
 * What is known of a cell, as bits (an album list holds 100,000 of them): the
 * library has results of it (`SAVED`), one on disk (`PRESENT`); a job for it
 * is live (`LIVE`); its last job (not a linked copy) failed or expired (`FAILED`).
 */
const SAVED = 1;
const PRESENT = 2;
const LIVE = 4;
const FAILED = 8;

/** A cell's state (see the top of this file). */
export function cellState(flags = 0): CoverageState {
  if (flags & PRESENT) return 'done';
  if (flags & LIVE) return 'queued';
  if (flags & FAILED) return 'failed';
  return flags & SAVED ? 'missing' : 'none';
}

/** A photo's cells: recipe key → bits. */
type Cells = Map<string, number>;

/** Where an original was found (a photo may have been found at more than one place). */
export interface SourcePlace {
  path: string;
  albumFolder: string;
}

/** A photo of one album (its content hash), with what is known of each recipe on it. */
export interface AlbumPhoto {
  sourceHash: string;
  sourcePath: string;
  sourceName: string;
  albumFolder: string;
  /** Every place the original was found, the newest result's first. */
  places: SourcePlace[];
  cells: Cells;
  /** The newest result of each recipe, one on disk first. */
  resultIds: Map<string, string>;
}

const FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'expired']);
const LIVE_SET: ReadonlySet<string> = new Set(LIVE_STATES);

/** A job's word on its cell: live, and whether its try failed (a linked copy says nothing of that). */
function withJob(flags: number, state: string): number {
  let next = LIVE_SET.has(state) ? flags | LIVE : flags;
  if (state !== 'skipped') next = FAILED_STATES.has(state) ? next | FAILED : next & ~FAILED;
  return next;
}

const styleOf = (recipeKey: string, recipe: Recipe, styleName = styleNames(recipe)) => ({
  recipeKey,
  recipe,
  styleName,
  model: recipeModel(recipe),
});

/** One album's results, grouped by folder, photo and recipe: of each group its newest result, one on disk first. */
interface EntryGroup {
  albumFolder: string;
  sourceHash: string;
  recipeKey: string;
  id: string;
  sourcePath: string;
  sourceName: string;
  recipeJson: string;
  styleNameEn: string;
  styleNameZh: string;
  present: number;
  savedAt: string;
}

/**
 * Every photo of one album (a folder and below), in gallery order, and its
 * columns in order: its rows of the library (an index range) and its jobs.
 */
export function albumMatrix(
  sources: AlbumSources,
  albumFolder: string,
): { photos: AlbumPhoto[]; styles: AlbumStyle[] } {
  const photos = new Map<string, AlbumPhoto>();
  const styles = new Map<string, AlbumStyle>();
  const photoAt = (hash: string, place: SourcePlace): AlbumPhoto => {
    let photo = photos.get(hash);
    if (!photo) {
      const sourceName = basename(place.path.replace(/\\/g, '/'));
      photo = {
        sourceHash: hash,
        sourcePath: place.path,
        sourceName,
        ...place,
        places: [],
        cells: new Map(),
        resultIds: new Map(),
      };
      photos.set(hash, photo);
    }
    if (!photo.places.some((p) => p.path === place.path && p.albumFolder === place.albumFolder))
      photo.places.push(place);
    return photo;
  };

  const scope = folderScope('album_folder', albumFolder);
  // With a single MAX(), SQLite takes the other columns from the row holding it.
  const groups = sources.library.readIndex((index) =>
    index.all<EntryGroup>(
      `SELECT album_folder AS albumFolder, source_hash AS sourceHash, recipe_key AS recipeKey,
         MAX(present || saved_at) AS newest, id, source_path AS sourcePath,
         source_name AS sourceName, recipe_json AS recipeJson, style_name_en AS styleNameEn,
         style_name_zh AS styleNameZh, present, saved_at AS savedAt
       FROM entries WHERE ${scope.sql} GROUP BY album_folder, source_hash, recipe_key`,
      scope.params,
    ),
  );
  // On disk first, newest first: a photo is named after its newest place.
  groups.sort(
    (a, b) => b.present - a.present || (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0),
  );
  for (const group of groups) {
    const photo = photoAt(group.sourceHash, {
      path: group.sourcePath,
      albumFolder: group.albumFolder,
    });
    if (photo.sourcePath === group.sourcePath) photo.sourceName = group.sourceName;
    const flags = photo.cells.get(group.recipeKey) ?? 0;
    if (!(flags & PRESENT)) photo.resultIds.set(group.recipeKey, group.id);
    photo.cells.set(group.recipeKey, flags | SAVED | (group.present === 1 ? PRESENT : 0));
    if (!styles.has(group.recipeKey)) {
      const recipe = recipeSchema.parse(JSON.parse(group.recipeJson));
      const name = { en: group.styleNameEn, 'zh-CN': group.styleNameZh };
      styles.set(group.recipeKey, styleOf(group.recipeKey, recipe, name));
    }
  }
  // The queue, oldest first: the last job seen for a cell is its latest.
  for (const job of sources.queue.albumJobs(albumFolder)) {
    const photo = photoAt(job.sourceHash, { path: job.sourcePath, albumFolder: job.albumFolder });
    photo.cells.set(job.recipeKey, withJob(photo.cells.get(job.recipeKey) ?? 0, job.state));
    if (!styles.has(job.recipeKey))
      styles.set(
        job.recipeKey,
        styleOf(job.recipeKey, recipeSchema.parse(JSON.parse(job.recipeJson))),
      );
  }
  return {
    photos: [...photos.values()].sort(byGallery),
    styles: [...styles.values()].sort(byStyle),
  };
}

const emptyCounts = (): Record<CoverageState, number> =>
  Object.fromEntries(COVERAGE_STATES.map((state) => [state, 0])) as Record<CoverageState, number>;

function countCells(photos: Iterable<Cells>, keys: Iterable<string>) {
  const counts = emptyCounts();
  const columns = [...keys];
  for (const cells of photos) for (const key of columns) counts[cellState(cells.get(key))] += 1;
  return counts;
}

/** Columns in a steady order: presets by index, then references, then prompts, by name. */
const KIND_ORDER: Record<Recipe['kind'], number> = { preset: 0, reference: 1, prompt: 2 };
const byStyle = (a: AlbumStyle, b: AlbumStyle): number =>
  KIND_ORDER[a.recipe.kind] - KIND_ORDER[b.recipe.kind] ||
  (a.recipe.kind === 'preset' && b.recipe.kind === 'preset'
    ? a.recipe.styleIndex - b.recipe.styleIndex
    : a.styleName.en.localeCompare(b.styleName.en) ||
      (a.recipeKey < b.recipeKey ? -1 : a.recipeKey > b.recipeKey ? 1 : 0));

/** Rows in gallery order: by folder, then by name in natural order. */
const byGallery = (a: AlbumPhoto, b: AlbumPhoto): number =>
  compareGalleryOrder(
    { folder: a.albumFolder, name: a.sourceName, path: a.sourcePath },
    { folder: b.albumFolder, name: b.sourceName, path: b.sourcePath },
  );

/** `library:coverage`: a page of an album's photos × every recipe used on it, and the counts of all. */
export function albumCoverage(
  sources: AlbumSources,
  albumFolder: string,
  offset: number,
  limit: number,
): Coverage {
  const { photos, styles } = albumMatrix(sources, albumFolder);
  return {
    albumFolder,
    styles,
    photos: photos.slice(offset, offset + limit).map((photo) => ({
      sourceHash: photo.sourceHash,
      sourcePath: photo.sourcePath,
      sourceName: photo.sourceName,
      cells: styles.map(({ recipeKey }) => ({
        state: cellState(photo.cells.get(recipeKey)),
        resultId: photo.resultIds.get(recipeKey) ?? null,
      })),
    })),
    total: photos.length,
    counts: countCells(
      photos.map((photo) => photo.cells),
      styles.map((style) => style.recipeKey),
    ),
  };
}

/** What a folder's results add up to, and its cover (the newest on disk, else the newest). */
interface FolderTotals {
  albumFolder: string;
  results: number;
  units: number;
  lastSavedAt: string;
  coverId: string;
  /** `present || saved_at` of the cover: the larger, the better a cover. */
  cover: string;
}

/** Each folder's totals and cover: two narrow passes over the folder index, a group per folder. */
function folderTotals(index: Db): FolderTotals[] {
  const covers = new Map(
    index
      .all<{ albumFolder: string; coverId: string; cover: string }>(
        `SELECT album_folder AS albumFolder, id AS coverId, MAX(present || saved_at) AS cover
         FROM entries GROUP BY album_folder`,
      )
      .map((row) => [row.albumFolder, row]),
  );
  return index
    .all<Omit<FolderTotals, 'coverId' | 'cover'>>(
      `SELECT album_folder AS albumFolder, COUNT(*) AS results,
         TOTAL(ROUND(cost_cny * ${UNITS_PER_CNY})) AS units, MAX(saved_at) AS lastSavedAt
       FROM entries GROUP BY album_folder`,
    )
    .map((row) => ({ coverId: '', cover: '', ...row, ...covers.get(row.albumFolder) }));
}

/** An album of the list: its photos' cells, and every recipe used on it. */
interface AlbumCells {
  photos: Map<string, Cells>;
  keys: Set<string>;
  totals: Omit<FolderTotals, 'albumFolder'> | null;
}

/** The albums list of one index, and where the index and the queue stood when it was read. */
interface AlbumsMemo {
  queue: Db;
  stamp: string;
  summaries: AlbumSummary[];
}
const albumsMemos = new WeakMap<Db, AlbumsMemo>();

/**
 * `library:albums`: every album with a result in the library (saved or
 * missing), the most recently saved first. Only narrow columns of every
 * result are read (an index alone), since wide rows cost seconds at 100,000;
 * and the answer is kept until the index or the queue changes (`changeStamp`
 * of each), since the window asks again on every change of the library.
 * The answer is shared between callers: not to be changed.
 */
export function albumSummaries(sources: AlbumSources): AlbumSummary[] {
  const queue = sources.queue.db;
  return sources.library.readIndex((index) => {
    const stamp = `${changeStamp(index)}|${changeStamp(queue)}`;
    const memo = albumsMemos.get(index);
    if (memo?.queue === queue && memo.stamp === stamp) return memo.summaries;
    const summaries = readAlbumSummaries(index, sources.queue);
    albumsMemos.set(index, { queue, stamp, summaries });
    return summaries;
  });
}

/** The albums list read afresh: every result's narrow columns, then the queue's jobs. */
function readAlbumSummaries(index: Db, queue: AlbumSources['queue']): AlbumSummary[] {
  const albums = new Map<string, AlbumCells>();
  const cellsOf = (folder: string, hash: string, key: string) => {
    const name = albumOf(folder);
    let album = albums.get(name);
    if (!album) albums.set(name, (album = { photos: new Map(), keys: new Set(), totals: null }));
    let cells = album.photos.get(hash);
    if (!cells) album.photos.set(hash, (cells = new Map()));
    album.keys.add(key);
    return { album, cells };
  };
  const rows = index.all<{ f: string; h: string; k: string; p: number }>(
    'SELECT album_folder AS f, source_hash AS h, recipe_key AS k, present AS p FROM entries',
  );
  for (const { f, h, k, p } of rows) {
    const { cells } = cellsOf(f, h, k);
    cells.set(k, (cells.get(k) ?? 0) | SAVED | (p === 1 ? PRESENT : 0));
  }
  const folders = folderTotals(index);
  // The queue, oldest first: the last job seen for a cell is its latest.
  for (const job of queue.albumJobs()) {
    const { cells } = cellsOf(job.albumFolder, job.sourceHash, job.recipeKey);
    cells.set(job.recipeKey, withJob(cells.get(job.recipeKey) ?? 0, job.state));
  }
  for (const folder of folders) {
    const album = albums.get(albumOf(folder.albumFolder));
    if (!album) continue;
    const sum = album.totals;
    if (!sum) {
      album.totals = { ...folder };
      continue;
    }
    sum.results += folder.results;
    sum.units += folder.units;
    if (folder.lastSavedAt > sum.lastSavedAt) sum.lastSavedAt = folder.lastSavedAt;
    if (folder.cover > sum.cover)
      Object.assign(sum, { cover: folder.cover, coverId: folder.coverId });
  }
  const summaries: AlbumSummary[] = [];
  for (const [albumFolder, album] of albums) {
    // An album only the queue knows has nothing in the library yet.
    if (!album.totals) continue;
    summaries.push({
      albumFolder,
      photos: album.photos.size,
      results: album.totals.results,
      styles: album.keys.size,
      costCny: unitsToCny(album.totals.units),
      cells: countCells(album.photos.values(), album.keys),
      lastSavedAt: album.totals.lastSavedAt,
      coverId: album.totals.coverId,
    });
  }
  return summaries.sort(
    (a, b) =>
      (a.lastSavedAt < b.lastSavedAt ? 1 : a.lastSavedAt > b.lastSavedAt ? -1 : 0) ||
      a.albumFolder.localeCompare(b.albumFolder),
  );
}

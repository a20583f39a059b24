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
import { albumOf, folderScope } from '../db/folder-scope';
import type { Db } from '../db/sqlite';
import type { JobStore } from '../queue/job-store';
import { LIVE_STATES } from '../queue/states';
import { styleNames } from './provenance';
import type { Library } from './types';

/** Where albums are read from: the library's index and the queue (`Services` is one). */
export interface AlbumSources {
  library: Pick<Library, 'readIndex'>;
  queue: Pick<JobStore, 'albumJobs'>;
}

/** A recipe used on an album: a column of its coverage. */
export interface AlbumStyle {
  recipeKey: string;
  recipe: Recipe;
  styleName: StyleName;
  model: ModelId;
}

interface Cell {
  /** The newest result, one on disk first; null: none in the library. */
  resultId: string | null;
  present: boolean;
  live: boolean;
  /** The last job (not a linked copy) ended failed or expired. */
  failed: boolean;
}

/** Where an original was found (a photo may have been found at more than one place). */
export interface SourcePlace {
  path: string;
  albumFolder: string;
}

/** A photo of an album (its content hash), with what is known of each recipe on it. */
export interface AlbumPhoto {
  sourceHash: string;
  sourcePath: string;
  sourceName: string;
  albumFolder: string;
  /** Every place the original was found, the newest result's first. */
  places: SourcePlace[];
  cells: Map<string, Cell>;
}

interface AlbumFacts {
  photos: Map<string, AlbumPhoto>;
  styles: Map<string, AlbumStyle>;
  results: number;
  costCny: number;
  lastSavedAt: string;
  /** The newest result on disk, else the newest result; '' while none. */
  coverId: string;
}

interface EntryGroup {
  albumFolder: string;
  sourceHash: string;
  recipeKey: string;
  /** Of the group's newest entry, one on disk first (SQLite's bare columns of MAX()). */
  id: string;
  sourcePath: string;
  sourceName: string;
  recipeJson: string;
  styleNameEn: string;
  styleNameZh: string;
  model: string;
  present: number;
  savedAt: string;
  results: number;
  costCny: number;
}

/** Entries grouped by folder, photo and recipe: one row per cell and folder. */
function entryGroups(index: Db, scope: string | undefined): EntryGroup[] {
  const where = scope === undefined ? null : folderScope('album_folder', scope);
  // With a single MAX(), SQLite takes the other columns from the row holding it.
  return index.all<EntryGroup>(
    `SELECT album_folder AS albumFolder, source_hash AS sourceHash, recipe_key AS recipeKey,
       MAX(present || saved_at) AS newest, id, source_path AS sourcePath,
       source_name AS sourceName, recipe_json AS recipeJson, style_name_en AS styleNameEn,
       style_name_zh AS styleNameZh, model, present, saved_at AS savedAt,
       COUNT(*) AS results, TOTAL(cost_cny) AS costCny
     FROM entries ${where ? `WHERE ${where.sql}` : ''}
     GROUP BY album_folder, source_hash, recipe_key`,
    where?.params ?? {},
  );
}

const FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'expired']);
const LIVE: ReadonlySet<string> = new Set(LIVE_STATES);

const newAlbum = (): AlbumFacts => ({
  photos: new Map(),
  styles: new Map(),
  results: 0,
  costCny: 0,
  lastSavedAt: '',
  coverId: '',
});

/** When each folder last had a result saved. */
function savedTimes(index: Db, scope: string | undefined) {
  const where = scope === undefined ? null : folderScope('album_folder', scope);
  return index.all<{ albumFolder: string; lastSavedAt: string }>(
    `SELECT album_folder AS albumFolder, MAX(saved_at) AS lastSavedAt FROM entries
     ${where ? `WHERE ${where.sql}` : ''} GROUP BY album_folder`,
    where?.params ?? {},
  );
}

const emptyCell = (): Cell => ({ resultId: null, present: false, live: false, failed: false });

function photoOf(album: AlbumFacts, hash: string, place: SourcePlace): AlbumPhoto {
  let photo = album.photos.get(hash);
  if (!photo) {
    photo = {
      sourceHash: hash,
      sourcePath: place.path,
      sourceName: basename(place.path.replace(/\\/g, '/')),
      albumFolder: place.albumFolder,
      places: [],
      cells: new Map(),
    };
    album.photos.set(hash, photo);
  }
  if (!photo.places.some((p) => p.path === place.path && p.albumFolder === place.albumFolder))
    photo.places.push(place);
  return photo;
}

function cellOf(photo: AlbumPhoto, key: string): Cell {
  let cell = photo.cells.get(key);
  if (!cell) photo.cells.set(key, (cell = emptyCell()));
  return cell;
}

/**
 * What the library and the queue know of the albums: of the one folder
 * `scope` (and below) as one album, or (none) of every album.
 */
function collect(sources: AlbumSources, scope?: string): Map<string, AlbumFacts> {
  const albums = new Map<string, AlbumFacts>();
  const albumFor = (folder: string): AlbumFacts => {
    const key = scope ?? albumOf(folder);
    let album = albums.get(key);
    if (!album) albums.set(key, (album = newAlbum()));
    return album;
  };

  // The library: results on disk first, newest first, so a photo is named
  // after its newest place and an album's first group is its cover.
  const { groups, times } = sources.library.readIndex((index) => ({
    groups: entryGroups(index, scope),
    times: savedTimes(index, scope),
  }));
  groups.sort(
    (a, b) => b.present - a.present || (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0),
  );
  for (const group of groups) {
    const album = albumFor(group.albumFolder);
    const photo = photoOf(album, group.sourceHash, {
      path: group.sourcePath,
      albumFolder: group.albumFolder,
    });
    if (photo.sourcePath === group.sourcePath) photo.sourceName = group.sourceName;
    const cell = cellOf(photo, group.recipeKey);
    if (!cell.present) {
      cell.resultId = group.id;
      cell.present = group.present === 1;
    }
    if (!album.styles.has(group.recipeKey)) {
      album.styles.set(group.recipeKey, {
        recipeKey: group.recipeKey,
        recipe: recipeSchema.parse(JSON.parse(group.recipeJson)),
        styleName: { en: group.styleNameEn, 'zh-CN': group.styleNameZh },
        model: group.model as ModelId,
      });
    }
    album.results += group.results;
    album.costCny += group.costCny;
    album.coverId ||= group.id;
  }
  for (const { albumFolder, lastSavedAt } of times) {
    const album = albumFor(albumFolder);
    if (lastSavedAt > album.lastSavedAt) album.lastSavedAt = lastSavedAt;
  }

  // The queue: oldest first, so the last job seen for a cell is its latest.
  for (const job of sources.queue.albumJobs(scope)) {
    const album = albumFor(job.albumFolder);
    const photo = photoOf(album, job.sourceHash, {
      path: job.sourcePath,
      albumFolder: job.albumFolder,
    });
    const cell = cellOf(photo, job.recipeKey);
    if (LIVE.has(job.state)) cell.live = true;
    // A linked copy (`skipped`) follows another job: it says nothing of this cell's last try.
    if (job.state !== 'skipped') cell.failed = FAILED_STATES.has(job.state);
    if (!album.styles.has(job.recipeKey)) {
      const recipe = recipeSchema.parse(JSON.parse(job.recipeJson));
      album.styles.set(job.recipeKey, {
        recipeKey: job.recipeKey,
        recipe,
        styleName: styleNames(recipe),
        model: recipeModel(recipe),
      });
    }
  }
  return albums;
}

/** A cell's state (see the top of this file). */
export function cellState(cell: Cell | undefined): CoverageState {
  if (!cell) return 'none';
  if (cell.present) return 'done';
  if (cell.live) return 'queued';
  if (cell.failed) return 'failed';
  return cell.resultId ? 'missing' : 'none';
}

const emptyCounts = (): Record<CoverageState, number> =>
  Object.fromEntries(COVERAGE_STATES.map((state) => [state, 0])) as Record<CoverageState, number>;

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

/** Every photo of an album, in gallery order, and its columns in order. */
export function albumMatrix(
  sources: AlbumSources,
  albumFolder: string,
): { photos: AlbumPhoto[]; styles: AlbumStyle[] } {
  const album = collect(sources, albumFolder).get(albumFolder) ?? newAlbum();
  return {
    photos: [...album.photos.values()].sort(byGallery),
    styles: [...album.styles.values()].sort(byStyle),
  };
}

function countCells(photos: Iterable<AlbumPhoto>, styles: readonly AlbumStyle[]) {
  const counts = emptyCounts();
  for (const photo of photos)
    for (const style of styles) counts[cellState(photo.cells.get(style.recipeKey))] += 1;
  return counts;
}

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
    styles: styles.map(({ recipeKey, recipe, styleName, model }) => ({
      recipeKey,
      recipe,
      styleName,
      model,
    })),
    photos: photos.slice(offset, offset + limit).map((photo) => ({
      sourceHash: photo.sourceHash,
      sourcePath: photo.sourcePath,
      sourceName: photo.sourceName,
      cells: styles.map((style) => {
        const cell = photo.cells.get(style.recipeKey);
        return { state: cellState(cell), resultId: cell?.resultId ?? null };
      }),
    })),
    total: photos.length,
    counts: countCells(photos, styles),
  };
}

/** Money summed per image at 4 decimals, kept to 4 decimals. */
const cny = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * `library:albums`: every album with a result in the library (saved or
 * missing), the most recently saved first.
 */
export function albumSummaries(sources: AlbumSources): AlbumSummary[] {
  const summaries: AlbumSummary[] = [];
  for (const [albumFolder, album] of collect(sources)) {
    if (album.results === 0) continue;
    const styles = [...album.styles.values()];
    summaries.push({
      albumFolder,
      photos: album.photos.size,
      results: album.results,
      styles: styles.length,
      costCny: cny(album.costCny),
      cells: countCells(album.photos.values(), styles),
      lastSavedAt: album.lastSavedAt,
      coverId: album.coverId,
    });
  }
  return summaries.sort(
    (a, b) =>
      (a.lastSavedAt < b.lastSavedAt ? 1 : a.lastSavedAt > b.lastSavedAt ? -1 : 0) ||
      a.albumFolder.localeCompare(b.albumFolder),
  );
}

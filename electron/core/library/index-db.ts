import { existsSync, rmSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { ModelId } from '../../../shared/models';
import { ADJUSTMENTS } from '../../../shared/photos';
import { recipeSchema } from '../../../shared/recipe';
import { openDb, type Db, type SqlValue } from '../db/sqlite';
import type { LibraryEntry, LibraryFilter } from './types';

/** Bump when the table changes: an index of another version is rebuilt from the sidecars. */
const INDEX_VERSION = '2';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** An entry as stored: paths relative to the root, so a moved library keeps working. */
export type IndexRow = Omit<
  LibraryEntry,
  'recipe' | 'model' | 'styleName' | 'adjustments' | 'sourceCrop' | 'favourite' | 'present'
> & {
  /** The recipe as JSON (validated again when read). */
  recipeJson: string;
  model: string;
  styleNameEn: string;
  styleNameZh: string;
  /** JSON arrays/objects (validated again when read). */
  adjustmentsJson: string;
  /** null: the whole photo was sent. */
  cropJson: string | null;
  /** 0 or 1. */
  favourite: number;
  /** 0 or 1: the image file was there at the last look. */
  present: number;
  /** Lower-case text searched by `text` filters: file name, source path, prompt. */
  searchText: string;
};

const COLUMNS = `id, path, sidecar_path AS sidecarPath, file_name AS fileName,
  source_path AS sourcePath, source_name AS sourceName,
  source_hash AS sourceHash, album_folder AS albumFolder, recipe_json AS recipeJson,
  recipe_key AS recipeKey, style_slug AS styleSlug, style_name_en AS styleNameEn,
  style_name_zh AS styleNameZh, variant, model, task_id AS taskId, request_id AS requestId,
  cost_cny AS costCny, width, height, bytes, submitted_at AS submittedAt,
  finished_at AS finishedAt, saved_at AS savedAt, adjustments_json AS adjustmentsJson,
  crop_json AS cropJson, rating, favourite, present, search_text AS searchText`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
  id TEXT PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  sidecar_path TEXT NOT NULL,
  file_name TEXT NOT NULL,
  source_path TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_hash TEXT NOT NULL,
  album_folder TEXT NOT NULL,
  recipe_json TEXT NOT NULL,
  recipe_key TEXT NOT NULL,
  style_slug TEXT NOT NULL,
  style_name_en TEXT NOT NULL,
  style_name_zh TEXT NOT NULL,
  variant INTEGER NOT NULL,
  model TEXT NOT NULL,
  task_id TEXT NOT NULL,
  request_id TEXT,
  cost_cny REAL NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  submitted_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  adjustments_json TEXT NOT NULL,
  crop_json TEXT,
  rating INTEGER NOT NULL DEFAULT 0,
  favourite INTEGER NOT NULL DEFAULT 0,
  present INTEGER NOT NULL DEFAULT 1,
  search_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_dedupe ON entries (source_hash, recipe_key);
CREATE INDEX IF NOT EXISTS entries_saved ON entries (saved_at);
CREATE INDEX IF NOT EXISTS entries_album ON entries (album_folder);
`;

export interface IndexDb {
  /**
   * The open database, for the library's query modules (electron/core/library/*-queries.ts)
   * to read the `entries` table with their own SQL. Writes go through the methods here.
   */
  readonly db: Db;
  /** True when the file was missing, damaged or of another version, so it starts empty. */
  readonly fresh: boolean;
  insert(row: IndexRow): void;
  /** Replaces every row in one transaction. */
  replaceAll(rows: readonly IndexRow[]): void;
  remove(id: string): void;
  get(id: string): IndexRow | null;
  find(sourceHash: string, recipeKey: string): IndexRow[];
  list(filter: LibraryFilter): IndexRow[];
  /**
   * True when the file open here is no longer the one at its path: deleted
   * (the library folder removed or unmounted) or replaced. Writes would go to
   * a file nobody reads again; the library reopens it instead.
   */
  stale(): boolean;
  close(): void;
}

const removeDbFiles = (file: string) => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
};

function openChecked(file: string): { db: Db; fresh: boolean } {
  const existed = existsSync(file);
  const db = openDb(file);
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
    const check = db.pragma('quick_check');
    if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
    db.exec(SCHEMA);
    const version = db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', 'version');
    if (version?.value === INDEX_VERSION) return { db, fresh: !existed };
    db.exec('DELETE FROM entries');
    db.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', 'version', INDEX_VERSION);
    return { db, fresh: true };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens the index file, or, when it is not a usable SQLite database, deletes
 * it and starts an empty one: it is only a cache of the sidecars.
 */
export function openIndexDb(file: string, onDamaged: (error: Error) => void): IndexDb {
  let opened: { db: Db; fresh: boolean };
  try {
    opened = openChecked(file);
  } catch (error) {
    onDamaged(error as Error);
    removeDbFiles(file);
    opened = openChecked(file);
    opened.fresh = true;
  }
  const { db } = opened;
  const identity = fileIdentity(file);

  const insert = (row: IndexRow) =>
    db.run(
      `INSERT OR REPLACE INTO entries VALUES (
    @id, @path, @sidecarPath, @fileName, @sourcePath, @sourceName, @sourceHash, @albumFolder,
    @recipeJson, @recipeKey, @styleSlug, @styleNameEn, @styleNameZh,
    @variant, @model, @taskId, @requestId, @costCny, @width, @height, @bytes, @submittedAt,
    @finishedAt, @savedAt, @adjustmentsJson, @cropJson, @rating, @favourite, @present,
    @searchText)`,
      // Every field of an IndexRow is a string, a number or null.
      row as unknown as Record<string, SqlValue>,
    );

  return {
    db,
    fresh: opened.fresh,
    insert: (row) => void insert(row),
    replaceAll: (rows) =>
      db.transaction(() => {
        db.exec('DELETE FROM entries');
        for (const row of rows) insert(row);
      }),
    remove: (id) => void db.run('DELETE FROM entries WHERE id = ?', id),
    get: (id) => db.get<IndexRow>(`SELECT ${COLUMNS} FROM entries WHERE id = ?`, id) ?? null,
    find: (sourceHash, recipeKey) =>
      db.all<IndexRow>(
        `SELECT ${COLUMNS} FROM entries WHERE source_hash = ? AND recipe_key = ? ORDER BY variant, saved_at`,
        sourceHash,
        recipeKey,
      ),
    list(filter) {
      const where: string[] = [];
      const params: Record<string, SqlValue> = {};
      if (filter.albumFolder !== undefined) {
        // The folder itself and everything below it.
        where.push("(album_folder = @album OR album_folder LIKE @albumPrefix ESCAPE '\\')");
        params.album = filter.albumFolder;
        params.albumPrefix = `${filter.albumFolder.replace(/[\\%_]/g, '\\$&')}/%`;
      }
      if (filter.recipeKey !== undefined) {
        where.push('recipe_key = @recipeKey');
        params.recipeKey = filter.recipeKey;
      }
      if (filter.sourceHash !== undefined) {
        where.push('source_hash = @sourceHash');
        params.sourceHash = filter.sourceHash;
      }
      if (filter.since !== undefined) {
        where.push('saved_at >= @since');
        params.since = filter.since;
      }
      params.limit = Math.min(Math.max(filter.limit ?? DEFAULT_LIMIT, 0), MAX_LIMIT);
      params.offset = Math.max(filter.offset ?? 0, 0);
      const sql = `SELECT ${COLUMNS} FROM entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY saved_at DESC, path ASC LIMIT @limit OFFSET @offset`;
      return db.all<IndexRow>(sql, params);
    },
    stale: () => identity === null || fileIdentity(file) !== identity,
    close: () => db.close(),
  };
}

/** Device and inode of a file, or null when it is gone (or in memory). */
function fileIdentity(file: string): string | null {
  if (file === ':memory:') return null;
  try {
    const info = statSync(file);
    return `${info.dev}:${info.ino}`;
  } catch {
    return null;
  }
}

/** An index row as the library's callers see it (absolute paths via `resolvePath`). */
export function rowToEntry(row: IndexRow, resolvePath: (rel: string) => string): LibraryEntry {
  return {
    id: row.id,
    path: resolvePath(row.path),
    sidecarPath: resolvePath(row.sidecarPath),
    fileName: row.fileName,
    sourcePath: row.sourcePath,
    sourceName: row.sourceName,
    sourceHash: row.sourceHash,
    albumFolder: row.albumFolder,
    recipe: recipeSchema.parse(JSON.parse(row.recipeJson)),
    recipeKey: row.recipeKey,
    styleSlug: row.styleSlug,
    styleName: { en: row.styleNameEn, 'zh-CN': row.styleNameZh },
    variant: row.variant,
    model: row.model as ModelId,
    taskId: row.taskId,
    requestId: row.requestId,
    costCny: row.costCny,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    submittedAt: row.submittedAt,
    finishedAt: row.finishedAt,
    savedAt: row.savedAt,
    adjustments: z.array(z.enum(ADJUSTMENTS)).parse(JSON.parse(row.adjustmentsJson)),
    sourceCrop: row.cropJson ? cropSchema.parse(JSON.parse(row.cropJson)) : null,
    rating: row.rating,
    favourite: row.favourite === 1,
    present: row.present === 1,
  };
}

const cropSchema = z.object({
  left: z.number(),
  top: z.number(),
  width: z.number(),
  height: z.number(),
});

import { existsSync, rmSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { ModelId } from '../../../shared/models';
import { ADJUSTMENTS } from '../../../shared/photos';
import { recipeSchema } from '../../../shared/recipe';
import { folderScope } from '../db/folder-scope';
import { openDb, type Db, type SqlValue } from '../db/sqlite';
import type { LibraryEntry, LibraryFilter } from './types';

/**
 * Bump when the table or its indexes change: an index of another version is
 * dropped and rebuilt from the sidecars (which carry ratings, so nothing is lost).
 * 3: indexes for the library's queries and a trigram full-text index of `search_text`.
 * 4: `search_text` also holds its CJK characters marked (library-queries.ts `searchText`).
 */
const INDEX_VERSION = '4';
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
  /** What `text` filters search: file name, source path, prompt (`searchText` in library-queries.ts). */
  searchText: string;
};

/** Every column of `entries` as an `IndexRow` (the query modules select it too). */
export const ENTRY_COLUMNS = `id, path, sidecar_path AS sidecarPath, file_name AS fileName,
  source_path AS sourcePath, source_name AS sourceName,
  source_hash AS sourceHash, album_folder AS albumFolder, recipe_json AS recipeJson,
  recipe_key AS recipeKey, style_slug AS styleSlug, style_name_en AS styleNameEn,
  style_name_zh AS styleNameZh, variant, model, task_id AS taskId, request_id AS requestId,
  cost_cny AS costCny, width, height, bytes, submitted_at AS submittedAt,
  finished_at AS finishedAt, saved_at AS savedAt, adjustments_json AS adjustmentsJson,
  crop_json AS cropJson, rating, favourite, present, search_text AS searchText`;

const TABLE_SCHEMA = `
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
`;

/**
 * What the queries (library-queries.ts) read, made after a bulk load. Rows
 * are wide (paths, recipe JSON), so a scan of the table is slow at 100,000
 * results; these indexes let a filter, a count or a group read an index alone
 * (each holds every filter column):
 * - `entries_facts`: by time (newest/oldest pages stop early, date ranges);
 * - `entries_photos`: by photo then recipe (the Photos view, dedupe `find`);
 * - `entries_album`: by folder then name (the album filter and sort, counts per folder);
 * - `entries_name`, `entries_cost`: the other sorts;
 * - `entries_text` and `entries_fts`: text search. The trigram full-text
 *   index finds words of 3 characters or more (any script, case-insensitive);
 *   shorter ones (a 2-character Chinese word) are matched with LIKE over the
 *   narrow `entries_text` index. Triggers keep the full-text index in step.
 */
/**
 * The columns of the indexes pages are read in, in order. A page's ORDER BY
 * names them all, then rowid, so SQLite walks the index and stops at the
 * page's end; a tie broken by rowid alone would sort every row up to the page.
 */
export const PAGE_INDEXES = {
  facts: [
    'saved_at',
    'album_folder',
    'recipe_key',
    'model',
    'favourite',
    'rating',
    'present',
    'cost_cny',
    'source_hash',
  ],
  album: [
    'album_folder',
    'file_name',
    'recipe_key',
    'model',
    'favourite',
    'rating',
    'present',
    'saved_at',
    'cost_cny',
    'source_hash',
  ],
  name: ['file_name', 'album_folder'],
  cost: ['cost_cny', 'saved_at'],
} as const;

const QUERY_SCHEMA = `
CREATE INDEX IF NOT EXISTS entries_facts ON entries (${PAGE_INDEXES.facts.join(', ')});
CREATE INDEX IF NOT EXISTS entries_photos ON entries (source_hash, recipe_key, saved_at,
  album_folder, model, favourite, rating, present, cost_cny, source_name);
CREATE INDEX IF NOT EXISTS entries_album ON entries (${PAGE_INDEXES.album.join(', ')});
CREATE INDEX IF NOT EXISTS entries_name ON entries (${PAGE_INDEXES.name.join(', ')});
CREATE INDEX IF NOT EXISTS entries_cost ON entries (${PAGE_INDEXES.cost.join(', ')});
CREATE INDEX IF NOT EXISTS entries_text ON entries (search_text);
CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5(
  search_text, content='entries', content_rowid='rowid', tokenize='trigram');
CREATE TRIGGER IF NOT EXISTS entries_fts_insert AFTER INSERT ON entries BEGIN
  INSERT INTO entries_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER IF NOT EXISTS entries_fts_delete AFTER DELETE ON entries BEGIN
  INSERT INTO entries_fts (entries_fts, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER IF NOT EXISTS entries_fts_update AFTER UPDATE OF search_text ON entries BEGIN
  INSERT INTO entries_fts (entries_fts, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
  INSERT INTO entries_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
`;

/** Drops the table with its indexes and triggers, and the full-text index. */
const DROP_ENTRIES = 'DROP TABLE IF EXISTS entries; DROP TABLE IF EXISTS entries_fts;';

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
  /** The user's rating and favourite, and the image's size (its `xmp:Rating` rewritten). */
  setUser(id: string, user: { rating: number; favourite: boolean; bytes: number }): void;
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
    // recursive_triggers: a row INSERT OR REPLACE deletes fires the full-text index's delete trigger.
    db.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA recursive_triggers = ON',
    );
    const check = db.pragma('quick_check');
    if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
    db.exec(TABLE_SCHEMA);
    const version = db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', 'version');
    if (version?.value === INDEX_VERSION) {
      db.exec(QUERY_SCHEMA);
      return { db, fresh: !existed };
    }
    db.transaction(() => {
      db.exec(DROP_ENTRIES + TABLE_SCHEMA + QUERY_SCHEMA);
      db.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', 'version', INDEX_VERSION);
    });
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
    // A bulk load into a bare table, its indexes made after (several times faster at 100,000 rows).
    replaceAll: (rows) =>
      db.transaction(() => {
        db.exec(DROP_ENTRIES + TABLE_SCHEMA);
        for (const row of rows) insert(row);
        db.exec(QUERY_SCHEMA);
        db.exec("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')");
      }),
    remove: (id) => void db.run('DELETE FROM entries WHERE id = ?', id),
    setUser: (id, user) =>
      void db.run(
        'UPDATE entries SET rating = ?, favourite = ?, bytes = ? WHERE id = ?',
        user.rating,
        user.favourite ? 1 : 0,
        user.bytes,
        id,
      ),
    get: (id) => db.get<IndexRow>(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE id = ?`, id) ?? null,
    find: (sourceHash, recipeKey) =>
      db.all<IndexRow>(
        `SELECT ${ENTRY_COLUMNS} FROM entries WHERE source_hash = ? AND recipe_key = ? ORDER BY variant, saved_at`,
        sourceHash,
        recipeKey,
      ),
    list(filter) {
      const where: string[] = [];
      const params: Record<string, SqlValue> = {};
      if (filter.albumFolder !== undefined) {
        // The folder itself and everything below it.
        const scope = folderScope('album_folder', filter.albumFolder, 'album');
        where.push(scope.sql);
        Object.assign(params, scope.params);
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
      const sql = `SELECT ${ENTRY_COLUMNS} FROM entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
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

/**
 * The library's paged queries over the index (issue 11): results, photos, a
 * photo's stack, facets and spend, each narrowed by the same filter. SQL over
 * the `entries` table of index-db.ts, whose indexes are made for these
 * queries: a page's rows are picked by id through a narrow index first and
 * only then read whole, so a filter or a text search stays fast at 100,000
 * results (see `npm run bench`).
 */
import type {
  FacetCount,
  LibraryFacets,
  LibraryQueryFilter,
  LibrarySort,
  LibraryStats,
  SpendLine,
  StyleName,
} from '../../../shared/contract/library';
import { MODEL_IDS, type ModelId } from '../../../shared/models';
import { UNITS_PER_CNY, unitsToCny } from '../cost/money';
import { albumOf, folderScope } from '../db/folder-scope';
import type { Db, SqlValue } from '../db/sqlite';
import { ENTRY_COLUMNS, PAGE_INDEXES, type IndexRow } from './index-db';
import type { LibraryQuery, Page } from './types';

/** A filter dimension the facets count, each within the other filters. */
type Dimension = 'album' | 'recipe' | 'model' | 'favourite' | 'rating' | 'presence';

/** A condition and its named parameters (node:sqlite refuses a parameter the SQL does not name). */
interface Clause {
  sql: string;
  params: Record<string, SqlValue>;
}

/** A filter's SQL: a condition per facet dimension, the others (dates, text, ids, photo) apart. */
interface Clauses {
  dims: Partial<Record<Dimension, Clause>>;
  rest: Clause[];
}

/** `WHERE …` (or '' when nothing narrows) and its parameters. */
type Where = Clause;

/** `YYYY-MM-DD` as the UTC instant its local day starts at, `days` later (this machine's time zone). */
function localDayStart(day: string, days = 0): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date + days).toISOString();
}

/** The contract's filter as core runs it: a batch resolved to its results' ids (`batchEntryIds`). */
export function libraryQuery(
  filter: LibraryQueryFilter,
  batchEntryIds: (batchId: string) => readonly string[],
): LibraryQuery {
  const { batchId, ...rest } = filter;
  return batchId === undefined ? rest : { ...rest, ids: batchEntryIds(batchId) };
}

/** Words of a text search, lower case (the index keeps `search_text` lower case too). */
const searchWords = (text: string): string[] =>
  text.toLowerCase().split(/\s+/u).filter(Boolean).slice(0, 16);

/** The trigram index finds words of 3 characters or more. */
const TRIGRAM = 3;

/** Chinese, Japanese and Korean characters, where one or two make a word. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUNS = new RegExp(`${CJK.source}+`, 'gu');
/** A private-use character, never in a name or a prompt. */
const MARK = '\u{E000}';
/** Each character followed by two marks: `北京` is `北··京··`, 6 characters, `北` 3. */
const markCjk = (run: string): string => [...run].map((char) => `${char}${MARK}${MARK}`).join('');

/**
 * The text a `text` filter searches, as the index keeps it (`search_text`):
 * the parts (file name, source path, prompt) in lower case, then each run of
 * CJK characters again, marked (`markCjk`). A one- or two-character Chinese
 * word, too short for the trigram index, is found there by its marked form.
 */
export function searchText(parts: readonly string[]): string {
  const text = parts.join('\n').toLowerCase();
  const runs = text.match(CJK_RUNS) ?? [];
  return runs.length ? `${text}\n${runs.map(markCjk).join('\n')}` : text;
}
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** Stands for `rowid` in a text clause: `+rowid` in a page's query (see `whereOf`). */
const ROWID = '{rowid}';

/**
 * A filter's SQL. A text search is a set of rowids: from the trigram index,
 * and, for words too short for it, from one LIKE scan of the narrow text
 * index, run here once for all the queries of a call.
 */
function clausesOf(db: Db, filter: LibraryQuery): Clauses {
  const dims: Clauses['dims'] = {};
  const rest: Clause[] = [];
  if (filter.albumFolder !== undefined)
    dims.album = folderScope('album_folder', filter.albumFolder, 'album');
  // An empty list of recipes or models narrows nothing (no chip chosen).
  if (filter.recipeKeys?.length)
    dims.recipe = {
      sql: 'recipe_key IN (SELECT value FROM json_each(@recipeKeys))',
      params: { recipeKeys: JSON.stringify(filter.recipeKeys) },
    };
  if (filter.models?.length)
    dims.model = {
      sql: 'model IN (SELECT value FROM json_each(@models))',
      params: { models: JSON.stringify(filter.models) },
    };
  if (filter.favourite !== undefined)
    dims.favourite = {
      sql: 'favourite = @favourite',
      params: { favourite: filter.favourite ? 1 : 0 },
    };
  if (filter.minRating !== undefined)
    dims.rating = { sql: 'rating >= @minRating', params: { minRating: filter.minRating } };
  if (filter.presence !== undefined)
    dims.presence = {
      sql: 'present = @present',
      params: { present: filter.presence === 'present' ? 1 : 0 },
    };
  if (filter.from !== undefined)
    rest.push({ sql: 'saved_at >= @from', params: { from: localDayStart(filter.from) } });
  if (filter.to !== undefined)
    rest.push({ sql: 'saved_at < @to', params: { to: localDayStart(filter.to, 1) } });
  if (filter.sourceHash !== undefined)
    rest.push({ sql: 'source_hash = @sourceHash', params: { sourceHash: filter.sourceHash } });
  if (filter.ids !== undefined)
    rest.push({
      sql: 'id IN (SELECT value FROM json_each(@ids))',
      params: { ids: JSON.stringify(filter.ids) },
    });
  const words = searchWords(filter.text ?? '');
  // Short CJK words by their marked form; other short words (`ok`, `a1`) by LIKE.
  const cjkShort = (word: string) => [...word].every((char) => CJK.test(char));
  const long = words.flatMap((word) =>
    [...word].length >= TRIGRAM ? [word] : cjkShort(word) ? [markCjk(word)] : [],
  );
  if (long.length)
    rest.push({
      sql: `${ROWID} IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH @match)`,
      // Each word a quoted phrase: FTS syntax in the user's words is taken literally.
      params: { match: long.map((word) => `"${word.replace(/"/g, '""')}"`).join(' AND ') },
    });
  const short = words.filter((word) => [...word].length < TRIGRAM && !cjkShort(word));
  if (short.length) {
    const likes = short.map((word) => `%${escapeLike(word)}%`);
    const rowids = db
      .all<{ r: number }>(
        `SELECT rowid AS r FROM entries WHERE ${likes.map(() => "search_text LIKE ? ESCAPE '\\'").join(' AND ')}`,
        ...likes,
      )
      .map((row) => row.r);
    rest.push({
      sql: `${ROWID} IN (SELECT value FROM json_each(@shortWords))`,
      params: { shortWords: JSON.stringify(rowids) },
    });
  }
  return { dims, rest };
}

/**
 * The SQL of a filter, leaving out the dimensions in `except` (a facet counts
 * within the others). `ordered`: for a page read in the order of a narrow
 * index; a text search's rowids then go as `+rowid`, which keeps SQLite from
 * reading each of those rows whole: it walks that narrow index in order,
 * checks the set and stops at the page's end. Otherwise (counts, groups) it
 * looks the set's rows up by rowid.
 */
function whereOf(clauses: Clauses, except: readonly Dimension[] = [], ordered = false): Where {
  const kept = [
    ...Object.entries(clauses.dims)
      .filter(([dimension]) => !except.includes(dimension as Dimension))
      .map(([, clause]) => clause),
    ...clauses.rest,
  ];
  const sql = kept.map((clause) => clause.sql.replace(ROWID, ordered ? '+rowid' : 'rowid'));
  return {
    sql: sql.length ? `WHERE ${sql.join(' AND ')}` : '',
    params: Object.assign({}, ...kept.map((clause) => clause.params)) as Record<string, SqlValue>,
  };
}

/** Money summed exactly, in units of 0.0001 CNY (as `money.ts` counts it). */
const COST_UNITS = `TOTAL(ROUND(cost_cny * ${UNITS_PER_CNY}))`;

/** Every column of a page index, then rowid: the index's own order (or its reverse). */
const inIndexOrder = (columns: readonly string[], direction: 'ASC' | 'DESC') =>
  [...columns, 'rowid'].map((column) => `${column} ${direction}`).join(', ');

/** newest/oldest: saved time; album: folder, then file name; name; cost: dearest, then newest. */
const RESULT_ORDER: Record<LibrarySort, string> = {
  newest: inIndexOrder(PAGE_INDEXES.facts, 'DESC'),
  oldest: inIndexOrder(PAGE_INDEXES.facts, 'ASC'),
  album: inIndexOrder(PAGE_INDEXES.album, 'ASC'),
  name: inIndexOrder(PAGE_INDEXES.name, 'ASC'),
  cost: inIndexOrder(PAGE_INDEXES.cost, 'DESC'),
};

/** Answers of one state of an index: its stamp, and answers by what was asked. */
interface Memo {
  stamp: string;
  answers: Map<string, unknown>;
}
const memos = new WeakMap<Db, Memo>();
const MEMO_ANSWERS = 64;

/**
 * Where a database stands: it moves with every write of this connection
 * (`total_changes()`) and of any other (`data_version`: the CLI's, say). An
 * answer read at one stamp holds while the stamp is the same.
 */
export function changeStamp(db: Db): string {
  const changes = db.get<{ n: number }>('SELECT total_changes() AS n')?.n ?? 0;
  return `${String(db.pragma('data_version'))}:${changes}`;
}

/**
 * An answer kept until the index changes: scrolling pages through a filter
 * asks its total again for every page, and a view shown again asks its facets
 * again (`changeStamp`).
 */
function remembered<T>(db: Db, key: string, compute: () => T): T {
  const stamp = changeStamp(db);
  let memo = memos.get(db);
  if (memo?.stamp !== stamp) {
    memo = { stamp, answers: new Map() };
    memos.set(db, memo);
  }
  if (memo.answers.has(key)) return memo.answers.get(key) as T;
  const answer = compute();
  if (memo.answers.size >= MEMO_ANSWERS) memo.answers.clear();
  memo.answers.set(key, answer);
  return answer;
}

const count = (db: Db, sql: string, params: Record<string, SqlValue>): number =>
  Number(db.get<{ n: number }>(sql, params)?.n ?? 0);

/** A page of results matching the filter, and how many match in all. */
export function queryResults(
  db: Db,
  filter: LibraryQuery,
  sort: LibrarySort,
  page: Page,
): { rows: IndexRow[]; total: number } {
  const clauses = clausesOf(db, filter);
  const ordered = whereOf(clauses, [], true);
  const order = RESULT_ORDER[sort];
  // The page's rowids through a narrow index, then only those rows read whole.
  const rows = db.all<IndexRow>(
    `SELECT ${ENTRY_COLUMNS} FROM entries WHERE rowid IN (
       SELECT rowid FROM entries ${ordered.sql} ORDER BY ${order} LIMIT @limit OFFSET @offset)
     ORDER BY ${order}`,
    { ...ordered.params, limit: page.limit, offset: page.offset },
  );
  const where = whereOf(clauses);
  const total = remembered(db, `results ${JSON.stringify(filter)}`, () =>
    count(db, `SELECT COUNT(*) AS n FROM entries ${where.sql}`, where.params),
  );
  return { rows, total };
}

/**
 * How photos are ordered. With one MAX() in a grouped query, SQLite takes the
 * bare columns (album folder, source name) from the newest result: the tile's.
 */
const PHOTO_ORDER: Record<LibrarySort, { columns: string; order: string }> = {
  newest: { columns: '', order: 'newest DESC, source_hash' },
  oldest: { columns: '', order: 'MIN(saved_at), source_hash' },
  album: {
    columns: ', album_folder, source_name',
    order: 'album_folder, source_name, source_hash',
  },
  name: { columns: ', album_folder, source_name', order: 'source_name, album_folder, source_hash' },
  cost: { columns: '', order: `${COST_UNITS} DESC, newest DESC, source_hash` },
};

const photoCount = (db: Db, where: Where): number =>
  count(db, `SELECT COUNT(DISTINCT source_hash) AS n FROM entries ${where.sql}`, where.params);

/** A photo's newest matching result with what its tile counts. */
export interface PhotoRow {
  newest: IndexRow;
  results: number;
  styles: number;
  costCny: number;
}

/** A page of photos (one per source hash) with a result matching the filter, and how many in all. */
export function queryPhotos(
  db: Db,
  filter: LibraryQuery,
  sort: LibrarySort,
  page: Page,
): { photos: PhotoRow[]; total: number } {
  const where = whereOf(clausesOf(db, filter));
  const { columns, order } = PHOTO_ORDER[sort];
  const hashes = db
    .all<{ hash: string }>(
      `SELECT source_hash AS hash, MAX(saved_at) AS newest${columns}
       FROM entries ${where.sql} GROUP BY source_hash ORDER BY ${order}
       LIMIT @limit OFFSET @offset`,
      { ...where.params, limit: page.limit, offset: page.offset },
    )
    .map((row) => row.hash);
  const total = remembered(db, `photos ${JSON.stringify(filter)}`, () => photoCount(db, where));
  if (!hashes.length) return { photos: [], total };
  const inPage = `source_hash IN (SELECT value FROM json_each(@hashes))`;
  // MAX(saved_at) alone among min/max: the other columns are the newest result's.
  const tiles = db.all<IndexRow & { n: number; styles: number; units: number; top: string }>(
    `SELECT ${ENTRY_COLUMNS}, MAX(saved_at) AS top, COUNT(*) AS n,
       COUNT(DISTINCT recipe_key) AS styles, ${COST_UNITS} AS units
     FROM entries ${where.sql ? `${where.sql} AND ${inPage}` : `WHERE ${inPage}`}
     GROUP BY source_hash`,
    { ...where.params, hashes: JSON.stringify(hashes) },
  );
  const byHash = new Map(tiles.map((tile) => [tile.sourceHash, tile]));
  const photos = hashes.flatMap((hash) => {
    const tile = byHash.get(hash);
    if (!tile) return [];
    const { n, styles, units, top: _top, ...newest } = tile;
    return [{ newest, results: n, styles, costCny: unitsToCny(units) }];
  });
  return { photos, total };
}

/** Every result of a photo, newest first (its stack; the caller groups them by recipe). */
export const queryStack = (db: Db, sourceHash: string): IndexRow[] =>
  db.all<IndexRow>(
    `SELECT ${ENTRY_COLUMNS} FROM entries WHERE source_hash = ? ORDER BY saved_at DESC, rowid DESC`,
    sourceHash,
  );

/**
 * Every album folder with results, and each folder above one: the count is
 * what choosing it as `albumFolder` (that folder and below) would show.
 */
function albumCounts(folders: ReadonlyArray<{ key: string; count: number }>): FacetCount[] {
  const counts = new Map<string, number>();
  for (const { key, count: n } of folders) {
    const parts = key.split('/');
    for (let depth = 1; depth <= parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      counts.set(folder, (counts.get(folder) ?? 0) + n);
    }
  }
  return [...counts].sort(([a], [b]) => compareKeys(a, b)).map(([key, n]) => ({ key, count: n }));
}

const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A recipe's style name and model, read from one of its rows (`first`: its rowid). */
function recipeNames(
  db: Db,
  firsts: readonly number[],
): Map<string, { styleName: StyleName; model: ModelId }> {
  const rows = db.all<{ key: string; en: string; zh: string; model: ModelId }>(
    `SELECT recipe_key AS key, style_name_en AS en, style_name_zh AS zh, model FROM entries
     WHERE rowid IN (SELECT value FROM json_each(@firsts))`,
    { firsts: JSON.stringify(firsts) },
  );
  return new Map(
    rows.map((row) => [row.key, { styleName: { en: row.en, 'zh-CN': row.zh }, model: row.model }]),
  );
}

const RATINGS = [1, 2, 3, 4, 5];

/** The dimensions with few values, each counted by a sum per value in one scan (no sort). */
const SMALL_DIMENSIONS = ['model', 'rating', 'presence', 'favourite'] as const;
type SmallDimension = (typeof SMALL_DIMENSIONS)[number];

/** Counts per value of each filter dimension, each within the other filters. */
export const queryFacets = (db: Db, filter: LibraryQuery): LibraryFacets =>
  remembered(db, `facets ${JSON.stringify(filter)}`, () => facets(db, filter));

function facets(db: Db, filter: LibraryQuery): LibraryFacets {
  const clauses = clausesOf(db, filter);
  const byCount = (a: FacetCount, b: FacetCount) => b.count - a.count || compareKeys(a.key, b.key);

  const albums = whereOf(clauses, ['album']);
  const folders = db.all<{ key: string; count: number }>(
    `SELECT album_folder AS key, COUNT(*) AS count FROM entries ${albums.sql} GROUP BY album_folder`,
    albums.params,
  );

  const recipes = whereOf(clauses, ['recipe']);
  const styles = db.all<{ key: string; count: number; first: number }>(
    `SELECT recipe_key AS key, COUNT(*) AS count, MIN(rowid) AS first FROM entries ${recipes.sql}
     GROUP BY recipe_key`,
    recipes.params,
  );
  const names = recipeNames(
    db,
    styles.map((style) => style.first),
  );

  // Model, rating, presence and favourite: a sum per value, each within the
  // three other dimensions' filters (and all the rest, in the WHERE).
  const within = (dimension: SmallDimension | null) =>
    SMALL_DIMENSIONS.filter((other) => other !== dimension)
      .map((other) => clauses.dims[other]?.sql ?? '1')
      .join(' AND ');
  const sums: Record<string, string> = { total: within(null) };
  MODEL_IDS.forEach((model, n) => {
    sums[`model${n}`] = `${within('model')} AND model = '${model}'`;
  });
  for (const rating of RATINGS)
    sums[`rating${rating}`] = `${within('rating')} AND rating = ${rating}`;
  sums.present = `${within('presence')} AND present = 1`;
  sums.missing = `${within('presence')} AND present = 0`;
  sums.favourites = `${within('favourite')} AND favourite = 1`;
  const small = whereOf(clauses, SMALL_DIMENSIONS);
  for (const dimension of SMALL_DIMENSIONS)
    Object.assign(small.params, clauses.dims[dimension]?.params);
  const counts =
    db.get<Record<string, number>>(
      `SELECT ${Object.entries(sums)
        .map(([name, sql]) => `TOTAL(${sql}) AS ${name}`)
        .join(', ')} FROM entries ${small.sql}`,
      small.params,
    ) ?? {};

  return {
    total: counts.total ?? 0,
    albums: albumCounts(folders),
    styles: styles
      .flatMap(({ key, count: n }) => {
        const named = names.get(key);
        return named ? [{ key, count: n, ...named }] : [];
      })
      .sort(byCount),
    models: MODEL_IDS.map((key, n) => ({ key, count: counts[`model${n}`] ?? 0 }))
      .filter((model) => model.count > 0)
      .sort(byCount),
    favourites: counts.favourites ?? 0,
    ratings: RATINGS.map((rating) => ({
      key: String(rating),
      count: counts[`rating${rating}`] ?? 0,
    })),
    present: counts.present ?? 0,
    missing: counts.missing ?? 0,
  };
}

/** Local calendar months from the one holding `first` to the one holding `last` (ISO instants). */
function localMonths(first: string, last: string): Array<[key: string, lo: string, hi: string]> {
  const start = new Date(first);
  const end = new Date(last);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return [];
  const months: Array<[string, string, string]> = [];
  let at = new Date(start.getFullYear(), start.getMonth(), 1);
  while (at <= end) {
    const next = new Date(at.getFullYear(), at.getMonth() + 1, 1);
    const key = `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}`;
    months.push([key, at.toISOString(), next.toISOString()]);
    at = next;
  }
  return months;
}

interface Spend {
  results: number;
  units: number;
}

/** Adds a group's results and money to the line under `key`. */
function add<K>(lines: Map<K, Spend>, key: K, group: Spend): void {
  const line = lines.get(key) ?? { results: 0, units: 0 };
  line.results += group.results;
  line.units += group.units;
  lines.set(key, line);
}

/** Lines dearest first, then by key. */
const spendLines = (
  lines: Map<string, Spend>,
  label: (key: string) => SpendLine['label'],
): SpendLine[] =>
  [...lines]
    .map(([key, line]) => ({
      key,
      label: label(key),
      results: line.results,
      costCny: unitsToCny(line.units),
    }))
    .sort((a, b) => b.costCny - a.costCny || compareKeys(a.key, b.key));

/** What the results matching the filter cost: in total, per album, style, local month and model. */
export const queryStats = (db: Db, filter: LibraryQuery): LibraryStats =>
  remembered(db, `stats ${JSON.stringify(filter)}`, () => stats(db, filter));

function stats(db: Db, filter: LibraryQuery): LibraryStats {
  const where = whereOf(clausesOf(db, filter));
  // Folders in the album index's order (no sort), summed into albums as the user dropped them.
  const folders = db.all<Spend & { key: string; free: number; oldest: string; newest: string }>(
    `SELECT album_folder AS key, COUNT(*) AS results, ${COST_UNITS} AS units,
       TOTAL(cost_cny = 0) AS free, MIN(saved_at) AS oldest, MAX(saved_at) AS newest
     FROM entries ${where.sql} GROUP BY album_folder`,
    where.params,
  );
  // A recipe has one model: styles and models from one group per recipe.
  const recipes = db.all<Spend & { key: string; model: string; first: number }>(
    `SELECT recipe_key AS key, model, COUNT(*) AS results, ${COST_UNITS} AS units,
       MIN(rowid) AS first
     FROM entries ${where.sql} GROUP BY recipe_key, model`,
    where.params,
  );
  const albums = new Map<string, Spend>();
  let first: string | null = null;
  let last: string | null = null;
  for (const folder of folders) {
    add(albums, albumOf(folder.key), folder);
    if (first === null || folder.oldest < first) first = folder.oldest;
    if (last === null || folder.newest > last) last = folder.newest;
  }
  const styles = new Map<string, Spend>();
  const models = new Map<string, Spend>();
  for (const recipe of recipes) {
    add(styles, recipe.key, recipe);
    add(models, recipe.model, recipe);
  }
  const names = recipeNames(
    db,
    recipes.map((recipe) => recipe.first),
  );

  // Months of this machine's calendar, newest first: each a range of the time index.
  const months: SpendLine[] = [];
  if (first !== null && last !== null)
    for (const [key, lo, hi] of localMonths(first, last).reverse()) {
      const month = db.get<Spend>(
        `SELECT COUNT(*) AS results, ${COST_UNITS} AS units FROM entries
         ${where.sql ? `${where.sql} AND` : 'WHERE'} saved_at >= @lo AND saved_at < @hi`,
        { ...where.params, lo, hi },
      );
      if (month?.results)
        months.push({ key, label: key, results: month.results, costCny: unitsToCny(month.units) });
    }

  const total = (field: 'results' | 'units' | 'free') =>
    folders.reduce((sum, folder) => sum + folder[field], 0);
  return {
    results: total('results'),
    photos: photoCount(db, where),
    costCny: unitsToCny(total('units')),
    freeResults: total('free'),
    byAlbum: spendLines(albums, (key) => key),
    byStyle: spendLines(styles, (key) => names.get(key)?.styleName ?? { en: key, 'zh-CN': key }),
    byMonth: months,
    byModel: spendLines(models, (key) => key),
  };
}

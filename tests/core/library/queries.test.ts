// The library's paged queries (issue 11) over real results saved by the real
// library (sidecars, images, the SQLite index file), through the Library
// object and the IPC channels.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import { openDb } from '../../../electron/core/db/sqlite';
import { openIndexDb } from '../../../electron/core/library/index-db';
import { createLibrary, indexPath } from '../../../electron/core/library/library';
import { queryResults } from '../../../electron/core/library/library-queries';
import type {
  Library,
  LibraryEntry,
  LibraryQuery,
  SaveResultInput,
} from '../../../electron/core/library/types';
import type { Services } from '../../../electron/core/services';
import type { LibrarySort } from '../../../shared/contract/library';
import type { Recipe } from '../../../shared/recipe';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';
import { ANIME, HASH_A, HASH_B, pngResult, saveInput } from './fixtures';

// Local calendar days and months are this machine's: run them in a zone that is
// not UTC (a query that took UTC days would put 00:30 on 2 March in 1 March).
// Vitest runs each test file in its own process (pool: forks), so this stays here.
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Asia/Shanghai';
});
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

const HASH_C = 'c'.repeat(64);
const HASH_D = 'd'.repeat(64);
const PRESET3: Recipe = { kind: 'preset', styleIndex: 3 };
const WATERCOLOUR: Recipe = {
  kind: 'prompt',
  prompt: '水彩风格 watercolour wash',
  function: 'stylization_all',
  variants: 1,
};

/** A local time in Shanghai (UTC+8) as the instant it is. */
const shanghai = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);

interface Made {
  a1: LibraryEntry;
  a2: LibraryEntry;
  a3: LibraryEntry;
  b1: LibraryEntry;
  c1: LibraryEntry;
  d1: LibraryEntry;
}

let temp: ReturnType<typeof useTempDir>;
let library: Library;
let clock: number;
let made: Made;

async function saveAt(time: number, overrides: Partial<SaveResultInput>): Promise<LibraryEntry> {
  clock = time;
  return library.save(saveInput(await pngResult(), overrides));
}

/** The index says this result's file is gone (what the library's sync records). */
function markMissing(id: string): void {
  const db = openDb(indexPath(library.root));
  try {
    db.run('UPDATE entries SET present = 0 WHERE id = ?', id);
  } finally {
    db.close();
  }
}

const ids = (entries: readonly LibraryEntry[]) => entries.map((entry) => entry.id);

beforeEach(async () => {
  temp = useTempDir('restyle-library-queries-');
  clock = 0;
  library = createLibrary({ root: join(temp.path, 'lib'), now: () => clock });
  let task = 0;
  const at = (time: number, overrides: Partial<SaveResultInput>) =>
    saveAt(time, { taskId: `task-${++task}`, ...overrides });
  const day1 = {
    path: '/photos/Trip 2024/day 1/IMG_0001.JPG',
    hash: HASH_A,
    albumFolder: 'Trip 2024/day 1',
  };
  made = {
    // 23:30 on 1 March in Shanghai (15:30 UTC).
    a1: await at(shanghai('2025-03-01T23:30:00'), { source: day1, recipe: ANIME }),
    // 00:30 on 2 March in Shanghai, still 1 March in UTC.
    a2: await at(shanghai('2025-03-02T00:30:00'), { source: day1, recipe: PRESET3 }),
    a3: await at(shanghai('2025-03-05T12:00:00'), { source: day1, recipe: ANIME, costCny: 0.12 }),
    b1: await at(shanghai('2025-03-03T12:00:00'), {
      source: {
        path: '/photos/Trip 2024/day 2/北京 故宫.JPG',
        hash: HASH_B,
        albumFolder: 'Trip 2024/day 2',
      },
      recipe: WATERCOLOUR,
      model: 'wanx2.1-imageedit',
      costCny: 0,
    }),
    // A folder whose name starts like 'Trip 2024' but is not below it.
    c1: await at(shanghai('2025-04-01T00:10:00'), {
      source: { path: '/photos/Trip 20245/IMG_0003.JPG', hash: HASH_C, albumFolder: 'Trip 20245' },
      recipe: ANIME,
      // 0.07 * 10,000 is 700.0000000000001 in floating point: sums must count units.
      costCny: 0.07,
    }),
    d1: await at(shanghai('2025-04-15T09:00:00'), {
      source: { path: '/photos/Family/Birthday_Party.jpg', hash: HASH_D, albumFolder: 'Family' },
      recipe: PRESET3,
      costCny: 0.14,
    }),
  };
  await library.setRating([made.a1.id], { rating: 5, favourite: true });
  await library.setRating([made.b1.id], { rating: 3 });
  await library.setRating([made.d1.id], { favourite: true });
  markMissing(made.c1.id);
});
afterEach(() => {
  library.close();
  temp.cleanup();
});

const PAGE = { offset: 0, limit: 100 };
const results = (filter: LibraryQuery, sort: LibrarySort = 'newest', page = PAGE) =>
  library.results(filter, sort, page);
const found = (filter: LibraryQuery) => {
  const { items, total } = results(filter);
  expect(total).toBe(items.length);
  return ids(items);
};

describe('results', () => {
  it('pages every result newest first, with the total', () => {
    const { a1, a2, a3, b1, c1, d1 } = made;
    expect(found({})).toEqual(ids([d1, c1, a3, b1, a2, a1]));
    const page = results({}, 'newest', { offset: 2, limit: 3 });
    expect(ids(page.items)).toEqual(ids([a3, b1, a2]));
    expect(page.total).toBe(6);
    expect(results({}, 'newest', { offset: 6, limit: 3 })).toEqual({ items: [], total: 6 });
  });

  it('gives each result as the window sees it', () => {
    const [item] = results({ sourceHash: HASH_D }).items;
    expect(item).toEqual(library.get(made.d1.id));
    expect(item).toMatchObject({
      fileName: 'Birthday_Party.fresh.png',
      sourceName: 'Birthday_Party.jpg',
      albumFolder: 'Family',
      rating: 0,
      favourite: true,
      present: true,
    });
  });

  it('narrows by each filter', () => {
    const { a1, a2, a3, b1, c1, d1 } = made;
    // The folder and the folders below it, not 'Trip 20245'.
    expect(found({ albumFolder: 'Trip 2024' })).toEqual(ids([a3, b1, a2, a1]));
    expect(found({ albumFolder: 'Trip 2024/day 1' })).toEqual(ids([a3, a2, a1]));
    expect(found({ albumFolder: 'Trip' })).toEqual([]);
    expect(found({ recipeKeys: ['preset:2'] })).toEqual(ids([c1, a3, a1]));
    expect(found({ recipeKeys: ['preset:2', 'preset:3'] })).toEqual(ids([d1, c1, a3, a2, a1]));
    expect(found({ recipeKeys: [] })).toHaveLength(6);
    expect(found({ models: ['wanx2.1-imageedit'] })).toEqual(ids([b1]));
    expect(found({ favourite: true })).toEqual(ids([d1, a1]));
    expect(found({ favourite: false })).toEqual(ids([c1, a3, b1, a2]));
    expect(found({ minRating: 3 })).toEqual(ids([b1, a1]));
    expect(found({ minRating: 4 })).toEqual(ids([a1]));
    expect(found({ presence: 'missing' })).toEqual(ids([c1]));
    expect(found({ presence: 'present' })).toEqual(ids([d1, a3, b1, a2, a1]));
    expect(found({ sourceHash: HASH_A })).toEqual(ids([a3, a2, a1]));
    expect(found({ ids: [a2.id, d1.id, 'nothing'] })).toEqual(ids([d1, a2]));
    expect(found({ ids: [] })).toEqual([]);
  });

  it('combines filters', () => {
    const { a1, a3, c1 } = made;
    expect(found({ albumFolder: 'Trip 2024', favourite: true })).toEqual(ids([a1]));
    expect(found({ recipeKeys: ['preset:2'], presence: 'present' })).toEqual(ids([a3, a1]));
    expect(
      found({ recipeKeys: ['preset:2'], models: ['wanx-style-repaint-v1'], minRating: 1 }),
    ).toEqual(ids([a1]));
    expect(found({ text: 'img_0003', recipeKeys: ['preset:2'] })).toEqual(ids([c1]));
    expect(found({ text: 'img_0003', favourite: true })).toEqual([]);
  });

  it('searches file names, source paths and prompts, every word, in any case and in Chinese', () => {
    const { a1, a2, a3, b1, d1 } = made;
    expect(found({ text: 'birthday' })).toEqual(ids([d1]));
    expect(found({ text: 'BIRTHDAY_party' })).toEqual(ids([d1]));
    // A result's own name (the style's slug) and the original's folder.
    expect(found({ text: 'IMG_0001 anime' })).toEqual(ids([a3, a1]));
    expect(found({ text: 'day IMG_0001' })).toEqual(ids([a3, a2, a1]));
    // Chinese words: two characters (shorter than a trigram) and more.
    expect(found({ text: '北京' })).toEqual(ids([b1]));
    expect(found({ text: '故宫' })).toEqual(ids([b1]));
    expect(found({ text: '北京 故宫' })).toEqual(ids([b1]));
    // One character; and two that are not side by side in the name are not a word of it.
    expect(found({ text: '宫' })).toEqual(ids([b1]));
    expect(found({ text: '京故' })).toEqual([]);
    expect(found({ text: '京 故' })).toEqual(ids([b1]));
    expect(found({ text: '北京 ok' })).toEqual([]);
    // A word of the prompt, in English and Chinese.
    expect(found({ text: 'watercolour' })).toEqual(ids([b1]));
    expect(found({ text: '水彩风格' })).toEqual(ids([b1]));
    expect(found({ text: '  wash   北京  ' })).toEqual(ids([b1]));
    expect(found({ text: 'birthday 北京' })).toEqual([]);
    // Search syntax is taken as text: no wildcards, no operators.
    for (const text of ['%', 'a_', '"', 'a"b', 'birthday OR img', '*', 'NEAR(x y)'])
      expect(found({ text })).toEqual([]);
    expect(found({ text: 'y_p' })).toEqual(ids([d1]));
    expect(found({ text: '' })).toHaveLength(6);
  });

  it('keeps the full-text index in step with rows rebuilt, replaced and removed', async () => {
    const { d1 } = made;
    await library.rebuildIndex();
    expect(found({ text: 'birthday' })).toEqual(ids([d1]));
    library.close();
    const index = openIndexDb(indexPath(join(temp.path, 'lib')), () => undefined);
    try {
      const search = (text: string) =>
        queryResults(index.db, { text }, 'newest', PAGE).rows.map((row) => row.id);
      const row = index.get(d1.id);
      if (!row) throw new Error('d1 is not indexed');
      // Indexed anew, it takes the highest rowid; replaced, SQLite gives the new row that rowid again.
      index.remove(d1.id);
      index.insert(row);
      index.insert({ ...row, searchText: 'renamed.png\n/photos/elsewhere.jpg\n' });
      expect(search('birthday')).toEqual([]);
      expect(search('renamed')).toEqual([d1.id]);
      index.remove(d1.id);
      expect(search('renamed')).toEqual([]);
      // A new row may take a rowid an old one had: it is found by its own words only.
      index.insert({
        ...row,
        id: 'new',
        path: 'Family/brandnew.png',
        searchText: 'brandnew.png\n',
      });
      expect(search('birthday')).toEqual([]);
      expect(search('renamed')).toEqual([]);
      expect(search('brandnew')).toEqual(['new']);
    } finally {
      index.close();
    }
  });

  it('folds the case of any script, in short words too', async () => {
    const summer = await saveAt(shanghai('2025-05-01T12:00:00'), {
      source: { path: '/photos/Misc/Été à Ωmega.JPG', hash: 'e'.repeat(64), albumFolder: 'Misc' },
      taskId: 'task-summer',
    });
    for (const text of ['ÉT', 'été', 'À', 'ωMEGA', 'ΩM'])
      expect(found({ text }), text).toEqual(ids([summer]));
  });

  it('takes from and to as local calendar days', () => {
    const { a1, a2, a3, b1, c1, d1 } = made;
    // a2 was saved at 00:30 on 2 March here: 1 March in UTC.
    expect(found({ to: '2025-03-01' })).toEqual(ids([a1]));
    expect(found({ from: '2025-03-02', to: '2025-03-03' })).toEqual(ids([b1, a2]));
    expect(found({ from: '2025-03-05' })).toEqual(ids([d1, c1, a3]));
    expect(found({ from: '2025-04-01', to: '2025-04-01' })).toEqual(ids([c1]));
    expect(found({ from: '2025-05-01' })).toEqual([]);
  });

  it('sorts by oldest, album, name and cost', () => {
    const { a1, a2, a3, b1, c1, d1 } = made;
    const sorted = (sort: LibrarySort) => ids(results({}, sort).items);
    expect(sorted('oldest')).toEqual(ids([a1, a2, b1, a3, c1, d1]));
    // Album folder, then file name.
    expect(sorted('album')).toEqual(ids([d1, a3, a1, a2, b1, c1]));
    expect(results({}, 'album').items.map((item) => item.fileName)).toEqual([
      'Birthday_Party.fresh.png',
      'IMG_0001.anime (2).png',
      'IMG_0001.anime.png',
      'IMG_0001.fresh.png',
      expect.stringMatching(/^北京 故宫\.prompt-[0-9a-f]{8}\.png$/),
      'IMG_0003.anime.png',
    ]);
    expect(sorted('name')).toEqual(ids([d1, a3, a1, a2, c1, b1]));
    // Dearest first; the same price newest first.
    expect(sorted('cost')).toEqual(ids([d1, a3, a2, a1, c1, b1]));
    expect(
      ids(results({ albumFolder: 'Trip 2024' }, 'cost', { offset: 1, limit: 2 }).items),
    ).toEqual(ids([a2, a1]));
  });
});

describe('answers kept between calls', () => {
  it('are asked again once the index changes, through this library or another connection', async () => {
    const { a2, b1 } = made;
    expect(library.facets({}).favourites).toBe(2);
    expect(library.stats({}).results).toBe(6);
    expect(results({ presence: 'missing' }).total).toBe(1);
    expect(library.photos({ presence: 'missing' }, 'newest', PAGE).total).toBe(1);
    await library.setRating([b1.id], { favourite: true });
    expect(library.facets({}).favourites).toBe(3);
    // The CLI, say, writes the same index file.
    markMissing(a2.id);
    expect(results({ presence: 'missing' }).total).toBe(2);
    expect(library.photos({ presence: 'missing' }, 'newest', PAGE).total).toBe(2);
    expect(library.facets({}).missing).toBe(2);
    await saveAt(Date.now(), { taskId: 'task-new' });
    expect(library.stats({}).results).toBe(7);
  });
});

describe('photos', () => {
  it('gives one tile per source photo: its newest matching result, results, styles and cost', () => {
    const { a3, b1, c1, d1 } = made;
    const { photos, total } = library.photos({}, 'newest', PAGE);
    expect(total).toBe(4);
    expect(photos.map((tile) => tile.newest.id)).toEqual(ids([d1, c1, a3, b1]));
    expect(photos[2]).toEqual({
      sourceHash: HASH_A,
      sourcePath: '/photos/Trip 2024/day 1/IMG_0001.JPG',
      sourceName: 'IMG_0001.JPG',
      albumFolder: 'Trip 2024/day 1',
      newest: library.get(a3.id),
      results: 3,
      styles: 2,
      costCny: 0.36,
    });
  });

  it('counts only the results matching the filter, and pages with the total', () => {
    const { a1, a3, c1 } = made;
    const anime = library.photos({ recipeKeys: ['preset:2'] }, 'newest', PAGE);
    expect(anime.total).toBe(2);
    expect(anime.photos.map((tile) => [tile.newest.id, tile.results, tile.styles])).toEqual([
      [c1.id, 1, 1],
      [a3.id, 2, 1],
    ]);
    const rated = library.photos({ minRating: 5 }, 'newest', PAGE).photos;
    expect(rated.map((tile) => [tile.newest.id, tile.results])).toEqual([[a1.id, 1]]);
    const second = library.photos({}, 'newest', { offset: 1, limit: 2 });
    expect(second.total).toBe(4);
    expect(second.photos.map((tile) => tile.sourceHash)).toEqual([HASH_C, HASH_A]);
    expect(library.photos({}, 'newest', { offset: 9, limit: 2 })).toEqual({ photos: [], total: 4 });
    expect(
      library.photos({ text: '故宫' }, 'newest', PAGE).photos.map((t) => t.sourceHash),
    ).toEqual([HASH_B]);
  });

  it('sorts photos', () => {
    const hashes = (sort: LibrarySort) =>
      library.photos({}, sort, PAGE).photos.map((tile) => tile.sourceHash);
    expect(hashes('oldest')).toEqual([HASH_A, HASH_B, HASH_C, HASH_D]);
    expect(hashes('album')).toEqual([HASH_D, HASH_A, HASH_B, HASH_C]);
    expect(hashes('name')).toEqual([HASH_D, HASH_A, HASH_C, HASH_B]);
    expect(hashes('cost')).toEqual([HASH_A, HASH_D, HASH_C, HASH_B]);
  });

  it("opens a photo's stack: a column per recipe, each newest first, and whether the original is there", () => {
    const { a1, a2, a3 } = made;
    const stack = library.photoStack(HASH_A);
    expect(stack).toMatchObject({
      sourceHash: HASH_A,
      sourceName: 'IMG_0001.JPG',
      albumFolder: 'Trip 2024/day 1',
      sourcePresent: false,
    });
    expect(
      stack?.columns.map((column) => [column.recipeKey, column.model, ids(column.results)]),
    ).toEqual([
      ['preset:2', 'wanx-style-repaint-v1', ids([a3, a1])],
      ['preset:3', 'wanx-style-repaint-v1', ids([a2])],
    ]);
    expect(stack?.columns[0]?.styleName).toEqual(a1.styleName);
    expect(library.photoStack('e'.repeat(64))).toBeNull();
  });

  it('says the original is present when its file is where it was found', async () => {
    const original = join(temp.path, 'photos', 'IMG_0009.JPG');
    mkdirSync(join(temp.path, 'photos'));
    writeFileSync(original, await pngResult());
    const hash = 'f'.repeat(64);
    await saveAt(Date.now(), {
      source: { path: original, hash, albumFolder: '' },
      taskId: 'task-present',
    });
    expect(library.photoStack(hash)?.sourcePresent).toBe(true);
  });
});

describe('facets', () => {
  it('counts every value of each dimension', () => {
    expect(library.facets({})).toEqual({
      total: 6,
      albums: [
        { key: 'Family', count: 1 },
        { key: 'Trip 2024', count: 4 },
        { key: 'Trip 2024/day 1', count: 3 },
        { key: 'Trip 2024/day 2', count: 1 },
        { key: 'Trip 20245', count: 1 },
      ],
      styles: [
        { key: 'preset:2', count: 3, styleName: made.a1.styleName, model: 'wanx-style-repaint-v1' },
        { key: 'preset:3', count: 2, styleName: made.a2.styleName, model: 'wanx-style-repaint-v1' },
        {
          key: made.b1.recipeKey,
          count: 1,
          styleName: made.b1.styleName,
          model: 'wanx2.1-imageedit',
        },
      ],
      models: [
        { key: 'wanx-style-repaint-v1', count: 5 },
        { key: 'wanx2.1-imageedit', count: 1 },
      ],
      favourites: 2,
      ratings: [
        { key: '1', count: 0 },
        { key: '2', count: 0 },
        { key: '3', count: 1 },
        { key: '4', count: 0 },
        { key: '5', count: 1 },
      ],
      present: 5,
      missing: 1,
    });
  });

  it('counts each dimension within the other filters, not its own', () => {
    const facets = library.facets({ albumFolder: 'Trip 2024', favourite: true });
    expect(facets.total).toBe(1);
    // Albums: the favourites anywhere.
    expect(facets.albums).toEqual([
      { key: 'Family', count: 1 },
      { key: 'Trip 2024', count: 1 },
      { key: 'Trip 2024/day 1', count: 1 },
    ]);
    // Favourites: within the album, whatever the favourite filter says.
    expect(facets.favourites).toBe(1);
    expect(facets.styles.map((s) => [s.key, s.count])).toEqual([['preset:2', 1]]);
    expect(facets.models).toEqual([{ key: 'wanx-style-repaint-v1', count: 1 }]);
    expect(facets.ratings.find((r) => r.key === '5')?.count).toBe(1);
    expect([facets.present, facets.missing]).toEqual([1, 0]);

    const byModel = library.facets({ models: ['wanx2.1-imageedit'], minRating: 4 });
    expect(byModel.total).toBe(0);
    // Models within minRating 4 (a1 only); ratings within the model (b1's 3).
    expect(byModel.models).toEqual([{ key: 'wanx-style-repaint-v1', count: 1 }]);
    expect(byModel.ratings.map((r) => r.count)).toEqual([0, 0, 1, 0, 0]);
    expect(byModel.favourites).toBe(0);

    const missing = library.facets({ presence: 'missing', recipeKeys: ['preset:2'] });
    expect(missing.total).toBe(1);
    expect([missing.present, missing.missing]).toEqual([2, 1]);
    expect(missing.styles.map((s) => [s.key, s.count])).toEqual([['preset:2', 1]]);
    expect(library.facets({ text: '北京' }).albums).toEqual([
      { key: 'Trip 2024', count: 1 },
      { key: 'Trip 2024/day 2', count: 1 },
    ]);
  });
});

describe('stats', () => {
  it('says what the results cost: in total, per album, style, local month and model', () => {
    const stats = library.stats({});
    expect(stats).toMatchObject({ results: 6, photos: 4, costCny: 0.57, freeResults: 1 });
    expect(stats.byAlbum).toEqual([
      { key: 'Trip 2024', label: 'Trip 2024', results: 4, costCny: 0.36 },
      { key: 'Family', label: 'Family', results: 1, costCny: 0.14 },
      { key: 'Trip 20245', label: 'Trip 20245', results: 1, costCny: 0.07 },
    ]);
    expect(stats.byStyle).toEqual([
      { key: 'preset:2', label: made.a1.styleName, results: 3, costCny: 0.31 },
      { key: 'preset:3', label: made.a2.styleName, results: 2, costCny: 0.26 },
      { key: made.b1.recipeKey, label: made.b1.styleName, results: 1, costCny: 0 },
    ]);
    // a1 (23:30 on 1 March here) is March; c1 (00:10 on 1 April here, 31 March in UTC) is April.
    expect(stats.byMonth).toEqual([
      { key: '2025-04', label: '2025-04', results: 2, costCny: 0.21 },
      { key: '2025-03', label: '2025-03', results: 4, costCny: 0.36 },
    ]);
    expect(stats.byModel).toEqual([
      { key: 'wanx-style-repaint-v1', label: 'wanx-style-repaint-v1', results: 5, costCny: 0.57 },
      { key: 'wanx2.1-imageedit', label: 'wanx2.1-imageedit', results: 1, costCny: 0 },
    ]);
  });

  it('adds up only what the filter matches, exactly', () => {
    expect(library.stats({ albumFolder: 'Trip 2024/day 1' })).toMatchObject({
      results: 3,
      photos: 1,
      costCny: 0.36,
      freeResults: 0,
      byMonth: [{ key: '2025-03', results: 3, costCny: 0.36 }],
    });
    expect(library.stats({ text: 'nothing like it' })).toEqual({
      results: 0,
      photos: 0,
      costCny: 0,
      freeResults: 0,
      byAlbum: [],
      byStyle: [],
      byMonth: [],
      byModel: [],
    });
  });
});

describe('library channels', () => {
  const PAGE_URL = 'file:///opt/Restyle/resources/app.asar/out/renderer/index.html';
  const own = { senderUrl: PAGE_URL };
  let dataDir: ReturnType<typeof useTempDir>;
  let services: Services;
  let dispatch: Dispatch;

  beforeEach(() => {
    dataDir = useTempDir('restyle-library-queries-ipc-');
    services = makeServices(dataDir.path);
    dispatch = createDispatcher({
      services,
      handlers,
      isTrustedSender: createSenderCheck([PAGE_URL]),
    });
  });
  afterEach(async () => {
    await services.close();
    dataDir.cleanup();
  });

  it('answers results, photos, stack, facets, stats and get, with defaults', async () => {
    const entry = await services.library.save(saveInput(await pngResult()));
    expect(await dispatch(own, 'library:results', {})).toEqual({
      ok: true,
      value: { items: [entry], total: 1 },
    });
    expect(await dispatch(own, 'library:photos', { sort: 'name', limit: 5 })).toMatchObject({
      ok: true,
      value: { total: 1, photos: [{ sourceHash: HASH_A, newest: entry, results: 1 }] },
    });
    expect(await dispatch(own, 'library:photo-stack', { sourceHash: HASH_A })).toMatchObject({
      ok: true,
      value: { columns: [{ recipeKey: 'preset:2', results: [entry] }] },
    });
    expect(await dispatch(own, 'library:facets', { filter: { favourite: true } })).toMatchObject({
      ok: true,
      value: { total: 0, favourites: 0, present: 0 },
    });
    expect(await dispatch(own, 'library:stats', {})).toMatchObject({
      ok: true,
      value: { results: 1, photos: 1, costCny: 0.12 },
    });
    expect(await dispatch(own, 'library:get', { id: entry.id })).toEqual({
      ok: true,
      value: entry,
    });
  });

  it('says not_found for a result or a photo the library does not have', async () => {
    expect(await dispatch(own, 'library:get', { id: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await dispatch(own, 'library:photo-stack', { sourceHash: HASH_B })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('refuses a bad payload', async () => {
    for (const [channel, payload] of [
      ['library:results', { filter: { minRating: 6 } }],
      ['library:results', { filter: { from: '2025-13-01' } }],
      ['library:results', { filter: { text: 'x'.repeat(201) } }],
      ['library:results', { filter: { models: ['dall-e'] } }],
      ['library:results', { filter: { albums: 'x' } }],
      ['library:results', { sort: 'random' }],
      ['library:results', { limit: 0 }],
      ['library:photos', { offset: -1 }],
      ['library:photo-stack', { sourceHash: 'abc' }],
      ['library:facets', { filter: { presence: 'gone' } }],
      ['library:stats', { filter: { sourceHash: 'x' } }],
      ['library:get', {}],
    ] as const)
      expect(await dispatch(own, channel, payload)).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload' },
      });
  });

  it("shows a batch's results: the entries its jobs saved", async () => {
    const saved: LibraryEntry[] = [];
    for (const taskId of ['t1', 't2', 't3'])
      saved.push(await services.library.save(saveInput(await pngResult(), { taskId })));
    const [one, two, three] = saved as [LibraryEntry, LibraryEntry, LibraryEntry];
    const batch = services.queue.createBatch({
      recipe: ANIME,
      jobs: [
        { path: '/p/1.jpg', hash: HASH_A, folder: '', state: 'skipped', entryIds: [one.id] },
        {
          path: '/p/2.jpg',
          hash: HASH_B,
          folder: '',
          state: 'skipped',
          entryIds: [three.id, one.id],
        },
        { path: '/p/3.jpg', hash: HASH_B, folder: '', state: 'failed' },
      ],
    });
    const other = services.queue.createBatch({
      recipe: ANIME,
      jobs: [{ path: '/p/4.jpg', hash: HASH_A, folder: '', state: 'skipped', entryIds: [two.id] }],
    });
    const shown = async (filter: object) => {
      const answer = await dispatch(own, 'library:results', { filter });
      if (!answer.ok) throw new Error(answer.error.message);
      return ids((answer.value as { items: LibraryEntry[] }).items);
    };
    expect(await shown({ batchId: batch.id })).toEqual(ids([three, one]));
    expect(await shown({ batchId: other.id })).toEqual(ids([two]));
    expect(await shown({ batchId: batch.id, text: 'nothing' })).toEqual([]);
    expect(await shown({ batchId: 'no-such-batch' })).toEqual([]);
    expect(await dispatch(own, 'library:facets', { filter: { batchId: batch.id } })).toMatchObject({
      ok: true,
      value: { total: 2 },
    });
  });
});

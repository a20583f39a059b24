/**
 * The Albums view's queries, through the dispatcher as the window calls them,
 * over a real library and a real queue that ran against the mock DashScope
 * (album-rig.ts): each album's photos × every recipe used on it, every cell
 * as the library and the queue have it.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderScope } from '../../../electron/core/db/folder-scope';
import { openDb } from '../../../electron/core/db/sqlite';
import { albumSummaries } from '../../../electron/core/library/album-queries';
import { indexPath } from '../../../electron/core/library/library';
import type { AlbumSummary, LibraryItem } from '../../../shared/contract/library';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';
import { FRESH, buildAlbum, type AlbumRig } from './album-rig';

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
let rig: AlbumRig;
beforeAll(async () => {
  mock = await createMockDashScope({ taskMs: 100, pendingMs: 10 });
  tmp = useTempDir('restyle-coverage-');
  rig = await buildAlbum(tmp.path, mock);
}, 60_000);
afterAll(async () => {
  await rig?.close();
  await mock.close();
  tmp.cleanup();
});

const cells = (states: string, ids: Array<string | null> = []) =>
  states.split(' ').map((state, index) => ({ state, resultId: ids[index] ?? null }));

describe('library:coverage', () => {
  it("is the album's photos in gallery order × every recipe used on it, each cell as the library and the queue have it", async () => {
    const { paths, anime } = rig;
    const result = (path: string) => (anime.get(path) as LibraryItem).id;
    const coverage = await rig.call('library:coverage', { albumFolder: 'Trip' });
    expect(
      coverage.styles.map((style) => [style.recipeKey, style.styleName.en, style.model]),
    ).toEqual([
      ['preset:0', 'Retro comic', 'wanx-style-repaint-v1'],
      ['preset:2', 'Anime', 'wanx-style-repaint-v1'],
      ['preset:3', 'Fresh', 'wanx-style-repaint-v1'],
    ]);
    // IMG_2 before IMG_10 (natural order), the album's own folder before `day 1`; `Trip 2` is another album.
    expect(coverage.photos).toEqual([
      {
        sourceHash: anime.get(paths.a)?.sourceHash,
        sourcePath: paths.a,
        sourceName: 'IMG_2.jpg',
        cells: cells('failed done none', [null, result(paths.a)]),
      },
      {
        sourceHash: anime.get(paths.b)?.sourceHash,
        sourcePath: paths.b,
        sourceName: 'IMG_10.jpg',
        cells: cells('none missing queued', [null, result(paths.b)]),
      },
      {
        sourceHash: anime.get(paths.c)?.sourceHash,
        sourcePath: paths.c,
        sourceName: 'IMG_1.jpg',
        cells: cells('none done none', [null, result(paths.c)]),
      },
    ]);
    expect(coverage).toMatchObject({
      albumFolder: 'Trip',
      total: 3,
      counts: { done: 2, missing: 1, failed: 1, queued: 1, none: 4 },
    });
  });

  it('pages its rows and counts the whole album on every page', async () => {
    const page = await rig.call('library:coverage', { albumFolder: 'Trip', offset: 1, limit: 1 });
    expect(page.photos.map((photo) => photo.sourceName)).toEqual(['IMG_10.jpg']);
    expect(page.total).toBe(3);
    expect(page.counts).toEqual({ done: 2, missing: 1, failed: 1, queued: 1, none: 4 });
  });

  it('of a folder inside an album, is that folder and below; of an unknown one, empty', async () => {
    const day = await rig.call('library:coverage', { albumFolder: 'Trip/day 1' });
    expect(day.styles.map((style) => style.recipeKey)).toEqual(['preset:2']);
    expect(day.photos.map((photo) => [photo.sourcePath, photo.cells[0]?.state])).toEqual([
      [rig.paths.c, 'done'],
    ]);
    expect(await rig.call('library:coverage', { albumFolder: 'Nowhere' })).toEqual({
      albumFolder: 'Nowhere',
      styles: [],
      photos: [],
      total: 0,
      counts: { done: 0, missing: 0, failed: 0, queued: 0, none: 0 },
    });
    const refused = await rig.dispatch(
      { senderUrl: 'app://restyle/index.html' },
      'library:coverage',
      {
        albumFolder: 'Trip',
        limit: 5000,
      },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });
});

describe('library:albums', () => {
  it('is every album (the folder dropped) with its photos, results, styles, cost and cells, newest first', async () => {
    const { anime, paths } = rig;
    const entries = [...anime.values()];
    const of = (album: string) =>
      entries.filter((entry) => entry.albumFolder.split('/')[0] === album);
    const newest = (list: LibraryItem[]) =>
      list
        .map((entry) => entry.savedAt)
        .sort()
        .at(-1);
    const cost = (list: LibraryItem[]) =>
      Math.round(list.reduce((sum, entry) => sum + entry.costCny, 0) * 10_000) / 10_000;

    const albums = await rig.call('library:albums', {});
    expect(albums.map((album) => album.albumFolder).sort()).toEqual(['Trip', 'Trip 2']);
    const trip = albums.find((album) => album.albumFolder === 'Trip');
    expect(trip).toEqual({
      albumFolder: 'Trip',
      photos: 3,
      results: 3,
      styles: 3,
      costCny: cost(of('Trip')),
      cells: { done: 2, missing: 1, failed: 1, queued: 1, none: 4 },
      lastSavedAt: newest(of('Trip')),
      coverId: expect.any(String),
    });
    // The cover is a result on disk: a's or c's, never b's (deleted).
    expect([anime.get(paths.a)?.id, anime.get(paths.c)?.id]).toContain(trip?.coverId);
    expect(albums.find((album) => album.albumFolder === 'Trip 2')).toEqual({
      albumFolder: 'Trip 2',
      photos: 1,
      results: 1,
      styles: 1,
      costCny: cost(of('Trip 2')),
      cells: { done: 1, missing: 0, failed: 0, queued: 0, none: 0 },
      lastSavedAt: newest(of('Trip 2')),
      coverId: anime.get(paths.z)?.id,
    });
    const times = albums.map((album) => album.lastSavedAt);
    expect(times).toEqual([...times].sort().reverse());
  });
});

describe('an album folder and the folders below it', () => {
  it('is the folder itself and what lies under it, in its exact case; never a sibling that starts alike', () => {
    const db = openDb(':memory:');
    try {
      db.exec('CREATE TABLE t (folder TEXT); CREATE INDEX t_folder ON t (folder)');
      const folders = ['Trip', 'Trip/day 1', 'Trip/day 1/evening', 'Trip 2', 'Trip0', 'Trip_x'];
      for (const folder of [...folders, 'TRIP/x', 'trip', 'Trip%', 'Tri', ''])
        db.run('INSERT INTO t VALUES (?)', folder);
      const under = (folder: string) => {
        const scope = folderScope('folder', folder);
        return db
          .all<{ folder: string }>(
            `SELECT folder FROM t WHERE ${scope.sql} ORDER BY folder`,
            scope.params,
          )
          .map((row) => row.folder);
      };
      expect(under('Trip')).toEqual(['Trip', 'Trip/day 1', 'Trip/day 1/evening']);
      expect(under('Trip/day 1')).toEqual(['Trip/day 1', 'Trip/day 1/evening']);
      expect(under('Trip_')).toEqual([]);
      expect(under('Trip%')).toEqual(['Trip%']);
      // Photos dropped on their own: the empty folder alone.
      expect(under('')).toEqual(['']);
      // Found through the index, not by reading every row.
      const scope = folderScope('folder', 'Trip');
      const plan = db.all<{ detail: string }>(
        `EXPLAIN QUERY PLAN SELECT folder FROM t WHERE ${scope.sql}`,
        scope.params,
      );
      expect(plan.map((row) => row.detail).join(' ')).not.toMatch(/SCAN/);
    } finally {
      db.close();
    }
  });
});

/**
 * `library:albums` keeps its answer until the library's index or the queue
 * changes: asked again unchanged it is the same answer, and every change (a
 * job added, jobs finished and their results saved, another connection's
 * write to the index, a sync) is seen by the next call. Last: it changes the album.
 */
const trip = (albums: AlbumSummary[]) => albums.find((album) => album.albumFolder === 'Trip');

describe('library:albums kept until the index or the queue changes', () => {
  it('asked again unchanged, is the same answer; after each change, the new one', async () => {
    const { services, paths, photoIds, scanId } = rig;
    const first = albumSummaries(services);
    expect(trip(first)?.cells).toEqual({ done: 2, missing: 1, failed: 1, queued: 1, none: 4 });
    // Not read again: the very same answer (read again, it would be an equal new one).
    expect(albumSummaries(services)).toBe(first);
    expect(await rig.call('library:albums', {})).toEqual(first);

    // A job added to the queue (the engine is stopped): Fresh on c is queued.
    const added = await rig.call('jobs:create-batch', {
      scanId,
      photoIds: [photoIds.get(paths.c) as string],
      recipes: [FRESH],
    });
    const queued = albumSummaries(services);
    expect(queued).not.toBe(first);
    expect(trip(queued)?.cells).toEqual({ done: 2, missing: 1, failed: 1, queued: 2, none: 3 });
    expect(albumSummaries(services)).toBe(queued);

    // The jobs finished (Fresh on b and on c): their results saved, the cells done.
    services.engine.start();
    await rig.settle(added.batches);
    await services.engine.stop();
    const finished = albumSummaries(services);
    expect(trip(finished)?.cells).toEqual({ done: 4, missing: 1, failed: 1, queued: 0, none: 3 });
    expect(trip(finished)?.results).toBe(5);

    // Another connection's write to the index (the CLI's, say): a's anime result marked gone.
    const gone = (rig.anime.get(paths.a) as LibraryItem).id;
    const other = openDb(indexPath(services.library.root));
    try {
      other.run('UPDATE entries SET present = 0 WHERE id = ?', gone);
    } finally {
      other.close();
    }
    const marked = albumSummaries(services);
    expect(trip(marked)?.cells).toEqual({ done: 3, missing: 2, failed: 1, queued: 0, none: 3 });

    // This connection's write: the file of c's anime result deleted, then synced (which
    // also finds a's file still there: on disk again).
    rmSync((rig.anime.get(paths.c) as LibraryItem).path);
    await rig.call('library:sync', {});
    expect(services.library.get(gone)?.present).toBe(true);
    expect(trip(albumSummaries(services))?.cells).toEqual({
      done: 3,
      missing: 2,
      failed: 1,
      queued: 0,
      none: 3,
    });
  });
});

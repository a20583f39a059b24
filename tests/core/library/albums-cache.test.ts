/**
 * `library:albums` keeps its answer until the library's index or the queue
 * changes (album-queries.ts): over a real library and a real queue that ran
 * against the mock DashScope (album-rig.ts), asked again unchanged it is the
 * same answer, and every change (a job added, a job finished and its result
 * saved, another connection's write to the index) is seen by the next call.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  tmp = useTempDir('restyle-albums-cache-');
  rig = await buildAlbum(tmp.path, mock);
}, 60_000);
afterAll(async () => {
  await rig?.close();
  await mock.close();
  tmp.cleanup();
});

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

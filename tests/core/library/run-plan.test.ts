/**
 * Running again from the library goes through the normal quote: library:prepare-run
 * scans the originals again under their album folders, then jobs:quote and
 * jobs:create-batch take that scan as they take a drop (album-rig.ts: a real
 * library and queue, the mock DashScope).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../../shared/contract';
import type { LibraryItem } from '../../../shared/contract/library';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { useTempDir } from '../../support/temp-dir';
import { ANIME, COMIC, FRESH, buildAlbum, type AlbumRig } from './album-rig';

let mock: MockDashScope;
let tmp: ReturnType<typeof useTempDir>;
let rig: AlbumRig;
const events: Array<{ name: EventName; payload: unknown }> = [];
beforeAll(async () => {
  mock = await createMockDashScope({ taskMs: 100, pendingMs: 10 });
  tmp = useTempDir('restyle-run-plan-');
  rig = await buildAlbum(tmp.path, mock);
  rig.services.events.subscribe((name, payload) => void events.push({ name, payload }));
}, 60_000);
afterAll(async () => {
  await rig?.close();
  await mock.close();
  tmp.cleanup();
});

/** The records of a plan's scan, as jobs:create-batch will read them. */
const recordsOf = (scanId: string, photoIds: readonly string[]) =>
  rig.services.intake
    .scanRecords(scanId)
    .records.filter((record) => photoIds.includes(record.id))
    .map((record) => [record.path, record.folder]);

describe('library:prepare-run', () => {
  it('of results: their originals, each under its album folder, with the same recipes; a scan that is not a tab', async () => {
    const c = rig.anime.get(rig.paths.c) as LibraryItem;
    const plan = await rig.call('library:prepare-run', { resultIds: [c.id] });
    expect(plan).toMatchObject({ recipes: [ANIME], sourcesMissing: [] });
    expect(recordsOf(plan.scanId, plan.photoIds)).toEqual([[rig.paths.c, 'Trip/day 1']]);
    // Core made the scan, not a drop: no window tab, no scan events.
    const scans = await rig.call('intake:list-scans', {});
    expect(scans.map((scan) => scan.scanId)).not.toContain(plan.scanId);
    expect(
      events.filter(
        ({ name, payload }) =>
          name.startsWith('intake:') && (payload as { scanId?: string }).scanId === plan.scanId,
      ),
    ).toEqual([]);

    // The same recipe is in the library: linked, unless paid again on purpose.
    const request = { scanId: plan.scanId, photoIds: plan.photoIds, recipes: plan.recipes };
    expect(await rig.call('jobs:quote', request)).toMatchObject({
      jobs: 1,
      alreadyInLibrary: 1,
      billableImages: 0,
    });
    expect(await rig.call('jobs:quote', { ...request, force: true })).toMatchObject({
      jobs: 1,
      billableImages: 1,
    });

    const unknown = await rig.dispatch(
      { senderUrl: 'app://restyle/index.html' },
      'library:prepare-run',
      {
        resultIds: ['no-such-result'],
      },
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it("of an album's failed cells: the photos that failed, with the recipes that failed", async () => {
    const plan = await rig.call('library:prepare-run', { albumFolder: 'Trip', cells: 'failed' });
    expect(plan).toMatchObject({ recipes: [COMIC], sourcesMissing: [] });
    expect(recordsOf(plan.scanId, plan.photoIds)).toEqual([[rig.paths.a, 'Trip']]);
    expect(
      await rig.call('jobs:quote', {
        scanId: plan.scanId,
        photoIds: plan.photoIds,
        recipes: plan.recipes,
      }),
    ).toMatchObject({ jobs: 1, alreadyInLibrary: 0, alreadyQueued: 0, billableImages: 1 });
  });

  it("of an album's gaps: the quote pays for the gaps, missing and failed cells only, and the results land in the album's folders", async () => {
    const plan = await rig.call('library:prepare-run', { albumFolder: 'Trip', cells: 'gaps' });
    expect(plan).toMatchObject({ recipes: [COMIC, ANIME, FRESH], sourcesMissing: [] });
    expect(recordsOf(plan.scanId, plan.photoIds).sort()).toEqual(
      [
        [rig.paths.a, 'Trip'],
        [rig.paths.b, 'Trip'],
        [rig.paths.c, 'Trip/day 1'],
      ].sort(),
    );
    const request = { scanId: plan.scanId, photoIds: plan.photoIds, recipes: plan.recipes };
    // 3 photos x 3 styles: a and c's anime are in the library, b's fresh is queued;
    // a's failed comic, b's missing anime and the four gaps are paid for.
    expect(await rig.call('jobs:quote', request)).toMatchObject({
      photos: 3,
      jobs: 9,
      alreadyInLibrary: 2,
      alreadyQueued: 1,
      billableImages: 6,
    });

    const before = new Set(rig.services.library.list({ limit: 1000 }).map((entry) => entry.id));
    const { batches } = await rig.call('jobs:create-batch', request);
    rig.services.engine.start();
    await rig.settle(batches);
    const made = rig.services.library
      .list({ limit: 1000 })
      .filter((entry) => !before.has(entry.id))
      .map((entry) => [entry.sourcePath, entry.recipeKey, entry.albumFolder])
      .sort();
    // The queued fresh of b ran too, in its own batch.
    expect(made).toEqual(
      [
        [rig.paths.a, 'preset:0', 'Trip'],
        [rig.paths.a, 'preset:3', 'Trip'],
        [rig.paths.b, 'preset:0', 'Trip'],
        [rig.paths.b, 'preset:2', 'Trip'],
        [rig.paths.b, 'preset:3', 'Trip'],
        [rig.paths.c, 'preset:0', 'Trip/day 1'],
        [rig.paths.c, 'preset:3', 'Trip/day 1'],
      ].sort(),
    );
    const root = rig.services.library.root;
    const files = rig.services.library
      .list({ albumFolder: 'Trip/day 1', limit: 1000 })
      .map((entry) =>
        entry.path
          .slice(root.length + 1)
          .split('\\')
          .join('/'),
      )
      .sort();
    expect(files).toEqual([
      'Trip/day 1/IMG_1.anime.jpg',
      'Trip/day 1/IMG_1.fresh.jpg',
      'Trip/day 1/IMG_1.retro-comic.jpg',
    ]);
    const coverage = await rig.call('library:coverage', { albumFolder: 'Trip' });
    expect(coverage.counts).toEqual({ done: 9, missing: 0, failed: 0, queued: 0, none: 0 });
    // Nothing left to fill: no photo to scan, no recipe.
    expect(
      await rig.call('library:prepare-run', { albumFolder: 'Trip', cells: 'gaps' }),
    ).toMatchObject({ photoIds: [], recipes: [], sourcesMissing: [] });
  }, 60_000);

  it('of chosen results in different styles: the same recipes again are only those pairs, not every photo in every style', async () => {
    const { a, c } = rig.paths;
    const animeOfA = rig.anime.get(a) as LibraryItem;
    const comicOfC = rig.services.library
      .list({ limit: 1000 })
      .find((entry) => entry.sourcePath === c && entry.recipeKey === 'preset:0') as LibraryItem;
    const plan = await rig.call('library:prepare-run', { resultIds: [animeOfA.id, comicOfC.id] });
    expect(plan.recipes).toEqual([ANIME, COMIC]);
    const idOf = (path: string) =>
      rig.services.intake.scanRecords(plan.scanId).records.find((r) => r.path === path)?.id;
    expect(plan.recipePhotoIds).toEqual([[idOf(a)], [idOf(c)]]);

    const again = {
      scanId: plan.scanId,
      photoIds: plan.photoIds,
      recipes: plan.recipes,
      force: true,
    };
    // Paid again on purpose: a in anime and c in comic, not c in anime nor a in comic.
    expect(
      await rig.call('jobs:quote', { ...again, recipePhotoIds: plan.recipePhotoIds }),
    ).toMatchObject({ photos: 2, jobs: 2, billableImages: 2 });
    expect(await rig.call('jobs:quote', again)).toMatchObject({ jobs: 4 });
    const uneven = await rig.dispatch({ senderUrl: 'app://restyle/index.html' }, 'jobs:quote', {
      ...again,
      recipePhotoIds: [[idOf(a) as string]],
    });
    expect(uneven).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('names the originals that are gone or changed since, and leaves them out', async () => {
    const { a, c, z } = rig.paths;
    writeFileSync(a, 'not the photo it was');
    rmSync(c);
    const ids = [a, c, z].map((path) => (rig.anime.get(path) as LibraryItem).id);
    const plan = await rig.call('library:prepare-run', { resultIds: ids });
    expect(plan.sourcesMissing.sort()).toEqual([a, c].sort());
    expect(recordsOf(plan.scanId, plan.photoIds)).toEqual([[z, 'Trip 2']]);
    expect(plan.recipes).toEqual([ANIME]);
  });
});

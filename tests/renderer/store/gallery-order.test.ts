// The window shows a scan's photos in gallery order (folder, then natural name
// order) however the records stream in, and the files left out (issue 10).
import { describe, expect, it } from 'vitest';
import { ok } from '../../../shared/result';
import { compareGalleryOrder, type PhotoRecord } from '../../../shared/photos';
import { createAppStore } from '../../../renderer/src/store/app-store';
import { fakeApi, listJobsFrom, pagedFrom, record, SCAN, settle } from './fake-api';

const at = (i: number, folder: string, name: string): PhotoRecord => ({
  ...record(i),
  folder,
  name,
  path: `/${folder}/${name}`,
});

describe('gallery order in the window', () => {
  it('shows records by folder, then by name in natural order, as they stream in out of order', async () => {
    const { api, emit } = fakeApi({ 'intake:add-paths': () => ok({ scanId: SCAN }) });
    const store = createAppStore(api);
    await store.getState().addPaths(['/Trip']);
    const expected = [
      at(1, 'Trip', 'IMG_2.jpg'),
      at(2, 'Trip', 'img_3.jpg'),
      at(3, 'Trip', 'IMG_10.jpg'),
      at(4, 'Trip/day 1', 'a.jpg'),
      at(5, 'Trip/day 2', 'a.jpg'),
      at(6, 'Trip/day 10', 'a.jpg'),
    ];
    // Records finish in any order (concurrent decoding), in several events.
    emit('intake:photos', { scanId: SCAN, photos: [expected[5]!, expected[2]!] });
    emit('intake:photos', { scanId: SCAN, photos: [expected[3]!] });
    emit('intake:photos', { scanId: SCAN, photos: [expected[0]!, expected[4]!, expected[1]!] });

    const batch = store.getState().batches[0]!;
    const shown = batch.keys
      .slice(0, batch.size)
      .map((key) => store.getState().photos.get(key)!.record);
    expect(shown.map((r) => `${r.folder}/${r.name}`)).toEqual(
      expected.map((r) => `${r.folder}/${r.name}`),
    );
  });

  it('keeps 10,000 photos arriving in shuffled batches of 50 in order', async () => {
    const { api, emit } = fakeApi({ 'intake:add-paths': () => ok({ scanId: SCAN }) });
    const store = createAppStore(api);
    await store.getState().addPaths(['/big']);
    const records = Array.from({ length: 10_000 }, (_, i) =>
      at(i, `big/roll-${Math.floor(i / 500)}`, `IMG_${i % 500}.jpg`),
    );
    // A fixed shuffle (xorshift), so the test is the same each run.
    let x = 2463534242;
    for (let i = records.length - 1; i > 0; i -= 1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const j = (x >>> 0) % (i + 1);
      [records[i], records[j]] = [records[j]!, records[i]!];
    }
    for (let start = 0; start < records.length; start += 50)
      emit('intake:photos', { scanId: SCAN, photos: records.slice(start, start + 50) });

    const batch = store.getState().batches[0]!;
    expect(batch.size).toBe(10_000);
    const shown = batch.keys.map((key) => store.getState().photos.get(key)!.record);
    for (let i = 1; i < shown.length; i += 1)
      expect(compareGalleryOrder(shown[i - 1]!, shown[i]!)).toBeLessThan(0);
  });

  it('gives a tab back after a reload with its left-out line, its photos in gallery order', async () => {
    const listed = [at(1, 'Takeout', 'IMG_10.jpg'), at(2, 'Takeout', 'IMG_9.jpg')];
    const { api } = fakeApi({
      'intake:list-scans': () =>
        ok([
          {
            scanId: SCAN,
            paths: ['/home/me/Takeout'],
            size: listed.length,
            counts: { ready: 2, adjusted: 0, skipped: 0, rejected: 0 },
            leftOut: { count: 40, extensions: ['json', 'mp4'] },
            scanning: false,
            canceled: false,
            createdAt: 1,
          },
        ]),
      'intake:scan-records': pagedFrom('records', () => listed, 'scanId'),
      'jobs:list-batches': () => ok([]),
      'jobs:list-jobs': listJobsFrom(() => []),
    });
    const store = createAppStore(api, { read: () => null, write: () => {} });
    await settle();
    const batch = store.getState().batches[0]!;
    expect(batch.leftOut).toEqual({ count: 40, extensions: ['json', 'mp4'] });
    expect(batch.keys.map((key) => store.getState().photos.get(key)!.record.name)).toEqual([
      'IMG_9.jpg',
      'IMG_10.jpg',
    ]);
  });

  it('keeps the count of files left out from the scan-done event', async () => {
    const { api, emit } = fakeApi({ 'intake:add-paths': () => ok({ scanId: SCAN }) });
    const store = createAppStore(api);
    await store.getState().addPaths(['/Takeout']);
    emit('intake:scan-done', {
      scanId: SCAN,
      counts: { ready: 0, adjusted: 0, skipped: 0, rejected: 0 },
      leftOut: { count: 312, extensions: ['json', 'mov', 'aae'] },
      canceled: false,
    });
    expect(store.getState().batches[0]?.leftOut).toEqual({
      count: 312,
      extensions: ['json', 'mov', 'aae'],
    });
  });
});

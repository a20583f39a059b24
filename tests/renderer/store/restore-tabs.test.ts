// A reload gives the window back the tabs the user had: core's kept scans with
// every record and reason, their runs, then tabs for engine batches whose scan
// is gone (a restart); auditions are not tabs; the open tab is open again.
import { describe, expect, it } from 'vitest';
import type { ScanSummary } from '../../../shared/contract/intake';
import type { PhotoRecord } from '../../../shared/photos';
import { ok } from '../../../shared/result';
import { createAppStore } from '../../../renderer/src/store/app-store';
import { photoKey, tallyPhotos } from '../../../renderer/src/store/batch-photo';
import type { TabMemory } from '../../../renderer/src/store/run-slice';
import { currentRun } from '../../../renderer/src/store/run-state';
import {
  batchView,
  fakeApi,
  jobView,
  listJobsFrom,
  pagedFrom,
  record,
  SCAN,
  SCAN_2,
  settle,
} from './fake-api';

const summary = (scanId: string, paths: string[], createdAt: number): ScanSummary => ({
  scanId,
  paths,
  size: 0,
  counts: { ready: 0, adjusted: 0, skipped: 0, rejected: 0 },
  leftOut: { count: 0, extensions: [] },
  scanning: false,
  canceled: false,
  createdAt,
});

/** `intake:scan-records` over fixed records. */
const recordsOf = (records: Record<string, PhotoRecord[]>) =>
  pagedFrom('records', (scanId) => records[scanId] ?? [], 'scanId');

const memoryOf = (open: string | null): TabMemory & { value: string | null } => ({
  value: open,
  read() {
    return this.value;
  },
  write(id) {
    this.value = id;
  },
});

describe('a reload', () => {
  const lake = [record(1), record(2), record(3, 'rejected'), record(4, 'skipped')];
  const harbour = [record(11), record(12)];
  const views = [
    // Lake's run, done.
    batchView('b-lake', { scanId: SCAN, createdAt: 2000, state: 'done', jobs: { done: 2 } }),
    // An audition of Lake: the audition panel's, never a tab.
    batchView('b-audition', {
      scanId: SCAN,
      kind: 'audition',
      label: 'Audition',
      createdAt: 2500,
      state: 'done',
      jobs: { skipped: 1 },
    }),
    // A run of an earlier session, its scan gone.
    batchView('b-old', {
      scanId: null,
      label: 'Beach',
      createdAt: 500,
      state: 'done',
      jobs: { done: 2 },
    }),
  ];
  const jobs = (batchId: string) =>
    batchId === 'b-lake'
      ? [jobView(batchId, 1, 'done'), jobView(batchId, 2, 'done')]
      : batchId === 'b-old'
        ? [jobView(batchId, 21, 'done'), jobView(batchId, 22, 'done')]
        : [jobView(batchId, 1, 'skipped')];

  function reload(memory: TabMemory) {
    const fake = fakeApi({
      'intake:list-scans': () =>
        ok([summary(SCAN, ['/home/me/Lake'], 1000), summary(SCAN_2, ['/home/me/Harbour'], 3000)]),
      'intake:scan-records': recordsOf({ [SCAN]: lake, [SCAN_2]: harbour }),
      'jobs:list-batches': () => ok(views),
      'jobs:list-jobs': listJobsFrom(jobs),
    });
    return { ...fake, store: createAppStore(fake.api, memory) };
  }

  it('brings back the tabs as scanned, with reasons, runs, and the queue`s older runs', async () => {
    const { store } = reload(memoryOf(null));
    await settle();
    const { batches, photos } = store.getState();
    expect(batches.map((b) => [b.id, b.source, b.name])).toEqual([
      ['engine-b-old', 'queue', { kind: 'path', label: 'Beach' }],
      [SCAN, 'scan', { kind: 'path', label: 'Lake' }],
      [SCAN_2, 'scan', { kind: 'path', label: 'Harbour' }],
    ]);
    const lakeTab = batches[1]!;
    expect(lakeTab.counts).toMatchObject({ ready: 2, rejected: 1, skipped: 1 });
    expect(photos.get(photoKey(SCAN, 'p3'))?.record.reason).toEqual({ code: 'not_image' });
    expect(photos.get(photoKey(SCAN, 'p4'))?.record.reason).toEqual({ code: 'duplicate' });
    expect(currentRun(lakeTab)?.batchId).toBe('b-lake');
    expect(tallyPhotos(lakeTab.keys, lakeTab.size, photos, 'all').counts).toMatchObject({
      done: 2,
      rejected: 1,
      skipped: 1,
    });
    const old = batches[0]!;
    expect(tallyPhotos(old.keys, old.size, photos, 'all').counts.done).toBe(2);
    // The newest tab is open.
    expect(store.getState().activeBatchId).toBe(SCAN_2);
  });

  it('opens the tab that was open before the reload', async () => {
    const memory = memoryOf(SCAN);
    const { store } = reload(memory);
    await settle();
    expect(store.getState().activeBatchId).toBe(SCAN);
    store.getState().setActiveBatch(SCAN_2);
    expect(memory.value).toBe(SCAN_2);
  });

  it('opens that tab as soon as the tabs show, before their photos are listed', async () => {
    let release = () => {};
    const listed = new Promise<void>((resolve) => (release = resolve));
    const fake = fakeApi({
      'intake:list-scans': () =>
        ok([summary(SCAN, ['/home/me/Lake'], 1000), summary(SCAN_2, ['/home/me/Harbour'], 3000)]),
      'intake:scan-records': async (payload) => {
        await listed;
        return recordsOf({ [SCAN]: lake, [SCAN_2]: harbour })(payload);
      },
      'jobs:list-batches': () => ok(views),
      'jobs:list-jobs': listJobsFrom(jobs),
    });
    const store = createAppStore(fake.api, memoryOf(SCAN_2));
    await settle();
    expect(store.getState().batches).toHaveLength(3);
    expect(store.getState().activeBatchId).toBe(SCAN_2);
    release();
    await settle();
    expect(store.getState().activeBatchId).toBe(SCAN_2);
  });

  it('closing a tab tells core its scan; a queue tab from before scans were recorded has none', async () => {
    const { store, calls } = reload(memoryOf(null));
    await settle();
    store.getState().closeBatch(SCAN);
    store.getState().closeBatch('engine-b-old');
    expect(calls.filter((c) => c.channel === 'intake:close-scan')).toEqual([
      { channel: 'intake:close-scan', payload: { scanId: SCAN } },
    ]);
    expect(store.getState().batches.map((b) => b.id)).toEqual([SCAN_2]);
  });

  it('a closed tab stays closed after a reload, its run still queued: a kept scan`s, and a queue tab`s', async () => {
    // Core for one app session, as intake keeps it: kept scans, and the ones closed.
    const EARLIER = '00000000-0000-4000-8000-000000000003';
    const kept = new Map([
      [SCAN, summary(SCAN, ['/home/me/Lake'], 1000)],
      [SCAN_2, summary(SCAN_2, ['/home/me/Harbour'], 3000)],
    ]);
    const closed: string[] = [];
    const session = {
      'intake:list-scans': () => ok([...kept.values()]),
      'intake:closed-scans': () => ok([...closed]),
      'intake:close-scan': (payload: unknown) => {
        const { scanId } = payload as { scanId: string };
        kept.delete(scanId);
        closed.push(scanId);
        return ok({ closed: true });
      },
      'intake:scan-records': recordsOf({ [SCAN]: lake, [SCAN_2]: harbour }),
      'jobs:list-batches': () =>
        ok([
          ...views,
          // A run of an earlier session whose scan core no longer keeps.
          batchView('b-earlier', { scanId: EARLIER, label: 'Dunes', createdAt: 700 }),
        ]),
      'jobs:list-jobs': listJobsFrom(jobs),
    };
    const open = () => createAppStore(fakeApi(session).api, memoryOf(null));
    const tabs = (store: ReturnType<typeof open>) =>
      store.getState().batches.map((b) => [b.id, b.source]);

    const first = open();
    await settle();
    expect(tabs(first)).toEqual([
      ['engine-b-old', 'queue'],
      ['engine-b-earlier', 'queue'],
      [SCAN, 'scan'],
      [SCAN_2, 'scan'],
    ]);
    // Lake has a run (b-lake, in the queue); Dunes is an earlier session's.
    first.getState().closeBatch(SCAN);
    first.getState().closeBatch('engine-b-earlier');
    expect(closed).toEqual([SCAN, EARLIER]);

    const reloaded = open();
    await settle();
    expect(tabs(reloaded)).toEqual([
      ['engine-b-old', 'queue'],
      [SCAN_2, 'scan'],
    ]);
  });

  it('keeps scan events that arrive before a kept scan`s tab is back', async () => {
    const still = { ...summary(SCAN, ['/home/me/Lake'], 1000), scanning: true };
    let emitEarly = () => {};
    const fake = fakeApi({
      'intake:list-scans': () => {
        emitEarly();
        return ok([still]);
      },
      'intake:scan-records': recordsOf({ [SCAN]: [record(1)] }),
      'jobs:list-batches': () => ok([]),
    });
    emitEarly = () => {
      fake.emit('intake:photos', { scanId: SCAN, photos: [record(2)] });
      fake.emit('intake:scan-done', {
        scanId: SCAN,
        counts: {},
        leftOut: { count: 0, extensions: [] },
        canceled: false,
      });
    };
    const store = createAppStore(fake.api, memoryOf(null));
    await settle();
    const [tab] = store.getState().batches;
    expect(tab?.scanning).toBe(false);
    expect(tab?.size).toBe(2);
    expect(tab?.counts.ready).toBe(2);
  });
});

import type { StateCreator } from 'zustand';
import type { RestyleApi } from '../../../shared/contract';
import type { LeftOut, ScanDone } from '../../../shared/contract/intake';
import type { BatchView, JobView } from '../../../shared/contract/jobs';
import { PHOTO_STATUSES, type PhotoRecord, type PhotoStatus } from '../../../shared/photos';
import type { Recipe } from '../../../shared/recipe';
import type { AppError } from '../../../shared/result';
import type { AppState } from './app-store';
import { canExclude, photoKey, refusalOf, type BatchPhoto, type PhotoRun } from './batch-photo';
import { jobPhotoId, restoredRecord } from './restore-queue';
import { currentRun, photoRunOf } from './run-state';
import { insertInGalleryOrder } from './gallery-order';
import type { ScanInbox } from './scan-inbox';

/** A batch is named after the dropped folder or file, or counts the items dropped. */
export type BatchName = { kind: 'path'; label: string } | { kind: 'items'; count: number };

/** An engine batch (a run of the album in one style) shown in a tab. */
export interface TabRun {
  batchId: string;
  recipe: Recipe;
}

export interface Batch {
  /** The intake scan's id (a `queue` tab: an id of its own). */
  id: string;
  /**
   * `scan`: an album scan core keeps for this session (it can be quoted and run);
   * `queue`: rebuilt from engine batches whose scan is gone (the app restarted).
   */
  source: 'scan' | 'queue';
  /**
   * The intake scan its photos came from: the kept scan (a `scan` tab: its
   * id), an earlier session's (a `queue` tab), or null for runs queued before
   * scans were recorded. Closing the tab tells core, which remembers it.
   */
  scanId: string | null;
  name: BatchName;
  paths: string[];
  scanning: boolean;
  canceled: boolean;
  /**
   * Photo keys in gallery order (folder, then natural name order), whatever
   * order the records arrive in. Updated in place (10,000 photos arrive in
   * hundreds of events): read it together with `size`, which changes with it.
   */
  keys: string[];
  size: number;
  counts: Record<PhotoStatus, number>;
  /** Files the scan left out because their extension says they are not photos (once it is done). */
  leftOut?: LeftOut;
  error?: string;
  /** The engine batches made from this album, oldest first; the photos show the last one's. */
  runs: TabRun[];
}

/** A tab as it opens, a new scan or one given back at start (its photos follow). */
export type RestoredTab = Pick<Batch, 'id' | 'source' | 'scanId' | 'name' | 'paths' | 'scanning'>;

/** Why the last drop or add did not become a batch. */
export type AddNotice = { kind: 'needs_app' } | { kind: 'error'; error: AppError };

export interface BatchSlice {
  batches: Batch[];
  activeBatchId: string | null;
  /**
   * Every photo of every batch by key. The map is updated in place and
   * `photosVersion` bumped; entries are replaced, never mutated, so a cell
   * selecting `photos.get(key)` re-renders only when its own photo changes.
   */
  photos: Map<string, BatchPhoto>;
  photosVersion: number;
  addNotice: AddNotice | null;
  /** Starts a batch from dropped or chosen paths (the one path both take). */
  addPaths(paths: string[]): Promise<string | null>;
  /** "Add photos": the OS chooser (on the dev bridge, the page's folder browser), then `addPaths`. */
  choosePhotos(): Promise<void>;
  /** A drop whose files have no local path (a browser, not the app). */
  dropNeedsApp(): void;
  dismissAddNotice(): void;
  setActiveBatch(id: string): void;
  /**
   * Closes a tab; core forgets its scan (`intake:close-scan`, canceling it if
   * running) and remembers it as closed, so a reload does not bring the tab back.
   */
  closeBatch(id: string): void;
  /** Adds a tab given back at start (kept scan or engine batches), unless it is open. */
  restoreTab(tab: RestoredTab): void;
  /**
   * Shows an engine batch in its tab, from its jobs as listed: the tab's photos
   * take this run's states (job.photoId → photo); a queue tab gains its photos.
   */
  attachRun(tabId: string, view: BatchView, jobs: readonly JobView[]): void;
  /** A job event: its photo (batch → tab, job.photoId → photo), when its batch is the tab's run. */
  applyJob(job: JobView): void;
  /** Jobs of one batch listed again after a change in bulk: their photos, in one change. */
  applyJobs(jobs: readonly JobView[]): void;
  /** The chosen style changed: judges again which photos its model cannot take. */
  markRefusals(): void;
  cancelScan(id: string): Promise<void>;
  toggleSelected(key: string): void;
  setSelected(keys: readonly string[], selected: boolean): void;
  setExcluded(keys: readonly string[], excluded: boolean): void;
  receivePhotos(scanId: string, records: PhotoRecord[]): void;
  receiveScanDone(done: ScanDone): void;
  /** For the job engine: a photo's run state (queued, running, done, failed…). */
  updateRun(key: string, run: PhotoRun | null): void;
}

const emptyCounts = (): Record<PhotoStatus, number> =>
  Object.fromEntries(PHOTO_STATUSES.map((status) => [status, 0])) as Record<PhotoStatus, number>;

/** A tab before its photos arrive. */
const newTab = (tab: RestoredTab): Batch => ({
  ...tab,
  canceled: false,
  keys: [],
  size: 0,
  counts: emptyCounts(),
  runs: [],
});

const countsOf = (keys: readonly string[], photos: ReadonlyMap<string, BatchPhoto>) => {
  const counts = emptyCounts();
  for (const key of keys) {
    const photo = photos.get(key);
    if (photo) counts[photo.record.status] += 1;
  }
  return counts;
};

const baseName = (path: string): string => {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
};

export function batchNameFor(paths: readonly string[]): BatchName {
  return paths.length === 1 && paths[0]
    ? { kind: 'path', label: baseName(paths[0]) }
    : { kind: 'items', count: paths.length };
}

export const createBatchSlice =
  (api: RestyleApi, inbox: ScanInbox): StateCreator<AppState, [], [], BatchSlice> =>
  (set, get) => {
    /** Replaces the entries of changed photos, then publishes one new version. */
    const patchPhotos = (keys: readonly string[], change: (photo: BatchPhoto) => BatchPhoto) => {
      const { photos } = get();
      let changed = 0;
      for (const key of keys) {
        const photo = photos.get(key);
        if (!photo) continue;
        const next = change(photo);
        if (next !== photo) {
          photos.set(key, next);
          changed += 1;
        }
      }
      if (changed) set((state) => ({ photosVersion: state.photosVersion + 1 }));
    };

    return {
      batches: [],
      activeBatchId: null,
      photos: new Map(),
      photosVersion: 0,
      addNotice: null,

      async addPaths(paths) {
        if (paths.length === 0) return null;
        inbox.begin();
        const started = await api.invoke('intake:add-paths', { paths });
        if (!started.ok) {
          inbox.end(null);
          set({ addNotice: { kind: 'error', error: started.error } });
          return null;
        }
        const { scanId } = started.value;
        const batch = newTab({
          id: scanId,
          source: 'scan',
          scanId,
          name: batchNameFor(paths),
          paths,
          scanning: true,
        });
        set((state) => ({
          batches: [...state.batches, batch],
          activeBatchId: scanId,
          addNotice: null,
          view: 'batch',
        }));
        for (const event of inbox.end(scanId)) {
          if ('photos' in event) get().receivePhotos(scanId, event.photos);
          else get().receiveScanDone(event.done);
        }
        return scanId;
      },

      async choosePhotos() {
        const chosen = await get().choosePaths('photos');
        if (!chosen.ok) set({ addNotice: { kind: 'error', error: chosen.error } });
        else if (chosen.value?.length) await get().addPaths(chosen.value);
      },

      dropNeedsApp: () => set({ addNotice: { kind: 'needs_app' } }),
      dismissAddNotice: () => set({ addNotice: null }),
      setActiveBatch: (id) => set({ activeBatchId: id }),

      closeBatch(id) {
        const batch = get().batches.find((b) => b.id === id);
        if (!batch) return;
        if (batch.scanId) void api.invoke('intake:close-scan', { scanId: batch.scanId });
        const { photos } = get();
        for (const key of batch.keys) photos.delete(key);
        set((state) => {
          const batches = state.batches.filter((b) => b.id !== id);
          const activeBatchId =
            state.activeBatchId === id
              ? (batches[batches.length - 1]?.id ?? null)
              : state.activeBatchId;
          return { batches, activeBatchId, photosVersion: state.photosVersion + 1 };
        });
      },

      async cancelScan(id) {
        await api.invoke('intake:cancel-scan', { scanId: id });
      },

      restoreTab(tab) {
        if (get().batches.some((b) => b.id === tab.id)) return;
        const batch = newTab(tab);
        set((state) => ({
          batches: [...state.batches, batch],
          activeBatchId: state.activeBatchId ?? tab.id,
        }));
      },

      attachRun(tabId, view, jobs) {
        const batch = get().batches.find((b) => b.id === tabId);
        if (!batch || batch.runs.some((run) => run.batchId === view.id)) return;
        const { photos } = get();
        // The new run is the one shown: the photos leave the previous run's states.
        for (const key of batch.keys) {
          const photo = photos.get(key);
          if (photo?.run) photos.set(key, { ...photo, run: null });
        }
        for (const job of jobs) {
          const key = photoKey(tabId, jobPhotoId(job));
          const photo = photos.get(key);
          if (photo) photos.set(key, { ...photo, run: photoRunOf(job) });
          else if (batch.source === 'queue') {
            const record = restoredRecord(job);
            insertInGalleryOrder(batch.keys, key, record, (k) => photos.get(k)?.record);
            photos.set(key, {
              key,
              batchId: tabId,
              record,
              selected: false,
              excluded: false,
              refusal: null,
              run: photoRunOf(job),
            });
          }
        }
        const runs = [...batch.runs, { batchId: view.id, recipe: view.recipe }];
        const counts = countsOf(batch.keys, photos);
        set((state) => ({
          batches: state.batches.map((b) =>
            b.id === tabId ? { ...b, runs, counts, size: b.keys.length } : b,
          ),
          photosVersion: state.photosVersion + 1,
        }));
      },

      applyJob: (job) => get().applyJobs([job]),

      applyJobs(jobs) {
        const first = jobs[0];
        const batch = first && get().batches.find((b) => currentRun(b)?.batchId === first.batchId);
        if (!batch) return;
        const runs = new Map(jobs.map((job) => [photoKey(batch.id, jobPhotoId(job)), job]));
        patchPhotos([...runs.keys()], (p) => {
          const job = runs.get(p.key);
          return job ? { ...p, run: photoRunOf(job) } : p;
        });
      },

      markRefusals() {
        const { recipe, batches } = get();
        for (const batch of batches) {
          patchPhotos(batch.keys.slice(0, batch.size), (p) => {
            const refusal = refusalOf(p.record, recipe);
            return refusal === null && p.refusal === null ? p : { ...p, refusal };
          });
        }
      },

      toggleSelected: (key) => patchPhotos([key], (p) => ({ ...p, selected: !p.selected })),
      setSelected: (keys, selected) =>
        patchPhotos(keys, (p) => (p.selected === selected ? p : { ...p, selected })),
      setExcluded: (keys, excluded) =>
        patchPhotos(keys, (p) =>
          p.excluded === excluded || !canExclude(p) ? p : { ...p, excluded },
        ),

      receivePhotos(scanId, records) {
        const batch = get().batches.find((b) => b.id === scanId);
        if (!batch) return;
        const { photos, recipe } = get();
        const counts = { ...batch.counts };
        for (const record of records) {
          const key = photoKey(scanId, record.id);
          // A record listed again (a reload's listing meeting the scan's events) replaces the first.
          const before = photos.get(key);
          if (before) counts[before.record.status] -= 1;
          else insertInGalleryOrder(batch.keys, key, record, (k) => photos.get(k)?.record);
          photos.set(key, {
            key,
            batchId: scanId,
            record,
            selected: before?.selected ?? false,
            excluded: before?.excluded ?? false,
            refusal: refusalOf(record, recipe),
            run: before?.run ?? null,
          });
          counts[record.status] += 1;
        }
        set((state) => ({
          batches: state.batches.map((b) =>
            b.id === scanId ? { ...b, counts, size: b.keys.length } : b,
          ),
          photosVersion: state.photosVersion + 1,
        }));
      },

      receiveScanDone(done) {
        set((state) => ({
          batches: state.batches.map((b) =>
            b.id === done.scanId
              ? {
                  ...b,
                  scanning: false,
                  canceled: done.canceled,
                  leftOut: done.leftOut,
                  ...(done.error ? { error: done.error } : {}),
                }
              : b,
          ),
        }));
      },

      updateRun: (key, run) => patchPhotos([key], (p) => ({ ...p, run })),
    };
  };

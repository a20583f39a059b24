import type { StateCreator } from 'zustand';
import type { RestyleApi } from '../../../shared/contract';
import type { ScanDone } from '../../../shared/contract/intake';
import { PHOTO_STATUSES, type PhotoRecord, type PhotoStatus } from '../../../shared/photos';
import type { Recipe } from '../../../shared/recipe';
import type { AppError } from '../../../shared/result';
import type { AppState } from './app-store';
import { canExclude, photoKey, type BatchPhoto, type PhotoRun } from './batch-photo';
import type { ScanInbox } from './scan-inbox';

/** A batch is named after the dropped folder or file, or counts the items dropped. */
export type BatchName = { kind: 'path'; label: string } | { kind: 'items'; count: number };

export interface Batch {
  /** The intake scan's id. */
  id: string;
  name: BatchName;
  paths: string[];
  scanning: boolean;
  canceled: boolean;
  /**
   * Photo keys in arrival order. Appended in place (10,000 photos arrive in
   * hundreds of events): read it together with `size`, which changes with it.
   */
  keys: string[];
  size: number;
  counts: Record<PhotoStatus, number>;
  error?: string;
  /** The job engine's batch once a run was created for it (`jobs:create-batch`). */
  engineBatchId?: string;
  /** The run's recipe, for a batch restored from the engine's queue. */
  recipe?: Recipe;
}

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
  closeBatch(id: string): void;
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
        const batch: Batch = {
          id: scanId,
          name: batchNameFor(paths),
          paths,
          scanning: true,
          canceled: false,
          keys: [],
          size: 0,
          counts: emptyCounts(),
        };
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
        if (batch.scanning) void api.invoke('intake:cancel-scan', { scanId: id });
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
        const { photos } = get();
        const counts = { ...batch.counts };
        for (const record of records) {
          const key = photoKey(scanId, record.id);
          if (!photos.has(key)) batch.keys.push(key);
          photos.set(key, {
            key,
            batchId: scanId,
            record,
            selected: false,
            excluded: false,
            run: null,
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
                  ...(done.error ? { error: done.error } : {}),
                }
              : b,
          ),
        }));
      },

      updateRun: (key, run) => patchPhotos([key], (p) => ({ ...p, run })),
    };
  };

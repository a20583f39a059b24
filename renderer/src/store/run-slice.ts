import type { StateCreator } from 'zustand';
import type { RestyleApi } from '../../../shared/contract';
import type {
  BatchProgress,
  EngineStatus,
  JobView,
  QueueRecovery,
  Quote,
  RejectedPhoto,
} from '../../../shared/contract/jobs';
import { PHOTO_STATUSES, type PhotoStatus } from '../../../shared/photos';
import type { AppError } from '../../../shared/result';
import type { AppState } from './app-store';
import { isSendable, photoKey, type BatchPhoto } from './batch-photo';
import type { Batch } from './batch-slice';
import {
  listAllJobs,
  newerJob,
  restorableBatches,
  restoredName,
  restoredProgress,
  restoredRecord,
} from './restore-queue';
import { photoRunOf } from './run-state';

/** A run created (`start: false`) and waiting for the user to confirm its quote. */
export interface PendingRun {
  windowBatchId: string;
  engineBatchId: string;
  quote: Quote;
  rejected: RejectedPhoto[];
}

export type RunAction = 'pause' | 'resume' | 'cancel' | 'retry';

export interface RunSlice {
  engine: EngineStatus | null;
  /** The queue file was damaged and rebuilt at start: shown until dismissed. */
  recovery: QueueRecovery | null;
  dismissRecovery(): Promise<void>;
  /** Progress by engine batch id. */
  progress: Record<string, BatchProgress>;
  /** Engine batch ids of the window's runs, in queue order (for "Move up"). */
  runOrder: string[];
  pendingRun: PendingRun | null;
  runError: AppError | null;
  /** Optional budget for the next run, CNY. */
  budgetCny: number | null;
  setBudget(budget: number | null): void;
  /** Start: creates the engine batch (not started) and shows its quote. */
  requestQuote(windowBatchId: string): Promise<void>;
  confirmRun(): Promise<void>;
  /** Declines the quote: the waiting engine batch is canceled. */
  declineRun(): Promise<void>;
  /** A run's control; `null`: the whole queue (clears an account-level pause). */
  controlRun(engineBatchId: string | null, action: RunAction): Promise<void>;
  moveUp(engineBatchId: string): Promise<void>;
  receiveJob(job: JobView): void;
  receiveProgress(progress: BatchProgress): void;
  receiveEngine(status: EngineStatus): void;
  loadEngineState(): Promise<void>;
  /** On opening: the engine's batches (not canceled) as tabs again, with their photos and runs. */
  restoreQueue(): Promise<void>;
}

const ACTION_CHANNEL = {
  pause: 'jobs:pause',
  resume: 'jobs:resume',
  cancel: 'jobs:cancel',
  retry: 'jobs:retry-failed',
} as const;

export const createRunSlice =
  (api: RestyleApi): StateCreator<AppState, [], [], RunSlice> =>
  (set, get) => {
    /** A job's source path → its photo key, for each engine batch of a window batch. */
    const keysByRun = new Map<string, Map<string, string>>();
    /** Jobs updated while the queue is being restored (their photos do not exist yet). */
    let arriving: Map<string, JobView> | null = null;

    return {
      engine: null,
      recovery: null,
      async dismissRecovery() {
        set({ recovery: null });
        await api.invoke('jobs:dismiss-recovery', {});
      },
      progress: {},
      runOrder: [],
      pendingRun: null,
      runError: null,
      budgetCny: null,
      setBudget: (budgetCny) => set({ budgetCny }),

      async requestQuote(windowBatchId) {
        const { batches, photos, recipe, budgetCny } = get();
        const batch = batches.find((b) => b.id === windowBatchId);
        if (!batch || !recipe) return;
        const byPath = new Map<string, string>();
        for (let i = 0; i < batch.size; i += 1) {
          const photo = photos.get(batch.keys[i] ?? '');
          if (photo && isSendable(photo)) byPath.set(photo.record.path, photo.key);
        }
        if (byPath.size === 0) return;
        const created = await api.invoke('jobs:create-batch', {
          paths: [...byPath.keys()],
          recipe,
          ...(budgetCny !== null ? { budgetCny } : {}),
          force: false,
          start: false,
          // Named after the folder, so the tab keeps its name when the window reopens.
          ...(batch.name.kind === 'path' ? { label: batch.name.label } : {}),
        });
        if (!created.ok) return set({ runError: created.error });
        const { batch: engineBatch, quote, rejected } = created.value;
        keysByRun.set(engineBatch.id, byPath);
        set({
          runError: null,
          pendingRun: { windowBatchId, engineBatchId: engineBatch.id, quote, rejected },
        });
      },

      async confirmRun() {
        const pending = get().pendingRun;
        if (!pending) return;
        const started = await api.invoke('jobs:start', { batchId: pending.engineBatchId });
        if (!started.ok) return set({ runError: started.error });
        set((state) => ({
          pendingRun: null,
          runError: null,
          runOrder: [...state.runOrder, pending.engineBatchId],
          batches: state.batches.map((b) =>
            b.id === pending.windowBatchId ? { ...b, engineBatchId: pending.engineBatchId } : b,
          ),
        }));
      },

      async declineRun() {
        const pending = get().pendingRun;
        if (!pending) return;
        set({ pendingRun: null });
        keysByRun.delete(pending.engineBatchId);
        await api.invoke('jobs:cancel', { batchId: pending.engineBatchId });
      },

      async controlRun(batchId, action) {
        const done = await api.invoke(ACTION_CHANNEL[action], batchId ? { batchId } : {});
        set({ runError: done.ok ? null : done.error });
      },

      async moveUp(batchId) {
        const order = get().runOrder;
        const index = order.indexOf(batchId);
        if (index <= 0) return;
        const next = [...order];
        next.splice(index, 1);
        next.splice(index - 1, 0, batchId);
        const done = await api.invoke('jobs:reorder', { batchIds: next });
        set(done.ok ? { runOrder: next, runError: null } : { runError: done.error });
      },

      receiveJob(job) {
        const key = keysByRun.get(job.batchId)?.get(job.sourcePath);
        if (key) get().updateRun(key, photoRunOf(job));
        else arriving?.set(job.id, job);
      },

      receiveProgress(progress) {
        set((state) => ({ progress: { ...state.progress, [progress.batchId]: progress } }));
      },

      receiveEngine: (engine) => set({ engine }),

      async loadEngineState() {
        const [status, recovery] = await Promise.all([
          api.invoke('jobs:engine-state', {}),
          api.invoke('jobs:recovery', {}),
        ]);
        if (status.ok) set({ engine: status.value });
        if (recovery.ok) set({ recovery: recovery.value });
      },

      async restoreQueue() {
        if (arriving) return;
        arriving = new Map();
        try {
          const listed = await api.invoke('jobs:list-batches', {});
          if (!listed.ok || !Array.isArray(listed.value)) return;
          const totalSpent = listed.value.reduce((sum, b) => sum + b.spentCny, 0);
          let lastRestored: string | null = null;
          for (const view of restorableBatches(listed.value)) {
            if (get().batches.some((b) => b.engineBatchId === view.id)) continue;
            const jobs = await listAllJobs(api, view.id);
            if (!jobs || get().batches.some((b) => b.engineBatchId === view.id)) continue;
            const id = `engine-${view.id}`;
            const byPath = new Map<string, string>();
            const { photos } = get();
            for (const listedJob of jobs) {
              const job = newerJob(listedJob, arriving.get(listedJob.id));
              const record = restoredRecord(job);
              const key = photoKey(id, record.id);
              const photo: BatchPhoto = {
                key,
                batchId: id,
                record,
                selected: false,
                excluded: false,
                run: photoRunOf(job),
              };
              photos.set(key, photo);
              byPath.set(job.sourcePath, key);
            }
            keysByRun.set(view.id, byPath);
            const counts = Object.fromEntries(
              PHOTO_STATUSES.map((status) => [status, status === 'ready' ? byPath.size : 0]),
            ) as Record<PhotoStatus, number>;
            const batch: Batch = {
              id,
              name: restoredName(view),
              paths: [],
              scanning: false,
              canceled: false,
              keys: [...byPath.values()],
              size: byPath.size,
              counts,
              engineBatchId: view.id,
              recipe: view.recipe,
            };
            const unfinished = view.state === 'active' || view.state === 'paused';
            set((state) => ({
              batches: [...state.batches, batch],
              // The most recent restored batch is shown, unless the user chose another.
              activeBatchId:
                state.activeBatchId === null || state.activeBatchId === lastRestored
                  ? id
                  : state.activeBatchId,
              photosVersion: state.photosVersion + 1,
              runOrder: unfinished ? [...state.runOrder, view.id] : state.runOrder,
              // A progress event received meanwhile is newer than the listing.
              progress: {
                [view.id]: restoredProgress(view, totalSpent),
                ...state.progress,
              },
            }));
            lastRestored = id;
          }
        } finally {
          arriving = null;
        }
      },
    };
  };

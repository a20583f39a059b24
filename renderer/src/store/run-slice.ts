import type { StateCreator } from 'zustand';
import type { RestyleApi } from '../../../shared/contract';
import type {
  BatchProgress,
  EngineStatus,
  JobView,
  Quote,
  RejectedPhoto,
} from '../../../shared/contract/jobs';
import type { AppError } from '../../../shared/result';
import type { AppState } from './app-store';
import { isSendable } from './batch-photo';
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

    return {
      engine: null,
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
      },

      receiveProgress(progress) {
        set((state) => ({ progress: { ...state.progress, [progress.batchId]: progress } }));
      },

      receiveEngine: (engine) => set({ engine }),

      async loadEngineState() {
        const status = await api.invoke('jobs:engine-state', {});
        if (status.ok) set({ engine: status.value });
      },
    };
  };

import type { StateCreator } from 'zustand';
import type { RestyleApi } from '../../../shared/contract';
import type {
  BatchProgress,
  BatchRequest,
  BatchView,
  EngineStatus,
  JobView,
  QueueRecovery,
  Quote,
} from '../../../shared/contract/jobs';
import type { AppError } from '../../../shared/result';
import type { AppState } from './app-store';
import { isChosen } from './batch-photo';
import { batchNameFor } from './batch-slice';
import {
  listScanRecords,
  progressOf,
  restoredName,
  tabsToRestore,
  type JobListings,
} from './restore-queue';
import { currentRun } from './run-state';
import type { ScanInbox } from './scan-inbox';

/** A quote shown for a tab's run: nothing exists in core until the user confirms it. */
export interface PendingRun {
  tabId: string;
  /** Sent again as it is on Confirm, so the batch is what was quoted. */
  request: BatchRequest;
  quote: Quote;
}

export type RunAction = 'pause' | 'resume' | 'cancel' | 'retry';

/** Where the window keeps which tab was open, across a reload (one UI fact, not core's). */
export interface TabMemory {
  read(): string | null;
  write(tabId: string | null): void;
}

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
  /** Start: asks core what running the tab's chosen photos in the chosen style would make and cost. */
  requestQuote(tabId: string): Promise<void>;
  /** Confirm: core creates and starts the batch quoted; the tab shows it. */
  confirmRun(): Promise<void>;
  /** "Not now": the quote is dropped; nothing was created. */
  declineRun(): void;
  /** A run's control; `null`: the whole queue (clears an account-level pause). */
  controlRun(engineBatchId: string | null, action: RunAction): Promise<void>;
  moveUp(engineBatchId: string): Promise<void>;
  receiveJob(job: JobView): void;
  /** Many jobs of a batch changed at once (`jobs:batch-changed`): a batch the window shows is listed again. */
  receiveBatchChanged(batchId: string): Promise<void>;
  receiveProgress(progress: BatchProgress): void;
  receiveEngine(status: EngineStatus): void;
  loadEngineState(): Promise<void>;
  /** Lists an engine batch's jobs and shows it in a tab (a new run, or one given back at start). */
  showRun(tabId: string, view: BatchView): Promise<void>;
  /**
   * On opening: the tabs the user had (core's kept scans, each with its
   * records and reasons, and its runs), then tabs for recent engine batches
   * whose scan is gone (a restart) and whose tab the user did not close in
   * this session; the tab open before a reload is open again.
   */
  restoreTabs(memory?: TabMemory): Promise<void>;
}

const ACTION_CHANNEL = {
  pause: 'jobs:pause',
  resume: 'jobs:resume',
  cancel: 'jobs:cancel',
  retry: 'jobs:retry-failed',
} as const;

const unfinished = (view: { state: string }) => view.state === 'active' || view.state === 'paused';

export const createRunSlice =
  (
    api: RestyleApi,
    inbox: ScanInbox,
    listings: JobListings,
  ): StateCreator<AppState, [], [], RunSlice> =>
  (set, get) => {
    let restoring = false;
    let confirming = false;
    /** The spend across every batch, as the last listing or event told it. */
    const totalSpent = () =>
      Object.values(get().progress).reduce((max, p) => Math.max(max, p.totalSpentCny), 0);

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

      async requestQuote(tabId) {
        const { batches, photos, recipe, budgetCny } = get();
        const batch = batches.find((b) => b.id === tabId);
        if (!batch || batch.source !== 'scan' || !recipe) return;
        // The photos the user chose; core names any the style's model cannot take.
        const photoIds: string[] = [];
        for (const key of batch.keys.slice(0, batch.size)) {
          const photo = photos.get(key);
          if (photo && isChosen(photo)) photoIds.push(photo.record.id);
        }
        if (photoIds.length === 0) return;
        const request: BatchRequest = {
          scanId: batch.id,
          photoIds,
          recipes: [recipe],
          kind: 'album',
          ...(budgetCny !== null ? { budgetCny } : {}),
          // Named after the folder, so a tab rebuilt from the queue keeps its name.
          ...(batch.name.kind === 'path' ? { label: batch.name.label } : {}),
        };
        const quoted = await api.invoke('jobs:quote', request);
        if (!quoted.ok) return set({ runError: quoted.error });
        set({ runError: null, pendingRun: { tabId, request, quote: quoted.value } });
      },

      async confirmRun() {
        const pending = get().pendingRun;
        // A second click while the first is answered must not create the batch twice.
        if (!pending || confirming) return;
        confirming = true;
        try {
          const created = await api.invoke('jobs:create-batch', pending.request);
          if (!created.ok) return set({ runError: created.error });
          // The quote stays until the run is shown, so Start never shows in between.
          for (const view of created.value.batches) await get().showRun(pending.tabId, view);
          set({ pendingRun: null, runError: null });
        } finally {
          confirming = false;
        }
      },

      declineRun: () => set({ pendingRun: null }),

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
        if (listings.hold(job)) return;
        get().applyJob(job);
        get().receiveAuditionJob(job);
      },

      async receiveBatchChanged(batchId) {
        const { batches, audition } = get();
        const shown =
          batches.some((b) => currentRun(b)?.batchId === batchId) ||
          (audition?.engineBatchIds.includes(batchId) ?? false);
        if (!shown) return;
        const jobs = await listings.list(batchId);
        if (!jobs) return;
        get().applyJobs(jobs);
        for (const job of jobs) get().receiveAuditionJob(job);
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

      async showRun(tabId, view) {
        const jobs = await listings.list(view.id);
        if (!jobs) return;
        get().attachRun(tabId, view, jobs);
        set((state) => ({
          runOrder:
            unfinished(view) && !state.runOrder.includes(view.id)
              ? [...state.runOrder, view.id]
              : state.runOrder,
          // A progress event received meanwhile is newer than the listing.
          progress: { [view.id]: progressOf(view, totalSpent()), ...state.progress },
        }));
      },

      async restoreTabs(memory) {
        if (restoring) return;
        restoring = true;
        const openBefore = get().activeBatchId;
        // Read first: opening the tabs below changes the open one.
        const remembered = memory?.read() ?? null;
        // Scan events that arrive before their tab is back are held, then replayed.
        inbox.begin();
        let held = true;
        try {
          const [scans, closedScans, listed] = await Promise.all([
            api.invoke('intake:list-scans', {}),
            api.invoke('intake:closed-scans', {}),
            api.invoke('jobs:list-batches', {}),
          ]);
          const kept = scans.ok && Array.isArray(scans.value) ? scans.value : [];
          const closed =
            closedScans.ok && Array.isArray(closedScans.value) ? closedScans.value : [];
          const batches = listed.ok && Array.isArray(listed.value) ? listed.value : [];
          const spent = batches.reduce((sum, b) => sum + b.spentCny, 0);
          set((state) => ({
            // A progress event received meanwhile is newer than the listing.
            progress: {
              ...Object.fromEntries(batches.map((b) => [b.id, progressOf(b, spent)])),
              ...state.progress,
            },
          }));
          const summaries = new Map(kept.map((scan) => [scan.scanId, scan]));
          // A tab the user opened while the lists were asked for stays open.
          const chose = openBefore !== null || get().activeBatchId !== null;
          const tabs = tabsToRestore(kept, batches, closed).map((tab) => {
            const scan = tab.scanId === null ? undefined : summaries.get(tab.scanId);
            const first = tab.views[0];
            if (scan) {
              get().restoreTab({
                id: scan.scanId,
                source: 'scan',
                scanId: scan.scanId,
                name: batchNameFor(scan.paths),
                paths: scan.paths,
                scanning: scan.scanning,
              });
            } else if (first) {
              get().restoreTab({
                id: `engine-${first.id}`,
                source: 'queue',
                scanId: first.scanId,
                name: restoredName(first),
                paths: [],
                scanning: false,
              });
            }
            return { id: scan?.scanId ?? `engine-${first?.id ?? ''}`, scan, views: tab.views };
          });
          // The tab open before the reload, else the newest, at once: no other shows first.
          if (!chose) {
            const ids = get().batches.map((b) => b.id);
            const open = remembered && ids.includes(remembered) ? remembered : ids[ids.length - 1];
            if (open) get().setActiveBatch(open);
          }
          held = false;
          for (const { scanId, event } of inbox.endMany(kept.map((scan) => scan.scanId))) {
            if ('photos' in event) get().receivePhotos(scanId, event.photos);
            else get().receiveScanDone(event.done);
          }
          for (const { id, scan, views } of tabs) {
            if (scan) {
              const records = await listScanRecords(api, scan.scanId);
              if (records) get().receivePhotos(scan.scanId, records);
              if (!scan.scanning) {
                get().receiveScanDone({
                  scanId: scan.scanId,
                  counts: scan.counts,
                  leftOut: scan.leftOut,
                  canceled: scan.canceled,
                  ...(scan.error ? { error: scan.error } : {}),
                });
              }
            }
            for (const view of views) await get().showRun(id, view);
          }
        } finally {
          if (held) inbox.endMany([]);
          restoring = false;
        }
      },
    };
  };

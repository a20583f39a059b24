// Rebuilding the window's tabs when it opens (after a reload or a restart):
// core keeps this session's scans (intake:list-scans) and the ones whose tab
// was closed (intake:closed-scans), and the engine every batch and job in
// SQLite; the window asks them and shows the tabs the user had again.
import type { RestyleApi } from '../../../shared/contract';
import type { ScanSummary } from '../../../shared/contract/intake';
import type { BatchProgress, BatchView, JobView } from '../../../shared/contract/jobs';
import type { PhotoRecord } from '../../../shared/photos';
import type { BatchName } from './batch-slice';

/** How many tabs of batches whose scan is gone (an earlier session) a window shows again. */
export const RESTORED_BATCHES = 20;
const JOB_PAGE = 1000;
export const RECORD_PAGE = 2000;

/** The engine batches of one tab: a kept scan's runs, or the runs of a scan no longer kept. */
export interface TabRuns {
  /** The kept scan's id; null for a tab rebuilt from the queue alone. */
  scanId: string | null;
  /** Album runs, oldest first (the last is the one the tab shows). */
  views: BatchView[];
  /** When the tab began: the scan's start, else its first run's creation. */
  createdAt: number;
}

const byCreation = (a: { createdAt: number }, b: { createdAt: number }) =>
  a.createdAt - b.createdAt;

/**
 * Which tabs a window opens with, oldest first: every kept scan (with its album
 * runs), then, among album runs whose scan is no longer kept (the app was
 * restarted), the most recent not canceled, one tab per scan they came from.
 * A scan whose tab the user closed in this session (`closed`, core's) is no
 * tab again. Audition batches belong to the audition panel (`kind`), never to a tab.
 */
export function tabsToRestore(
  scans: readonly ScanSummary[],
  batches: readonly BatchView[],
  closed: readonly string[],
): TabRuns[] {
  const closedScans = new Set(closed);
  const kept = new Map<string, TabRuns>(
    scans.map((scan) => [
      scan.scanId,
      { scanId: scan.scanId, views: [], createdAt: scan.createdAt },
    ]),
  );
  const gone = new Map<string, TabRuns>();
  for (const view of [...batches].sort(byCreation)) {
    if (view.kind !== 'album') continue;
    const scan = view.scanId === null ? undefined : kept.get(view.scanId);
    if (scan) {
      scan.views.push(view);
      continue;
    }
    if (view.state === 'canceled' || (view.scanId !== null && closedScans.has(view.scanId)))
      continue;
    const group = view.scanId ?? `batch:${view.id}`;
    const tab = gone.get(group) ?? { scanId: null, views: [], createdAt: view.createdAt };
    tab.views.push(view);
    gone.set(group, tab);
  }
  const latest = (tab: TabRuns) => tab.views[tab.views.length - 1]?.createdAt ?? tab.createdAt;
  const recent = [...gone.values()]
    .sort((a, b) => latest(b) - latest(a))
    .slice(0, RESTORED_BATCHES);
  return [...kept.values(), ...recent].sort(byCreation);
}

/** Every item of a paged listing, page by page (null when a page fails). */
async function listAll<T>(
  page: (offset: number) => Promise<{ items: T[]; total: number } | null>,
): Promise<T[] | null> {
  const items: T[] = [];
  for (;;) {
    const next = await page(items.length);
    if (!next) return null;
    items.push(...next.items);
    if (next.items.length === 0 || items.length >= next.total) return items;
  }
}

/** Every job of an engine batch, page by page. */
export const listAllJobs = (api: RestyleApi, batchId: string): Promise<JobView[] | null> =>
  listAll(async (offset) => {
    const page = await api.invoke('jobs:list-jobs', { batchId, offset, limit: JOB_PAGE });
    return page.ok && page.value ? { items: page.value.jobs, total: page.value.total } : null;
  });

/** Of a listed job and one received while listing, the newer. */
export const newerJob = (listed: JobView, live: JobView | undefined): JobView =>
  live && live.updatedAt >= listed.updatedAt ? live : listed;

/**
 * Lists an engine batch's jobs as they are now: job events for that batch
 * that arrive while it is being listed are held (`hold`) and the newer of the
 * two kept, so a photo never goes back to an older state.
 */
export interface JobListings {
  /** True when the job's batch is being listed (the event is kept for the listing). */
  hold(job: JobView): boolean;
  list(batchId: string): Promise<JobView[] | null>;
}

export function createJobListings(api: RestyleApi): JobListings {
  const held = new Map<string, Map<string, JobView>>();
  return {
    hold(job) {
      const jobs = held.get(job.batchId);
      if (!jobs) return false;
      const before = jobs.get(job.id);
      jobs.set(job.id, before ? newerJob(before, job) : job);
      return true;
    },
    async list(batchId) {
      const live = new Map<string, JobView>();
      held.set(batchId, live);
      try {
        const listed = await listAllJobs(api, batchId);
        return listed && listed.map((job) => newerJob(job, live.get(job.id)));
      } finally {
        if (held.get(batchId) === live) held.delete(batchId);
      }
    },
  };
}

/** Every record of a kept scan, in gallery order, page by page. */
export const listScanRecords = (api: RestyleApi, scanId: string): Promise<PhotoRecord[] | null> =>
  listAll(async (offset) => {
    const page = await api.invoke('intake:scan-records', { scanId, offset, limit: RECORD_PAGE });
    return page.ok && page.value ? { items: page.value.records, total: page.value.total } : null;
  });

const baseName = (path: string): string => {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
};

/** A queue tab's name: the label the window gave the run (the folder), else the photo count. */
export const restoredName = (batch: BatchView): BatchName =>
  batch.label ? { kind: 'path', label: batch.label } : { kind: 'items', count: batch.total };

/** The id a job's photo has in its tab: the intake record's, else (older jobs) the job's. */
export const jobPhotoId = (job: JobView): string => job.photoId ?? job.id;

/** A job's photo as intake would have listed it (its scan is gone); thumbnails are cached by hash. */
export const restoredRecord = (job: JobView): PhotoRecord => ({
  id: jobPhotoId(job),
  hash: job.sourceHash,
  path: job.sourcePath,
  name: baseName(job.sourcePath),
  folder: job.albumFolder,
  format: null,
  width: null,
  height: null,
  bytes: 0,
  status: 'ready',
  model: job.model,
  adjustments: [],
  thumbnails: true,
});

/** The batch's progress as `jobs:batch-progress` reports it (no ETA until the next event). */
export const progressOf = (batch: BatchView, totalSpentCny: number): BatchProgress => ({
  batchId: batch.id,
  state: batch.state,
  pauseReason: batch.pauseReason,
  counts: batch.counts,
  finished: batch.finished,
  total: batch.total,
  etaMs: null,
  spentCny: batch.spentCny,
  totalSpentCny,
});

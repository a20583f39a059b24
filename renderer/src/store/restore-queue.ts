// Rebuilding the window's batches from the engine's queue when the window opens
// (after a reload or a restart): the engine keeps every batch and job in SQLite.
import type { RestyleApi } from '../../../shared/contract';
import type { BatchProgress, BatchView, JobView } from '../../../shared/contract/jobs';
import type { PhotoRecord } from '../../../shared/photos';
import type { BatchName } from './batch-slice';

/** How many engine batches a window shows again, the most recent ones. */
export const RESTORED_BATCHES = 20;
const PAGE = 200;

/** Audition batches (`Audition 1/3`) belong to the audition panel, not to a tab. */
const AUDITION_LABEL = /^Audition \d+\/\d+$/;

/** Batches worth a tab again: not canceled, confirmed (not an unanswered quote), not auditions. */
export function restorableBatches(batches: readonly BatchView[]): BatchView[] {
  return batches
    .filter(
      (b) =>
        b.state !== 'canceled' &&
        b.pauseReason !== 'awaiting_start' &&
        !AUDITION_LABEL.test(b.label),
    )
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, RESTORED_BATCHES)
    .reverse();
}

/** Every job of an engine batch, page by page. */
export async function listAllJobs(api: RestyleApi, batchId: string): Promise<JobView[] | null> {
  const jobs: JobView[] = [];
  for (;;) {
    const page = await api.invoke('jobs:list-jobs', { batchId, offset: jobs.length, limit: PAGE });
    if (!page.ok || !page.value) return null;
    jobs.push(...page.value.jobs);
    if (page.value.jobs.length === 0 || jobs.length >= page.value.total) return jobs;
  }
}

const baseName = (path: string): string => {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
};

/** The tab's name: the label the window gave the run (the folder), else the photo count. */
export const restoredName = (batch: BatchView): BatchName =>
  batch.label ? { kind: 'path', label: batch.label } : { kind: 'items', count: batch.total };

/** A job's photo as intake would have listed it; its thumbnails were cached by that scan. */
export const restoredRecord = (job: JobView): PhotoRecord => ({
  id: job.id,
  hash: job.sourceHash,
  path: job.sourcePath,
  name: baseName(job.sourcePath),
  folder: '',
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
export const restoredProgress = (batch: BatchView, totalSpentCny: number): BatchProgress => ({
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

/** Of a listed job and one received while listing, the newer. */
export const newerJob = (listed: JobView, live: JobView | undefined): JobView =>
  live && live.updatedAt >= listed.updatedAt ? live : listed;

import type {
  BatchProgress,
  BatchView,
  JobView,
  PauseReason,
  Quote,
} from '../../../shared/contract/jobs';
import type { Adjustment } from '../../../shared/photos';
import { recipeImages, recipeKey, recipeModel, type Recipe } from '../../../shared/recipe';
import type { Ctx } from './engine-context';
import { priceOf } from './engine-tasks';
import { jobView, type JobRow, type NewJob } from './job-store';
import type { JobState } from './states';

/** One photo for a new batch (from intake: a PhotoRecord's path, hash and folder). */
export interface PhotoInput {
  path: string;
  hash: string;
  folder: string;
  adjustments?: readonly Adjustment[];
  /** Set for a photo intake refused: the job is created failed, with this reason. */
  rejected?: string;
}

export interface CreateBatchInput {
  photos: readonly PhotoInput[];
  recipe: Recipe;
  budgetCny?: number | null;
  /** Pay again even where a saved or queued result exists. @default false */
  force?: boolean;
  label?: string;
  /** Start at once; otherwise the batch waits (`awaiting_start`) for `start`. @default false */
  start?: boolean;
}

export interface Target {
  batchId?: string | undefined;
  jobId?: string | undefined;
}

interface ControlDeps {
  ctx: Ctx;
  progress(batchId: string): BatchProgress | null;
  emitProgress(batchId: string): void;
  settleBatch(batchId: string): void;
}

/** What the user can do with the queue: create, start, pause, resume, cancel, retry, reorder, resolve. */
export function createControls({ ctx, emitProgress }: ControlDeps) {
  const { store } = ctx;
  const unitCost = (batch: Pick<BatchView, 'recipe' | 'model'>) =>
    recipeImages(batch.recipe) * priceOf(ctx, batch.model);

  function jobsOf(target: Target, states: readonly JobState[]): JobRow[] {
    if (target.jobId) {
      const job = store.getJob(target.jobId);
      return job && states.includes(job.state) ? [job] : [];
    }
    const all = store.jobsIn(states);
    return target.batchId ? all.filter((job) => job.batchId === target.batchId) : all;
  }

  function quote(batchId: string): Quote {
    const batch = store.getBatch(batchId);
    if (!batch) throw new Error(`no batch ${batchId}`);
    const paidJobs = batch.counts.queued + batch.counts.paused;
    const images = paidJobs * recipeImages(batch.recipe);
    const priceCny = priceOf(ctx, batch.model);
    const freeLeft = ctx.deps.costs ? ctx.deps.costs.freeLeft(batch.model) : null;
    const freeImages = Math.min(images, freeLeft ?? 0);
    return {
      jobs: batch.total,
      paidJobs,
      images,
      priceCny,
      freeImages,
      freeLeft,
      totalCny: Math.round((images - freeImages) * priceCny * 100) / 100,
      budgetCny: batch.budgetCny,
    };
  }

  /**
   * Dedupe: a photo whose result is saved (library) or queued (this batch or
   * another) is linked to it instead of being paid for again, unless forced.
   */
  function createBatch(input: CreateBatchInput): { batch: BatchView; quote: Quote } {
    const key = recipeKey(input.recipe);
    const seen = new Set<string>();
    const jobs: NewJob[] = input.photos.map((photo) => {
      if (photo.rejected !== undefined)
        return {
          path: photo.path,
          hash: photo.hash,
          folder: photo.folder,
          state: 'failed',
          error: { code: 'file_unreadable', message: photo.rejected, retryable: false },
        };
      const base = { path: photo.path, hash: photo.hash, folder: photo.folder };
      if (seen.has(photo.hash)) return { ...base, state: 'skipped' };
      seen.add(photo.hash);
      if (input.force) return base;
      const saved = ctx.deps.library.find(photo.hash, key);
      if (saved.length > 0) return { ...base, state: 'skipped', entryIds: saved.map((e) => e.id) };
      const queued = store.findLiveDuplicate(photo.hash, key);
      if (queued) return { ...base, state: 'skipped', linkedJobId: queued.id };
      return base;
    });
    // Link in-batch duplicates to the first copy once ids exist.
    const batch = store.createBatch({
      recipe: input.recipe,
      label: input.label ?? '',
      budgetCny: input.budgetCny ?? null,
      force: input.force ?? false,
      state: input.start ? 'active' : 'paused',
      pauseReason: input.start ? null : 'awaiting_start',
      jobs,
    });
    linkInBatch(batch.id);
    ctx.wake();
    emitProgress(batch.id);
    return { batch: store.getBatch(batch.id) as BatchView, quote: quote(batch.id) };
  }

  function linkInBatch(batchId: string): void {
    const first = new Map<string, string>();
    for (const job of store.listJobs(batchId, 0, 1_000_000).jobs) {
      const original = first.get(job.sourceHash);
      if (original === undefined) first.set(job.sourceHash, job.id);
      else if (job.state === 'skipped' && !job.linkedJobId && job.entryIds.length === 0)
        store.db.run('UPDATE jobs SET linked_job_id = ? WHERE id = ?', original, job.id);
    }
  }

  function setBatch(
    batchId: string,
    state: 'active' | 'paused' | 'canceled',
    reason: PauseReason | null,
    from: BatchView['state'][],
  ): number {
    const changed = store.setBatchState(batchId, state, reason, from) ? 1 : 0;
    if (changed) emitProgress(batchId);
    ctx.wake();
    return changed;
  }

  const batchIds = (target: Target) =>
    target.batchId ? [target.batchId] : store.listBatches().map((b) => b.id);

  return {
    unitCost,
    quote,
    createBatch,
    startBatch(batchId: string): BatchView {
      setBatch(batchId, 'active', null, ['paused']);
      return store.getBatch(batchId) as BatchView;
    },
    /** Stops new submits; tasks already sent are still polled and downloaded (they are paid for). */
    pause(target: Target = {}): number {
      if (target.jobId) {
        const n = jobsOf(target, ['queued', 'preparing', 'ready']).filter((job) =>
          ctx.moveForUser(job.id, 'paused', {}, [job.state]),
        ).length;
        ctx.wake();
        return n;
      }
      return batchIds(target).reduce((n, id) => n + setBatch(id, 'paused', 'user', ['active']), 0);
    },
    /** Resumes a job, a batch, or (no target) every paused batch and an account-level pause. */
    resume(target: Target = {}): number {
      if (target.jobId)
        return jobsOf(target, ['paused']).filter((job) =>
          ctx.moveForUser(job.id, 'queued', {}, ['paused']),
        ).length;
      let changed = 0;
      if (!target.batchId && ctx.status.state === 'paused') {
        ctx.setEngine('running', null);
        changed += 1;
      }
      for (const id of batchIds(target)) {
        for (const job of store.listJobs(id, 0, 1_000_000, ['paused']).jobs)
          ctx.moveForUser(job.id, 'queued', {}, ['paused']);
        changed += setBatch(id, 'active', null, ['paused']);
      }
      ctx.wake();
      return changed;
    },
    /**
     * Cancels what was not sent; a PENDING task is canceled at the service,
     * a running one is left to finish and is saved (it is paid for).
     */
    async cancel(target: Target = {}): Promise<number> {
      let changed = 0;
      for (const job of jobsOf(target, [
        'queued',
        'preparing',
        'ready',
        'paused',
        'failed',
        'expired',
        'needs_attention',
      ])) {
        ctx.prepared.delete(job.id);
        if (ctx.moveForUser(job.id, 'canceled', { finishedAt: ctx.now() }, [job.state]))
          changed += 1;
      }
      for (const job of jobsOf(target, ['submitted'])) {
        try {
          await ctx.deps.client.cancelTask(job.taskId as string);
          ctx.nextPollAt.set(job.id, ctx.now());
        } catch {
          // Already running (or gone): it finishes and is saved.
        }
      }
      if (!target.jobId)
        for (const id of batchIds(target))
          changed += setBatch(id, 'canceled', null, ['active', 'paused']);
      ctx.wake();
      return changed;
    },
    retryFailed(target: Target & { includeExpired?: boolean } = {}): number {
      const states: JobState[] = target.includeExpired
        ? ['failed', 'expired', 'canceled']
        : ['failed'];
      let changed = 0;
      for (const job of jobsOf(target, states)) {
        if (
          ctx.moveForUser(
            job.id,
            'queued',
            { error: null, attempts: 0, notBefore: 0, taskId: null, finishedAt: null },
            [job.state],
          )
        ) {
          changed += 1;
          if (store.getBatch(job.batchId)?.state !== 'paused')
            store.setBatchState(job.batchId, 'active', null);
        }
      }
      ctx.wake();
      return changed;
    },
    reorder(ids: readonly string[]): BatchView[] {
      store.reorder(ids);
      ctx.wake();
      return store.listBatches();
    },
    /** Settles a `needs_attention` job: adopt one candidate, pay for a new task, or cancel. */
    resolve(jobId: string, action: 'adopt' | 'resubmit' | 'cancel', taskId?: string): JobView {
      const job = store.getJob(jobId);
      if (!job || job.state !== 'needs_attention')
        throw new Error('this job does not need attention');
      if (action === 'adopt') {
        if (!taskId || !job.candidates.includes(taskId))
          throw new Error('adopt one of the candidate tasks');
        const row = store.recordSubmitted(job, taskId, null, job.intentAt ?? ctx.now());
        if (row) ctx.emitJob(row);
      } else
        ctx.moveForUser(jobId, action === 'cancel' ? 'canceled' : 'queued', { candidates: null }, [
          'needs_attention',
        ]);
      ctx.wake();
      return jobView(store.getJob(jobId) as JobRow);
    },
    listBatches: (): BatchView[] => store.listBatches(),
    listJobs(batchId: string, offset = 0, limit = 200, states?: readonly JobState[]) {
      const page = store.listJobs(batchId, offset, limit, states);
      return { jobs: page.jobs.map(jobView), total: page.total };
    },
    recipeModel,
  };
}

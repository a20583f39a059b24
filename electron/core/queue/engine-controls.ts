import type {
  BatchKind,
  BatchProgress,
  BatchView,
  PauseReason,
  Quote,
} from '../../../shared/contract/jobs';
import { recipeImages } from '../../../shared/recipe';
import { RestyleError } from '../../../shared/result';
import { budgetShares, quote, type QuotePricing } from '../cost/quote';
import { planBatch, type BatchPlan, type PlanInput } from './batch-plan';
import type { Ctx } from './engine-context';
import { priceOf } from './engine-tasks';
import { jobView, newId, type JobRow } from './job-store';
import type { JobState } from './states';

/**
 * A batch request (`batchRequestSchema`; the window's and the CLI's alike):
 * records of a kept intake scan, by its id (those chosen, or every one that
 * can be sent) × recipes.
 */
export interface BatchInput extends Omit<PlanInput, 'records'> {
  scanId: string;
  kind?: BatchKind | undefined;
  budgetCny?: number | null | undefined;
  label?: string | undefined;
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

/** What the user can do with the queue: quote, create, pause, resume, cancel, retry, reorder. */
export function createControls({ ctx, emitProgress, settleBatch }: ControlDeps) {
  const { store } = ctx;
  const unitCost = (batch: Pick<BatchView, 'recipe' | 'model'>) =>
    recipeImages(batch.recipe) * priceOf(ctx, batch.model);

  /** An unknown batch or job is `not_found`, never a silent 0. */
  function known(target: Target): void {
    if (target.batchId !== undefined && !store.getBatch(target.batchId))
      throw new RestyleError('not_found', `no batch ${target.batchId}`, { id: target.batchId });
    if (target.jobId !== undefined && !store.getJob(target.jobId))
      throw new RestyleError('not_found', `no job ${target.jobId}`, { id: target.jobId });
  }

  function jobsOf(target: Target, states: readonly JobState[]): JobRow[] {
    if (target.jobId) {
      const job = store.getJob(target.jobId);
      return job && states.includes(job.state) ? [job] : [];
    }
    const all = store.jobsIn(states);
    return target.batchId ? all.filter((job) => job.batchId === target.batchId) : all;
  }

  const pricing: QuotePricing = {
    perImageCny: (model) => priceOf(ctx, model),
    freeLeft: (model) => ctx.deps.costs?.freeLeft(model) ?? 0,
  };

  /**
   * The plan of a request: its scan's records (`not_found`: no such scan)
   * against the library and the queue as they are now.
   */
  const planOf = (input: BatchInput): BatchPlan =>
    planBatch(
      { ...input, records: ctx.deps.intake.scanRecords(input.scanId).records },
      {
        saved: (hash, key) => ctx.deps.library.find(hash, key).map((entry) => entry.id),
        queued: (hash, key) => store.findLiveDuplicate(hash, key)?.id ?? null,
        newId,
      },
    );

  /**
   * Creates and starts one batch per recipe that has jobs, in one
   * transaction, from the same plan the quote is made of. A batch whose jobs
   * are all linked (saved or queued elsewhere) is done at once.
   */
  function createBatches(input: BatchInput): { batches: BatchView[]; quote: Quote } {
    const plan = planOf(input);
    const budgetCny = input.budgetCny ?? null;
    const budgets = budgetShares(plan, pricing, budgetCny);
    const ids = store.db.transaction(() =>
      plan.batches.flatMap((planned, index) => {
        if (planned.jobs.length === 0) return [];
        const batch = store.createBatch({
          recipe: planned.recipe,
          kind: input.kind ?? 'album',
          scanId: input.scanId,
          label: input.label ?? '',
          budgetCny: budgets[index] ?? null,
          force: input.force ?? false,
          state: 'active',
          jobs: planned.jobs.map((job) => ({
            id: job.id,
            photoId: job.photoId,
            path: job.path,
            hash: job.hash,
            folder: job.folder,
            adjustments: job.adjustments,
            ...(job.basis === 'paid' ? {} : { state: 'skipped' as const }),
            ...(job.entryIds ? { entryIds: job.entryIds } : {}),
            ...(job.linkedJobId ? { linkedJobId: job.linkedJobId } : {}),
          })),
        });
        return [batch.id];
      }),
    );
    for (const id of ids) {
      settleBatch(id);
      emitProgress(id);
    }
    ctx.wake();
    return {
      batches: ids.map((id) => store.getBatch(id) as BatchView),
      quote: quote(plan, pricing, budgetCny),
    };
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
    /** What the request would make and cost; nothing is created. */
    quote: (input: BatchInput): Quote => quote(planOf(input), pricing, input.budgetCny ?? null),
    createBatches,
    /** Stops new submits; tasks already sent are still polled and downloaded (they are paid for). */
    pause(target: Target = {}): number {
      known(target);
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
      known(target);
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
      known(target);
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
      known(target);
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
    listBatches: (): BatchView[] => store.listBatches(),
    listJobs(batchId: string, offset = 0, limit = 200, states?: readonly JobState[]) {
      known({ batchId });
      const page = store.listJobs(batchId, offset, limit, states);
      return { jobs: page.jobs.map(jobView), total: page.total };
    },
  };
}

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
import { planSteps, type BatchPlan, type PlannedJob, type PlanInput } from './batch-plan';
import type { Ctx } from './engine-context';
import { priceOf } from './engine-tasks';
import { jobView, newId, type JobPatch, type JobRow, type NewJob } from './job-store';
import { FINAL_STATES, type JobState } from './states';
import { drain, drainYielding } from './steps';

/**
 * Jobs a control moves per transaction (a batch's jobs change in chunks, so
 * no statement holds the process long): measured on 2 busy cores, 250 take
 * about 6 ms (500: 13 ms).
 */
export const BULK_CHUNK = 250;

/** States Cancel ends (what was not sent, or waits for the user). */
const CANCELABLE: readonly JobState[] = [
  'queued',
  'preparing',
  'ready',
  'paused',
  'failed',
  'expired',
  'needs_attention',
];

/**
 * Jobs a creation writes per transaction (its rows `creating` until the
 * last; see job-store.ts): on 2 busy cores about 35 µs of CPU a job, 100 a
 * median 3 ms step (250: 8 ms).
 */
export const CREATE_CHUNK = 100;

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

  /** The job named, when it is in one of these states. */
  function jobOf(jobId: string, states: readonly JobState[]): JobRow[] {
    const job = store.getJob(jobId);
    return job && states.includes(job.state) ? [job] : [];
  }

  /**
   * Moves every job of a batch in `from` to `to`, compare-and-set, in chunks
   * of BULK_CHUNK (one statement each; a step between chunks). A move to a
   * final state leaves the jobs that skipped copies follow to the last step,
   * one by one, so the copies follow them as after any move. The window is
   * told by the caller: one `jobs:batch-changed` and one progress per batch.
   */
  function* moveBatch(
    batchId: string,
    to: JobState,
    patch: JobPatch,
    from: readonly JobState[],
  ): Generator<void, number> {
    const unlinked = FINAL_STATES.has(to);
    let moved = 0;
    for (;;) {
      const ids = store.moveBatchJobs(batchId, to, patch, from, { limit: BULK_CHUNK, unlinked });
      moved += ids.length;
      if (ids.length < BULK_CHUNK) break;
      yield;
    }
    if (unlinked)
      for (const job of store.listJobs(batchId, 0, Number.MAX_SAFE_INTEGER, from).jobs)
        if (ctx.moveForUser(job.id, to, patch, [job.state])) moved += 1;
    return moved;
  }

  /** Tells the window a batch's jobs changed in bulk (it lists them again), with its progress. */
  function batchChanged(batchId: string): void {
    ctx.deps.events?.emit('jobs:batch-changed', { batchId });
    emitProgress(batchId);
  }

  const pricing: QuotePricing = {
    perImageCny: (model) => priceOf(ctx, model),
    freeLeft: (model) => ctx.deps.costs?.freeLeft(model) ?? 0,
  };

  /**
   * The plan of a request: its scan's records (`not_found`: no such scan)
   * against the library and the queue as they are now, in steps (the event
   * loop runs between them).
   */
  const planOf = async (input: BatchInput): Promise<BatchPlan> =>
    drainYielding(
      planSteps(
        { ...input, records: ctx.deps.intake.scanRecords(input.scanId).records },
        {
          saved: (hash, key) => ctx.deps.library.find(hash, key).map((entry) => entry.id),
          queued: (hash, key) => store.findLiveDuplicate(hash, key)?.id ?? null,
          newId,
        },
      ),
    );

  const newJob = (job: PlannedJob): NewJob => ({
    id: job.id,
    photoId: job.photoId,
    path: job.path,
    hash: job.hash,
    folder: job.folder,
    adjustments: job.adjustments,
    ...(job.basis === 'paid' ? {} : { state: 'skipped' as const }),
    ...(job.entryIds ? { entryIds: job.entryIds } : {}),
    ...(job.linkedJobId ? { linkedJobId: job.linkedJobId } : {}),
  });

  /**
   * Writes the plan's batches in steps: their rows `creating`, then their
   * jobs CREATE_CHUNK per transaction, then all of them `active` at once. A
   * creation that fails is taken back (a crash's is dropped at the next open).
   */
  function* writeSteps(input: BatchInput, plan: BatchPlan): Generator<void, string[]> {
    const budgets = budgetShares(plan, pricing, input.budgetCny ?? null);
    const made = plan.batches.flatMap((planned, index) =>
      planned.jobs.length === 0 ? [] : [{ planned, budgetCny: budgets[index] ?? null }],
    );
    const ids = store.beginBatches(
      made.map(({ planned, budgetCny }) => ({
        recipe: planned.recipe,
        kind: input.kind ?? 'album',
        scanId: input.scanId,
        label: input.label ?? '',
        budgetCny,
        force: input.force ?? false,
      })),
    );
    try {
      for (const [index, { planned }] of made.entries())
        for (let seq = 0; seq < planned.jobs.length; seq += CREATE_CHUNK) {
          yield;
          const chunk = planned.jobs.slice(seq, seq + CREATE_CHUNK);
          store.addJobs(ids[index] as string, chunk.map(newJob), seq);
        }
      store.finishBatches(ids);
    } catch (error) {
      try {
        store.dropBatches(ids);
      } catch {
        // Not writable now: the rows stay `creating`, unseen, and go at the next open.
      }
      throw error;
    }
    return ids;
  }

  /** The creation running in this engine: the next waits for it (it may follow its jobs). */
  let creating: Promise<unknown> = Promise.resolve();

  /**
   * Creates and starts one batch per recipe that has jobs, from the same plan
   * the quote is made of, in steps with the event loop running between them:
   * no reader sees a batch before all its jobs are written. Requests are
   * created one after another, so a request follows the jobs of the one
   * before it. A batch whose jobs are all linked (saved or queued elsewhere)
   * is done at once.
   */
  function createBatches(input: BatchInput): Promise<{ batches: BatchView[]; quote: Quote }> {
    const created = creating.then(() => create(input));
    creating = created.catch(() => undefined);
    return created;
  }

  async function create(input: BatchInput): Promise<{ batches: BatchView[]; quote: Quote }> {
    const plan = await planOf(input);
    const budgetCny = input.budgetCny ?? null;
    const ids = await drainYielding(writeSteps(input, plan));
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
    /** Resolves when no creation is under way (the engine's `stop` waits for it). */
    creationsDone: (): Promise<unknown> => creating,
    unitCost,
    /** What the request would make and cost; nothing is created. */
    quote: async (input: BatchInput): Promise<Quote> =>
      quote(await planOf(input), pricing, input.budgetCny ?? null),
    createBatches,
    /** Stops new submits; tasks already sent are still polled and downloaded (they are paid for). */
    pause(target: Target = {}): number {
      known(target);
      if (target.jobId) {
        const n = jobOf(target.jobId, ['queued', 'preparing', 'ready']).filter((job) =>
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
        return jobOf(target.jobId, ['paused']).filter((job) =>
          ctx.moveForUser(job.id, 'queued', {}, ['paused']),
        ).length;
      let changed = 0;
      if (!target.batchId && ctx.status.state === 'paused') {
        ctx.setEngine('running', null);
        changed += 1;
      }
      for (const id of batchIds(target)) {
        // Jobs are paused one by one (a batch's pause is its own state): few to move here.
        const moved =
          store.counts(id).paused > 0 ? drain(moveBatch(id, 'queued', {}, ['paused'])) : 0;
        const resumed = store.setBatchState(id, 'active', null, ['paused']);
        if (resumed) changed += 1;
        if (moved > 0) batchChanged(id);
        else if (resumed) emitProgress(id);
      }
      ctx.wake();
      return changed;
    },
    /**
     * Cancels what was not sent; a PENDING task is canceled at the service,
     * a running one is left to finish and is saved (it is paid for). A
     * batch's jobs change in chunks, the event loop running between them.
     */
    async cancel(target: Target = {}): Promise<number> {
      known(target);
      let changed = 0;
      const finishedAt = ctx.now();
      const ended = new Set<string>();
      if (target.jobId) {
        for (const job of jobOf(target.jobId, CANCELABLE))
          if (ctx.moveForUser(job.id, 'canceled', { finishedAt }, [job.state])) {
            changed += 1;
            ended.add(job.batchId);
          }
      } else {
        for (const id of batchIds(target)) {
          // The batch first: nothing of it starts meanwhile, and it ends canceled, not done.
          const canceled = store.setBatchState(id, 'canceled', null, ['active', 'paused']);
          const moved = CANCELABLE.some((state) => store.counts(id)[state] > 0)
            ? await drainYielding(moveBatch(id, 'canceled', { finishedAt }, CANCELABLE))
            : 0;
          changed += moved + (canceled ? 1 : 0);
          if (moved > 0) batchChanged(id);
          else if (canceled) emitProgress(id);
          ended.add(id);
        }
      }
      // Prepared uploads of canceled jobs are dropped.
      for (const id of [...ctx.prepared.keys()])
        if (store.getJob(id)?.state === 'canceled') ctx.prepared.delete(id);
      const sent = target.jobId
        ? jobOf(target.jobId, ['submitted'])
        : [...ended].flatMap(
            (id) => store.listJobs(id, 0, Number.MAX_SAFE_INTEGER, ['submitted']).jobs,
          );
      for (const job of sent) {
        try {
          await ctx.deps.client.cancelTask(job.taskId as string);
          ctx.nextPollAt.set(job.id, ctx.now());
        } catch {
          // Already running (or gone): it finishes and is saved.
        }
      }
      ctx.wake();
      return changed;
    },
    /** Queues failed jobs (and expired and canceled ones, with `includeExpired`) again. */
    async retryFailed(target: Target & { includeExpired?: boolean } = {}): Promise<number> {
      known(target);
      const states: JobState[] = target.includeExpired
        ? ['failed', 'expired', 'canceled']
        : ['failed'];
      const patch: JobPatch = {
        error: null,
        attempts: 0,
        notBefore: 0,
        taskId: null,
        finishedAt: null,
      };
      let changed = 0;
      const retried = (batchId: string) => {
        if (store.getBatch(batchId)?.state !== 'paused')
          store.setBatchState(batchId, 'active', null);
      };
      if (target.jobId) {
        for (const job of jobOf(target.jobId, states))
          if (ctx.moveForUser(job.id, 'queued', patch, [job.state])) {
            changed += 1;
            retried(job.batchId);
          }
      } else {
        for (const id of batchIds(target)) {
          if (!states.some((state) => store.counts(id)[state] > 0)) continue;
          const moved = await drainYielding(moveBatch(id, 'queued', patch, states));
          if (moved === 0) continue;
          changed += moved;
          retried(id);
          batchChanged(id);
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

import { PassThrough } from 'node:stream';
import type { JobError } from '../../../shared/contract/jobs';
import { MODELS, type ModelId } from '../../../shared/models';
import { RestyleError, type ErrorCode } from '../../../shared/result';
import type { Recipe } from '../../../shared/recipe';
import { DashScopeError, type DashScopeTask } from '../dashscope';
import type { Ctx, Lane } from './engine-context';
import type { JobRow } from './job-store';
import { sumCny } from '../cost/money';
import { reconcileIntent } from './reconcile';
import { isSlotRefusal, learnRefusal } from './slots';

/** A thrown value as a job error. */
export function toJobError(error: unknown): JobError {
  if (error instanceof DashScopeError)
    return { code: error.code, message: error.message, retryable: error.retryable };
  if (error instanceof RestyleError)
    return { code: error.code, message: error.message, retryable: false };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, retryable: false };
}

export const priceOf = (ctx: Ctx, model: ModelId): number =>
  ctx.deps.priceCny?.(model) ?? MODELS[model].defaultPriceCny;

const recipeOf = (ctx: Ctx, job: JobRow): Recipe =>
  (ctx.store.getBatch(job.batchId) as { recipe: Recipe }).recipe;

/**
 * A finished task's cost and each image's (free ones at 0), counted once: the
 * ledger is not asked again on a replay, whose first record stands.
 */
function costOf(ctx: Ctx, job: JobRow, images: number): { costCny: number; perImageCny: number[] } {
  if (job.taskId && ctx.store.taskSucceeded(job.taskId)) return { costCny: 0, perImageCny: [] };
  if (ctx.deps.costs) return ctx.deps.costs.record(job.model, images);
  const perImageCny = Array.from({ length: images }, () => priceOf(ctx, job.model));
  return { costCny: sumCny(perImageCny), perImageCny };
}

/** Sends a job back to the queue after a retryable failure, or fails it for good. */
export function retryOrFail(ctx: Ctx, job: JobRow, error: JobError, floorMs?: number | null): void {
  const from = [job.state];
  if (error.retryable && job.attempts < ctx.opts.maxAttempts) {
    ctx.move(
      job.id,
      'queued',
      { error, taskId: null, notBefore: ctx.now() + ctx.backoffMs(job.attempts, floorMs) },
      from,
    );
  } else {
    ctx.prepared.delete(job.id);
    ctx.move(job.id, 'failed', { error, finishedAt: ctx.now() }, from);
  }
}

export async function prepareJob(ctx: Ctx, lane: Lane, job: JobRow): Promise<void> {
  lane.preparing.add(job.id);
  try {
    const moved = ctx.move(job.id, 'preparing', {}, ['queued']);
    if (!moved) return;
    if (!ctx.prepared.has(job.id)) {
      const prepared = await ctx.deps.intake.prepare(job.sourcePath, {
        model: job.model,
        crop: !ctx.deps.limits().sendUncropped,
      });
      ctx.prepared.set(job.id, {
        dataUri: prepared.dataUri,
        adjustments: prepared.adjustments,
        crop: prepared.crop ?? null,
      });
    }
    const { adjustments = [], crop = null } = ctx.prepared.get(job.id) ?? {};
    // The crop is kept with the job: the result may be saved after a restart, for its sidecar.
    ctx.move(job.id, 'ready', { adjustments, crop }, ['preparing']);
  } catch (error) {
    ctx.prepared.delete(job.id);
    const jobError = toJobError(error);
    const code: ErrorCode = jobError.code === 'internal' ? 'file_unreadable' : jobError.code;
    ctx.move(job.id, 'failed', { error: { ...jobError, code }, finishedAt: ctx.now() }, [
      'preparing',
    ]);
  } finally {
    lane.preparing.delete(job.id);
    ctx.wake();
  }
}

/** This engine lost the data folder's lock: the step ends here, for the new owner to redo. */
class LockLostError extends Error {
  override readonly name = 'LockLostError';
}

/** The last look at the lock before a submit leaves the process. */
function mustOwn(ctx: Ctx): void {
  if (!ctx.owns()) throw new LockLostError('another engine took over this data folder');
}

function submitCall(ctx: Ctx, job: JobRow, dataUri: string) {
  const recipe = recipeOf(ctx, job);
  mustOwn(ctx);
  if (recipe.kind === 'prompt') {
    return ctx.deps.client.submitImageEdit({
      function: recipe.function,
      prompt: recipe.prompt,
      baseImageDataUri: dataUri,
      n: recipe.variants,
      ...(recipe.seed !== undefined ? { seed: recipe.seed } : {}),
    });
  }
  if (recipe.kind === 'preset')
    return ctx.deps.client.submitStyleRepaint({
      imageDataUri: dataUri,
      styleIndex: recipe.styleIndex,
    });
  return ctx.deps.intake.prepare(recipe.refPath, { model: job.model, crop: false }).then((ref) => {
    mustOwn(ctx);
    return ctx.deps.client.submitStyleRepaint({
      imageDataUri: dataUri,
      styleRefDataUri: ref.dataUri,
    });
  });
}

/**
 * Intent committed (synchronous=FULL) before the POST, in the same statement
 * as the check that this engine still holds the data folder's lock; the task
 * id committed the moment it is known.
 */
export async function submitJob(ctx: Ctx, lane: Lane, ready: JobRow): Promise<void> {
  const prepared = ctx.prepared.get(ready.id);
  if (!prepared) {
    ctx.move(ready.id, 'queued', {}, ['ready']);
    return;
  }
  lane.busy = true;
  try {
    // The intent (a failure to commit it, a full disk say, sends nothing).
    const job = ctx.move(
      ready.id,
      'submitting',
      { intentAt: ctx.now(), attempts: ready.attempts + 1, error: null },
      ['ready'],
    );
    if (!job) return;
    lane.rate.tryTake();
    let answer: Awaited<ReturnType<typeof submitCall>>;
    const sentAt = ctx.now();
    try {
      answer = await submitCall(ctx, job, prepared.dataUri);
    } catch (error) {
      // Nothing was sent: the job stays `submitting`, and the new owner reconciles it.
      if (error instanceof LockLostError) return;
      const inFlight = ctx.store.jobsIn(['submitted', 'running'], job.model).length;
      if (isSlotRefusal(error, inFlight)) {
        // The service takes no waiting task: remembered, and this one waits its turn (upload kept).
        learnRefusal(ctx, lane, inFlight);
        ctx.move(job.id, 'queued', { attempts: ready.attempts, error: null, notBefore: 0 }, [
          'submitting',
        ]);
        return;
      }
      if (error instanceof DashScopeError && error.outcomeUnknown) {
        // A task may exist: only the task list may settle this job now.
        lane.reconcileAt = ctx.now() + ctx.opts.reconcileDelayMs;
        ctx.move(job.id, 'submitting', { error: toJobError(error) }, ['submitting']);
        ctx.escalate(error);
        return;
      }
      if (error instanceof DashScopeError && error.code === 'api_throttled') {
        lane.coolUntil = ctx.now() + ctx.backoffMs(job.attempts, error.retryAfterMs);
      }
      if (ctx.escalate(error)) {
        // Not this photo's fault: back in line, with no attempt spent.
        ctx.move(job.id, 'queued', { attempts: ready.attempts, error: toJobError(error) }, [
          'submitting',
        ]);
        return;
      }
      retryOrFail(
        ctx,
        job,
        toJobError(error),
        error instanceof DashScopeError ? error.retryAfterMs : null,
      );
      return;
    }
    ctx.prepared.delete(job.id);
    ctx.timing.noteSubmit(answer.taskId, sentAt, ctx.now());
    try {
      const submitted = ctx.store.recordSubmitted(job, answer.taskId, answer.requestId, ctx.now());
      if (submitted) ctx.emitJob(submitted);
      ctx.nextPollAt.set(job.id, ctx.now() + ctx.opts.tightPollMs);
    } catch (error) {
      // The task exists (paid for) but its id could not be written (a full disk): never
      // sent again; the job stays `submitting`, and only the task list settles it.
      lane.reconcileAt = ctx.now() + ctx.opts.reconcileDelayMs;
      if (!ctx.escalate(error)) throw error;
    }
  } finally {
    lane.busy = false;
    ctx.wake();
  }
}

/** Settles a `submitting` job whose submit went unanswered (or a crash interrupted). */
export async function reconcileJob(ctx: Ctx, lane: Lane, job: JobRow): Promise<void> {
  lane.busy = true;
  try {
    const intentAt = job.intentAt ?? job.updatedAt;
    const { skewMs, windowMs } = ctx.opts.reconcile;
    const tasks = await ctx.deps.client.listAllTasks(
      {
        startTime: new Date(intentAt - skewMs - 2000),
        endTime: new Date(intentAt + windowMs + 2000),
        modelName: job.model,
      },
      { padMs: 0 },
    );
    if (!ctx.owns()) return;
    const outcome = reconcileIntent(
      { intentAt, model: job.model },
      tasks,
      ctx.store.claimedTaskIds(),
      ctx.opts.reconcile,
    );
    ctx.log.info('queue: reconciled an unanswered submit', {
      jobId: job.id,
      outcome: outcome.kind,
    });
    if (outcome.kind === 'adopt') {
      const at = outcome.task.submitTime?.getTime() ?? intentAt;
      const adopted = ctx.store.recordSubmitted(
        job,
        outcome.task.taskId,
        outcome.task.requestId,
        at,
      );
      if (adopted) ctx.emitJob(adopted);
      ctx.nextPollAt.set(job.id, ctx.now());
    } else if (outcome.kind === 'resubmit') {
      ctx.move(job.id, 'queued', { notBefore: ctx.now() }, ['submitting']);
    } else {
      ctx.move(job.id, 'needs_attention', { candidates: outcome.candidates }, ['submitting']);
    }
  } catch (error) {
    if (!ctx.escalate(error)) lane.reconcileAt = ctx.now() + ctx.backoffMs(2);
  } finally {
    lane.busy = false;
    ctx.wake();
  }
}

function onTask(ctx: Ctx, job: JobRow, task: DashScopeTask): void {
  const now = ctx.now();
  switch (task.status) {
    case 'PENDING':
    case 'SUSPENDED':
    case 'RUNNING': {
      if (task.status === 'RUNNING' && job.state === 'submitted')
        ctx.move(job.id, 'running', {}, ['submitted']);
      // Still waiting in a batch the user paused meanwhile (its submit was under way at the
      // pause, or another process paused it): withdrawn like the others.
      if (task.status === 'PENDING' && ctx.store.getBatch(job.batchId)?.pauseReason === 'user')
        void withdrawTask(ctx, job).catch((error: unknown) =>
          ctx.log.warn('queue: withdraw failed', { jobId: job.id, error: String(error) }),
        );
      ctx.nextPollAt.set(job.id, ctx.timing.nextPollAt(now, expectedEnd(ctx, job, task)));
      return;
    }
    case 'SUCCEEDED': {
      const images = task.imageCount ?? task.resultUrls.length;
      const start = task.scheduledTime ?? task.submitTime;
      const duration = start && task.endTime ? task.endTime.getTime() - start.getTime() : null;
      const done = ctx.store.recordSucceeded(
        job,
        task.resultUrls,
        images,
        costOf(ctx, job, images),
        duration,
      );
      if (done) ctx.emitJob(done);
      ctx.nextPollAt.delete(job.id);
      return;
    }
    case 'FAILED': {
      ctx.store.recordTaskEnded(job.taskId as string, 'FAILED');
      ctx.nextPollAt.delete(job.id);
      const error = task.failure?.error;
      if (error && ctx.escalate(error)) {
        ctx.move(job.id, 'queued', { taskId: null, error: toJobError(error) }, [job.state]);
        return;
      }
      retryOrFail(
        ctx,
        job,
        error
          ? toJobError(error)
          : { code: 'api_task_failed', message: 'task failed', retryable: false },
      );
      return;
    }
    case 'CANCELED':
      if (withdrawn(ctx, job)) return;
      ctx.store.recordTaskEnded(job.taskId as string, 'CANCELED');
      ctx.nextPollAt.delete(job.id);
      ctx.move(job.id, 'canceled', { finishedAt: now }, [job.state]);
      return;
    case 'UNKNOWN':
      ctx.store.recordTaskEnded(job.taskId as string, 'UNKNOWN');
      ctx.nextPollAt.delete(job.id);
      ctx.move(
        job.id,
        'expired',
        {
          error: {
            code: 'api_task_expired',
            message: 'the task is unknown or older than 24 h',
            retryable: false,
          },
          finishedAt: now,
        },
        [job.state],
      );
  }
}

/**
 * When a running task should end, on this machine's clock: its start (service
 * clock, corrected) plus the shortest recently measured running time of its
 * model; null before any was measured or while it waits.
 */
function expectedEnd(ctx: Ctx, job: JobRow, task: DashScopeTask): number | null {
  if (task.status !== 'RUNNING') return null;
  const samples = ctx.store.recentTaskMs(job.model, 5);
  return ctx.timing.expectedEnd(task.scheduledTime, samples.length ? Math.min(...samples) : null);
}

/**
 * A waiting task a pause canceled at the service (`withdrawTask`): it never ran
 * and is not paid for, so its job goes back in line (paused, when the pause
 * named it); its task stays claimed, never adopted again. False: not withdrawn.
 */
export function withdrawn(ctx: Ctx, job: JobRow): boolean {
  const batch = ctx.store.getBatch(job.batchId);
  if (!ctx.withdrawing.has(job.id) && batch?.state !== 'paused') return false;
  ctx.withdrawing.delete(job.id);
  ctx.store.recordTaskEnded(job.taskId as string, 'CANCELED');
  ctx.nextPollAt.delete(job.id);
  const back = ctx.move(
    job.id,
    'queued',
    {
      taskId: null,
      requestId: null,
      submittedAt: null,
      intentAt: null,
      notBefore: 0,
      attempts: Math.max(0, job.attempts - 1),
    },
    [job.state],
  );
  // A pause of this job alone: it waits for the user, in its batch that runs on.
  if (back && batch?.state !== 'paused') ctx.moveForUser(job.id, 'paused', {}, ['queued']);
  return true;
}

/**
 * Pause of jobs whose task may still wait at the service: each task still
 * PENDING is canceled (the cancel API) so it neither runs nor is paid; one the
 * service refuses to cancel (it started) is collected and saved as usual.
 */
export async function withdrawTask(ctx: Ctx, job: JobRow): Promise<void> {
  if (job.state !== 'submitted' || !job.taskId || ctx.withdrawing.has(job.id)) return;
  ctx.withdrawing.add(job.id);
  try {
    await ctx.deps.client.cancelTask(job.taskId);
  } catch (error) {
    ctx.withdrawing.delete(job.id);
    ctx.log.info('queue: a paused task had started; it is collected', {
      jobId: job.id,
      code: toJobError(error).code,
    });
    return;
  }
  const current = ctx.store.getJob(job.id);
  if (current?.state === 'submitted' || current?.state === 'running') withdrawn(ctx, current);
  ctx.wake();
}

export async function pollJob(ctx: Ctx, job: JobRow): Promise<void> {
  ctx.polling.add(job.id);
  try {
    const askedAt = ctx.now();
    const task = await ctx.deps.client.getTask(job.taskId as string);
    ctx.timing.noteAnswer(task, askedAt, ctx.now());
    if (!ctx.owns()) return;
    ctx.pollFailures.delete(job.id);
    const current = ctx.store.getJob(job.id);
    if (current && (current.state === 'submitted' || current.state === 'running'))
      onTask(ctx, current, task);
  } catch (error) {
    const failures = (ctx.pollFailures.get(job.id) ?? 0) + 1;
    ctx.pollFailures.set(job.id, failures);
    ctx.escalate(error);
    ctx.nextPollAt.set(job.id, ctx.now() + Math.max(ctx.opts.tightPollMs, ctx.backoffMs(failures)));
  } finally {
    ctx.polling.delete(job.id);
    ctx.wake();
  }
}

function collect(): { stream: PassThrough; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/** Downloads every result of a finished task and saves it in the library (once: a crash in between is found by task id). */
export async function downloadJob(ctx: Ctx, job: JobRow): Promise<void> {
  ctx.downloading.add(job.id);
  try {
    const recipe = recipeOf(ctx, job);
    const saved = ctx.deps.library
      .find(job.sourceHash, job.recipeKey)
      .filter((e) => e.taskId === job.taskId);
    const entryIds: string[] = [];
    const charged = job.taskId ? ctx.store.imageCosts(job.taskId) : null;
    for (const [variant, url] of job.resultUrls.entries()) {
      const existing = saved.find((e) => e.variant === variant);
      if (existing) {
        entryIds.push(existing.id);
        continue;
      }
      const sink = collect();
      await ctx.deps.client.download(url, { stream: sink.stream });
      // The engine that holds the lock saves it (the library finds a result saved twice anyway).
      if (!ctx.owns()) return;
      const entry = await ctx.deps.library.save({
        source: {
          path: job.sourcePath,
          hash: job.sourceHash,
          albumFolder: job.albumFolder,
          ...(job.crop ? { crop: job.crop } : {}),
        },
        recipe,
        variant,
        image: sink.bytes(),
        model: job.model,
        taskId: job.taskId as string,
        requestId: job.requestId,
        // As charged when the task succeeded: 0 for an image the free allowance covered.
        costCny: charged?.[variant] ?? priceOf(ctx, job.model),
        submittedAt: new Date(job.submittedAt ?? ctx.now()).toISOString(),
        finishedAt: new Date(ctx.now()).toISOString(),
        adjustments: job.adjustments,
      });
      entryIds.push(entry.id);
    }
    ctx.move(job.id, 'done', { entryIds, finishedAt: ctx.now(), error: null }, ['downloading']);
    ctx.downloadAt.delete(job.id);
  } catch (error) {
    const jobError = toJobError(error);
    if (jobError.code === 'api_task_expired') {
      ctx.move(job.id, 'expired', { error: jobError, finishedAt: ctx.now() }, ['downloading']);
    } else if (!ctx.escalate(error)) {
      ctx.log.warn('queue: download failed, will retry', { jobId: job.id, code: jobError.code });
      ctx.move(job.id, 'downloading', { error: jobError }, ['downloading']);
      ctx.downloadAt.set(job.id, ctx.now() + ctx.backoffMs(3));
    }
  } finally {
    ctx.downloading.delete(job.id);
    ctx.wake();
  }
}

export const isDashScopeError = (error: unknown): error is DashScopeError =>
  error instanceof DashScopeError;

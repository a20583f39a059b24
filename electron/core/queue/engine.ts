import type { BatchProgress, EngineStatus, JobView } from '../../../shared/contract/jobs';
import { MODEL_IDS, TASK_TTL_MS, type ModelId } from '../../../shared/models';
import { recipeImages } from '../../../shared/recipe';
import {
  ACCOUNT_ERROR_CODES,
  isCodeIn,
  LOCAL_ERROR_CODES,
  RestyleError,
  type ErrorCode,
} from '../../../shared/result';
import { modelConcurrency } from '../../../shared/settings';
import { backoffDelayMs, DashScopeError } from '../dashscope';
import { silentLogger } from '../log/logger';
import { createControls, type Target } from './engine-controls';
import type { Ctx, EngineOptions, JobEngineDeps, Lane } from './engine-context';
import {
  downloadJob,
  pollJob,
  prepareJob,
  reconcileJob,
  submitJob,
  withdrawTask,
} from './engine-tasks';
import {
  acquireEngineLock,
  EngineLockedError,
  LOCK_STALE_MS,
  type EngineLock,
} from './engine-lock';
import { estimateEtaMs } from './eta';
import { jobView, type JobRow } from './job-store';
import { createPollTiming } from './poll-timing';
import { createRateWindow } from './rate-window';
import { inFlightLimit } from './slots';
import { FINAL_STATES, type JobState } from './states';

const DEFAULTS: Required<EngineOptions> = {
  pollMs: 1000,
  tightPollMs: 50,
  pipeline: true,
  queriesPerSecond: 15,
  submitsPerWindow: 2,
  submitWindowMs: 1100,
  backoff: { baseMs: 500, maxMs: 5000 },
  maxAttempts: 6,
  reconcile: { skewMs: 5000, windowMs: 40_000 },
  reconcileDelayMs: 1500,
  offlineProbeMs: 1000,
  lockStaleMs: LOCK_STALE_MS,
  lockRetryMs: 5000,
  taskTtlMs: TASK_TTL_MS,
};

export type JobEngine = ReturnType<typeof createJobEngine>;

/**
 * The job engine: one loop that reads the durable queue and starts what may
 * start (prepare ahead, submit within the rate and the model's task slots,
 * reconcile unanswered submits, poll, download), each as its own promise, so
 * preparing and downloading overlap with the running task. The database is the
 * only truth; memory holds prepared uploads and timers.
 */
export function createJobEngine(deps: JobEngineDeps) {
  const store = deps.store;
  const now = () => (deps.clock ?? Date).now();
  const opts: Required<EngineOptions> = { ...DEFAULTS, ...deps.options };
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let wakeUp: (() => void) | null = null;
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  let lock: EngineLock | null = null;
  /** Set when another engine took the data folder over: the pid named in the lock row then. */
  let lostTo: { pid: number | null } | null = null;
  const lostListeners = new Set<(pid: number | null) => void>();
  /** Started with `wait`: another Restyle's lock is waited out, not thrown (the window, the bridge). */
  let waitForLock = false;
  let lockRetry: ReturnType<typeof setTimeout> | null = null;
  /** Set when `start` found the queue file unwritable (a full disk…): `resume` starts again. */
  let startFailed = false;
  let nextProbeAt = 0;
  let probing = false;
  const settledWaiters = new Set<() => void>();

  const lanes = new Map<ModelId, Lane>(
    MODEL_IDS.map((model) => [
      model,
      {
        model,
        rate: createRateWindow({
          limit: opts.submitsPerWindow,
          windowMs: opts.submitWindowMs,
          now,
        }),
        busy: false,
        preparing: new Set<string>(),
        reconcileAt: 0,
        coolUntil: 0,
        learned: new Map(),
        seeded: false,
      },
    ]),
  );

  const ctx: Ctx = {
    deps,
    store,
    opts,
    now,
    random: deps.random ?? Math.random,
    log: deps.log ?? silentLogger,
    lanes,
    queryRate: createRateWindow({ limit: opts.queriesPerSecond, windowMs: 1000, now }),
    prepared: new Map(),
    polling: new Set(),
    nextPollAt: new Map(),
    timing: createPollTiming(opts),
    withdrawing: new Set(),
    pollFailures: new Map(),
    downloading: new Set(),
    downloadAt: new Map(),
    status:
      store.engineStatus().state === 'paused'
        ? withParams(store.engineStatus())
        : { state: 'stopped', reason: null },
    move(id, to, patch, from) {
      const row = store.transition(id, to, patch, from, lock?.token);
      if (!row && lock) ctx.owns();
      return moved(row, to);
    },
    moveForUser(id, to, patch, from) {
      return moved(store.transition(id, to, patch, from), to);
    },
    owns() {
      if (!lock) return true;
      return lock.held();
    },
    emitJob(job) {
      deps.events?.emit('jobs:job-updated', 'notBefore' in job ? jobView(job as never) : job);
      emitProgress(job.batchId);
    },
    setEngine(state, reason, params) {
      if (ctx.status.state === state && ctx.status.reason === reason) return;
      // Taken over: stopped it stays, whatever a step that was under way reports.
      if (lostTo && state !== 'stopped') return;
      ctx.status = withParams(params ? { state, reason, params } : { state, reason });
      try {
        // The engine row is the lock holder's: a stale engine only tells its own host.
        if (!lostTo) store.setEngineStatus({ state, reason }, lock?.token);
      } catch (error) {
        // A full or read-only queue file cannot record it; the window is still told.
        ctx.log.warn('queue: engine state not recorded', { state, error: String(error) });
      }
      deps.events?.emit('jobs:engine-state', { ...ctx.status });
      ctx.log.info('queue: engine state', { state, reason });
    },
    escalate(error) {
      if (error instanceof DashScopeError && error.scope === 'network') {
        if (ctx.status.state !== 'paused') ctx.setEngine('offline', 'network_offline');
        nextProbeAt = now() + opts.offlineProbeMs;
        return true;
      }
      const code = error instanceof RestyleError ? error.code : null;
      // Account problems (ACCOUNT_ERROR_CODES), and this computer's (a full disk, an
      // unwritable queue file: LOCAL_ERROR_CODES, which the CLI tells apart, exit 4 not 3).
      if (code && (ACCOUNT_ERROR_CODES.has(code) || LOCAL_ERROR_CODES.has(code))) {
        // A local reason names its file or folder; an account's needs nothing more.
        const params = LOCAL_ERROR_CODES.has(code) ? (error as RestyleError).params : undefined;
        ctx.setEngine('paused', code, params);
        return true;
      }
      return false;
    },
    backoffMs(attempt, floorMs) {
      const wait = backoffDelayMs(attempt, { ...opts.backoff, random: ctx.random });
      return Math.max(wait, floorMs ?? 0);
    },
    wake() {
      wakeUp?.();
    },
  };

  /**
   * A reason naming the queue file (`queue_*`) or the library folder (a full,
   * read-only or missing library) carries it, also when read back after a restart.
   */
  function withParams(status: EngineStatus): EngineStatus {
    if (status.params || !status.reason) return status;
    if (status.reason.startsWith('queue_')) return { ...status, params: { file: store.file } };
    if (LOCAL_ERROR_CODES.has(status.reason as ErrorCode))
      return { ...status, params: { path: deps.library.root } };
    return status;
  }

  /**
   * A step's promise that failed outside its own handling (its store write, say).
   * No wake-up: the loop tries again when its sleep ends, never in a tight loop of
   * microtasks that would starve the process.
   */
  function stepFailed(error: unknown): void {
    if (!ctx.escalate(error)) ctx.log.error('queue: engine step failed', { error: String(error) });
  }

  function moved(row: JobRow | null, to: JobState): JobRow | null {
    if (row) {
      // Settled first, so the progress sent with the last job already says `done`.
      if (FINAL_STATES.has(to)) settleBatch(row.batchId);
      ctx.emitJob(row);
      if (FINAL_STATES.has(to)) followLinked(row);
    }
    return row;
  }

  /**
   * Another engine took the data folder over (this process was stopped or
   * frozen past the lock's stale limit): stop at once. Nothing more is sent,
   * polled or saved here; the other engine carries the queue on.
   */
  function lockLost(): void {
    if (lostTo || !lock) return;
    lostTo = { pid: lock.holder() };
    running = false;
    ctx.log.warn('queue: another engine took over this data folder; stopping', {
      pid: lostTo.pid,
    });
    ctx.setEngine('stopped', null);
    for (const resolve of settledWaiters) resolve();
    for (const listener of lostListeners) listener(lostTo.pid);
    ctx.wake();
    if (waitForLock) waitOut(lostTo.pid);
  }

  /**
   * Another Restyle (the CLI, a second window) holds the data folder: say so,
   * naming it, and try again every `lockRetryMs` until it ends. The engine row is
   * the holder's, so this state is only told to this host, never recorded.
   */
  function waitOut(pid: number | null): void {
    ctx.status = { state: 'paused', reason: 'queue_in_use', params: { pid: pid ?? '?' } };
    deps.events?.emit('jobs:engine-state', { ...ctx.status });
    if (lockRetry) clearTimeout(lockRetry);
    lockRetry = setTimeout(() => {
      lockRetry = null;
      if (waitForLock) tryStart();
    }, opts.lockRetryMs);
    lockRetry.unref?.();
  }

  function tryStart(): void {
    try {
      begin();
    } catch (error) {
      if (waitForLock && error instanceof EngineLockedError) return waitOut(error.pid);
      const code = error instanceof RestyleError ? error.code : null;
      if (!code || !LOCAL_ERROR_CODES.has(code)) throw error;
      // A full disk or an unwritable queue file: paused with the reason, not a dead queue;
      // `resume` tries again.
      startFailed = true;
      ctx.log.error('queue: the engine cannot start', { code, error: String(error) });
      ctx.setEngine('paused', code, (error as RestyleError).params);
    }
  }

  function useLock(taken: EngineLock): EngineLock {
    taken.onLost(lockLost);
    return taken;
  }
  if (typeof deps.lock === 'object') lock = useLock(deps.lock);

  function progress(batchId: string): BatchProgress | null {
    const batch = store.getBatch(batchId);
    if (!batch) return null;
    const remaining =
      batch.total -
      batch.finished -
      batch.counts.failed -
      batch.counts.canceled -
      batch.counts.expired;
    const concurrency = concurrencyOf(batch.model);
    return {
      batchId,
      state: batch.state,
      pauseReason: batch.pauseReason,
      counts: batch.counts,
      finished: batch.finished,
      total: batch.total,
      etaMs: estimateEtaMs(remaining, concurrency, store.recentTaskMs(batch.model)),
      spentCny: batch.spentCny,
      totalSpentCny: store.totalSpent(),
    };
  }

  function emitProgress(batchId: string): void {
    if (!deps.events) return;
    const value = progress(batchId);
    if (value) deps.events.emit('jobs:batch-progress', value);
  }

  /** A batch whose jobs are all final is done (and active again if one is retried). */
  /**
   * Duplicates linked to a job (the same photo and recipe queued twice) share
   * its fate: its results when it is done; otherwise they are queued again
   * on their own, so a failed or canceled original never leaves them
   * "skipped" without a result.
   */
  function followLinked(original: JobRow): void {
    const linked = store.linkedTo(original.id);
    for (const job of linked) {
      if (original.state === 'done') {
        const row = store.setEntryIds(job.id, original.entryIds);
        if (row) ctx.emitJob(row);
        continue;
      }
      const batch = store.getBatch(job.batchId);
      if (!batch || batch.state === 'canceled') continue;
      if (ctx.move(job.id, 'queued', { linkedJobId: null, notBefore: 0 }, ['skipped'])) {
        if (batch.state !== 'paused') store.setBatchState(job.batchId, 'active', null);
      }
    }
    if (linked.length > 0) ctx.wake();
  }

  function settleBatch(batchId: string): void {
    const batch = store.getBatch(batchId);
    if (!batch || batch.state === 'canceled') return;
    const open =
      batch.total -
      batch.finished -
      batch.counts.failed -
      batch.counts.canceled -
      batch.counts.expired;
    if (open === 0 && batch.state !== 'done') store.setBatchState(batchId, 'done', null);
  }

  const concurrencyOf = (model: ModelId) => modelConcurrency(model, deps.limits());

  /** Tasks and results past their 24 h: reported, never resubmitted without the user's word. */
  function expireOld(): void {
    const limit = now() - opts.taskTtlMs;
    for (const job of store.jobsIn(['submitting', 'submitted', 'running', 'downloading'])) {
      const at = job.submittedAt ?? job.intentAt;
      if (at !== null && at < limit) {
        ctx.nextPollAt.delete(job.id);
        ctx.move(
          job.id,
          'expired',
          {
            error: { code: 'api_task_expired', message: 'older than 24 h', retryable: false },
            finishedAt: now(),
          },
          [job.state],
        );
      }
    }
  }

  async function probe(): Promise<void> {
    probing = true;
    try {
      const check = await deps.client.checkKey();
      if (check.valid) ctx.setEngine('running', null);
      else if (isCodeIn(ACCOUNT_ERROR_CODES, check.code)) ctx.setEngine('paused', check.code);
    } finally {
      probing = false;
      nextProbeAt = now() + opts.offlineProbeMs;
      ctx.wake();
    }
  }

  /** Starts whatever may start now; returns the time of the next thing due. */
  function pump(): number {
    const at = now();
    let due = at + 500;
    // Resumed after a stop (SIGSTOP, Ctrl-Z) longer than the stale limit: the lock may be another's.
    if (!ctx.owns()) return at + 1000;
    expireOld();
    if (ctx.status.state === 'offline') {
      if (!probing && at >= nextProbeAt) void probe().catch(stepFailed);
      return Math.min(due, nextProbeAt);
    }
    // Paid tasks are followed even while paused.
    for (const job of store.jobsIn(['submitted', 'running'])) {
      if (ctx.polling.has(job.id)) continue;
      const pollAt = ctx.nextPollAt.get(job.id) ?? at;
      if (pollAt <= at && ctx.queryRate.tryTake()) void pollJob(ctx, job).catch(stepFailed);
      else due = Math.min(due, Math.max(pollAt, at + ctx.queryRate.waitMs()));
    }
    for (const job of store.jobsIn(['downloading'])) {
      const downloadAt = ctx.downloadAt.get(job.id) ?? at;
      if (!ctx.downloading.has(job.id) && downloadAt <= at)
        void downloadJob(ctx, job).catch(stepFailed);
      else due = Math.min(due, downloadAt);
    }
    if (ctx.status.state === 'paused') return due;
    for (const lane of lanes.values()) due = Math.min(due, pumpLane(lane, at));
    const backoff = store.nextBackoffAt();
    if (backoff !== null) due = Math.min(due, backoff);
    const live = store.hasLiveWork();
    ctx.setEngine(live ? 'running' : 'idle', null);
    if (!live) for (const resolve of settledWaiters) resolve();
    return due;
  }

  function pumpLane(lane: Lane, at: number): number {
    if (lane.busy) return at + 500;
    const submitting = store.jobsIn(['submitting'], lane.model);
    if (submitting.length > 0) {
      if (at < lane.reconcileAt) return lane.reconcileAt;
      if (ctx.queryRate.tryTake())
        void reconcileJob(ctx, lane, submitting[0] as NonNullable<(typeof submitting)[0]>).catch(
          stepFailed,
        );
      return at + 100;
    }
    const limit = inFlightLimit(ctx, lane, concurrencyOf(lane.model));
    const inFlight = store.jobsIn(['submitted', 'running'], lane.model).length;
    // A prepare whose end could not be written (a full disk) left its job `preparing`.
    for (const job of store.jobsIn(['preparing'], lane.model))
      if (!lane.preparing.has(job.id)) ctx.move(job.id, 'queued', {}, ['preparing']);
    let ready = store.jobsIn(['ready'], lane.model);
    for (const job of ready) {
      const batch = store.getBatch(job.batchId);
      if (!ctx.prepared.has(job.id) || batch?.state !== 'active')
        ctx.move(job.id, 'queued', {}, ['ready']);
    }
    ready = ready.filter(
      (job) => ctx.prepared.has(job.id) && store.getBatch(job.batchId)?.state === 'active',
    );
    // Uploads ready for every free place in flight, and one more for the next.
    const want = Math.max(0, limit - inFlight) + 1 - ready.length - lane.preparing.size;
    if (want > 0)
      for (const job of store.nextQueued(lane.model, want))
        if (!lane.preparing.has(job.id)) void prepareJob(ctx, lane, job).catch(stepFailed);
    const next = ready[0];
    if (!next || inFlight >= limit) return at + 500;
    if (at < lane.coolUntil) return lane.coolUntil;
    const wait = lane.rate.waitMs();
    if (wait > 0) return at + wait;
    if (!withinBudget(next)) return at + 500;
    void submitJob(ctx, lane, next).catch(stepFailed);
    return at + 10;
  }

  /** The cost guard: a submit that could take the batch past its budget pauses the batch instead. */
  function withinBudget(job: JobView): boolean {
    const batch = store.getBatch(job.batchId);
    if (!batch || batch.budgetCny === null) return true;
    const unit = controls.unitCost(batch);
    const pending =
      (batch.counts.submitting + batch.counts.submitted + batch.counts.running) * unit;
    const allowed = deps.costs
      ? deps.costs.allows(
          batch.spentCny + pending,
          recipeImages(batch.recipe),
          batch.budgetCny,
          batch.model,
        )
      : batch.spentCny + pending + unit <= batch.budgetCny + 1e-9;
    if (allowed) return true;
    store.setBatchState(batch.id, 'paused', 'budget_exceeded', ['active']);
    ctx.move(job.id, 'queued', {}, ['ready']);
    emitProgress(batch.id);
    return false;
  }

  async function loop(): Promise<void> {
    while (running) {
      let due: number;
      try {
        due = pump();
      } catch (error) {
        // A full disk or an unwritable queue file pauses the queue with its reason.
        stepFailed(error);
        due = now() + 1000;
      }
      const wait = Math.max(5, Math.min(1000, due - now()));
      await Promise.race([sleep(wait), new Promise<void>((resolve) => (wakeUp = resolve))]);
      wakeUp = null;
    }
  }

  const controls = createControls({ ctx, progress, emitProgress, settleBatch });

  /** Takes the lock, restores the queue after a crash and starts the loop. */
  function begin(): void {
    if (running) return;
    if (lock && !lock.held()) {
      if (typeof deps.lock === 'object') throw new EngineLockedError(lock.holder() ?? 0);
      lock = null;
    }
    if (!lock && deps.lock !== false)
      lock = useLock(acquireEngineLock(store.db, { now, staleMs: opts.lockStaleMs }));
    lostTo = null;
    // What was only in memory is gone: prepared uploads are made again.
    for (const job of store.jobsIn(['preparing', 'ready']))
      store.transition(job.id, 'queued', {}, [job.state], lock?.token);
    for (const lane of lanes.values()) {
      lane.reconcileAt = 0;
      // Submits a process before this one sent (killed, say, a moment ago) still count.
      if (!lane.seeded)
        for (const at of store.recentIntents(lane.model, now() - opts.submitWindowMs))
          lane.rate.seed(at);
      lane.seeded = true;
    }
    running = true;
    // Waited out another engine: the queue's own state is what that one recorded.
    if (ctx.status.reason === 'queue_in_use') {
      const recorded = store.engineStatus();
      ctx.status = { state: 'stopped', reason: null };
      if (recorded.state === 'paused')
        ctx.setEngine('paused', recorded.reason, withParams(recorded).params);
    }
    if (ctx.status.state !== 'paused') ctx.setEngine('running', null);
    loopDone = loop();
  }

  /**
   * After a pause: a task of the paused jobs still waiting at the service
   * (PENDING behind the running one) is canceled there, so it is not paid for.
   */
  function withdrawPaused(target: Target): void {
    const jobs = target.jobId
      ? [store.getJob(target.jobId)]
      : store
          .jobsIn(['submitted'])
          .filter((job) => store.getBatch(job.batchId)?.pauseReason === 'user');
    for (const job of jobs)
      if (job && (!target.batchId || job.batchId === target.batchId))
        void withdrawTask(ctx, job).catch(stepFailed);
  }

  return {
    ...controls,
    /**
     * Stops new submits. Tasks already running are still polled and saved (they
     * are paid for); a waiting task still PENDING is canceled at the service.
     */
    pause(target: Target = {}): number {
      const changed = controls.pause(target);
      withdrawPaused(target);
      return changed;
    },
    progress,
    status: (): EngineStatus => ({ ...ctx.status }),
    /** The rebuild of a damaged queue file, until dismissed (the window's banner). */
    recovery: () => store.recovery(),
    dismissRecovery: (): void => store.dismissRecovery(),
    /** Null, or the pid of the engine that took the data folder over (null when unknown). */
    lockLost: (): { pid: number | null } | null => lostTo,
    /** Called when another engine takes the data folder over (the window then waits to start again). */
    onLockLost(listener: (pid: number | null) => void): () => void {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    /**
     * Takes the data folder's lock (or checks the one the host took), restores
     * the queue after a crash and starts the loop. While another engine holds
     * the lock it throws `EngineLockedError`, or with `wait` (the window, the
     * bridge) it is paused with `queue_in_use` and tries again until that engine
     * ends, also after a take-over. A full disk or an unwritable queue file
     * pauses the engine with that reason instead.
     */
    start(options: { wait?: boolean } = {}): void {
      waitForLock = options.wait ?? false;
      tryStart();
    },
    /** Clears a pause of the queue (and starts the engine, if it could not start), a batch's or a job's. */
    resume(target: Target = {}): number {
      if (lockRetry && !target.batchId && !target.jobId) {
        tryStart();
        if (!running) return 0;
      }
      if (startFailed && !target.batchId && !target.jobId) {
        begin();
        startFailed = false;
      }
      return controls.resume(target);
    },
    /**
     * Stops the loop and waits for it and for the polls, prepares and
     * downloads it had started (each is one call), so nothing touches the
     * store after the caller closes it. Work in flight stays recorded for the
     * next start.
     */
    async stop(): Promise<void> {
      waitForLock = false;
      if (lockRetry) clearTimeout(lockRetry);
      lockRetry = null;
      running = false;
      ctx.wake();
      await loopDone;
      // A batch being written finishes (or is taken back) before the host closes the queue.
      await controls.creationsDone();
      while (this.busy() > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      if (ctx.status.state !== 'paused') ctx.setEngine('stopped', null);
      try {
        lock?.release();
      } catch (error) {
        // A full disk: the lock row stays, and goes stale as this process ends.
        ctx.log.warn('queue: lock not released', { error: String(error) });
      }
      lock = null;
    },
    /** Resolves when nothing more can happen without the user (or the engine is paused). */
    whenSettled(): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          settledWaiters.delete(done);
          clearInterval(timer);
          resolve();
        };
        const timer = setInterval(() => {
          if (ctx.status.state === 'paused') done();
        }, 50);
        settledWaiters.add(done);
      });
    },
    /** Promises still running (prepares, submits, polls, downloads). */
    busy: (): number =>
      ctx.polling.size +
      ctx.downloading.size +
      ctx.withdrawing.size +
      [...lanes.values()].reduce((n, l) => n + l.preparing.size + (l.busy ? 1 : 0), 0),
  };
}

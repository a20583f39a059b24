import { randomUUID } from 'node:crypto';
import type { MockConfig, MockTask } from './types';

/**
 * The mock's tasks and their life: PENDING -> RUNNING -> SUCCEEDED/FAILED.
 * Nothing runs on timers; every read first replays what happened up to `now`
 * (slots freed, queued tasks started), so an injected clock drives it exactly.
 */
export class TaskStore {
  private readonly tasks = new Map<string, MockTask>();
  /** Per model: the time up to which its life has been replayed. */
  private readonly replayedTo = new Map<string, number>();
  maxInFlight = 0;
  readonly maxInFlightByModel: Record<string, number> = {};
  readonly maxRunningByModel: Record<string, number> = {};
  paidImages = 0;
  /** image hash -> number of SUCCEEDED tasks. */
  readonly paidByHash = new Map<string, number>();

  constructor(private readonly config: () => MockConfig) {}

  all(): MockTask[] {
    return [...this.tasks.values()];
  }

  get(taskId: string): MockTask | undefined {
    return this.tasks.get(taskId);
  }

  inFlight(model?: string): number {
    let count = 0;
    for (const task of this.tasks.values()) {
      if (
        (model === undefined || task.model === model) &&
        (task.status === 'PENDING' || task.status === 'RUNNING')
      )
        count += 1;
    }
    return count;
  }

  create(
    fields: Pick<MockTask, 'model' | 'imageHash' | 'images' | 'failWith'>,
    now: number,
  ): MockTask {
    this.advance(now);
    const task: MockTask = {
      ...fields,
      taskId: randomUUID(),
      requestId: randomUUID(),
      status: 'PENDING',
      submittedAt: now,
      startedAt: null,
      endedAt: null,
    };
    this.tasks.set(task.taskId, task);
    this.noteInFlight(task.model);
    this.advance(now);
    return task;
  }

  /**
   * Per model, RUNNING time of its ended tasks / (first submit to last end x
   * its concurrency): the share of the account's slots that was busy.
   */
  slotUtilisation(): Record<string, number> {
    const spans = new Map<string, { first: number; last: number; busy: number }>();
    for (const task of this.tasks.values()) {
      if (task.endedAt === null) continue;
      const span = spans.get(task.model) ?? {
        first: task.submittedAt,
        last: task.endedAt,
        busy: 0,
      };
      span.first = Math.min(span.first, task.submittedAt);
      span.last = Math.max(span.last, task.endedAt);
      span.busy += task.startedAt === null ? 0 : task.endedAt - task.startedAt;
      spans.set(task.model, span);
    }
    const { concurrency } = this.config();
    return Object.fromEntries(
      [...spans].map(([model, { first, last, busy }]) => [
        model,
        last > first ? busy / ((last - first) * (concurrency[model] ?? 1)) : 0,
      ]),
    );
  }

  /** PENDING tasks only, as the service documents. */
  cancel(taskId: string, now: number): 'canceled' | 'not-pending' | 'missing' {
    this.advance(now);
    const task = this.tasks.get(taskId);
    if (!task) return 'missing';
    if (task.status !== 'PENDING') return 'not-pending';
    task.status = 'CANCELED';
    task.endedAt = now;
    this.advance(now);
    return 'canceled';
  }

  clear(): void {
    this.tasks.clear();
    this.replayedTo.clear();
    this.maxInFlight = 0;
    this.paidImages = 0;
    this.paidByHash.clear();
    for (const record of [this.maxInFlightByModel, this.maxRunningByModel]) {
      for (const key of Object.keys(record)) delete record[key];
    }
  }

  /** Replays every model's queue up to `now`. */
  advance(now: number): void {
    const models = new Set([...this.tasks.values()].map((task) => task.model));
    for (const model of models) this.advanceModel(model, now);
  }

  private advanceModel(model: string, now: number): void {
    const { taskMs, pendingMs, concurrency } = this.config();
    const cap = concurrency[model] ?? 1;
    const tasks = [...this.tasks.values()].filter((task) => task.model === model);
    let sim = this.replayedTo.get(model) ?? 0;
    for (;;) {
      const running = tasks.filter((task) => task.status === 'RUNNING');
      const pending = tasks
        .filter((task) => task.status === 'PENDING')
        .sort((a, b) => a.submittedAt - b.submittedAt);
      const next = running.reduce<MockTask | null>(
        (soonest, task) =>
          !soonest || (task.startedAt as number) < (soonest.startedAt as number) ? task : soonest,
        null,
      );
      const endAt = next ? (next.startedAt as number) + taskMs : Number.POSITIVE_INFINITY;
      const head = pending[0];
      const startAt =
        head && running.length < cap
          ? Math.max(head.submittedAt + pendingMs, sim)
          : Number.POSITIVE_INFINITY;
      const at = Math.min(endAt, startAt);
      if (at > now || !Number.isFinite(at)) break;
      sim = at;
      if (next && endAt <= startAt) this.finish(next, endAt);
      else if (head) {
        head.status = 'RUNNING';
        head.startedAt = startAt;
        this.maxRunningByModel[model] = Math.max(
          this.maxRunningByModel[model] ?? 0,
          running.length + 1,
        );
      }
    }
    this.replayedTo.set(model, Math.max(sim, Math.min(now, this.replayedTo.get(model) ?? 0)));
  }

  private finish(task: MockTask, at: number): void {
    task.endedAt = at;
    if (task.failWith) {
      task.status = 'FAILED';
      return;
    }
    task.status = 'SUCCEEDED';
    this.paidImages += task.images;
    this.paidByHash.set(task.imageHash, (this.paidByHash.get(task.imageHash) ?? 0) + 1);
  }

  private noteInFlight(model: string): void {
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight());
    this.maxInFlightByModel[model] = Math.max(
      this.maxInFlightByModel[model] ?? 0,
      this.inFlight(model),
    );
  }
}

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListedTask } from '../../../electron/core/dashscope';
import { acquireEngineLock, EngineLockedError } from '../../../electron/core/queue/engine-lock';
import { estimateEtaMs } from '../../../electron/core/queue/eta';
import { openJobStore, TransitionError } from '../../../electron/core/queue/job-store';
import { createRateWindow } from '../../../electron/core/queue/rate-window';
import { reconcileIntent } from '../../../electron/core/queue/reconcile';
import { canTransition } from '../../../electron/core/queue/states';
import { SCHEMA_VERSION } from '../../../electron/core/queue/schema';
import { useTempDir } from '../../support/temp-dir';

const model = 'wanx-style-repaint-v1';
const task = (taskId: string, at: number, m: string = model): ListedTask => ({
  taskId,
  status: 'SUCCEEDED',
  model: m,
  submitTime: new Date(at),
  endTime: null,
  requestId: null,
});

describe('reconcile an unanswered submit against the task list', () => {
  const intentAt = 1_700_000_000_000;
  it('adopts exactly one unclaimed task of the model in the window', () => {
    const r = reconcileIntent(
      { intentAt, model },
      [task('a', intentAt + 300), task('b', intentAt - 60_000)],
      new Set(),
    );
    expect(r).toMatchObject({ kind: 'adopt', task: { taskId: 'a' } });
  });
  it('resubmits when none matches (claimed, other model, outside the window)', () => {
    const tasks = [
      task('a', intentAt + 300),
      task('b', intentAt + 500, 'wanx2.1-imageedit'),
      task('c', intentAt + 90_000),
    ];
    expect(reconcileIntent({ intentAt, model }, tasks, new Set(['a']))).toEqual({
      kind: 'resubmit',
    });
  });
  it('asks the user when more than one could be this job', () => {
    const r = reconcileIntent(
      { intentAt, model },
      [task('a', intentAt + 100), task('b', intentAt + 900)],
      new Set(),
    );
    expect(r).toEqual({ kind: 'ambiguous', candidates: ['a', 'b'] });
  });
});

describe('the sliding rate window on a controllable clock', () => {
  it('allows 2 in any second and says how long to wait', () => {
    let now = 0;
    const rate = createRateWindow({ limit: 2, windowMs: 1000, now: () => now });
    expect(rate.tryTake()).toBe(true);
    now = 400;
    expect(rate.tryTake()).toBe(true);
    now = 900;
    expect(rate.tryTake()).toBe(false);
    expect(rate.waitMs()).toBe(100);
    now = 1000;
    expect(rate.tryTake()).toBe(true);
    expect(rate.tryTake()).toBe(false);
    expect(rate.waitMs()).toBe(400);
  });
});

describe('ETA from measured task times', () => {
  it('is null before any measurement and uses the median per slot', () => {
    expect(estimateEtaMs(5, 1, [])).toBeNull();
    expect(estimateEtaMs(4, 2, [2000, 9000, 2100])).toBe(2 * 2100);
  });
});

describe('the durable store', () => {
  let tmp: ReturnType<typeof useTempDir>;
  beforeEach(() => (tmp = useTempDir('restyle-store-')));
  afterEach(() => tmp.cleanup());

  it('migrates by user_version, runs in WAL, and allows only the state machine', () => {
    const store = openJobStore(join(tmp.path, 'q.sqlite'));
    expect(store.db.pragma('user_version')).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode')).toBe('wal');
    expect(store.db.pragma('synchronous')).toBe(2);
    const batch = store.createBatch({
      recipe: { kind: 'preset', styleIndex: 1 },
      jobs: [{ path: '/a.jpg', hash: 'h', folder: '' }],
    });
    const job = store.listJobs(batch.id).jobs[0];
    expect(job?.state).toBe('queued');
    expect(canTransition('queued', 'done')).toBe(false);
    expect(() => store.transition(job?.id ?? '', 'submitted', {}, ['queued'])).toThrow(
      TransitionError,
    );
    expect(() => store.transition(job?.id ?? '', 'done', {}, ['queued'])).toThrow(TransitionError);
    expect(store.transition(job?.id ?? '', 'preparing')?.state).toBe('preparing');
    // Compare-and-set: a second writer that read `queued` loses.
    expect(store.transition(job?.id ?? '', 'canceled', {}, ['queued'])).toBeNull();
    store.close();
    const again = openJobStore(join(tmp.path, 'q.sqlite'));
    expect(again.getJob(job?.id ?? '')?.state).toBe('preparing');
    again.close();
  });

  it('lets one engine own a data folder; a dead pid is taken over', () => {
    const store = openJobStore(join(tmp.path, 'q.sqlite'));
    const lock = acquireEngineLock(store.db, { pid: 4242, isAlive: () => true });
    expect(() => acquireEngineLock(store.db, { pid: 4343, isAlive: () => true })).toThrow(
      EngineLockedError,
    );
    const taken = acquireEngineLock(store.db, { pid: 4343, isAlive: (pid) => pid !== 4242 });
    expect(taken.token).not.toBe(lock.token);
    taken.release();
    store.close();
  });
});

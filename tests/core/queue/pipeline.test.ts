// The account's slot kept busy (docs/job-engine.md, "Scheduling"): one task of
// each model waiting at the service behind the running one, the fallback when
// the service refuses it, both models at once, and the promises that do not
// change (2 submits a second, never paid twice, the budget, Pause, the ETA).
// Real engine, real SQLite, real HTTP to the mock; the mock's own records say
// when each task started and ended on its clock.
import sharp from 'sharp';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchProgress, EngineStatus } from '../../../shared/contract/jobs';
import type { Recipe } from '../../../shared/recipe';
import { hashFile } from '../../../electron/core/intake/hash';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import type { MockTask } from '../../support/mock-dashscope/types';
import { useTempDir } from '../../support/temp-dir';
import {
  createBatch,
  makePhotos,
  scanFiles,
  startEngineRig,
  until,
  type EngineRig,
  type TestPhoto,
} from './rig';

const PRESET: Recipe = { kind: 'preset', styleIndex: 3 };
const STYLE = 'wanx-style-repaint-v1';
const EDIT = 'wanx2.1-imageedit';

let tmp: ReturnType<typeof useTempDir>;
let rig: EngineRig | null = null;
let mock: MockDashScope | null = null;
beforeEach(() => {
  tmp = useTempDir('restyle-pipeline-');
});
afterEach(async () => {
  await rig?.close();
  await mock?.close();
  rig = null;
  mock = null;
  tmp.cleanup();
});

/** Engine states seen, in order. */
function watchEngine(r: EngineRig): EngineStatus[] {
  const seen: EngineStatus[] = [];
  r.events.subscribe((name, payload) => {
    if (name === 'jobs:engine-state') seen.push(payload as EngineStatus);
  });
  return seen;
}

/** A model's tasks in the order they started running (the slot's timeline). */
const timeline = (tasks: readonly MockTask[], model: string) =>
  tasks
    .filter((t) => t.model === model && t.startedAt !== null)
    .sort((a, b) => (a.startedAt as number) - (b.startedAt as number));

/** Idle time of the slot between consecutive tasks, ms (0: the next began as the last ended). */
const gaps = (tasks: readonly MockTask[]) =>
  tasks.slice(1).map((t, i) => (t.startedAt as number) - (tasks[i]?.endedAt as number));

async function start(options: Parameters<typeof createMockDashScope>[0]): Promise<EngineRig> {
  mock = await createMockDashScope({ pendingMs: 0, ...options });
  rig = await startEngineRig(tmp.path, { mock });
  return rig;
}

describe('one task waits behind the running one', () => {
  it('the next task is already waiting when one ends: no idle slot, one running, 2 in flight', async () => {
    const r = await start({ taskMs: 1000 });
    const photos = await makePhotos(tmp.path, 5);
    const { batch } = await createBatch(r, photos, PRESET);
    r.engine.start();
    await until(() => r.store.getBatch(batch.id)?.state === 'done', 30_000, 'batch done');
    const stats = r.mock.stats();
    const slot = timeline(r.mock.tasks(), STYLE);
    expect(slot).toHaveLength(5);
    // Each task started on the service's clock the moment the one before it ended.
    expect(gaps(slot)).toEqual([0, 0, 0, 0]);
    expect(stats.maxRunningByModel[STYLE]).toBe(1);
    expect(stats.maxInFlightByModel[STYLE]).toBe(2);
    expect(stats.maxSubmitsInAnySecond).toBeLessThanOrEqual(2);
    expect(stats.duplicatePaidImages).toEqual([]);
    expect(stats.totals.paidImages).toBe(5);
  }, 40_000);

  it('the ETA counts the waiting task: two left with one slot is two task times', async () => {
    const r = await start({ taskMs: 800 });
    const photos = await makePhotos(tmp.path, 3);
    const seen: BatchProgress[] = [];
    r.events.subscribe((name, payload) => {
      if (name === 'jobs:batch-progress') seen.push(payload as BatchProgress);
    });
    const { batch } = await createBatch(r, photos, PRESET);
    r.engine.start();
    await until(() => r.store.getBatch(batch.id)?.state === 'done', 30_000, 'batch done');
    const afterFirst = seen.find((p) => p.finished === 1);
    // Measured on the service's clock: exactly the mock's task time.
    expect(afterFirst?.etaMs).toBe(2 * 800);
  }, 40_000);

  it('the budget counts the waiting task as spent before it is sent', async () => {
    const r = await start({ taskMs: 1200 });
    const photos = await makePhotos(tmp.path, 4);
    // Two images' worth (0.12 CNY each): the waiting task is the second.
    const { batch } = await createBatch(r, photos, PRESET, { budgetCny: 0.24 });
    r.engine.start();
    await until(
      () => r.store.getBatch(batch.id)?.pauseReason === 'budget_exceeded',
      20_000,
      'the budget pause',
    );
    await until(() => r.store.getBatch(batch.id)?.counts.done === 2, 20_000, 'two saved');
    const stats = r.mock.stats();
    expect(stats.totals.acceptedSubmits).toBe(2);
    expect(stats.totals.paidImages).toBe(2);
    expect(r.store.getBatch(batch.id)?.spentCny).toBeCloseTo(0.24);
  }, 40_000);
});

describe('the submit rate across engines', () => {
  it('an engine that starts right after another counts the submits that one sent', async () => {
    const r = await start({ taskMs: 600 });
    const photos = await makePhotos(tmp.path, 4);
    // A first task measured, so the next engine polls each task at its expected end.
    const first = await createBatch(r, photos.slice(0, 1), PRESET);
    r.engine.start();
    await until(() => r.store.getBatch(first.batch.id)?.state === 'done', 10_000, 'measured');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const { batch } = await createBatch(r, photos.slice(1), PRESET);
    // The running task and the one waiting behind it sent, a moment ago.
    await until(() => r.mock.stats().totals.acceptedSubmits === 3, 10_000, 'two more submits');
    await r.close();
    rig = await startEngineRig(tmp.path, { mock: r.mock });
    const next = rig;
    next.engine.start();
    await until(() => next.store.getBatch(batch.id)?.state === 'done', 20_000, 'batch done');
    const stats = next.mock.stats();
    expect(stats.totals.acceptedSubmits).toBe(4);
    expect(stats.maxSubmitsInAnySecond).toBeLessThanOrEqual(2);
    expect(stats.duplicatePaidImages).toEqual([]);
  }, 40_000);
});

describe('Pause and the waiting task', () => {
  it('Pause cancels the task still waiting at the service; Resume sends it again, paid once', async () => {
    const r = await start({ taskMs: 2500 });
    const photos = await makePhotos(tmp.path, 3);
    const { batch } = await createBatch(r, photos, PRESET);
    r.engine.start();
    await until(
      () => r.mock.tasks().some((t) => t.status === 'PENDING'),
      15_000,
      'a task waiting behind the running one',
    );
    r.engine.pause({ batchId: batch.id });
    await until(
      () => r.mock.tasks().some((t) => t.status === 'CANCELED'),
      10_000,
      'the waiting task canceled',
    );
    // The running one is saved; the withdrawn one and the third (its upload may still have
    // been in preparation at the pause) are back in line.
    await until(
      () => {
        const counts = r.store.getBatch(batch.id)?.counts;
        return counts?.done === 1 && counts.queued === 2;
      },
      15_000,
      'the running one saved, two back in line',
    );
    const paused = r.store.getBatch(batch.id);
    expect(paused?.state).toBe('paused');
    expect(paused?.counts).toMatchObject({ done: 1, queued: 2, canceled: 0, submitted: 0 });
    expect(r.mock.stats().totals.paidImages).toBe(1);

    r.engine.resume({ batchId: batch.id });
    await until(() => r.store.getBatch(batch.id)?.state === 'done', 30_000, 'batch done');
    const stats = r.mock.stats();
    expect(stats.totals.paidImages).toBe(3);
    expect(stats.duplicatePaidImages).toEqual([]);
    expect(r.store.getBatch(batch.id)?.counts.done).toBe(3);
  }, 60_000);

  it('a waiting task whose submit was under way at the pause is canceled once it is known', async () => {
    // Answers take 400 ms: the task exists at the service while the queue still says submitting.
    const r = await start({ taskMs: 3000, latencyMs: 400 });
    const photos = await makePhotos(tmp.path, 2);
    const { batch } = await createBatch(r, photos, PRESET);
    r.engine.start();
    await until(
      () =>
        r.mock.tasks().some((t) => t.status === 'PENDING') &&
        r.store.getBatch(batch.id)?.counts.submitting === 1,
      15_000,
      'the waiting task created, its answer still on the way',
    );
    r.engine.pause({ batchId: batch.id });
    await until(
      () => r.mock.tasks().some((t) => t.status === 'CANCELED'),
      10_000,
      'the waiting task canceled',
    );
    await until(() => r.store.getBatch(batch.id)?.counts.done === 1, 15_000, 'the first saved');
    expect(r.mock.stats().totals.paidImages).toBe(1);
    await until(() => r.store.getBatch(batch.id)?.counts.queued === 1, 5000, 'back in line');
  }, 40_000);

  it('a task that started before the cancel reached it is collected and saved', async () => {
    // No task before it: the service starts it at once, while the queue still says submitted.
    const r = await start({ taskMs: 1500 });
    const photos = await makePhotos(tmp.path, 1);
    const { batch } = await createBatch(r, photos, PRESET);
    r.engine.start();
    await until(() => r.store.getBatch(batch.id)?.counts.submitted === 1, 10_000, 'submitted');
    r.engine.pause({ batchId: batch.id });
    await until(() => r.store.getBatch(batch.id)?.counts.done === 1, 15_000, 'saved');
    const cancels = r.mock.stats().queries.filter((q) => q.kind === 'cancel');
    expect(cancels.map((q) => q.httpStatus)).toEqual([400]);
    expect(r.mock.stats().totals.paidImages).toBe(1);
    expect(r.library.find(photos[0]?.hash as string, 'preset:3')).toHaveLength(1);
  }, 30_000);
});

describe('a service that refuses a waiting task', () => {
  it('falls back to one in flight after one refusal, without a pause, and remembers the endpoint', async () => {
    const r = await start({
      taskMs: 800,
      overConcurrency: 'reject',
      rejectCode: 'Throttling.AllocationQuota',
    });
    const states = watchEngine(r);
    const photos = await makePhotos(tmp.path, 4);
    const first = await createBatch(r, photos.slice(0, 2), PRESET);
    r.engine.start();
    await until(() => r.store.getBatch(first.batch.id)?.state === 'done', 30_000, 'batch done');
    const refused = () =>
      r.mock
        .stats()
        .submits.filter((s) => s.httpStatus === 429 && s.code !== 'Throttling.RateQuota');
    expect(refused()).toHaveLength(1);
    expect(refused()[0]?.code).toBe('Throttling.AllocationQuota');
    expect(states.filter((s) => s.state === 'paused')).toEqual([]);
    expect(r.store.getBatch(first.batch.id)?.counts.done).toBe(2);

    // Another run on the same endpoint (the engine started again) is never refused.
    await r.close();
    rig = await startEngineRig(tmp.path, { mock: r.mock });
    const again = await createBatch(rig, photos.slice(2), PRESET);
    rig.engine.start();
    const r2 = rig;
    await until(() => r2.store.getBatch(again.batch.id)?.state === 'done', 30_000, 'second');
    expect(refused()).toHaveLength(1);
    const stats = r2.mock.stats();
    expect(stats.duplicatePaidImages).toEqual([]);
    expect(stats.totals.paidImages).toBe(4);
    expect(stats.maxSubmitsInAnySecond).toBeLessThanOrEqual(2);
  }, 60_000);

  it('the same answer with nothing in flight is the account quota: the queue pauses', async () => {
    const r = await start({ taskMs: 300 });
    r.mock.inject({ quotaImages: 0 });
    const states = watchEngine(r);
    const photos = await makePhotos(tmp.path, 1);
    await createBatch(r, photos, PRESET);
    r.engine.start();
    await until(() => r.engine.status().state === 'paused', 10_000, 'paused');
    expect(r.engine.status().reason).toBe('api_quota_exhausted');
    expect(states.some((s) => s.reason === 'api_quota_exhausted')).toBe(true);
  }, 20_000);
});

describe('both models at once', () => {
  it('an audition of a preset and a prompt keeps both models’ slots busy together', async () => {
    const r = await start({ taskMs: 1500 });
    const photos: TestPhoto[] = [];
    for (let i = 0; i < 2; i += 1) {
      const path = join(tmp.path, `big${i}.jpg`);
      await sharp({
        create: { width: 640, height: 640, channels: 3, background: { r: 40 * i, g: 90, b: 160 } },
      })
        .jpeg()
        .toFile(path);
      photos.push({ path, hash: await hashFile(path) });
    }
    const prompt: Recipe = {
      kind: 'prompt',
      prompt: 'watercolour',
      function: 'stylization_all',
      variants: 1,
    };
    const scanId = await scanFiles(
      r.intake,
      photos.map((p) => p.path),
      prompt,
    );
    const { batches } = await r.engine.createBatches({
      scanId,
      recipes: [PRESET, prompt],
      kind: 'audition',
    });
    expect(batches).toHaveLength(2);
    r.engine.start();
    await until(
      () => batches.every((b) => r.store.getBatch(b.id)?.state === 'done'),
      30_000,
      'both batches done',
    );
    const tasks = r.mock.tasks();
    const style = timeline(tasks, STYLE);
    const edit = timeline(tasks, EDIT);
    // The first task of each model ran at the same time as the other's.
    const overlap =
      Math.min(style[0]?.endedAt as number, edit[0]?.endedAt as number) -
      Math.max(style[0]?.startedAt as number, edit[0]?.startedAt as number);
    expect(overlap).toBeGreaterThan(0);
    // Each photo once per model (the mock's duplicate check keys on the image alone).
    expect(style.map((t) => t.imageHash).sort()).toEqual(
      [...new Set(style.map((t) => t.imageHash))].sort(),
    );
    expect(edit.map((t) => t.imageHash).sort()).toEqual(
      [...new Set(edit.map((t) => t.imageHash))].sort(),
    );
    expect([style.length, edit.length]).toEqual([2, 2]);
    expect(r.mock.stats().totals.paidImages).toBe(4);
  }, 40_000);
});

// Job engine benchmark (`npm run bench engine`), against the in-process mock
// over real HTTP, with the real intake and a real SQLite queue. Figures only:
// nothing here asserts a timing.
// 1. slots: the account's task-slot utilisation (the share of wall time the
//    model's single slot is RUNNING, from the mock's task records; 1.0 is the
//    physical limit) with real 12 MP uploads (bench/support/photos.ts; the
//    intake prepares them for the model as for a user), for task times 2.0, 2.5
//    and 15 s, latency 0 and 200 ms, a service that queues a second task as
//    PENDING (`queue`) and one that refuses it with 429
//    Throttling.AllocationQuota (`reject`). Each cell runs the engine as it is
//    (one task waiting behind the running one) and, as its anchor in the same
//    run, with `pipeline: false` (at most the model's concurrency in flight).
//    Beside them: the idle gap per task, refused submits, pauses, the most
//    submits in any second (the promise: 2), images paid twice (0) and polls.
// 2. memory: peak RSS for a 500-photo batch with 20 ms tasks and concurrency
//    and rates raised in the mock and in the engine.
// BENCH_PARTS=slots,memory picks parts; BENCH_TASK_MS=2000,2500,15000,
// BENCH_LATENCY_MS=0,200 and BENCH_MODES=queue,reject pick cells. Run directly
// (`node --import tsx bench/engine.bench.ts memory`), a second argument names
// the one part.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineStatus } from '../shared/contract/jobs';
import { createMockDashScope } from '../tests/support/mock-dashscope';
import { createBatch, makePhotos, startEngineRig, until } from '../tests/core/queue/rig';
import { photos12mp } from './support/photos';

const MEM_PHOTOS = 500;
const MODEL = 'wanx-style-repaint-v1';
/** Tasks per cell: enough gaps between tasks to average, within a few minutes a cell. */
const TASKS_PER_CELL: Record<number, number> = { 2000: 12, 2500: 10, 15000: 4 };

type Mode = 'queue' | 'reject';
interface Cell {
  taskMs: number;
  latencyMs: number;
  mode: Mode;
}
interface Figures {
  tasks: number;
  finished: boolean;
  utilisation: number;
  /** Mean time the slot stood empty between one task's end and the next one's start. */
  gapMs: number;
  refused: number;
  pauses: number;
  maxSubmitsInAnySecond: number;
  paidTwice: number;
  pollsPerSecond: number;
  maxQueriesInAnySecond: number;
}

const listed = <T>(name: string, fallback: T[], parse: (value: string) => T): T[] =>
  process.env[name]
    ?.split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '')
    .map(parse) ?? fallback;

/** One cell, one way of running the engine: a batch of distinct 12 MP photos to its end. */
async function runCell(cell: Cell, pipeline: boolean, photos: string[]): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'restyle-bench-slots-'));
  // pendingMs 0: a task starts the moment the slot is free, so the slot's idle time is the engine's.
  const mock = await createMockDashScope({
    taskMs: cell.taskMs,
    pendingMs: 0,
    latencyMs: cell.latencyMs,
    overConcurrency: cell.mode,
  });
  // The app's backoff and reconcile delay (engine.ts DEFAULTS), not the test rig's quick ones.
  const rig = await startEngineRig(dir, {
    mock,
    options: { pipeline, backoff: { baseMs: 500, maxMs: 5000 }, reconcileDelayMs: 1500 },
  });
  let pauses = 0;
  const unsubscribe = rig.events.subscribe((name, payload) => {
    if (name !== 'jobs:engine-state' || (payload as EngineStatus).state !== 'paused') return;
    pauses += 1;
    // Counted, then cleared as a user would, so the cell still ends.
    setTimeout(() => rig.engine.resume(), 500).unref();
  });
  const count = TASKS_PER_CELL[cell.taskMs] ?? 8;
  let finished = true;
  try {
    const { batch } = await createBatch(
      rig,
      photos.slice(0, count).map((path) => ({ path })),
      { kind: 'preset', styleIndex: 1 },
    );
    rig.engine.start();
    await until(
      () => rig.store.getBatch(batch.id)?.state === 'done',
      count * cell.taskMs * 4 + 120_000,
      'slots batch',
    ).catch(() => (finished = false));
    const stats = mock.stats({ records: false });
    const ran = mock
      .tasks()
      .filter((task) => task.startedAt !== null && task.endedAt !== null)
      .sort((a, b) => (a.startedAt as number) - (b.startedAt as number));
    const gaps = ran
      .slice(1)
      .map((task, i) => Math.max(0, (task.startedAt as number) - (ran[i]?.endedAt as number)));
    return {
      tasks: ran.length,
      finished,
      utilisation: stats.slotUtilisation[MODEL] ?? 0,
      gapMs: gaps.length > 0 ? gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length : 0,
      refused: stats.refusedSubmits,
      pauses,
      maxSubmitsInAnySecond: stats.maxSubmitsInAnySecond,
      paidTwice: stats.duplicatePaidImages.length,
      pollsPerSecond: stats.pollsPerSecond,
      maxQueriesInAnySecond: stats.maxQueriesInAnySecond,
    };
  } finally {
    unsubscribe();
    await rig.close();
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const pad = (text: string | number, width: number) => String(text).padStart(width);

async function slots(): Promise<void> {
  const taskTimes = listed('BENCH_TASK_MS', [2000, 2500, 15000], Number);
  const latencies = listed('BENCH_LATENCY_MS', [0, 200], Number);
  const modes = listed<Mode>('BENCH_MODES', ['queue', 'reject'], (value) =>
    value === 'reject' ? 'reject' : 'queue',
  );
  const photos = await photos12mp(Math.max(...taskTimes.map((ms) => TASKS_PER_CELL[ms] ?? 8)));
  console.log(
    'Each figure is the engine as it is, its anchor (pipeline: false, the same cell, this run) in ( ).',
  );
  console.log(
    'Physical limit of utilisation: 1.000. Promises: submits in any second <= 2, paid twice 0, queries in any second <= 20.',
  );
  console.log(
    `${'task'.padEnd(6)} ${'latency'.padEnd(7)} ${'mode'.padEnd(6)} ${pad('N', 3)}  ` +
      `${'utilisation'.padEnd(15)} ${'gap/task ms'.padEnd(13)} ${'refused'.padEnd(8)} ` +
      `${'pauses'.padEnd(8)} ${'submits/1s'.padEnd(10)} ${'paid 2x'.padEnd(8)} polls/s (most in 1 s)`,
  );
  for (const mode of modes) {
    for (const latencyMs of latencies) {
      for (const taskMs of taskTimes) {
        const cell = { taskMs, latencyMs, mode };
        const now = await runCell(cell, true, photos);
        const anchor = await runCell(cell, false, photos);
        const both = (pick: (f: Figures) => string) => `${pick(now)} (${pick(anchor)})`;
        console.log(
          `${`${(taskMs / 1000).toFixed(1)} s`.padEnd(6)} ${`${latencyMs} ms`.padEnd(7)} ` +
            `${mode.padEnd(6)} ${pad(now.tasks, 3)}  ` +
            `${both((f) => f.utilisation.toFixed(3)).padEnd(15)} ` +
            `${both((f) => f.gapMs.toFixed(0)).padEnd(13)} ` +
            `${both((f) => String(f.refused)).padEnd(8)} ${both((f) => String(f.pauses)).padEnd(8)} ` +
            `${both((f) => String(f.maxSubmitsInAnySecond)).padEnd(10)} ` +
            `${both((f) => String(f.paidTwice)).padEnd(8)} ` +
            `${both((f) => `${f.pollsPerSecond.toFixed(1)}/${f.maxQueriesInAnySecond}`)}` +
            (now.finished && anchor.finished ? '' : '  did not finish'),
        );
      }
    }
  }
}

async function memory(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'restyle-bench-engine-mem-'));
  const concurrency = 8;
  const mock = await createMockDashScope({
    taskMs: 20,
    pendingMs: 0,
    concurrency: { 'wanx-style-repaint-v1': concurrency },
    submitsPerSecond: 100,
    queriesPerSecond: 400,
  });
  const rig = await startEngineRig(dir, {
    mock,
    options: {
      submitsPerWindow: 80,
      submitWindowMs: 1000,
      queriesPerSecond: 300,
      tightPollMs: 20,
      pollMs: 50,
    },
  });
  rig.limits.styleRepaintConcurrency = concurrency;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const photos = await makePhotos(dir, MEM_PHOTOS, 'm');
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const { batch } = await createBatch(rig, photos, { kind: 'preset', styleIndex: 1 });
    rig.engine.start();
    await until(() => rig.store.getBatch(batch.id)?.state === 'done', 300_000, 'memory batch');
    const seconds = (Date.now() - started) / 1000;
    console.log(`photos:                      ${MEM_PHOTOS} (20 ms tasks, ${concurrency} slots)`);
    console.log(
      `batch time:                  ${seconds.toFixed(1)} s (${(MEM_PHOTOS / seconds).toFixed(1)} photos/s)`,
    );
    console.log(`RSS before the batch:        ${(before / 1048576).toFixed(0)} MB`);
    console.log(
      `peak RSS (sampled / maxRSS): ${(peak / 1048576).toFixed(0)} MB / ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
    console.log(
      `paid twice:                  ${mock.stats({ records: false }).duplicatePaidImages.length}`,
    );
  } finally {
    clearInterval(sampler);
    await rig.close();
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const parts = new Set(
  (process.argv[2] ?? process.env.BENCH_PARTS ?? 'slots,memory').split(',').map((p) => p.trim()),
);
if (parts.has('slots')) {
  console.log('-- task-slot utilisation, real 12 MP uploads --');
  await slots();
}
if (parts.has('memory')) {
  console.log('-- 500-photo batch, peak memory --');
  await memory();
}

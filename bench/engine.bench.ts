// Job engine benchmark (`npm run bench engine`), against the in-process mock:
// 1. task-slot utilisation with 2 s tasks (busy time of the account's single
//    slot, from the mock's task records, / wall time from first submit to last
//    end), the most submits in any second, polls per second;
// 2. peak memory (RSS) for a 500-photo batch with 20 ms tasks and concurrency
//    and rates raised in the mock and in the engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockDashScope } from '../tests/support/mock-dashscope';
import { createBatch, makePhotos, startEngineRig, until } from '../tests/core/queue/rig';

const UTIL_PHOTOS = 30;
const MEM_PHOTOS = 500;

async function utilisation(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'restyle-bench-engine-'));
  // pendingMs 0: the task time is fixed at 2 s, the slot's only idle time is the engine's.
  const mock = await createMockDashScope({ taskMs: 2000, pendingMs: 0 });
  const rig = await startEngineRig(dir, { mock, options: {} });
  try {
    const photos = await makePhotos(dir, UTIL_PHOTOS, 'u');
    const { batch } = await createBatch(rig, photos, { kind: 'preset', styleIndex: 1 });
    rig.engine.start();
    await until(() => rig.store.getBatch(batch.id)?.state === 'done', 200_000, 'utilisation batch');
    const tasks = mock.tasks();
    const stats = mock.stats();
    const firstSubmit = Math.min(...tasks.map((t) => t.submittedAt));
    const lastEnd = Math.max(...tasks.map((t) => t.endedAt ?? 0));
    const busy = tasks.reduce(
      (sum, t) => sum + ((t.endedAt ?? 0) - (t.startedAt ?? t.endedAt ?? 0)),
      0,
    );
    console.log(`photos:                      ${UTIL_PHOTOS} (2 s tasks, 1 slot)`);
    console.log(`wall time:                   ${((lastEnd - firstSubmit) / 1000).toFixed(1)} s`);
    console.log(
      `task-slot utilisation:       ${(busy / (lastEnd - firstSubmit)).toFixed(3)} (target >= 0.95)`,
    );
    console.log(`max submits in any second:   ${stats.maxSubmitsInAnySecond} (must be <= 2)`);
    console.log(`polls per second:            ${stats.pollsPerSecond.toFixed(2)} (limit 20)`);
    console.log(`max queries in any second:   ${stats.maxQueriesInAnySecond}`);
    console.log(
      `tasks / paid twice:          ${tasks.length} / ${stats.duplicatePaidImages.length}`,
    );
  } finally {
    await rig.close();
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
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

const only = process.argv[2];
if (!only || only === 'memory') {
  console.log('-- 500-photo batch, peak memory --');
  await memory();
}
if (!only || only === 'utilisation') {
  console.log('-- task-slot utilisation --');
  await utilisation();
}

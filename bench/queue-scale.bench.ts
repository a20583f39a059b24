// The engine at scale (`npm run bench -- queue-scale`, issue 12): the real
// engine (real SQLite file, real HTTP) waiting on one style-repaint task that
// runs 120 s in the mock DashScope, with 1,000 / 20,000 / 100,000 jobs queued
// behind it (`QUEUE_SCALE_SIZES=1000,20000` picks the sizes). Each size runs in
// its own process, the mock in another, so the figures are the engine's alone.
// Over 10 s of waiting it prints the CPU share of one core, RSS (min, max,
// swing) and the longest event-loop stall; then the time of `restyle status`
// run as a child while the engine holds the lock, the time to create the
// queued jobs, and a pause and a resume of the big batches with the longest
// stall during each. Anchors, same run: the same process with 0 jobs queued
// (for CPU, RSS and stall) and `node -e 0` (for `restyle status`); the targets
// of the issue are printed beside the figures, never asserted.
// `QUEUE_SCALE_PROFILE=<dir>` writes a CPU profile of each size's process there.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { NewJob } from '../electron/core/queue/job-store';
import type { Recipe } from '../shared/recipe';
import { createBatch, makePhotos, startEngineRig } from '../tests/core/queue/rig';
import type { MockDashScope, MockTask } from '../tests/support/mock-dashscope';

const TASK_MS = 120_000;
const WAIT_MS = 10_000;
const SETTLE_MS = 2_000;
/** Real photos in front of the queued tail: enough that preparing ahead never reaches the tail. */
const REAL_PHOTOS = 8;
const PER_BATCH = 50_000;
const STALL_RESOLUTION_MS = 10;
const STATUS_RUNS = 3;
const TARGET = { core: 0.05, stallMs: 50, statusS: 0.3 };
const RECIPE: Recipe = { kind: 'preset', styleIndex: 1 };

/** What one size's process measured (printed as one JSON line). */
interface Figures {
  queued: number;
  createMs: number | null;
  core: number;
  rssMinMb: number;
  rssMaxMb: number;
  stallMs: number;
  statusMs: number;
  statusOk: boolean;
  nodeMs: number;
  pause: { callMs: number; stallMs: number } | null;
  resume: { callMs: number; stallMs: number } | null;
}

const FIGURES_MARK = 'queue-scale-figures ';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** The mock DashScope in its own process; resolves once it printed its address. */
async function startMockProcess(): Promise<{
  baseUrl: string;
  apiKey: string;
  url: string;
  child: ChildProcess;
}> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'tests/support/mock-dashscope/cli.ts',
      '--port',
      '0',
      '--task-ms',
      String(TASK_MS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const address = JSON.parse(line) as { baseUrl: string; apiKey: string; url: string };
    return { ...address, child };
  }
  throw new Error('the mock DashScope exited before it printed its address');
}

/** The longest event-loop stall (ms) while `measure` runs: a 10 ms timer's worst lateness. */
async function longestStall<T>(measure: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: STALL_RESOLUTION_MS });
  histogram.enable();
  try {
    const value = await measure();
    return { value, stallMs: Math.max(0, histogram.max / 1e6 - STALL_RESOLUTION_MS) };
  } finally {
    histogram.disable();
  }
}

/** Wall ms of a child `node <args>` (median of a few runs), and whether each exited 0. */
function timeNode(args: string[]): { ms: number; ok: boolean } {
  const times: number[] = [];
  let ok = true;
  for (let i = 0; i < STATUS_RUNS; i += 1) {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { encoding: 'utf8' });
    times.push(performance.now() - started);
    if (run.status !== 0 && ok) process.stderr.write(run.stderr);
    if (run.status !== 0) ok = false;
  }
  return { ms: median(times), ok };
}

/** One size, in this process: queue it, wait on one running task, measure. */
async function measureSize(queued: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'restyle-bench-queue-scale-'));
  const mock = await startMockProcess();
  const admin = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${mock.url}/__admin/${path}`)).json()) as T;
  // The rig reads only the address and the key of a mock it did not start (it never closes it).
  const remote = { baseUrl: mock.baseUrl, apiKey: mock.apiKey } as MockDashScope;
  const rig = await startEngineRig(dir, { mock: remote, options: {} });
  try {
    const photos = await makePhotos(dir, REAL_PHOTOS, 'real');
    await createBatch(rig, photos, RECIPE);

    // The queued tail: synthetic paths and hashes, in batches of at most 50,000, each one transaction.
    const tail: string[] = [];
    let createMs: number | null = null;
    if (queued > 0) {
      const started = performance.now();
      for (let first = 0; first < queued; first += PER_BATCH) {
        const jobs: NewJob[] = [];
        for (let i = first; i < Math.min(queued, first + PER_BATCH); i += 1)
          jobs.push({
            path: join(dir, 'queued', `IMG_${i}.jpg`),
            hash: i.toString(16).padStart(64, '0'),
            folder: join(dir, 'queued'),
          });
        tail.push(rig.store.createBatch({ recipe: RECIPE, label: `tail ${first}`, jobs }).id);
      }
      createMs = performance.now() - started;
    }

    rig.engine.start();
    const deadline = Date.now() + 120_000;
    while (!(await admin<MockTask[]>('tasks')).some((task) => task.status === 'RUNNING')) {
      if (Date.now() > deadline) throw new Error('no task RUNNING in the mock after 120 s');
      await sleep(100);
    }
    await sleep(SETTLE_MS);

    // Waiting on the task: CPU, RSS and stalls over WAIT_MS.
    let rssMin = Infinity;
    let rssMax = 0;
    const sampleRss = () => {
      const rss = process.memoryUsage().rss;
      rssMin = Math.min(rssMin, rss);
      rssMax = Math.max(rssMax, rss);
    };
    const sampler = setInterval(sampleRss, 100);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const waited = await longestStall(() => sleep(WAIT_MS));
    const cpu = process.cpuUsage(cpuBefore);
    const core = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
    clearInterval(sampler);
    sampleRss();

    // `restyle status` while this engine holds the lock, beside bare Node.
    const status = timeNode(['bin/restyle.js', 'status', '--data-dir', dir, '--json']);
    const bare = timeNode(['-e', '0']);

    // Pause and resume the big batches through the engine's controls.
    const control = async (act: (batchId: string) => number) =>
      longestStall(async () => {
        const started = performance.now();
        for (const batchId of tail) act(batchId);
        const callMs = performance.now() - started;
        await sleep(SETTLE_MS);
        return callMs;
      });
    const pause =
      tail.length > 0 ? await control((batchId) => rig.engine.pause({ batchId })) : null;
    const resume =
      tail.length > 0 ? await control((batchId) => rig.engine.resume({ batchId })) : null;

    return {
      queued,
      createMs,
      core,
      rssMinMb: rssMin / 2 ** 20,
      rssMaxMb: rssMax / 2 ** 20,
      stallMs: waited.stallMs,
      statusMs: status.ms,
      statusOk: status.ok,
      nodeMs: bare.ms,
      pause: pause && { callMs: pause.value, stallMs: pause.stallMs },
      resume: resume && { callMs: resume.value, stallMs: resume.stallMs },
    };
  } finally {
    await rig.close();
    mock.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Runs one size in a child process (this file again) and reads its figures. */
function runSize(queued: number): Figures {
  const profile = process.env.QUEUE_SCALE_PROFILE;
  const flags = profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
  const run = spawnSync(
    process.execPath,
    [...flags, '--import', 'tsx', fileURLToPath(import.meta.url)],
    {
      env: { ...process.env, QUEUE_SCALE_ONE: String(queued) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    },
  );
  const line = run.stdout.split('\n').find((l) => l.startsWith(FIGURES_MARK));
  if (run.status !== 0 || !line) throw new Error(`the ${queued}-job run failed (${run.status})`);
  return JSON.parse(line.slice(FIGURES_MARK.length)) as Figures;
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const mb = (value: number) => `${value.toFixed(0)} MB`;

function print(anchor: Figures, all: Figures[]): void {
  console.log(
    `engine waiting on one ${TASK_MS / 1000} s task, over ${WAIT_MS / 1000} s ` +
      `(anchor: the same process with 0 jobs queued)`,
  );
  const rss = (f: Figures) =>
    `RSS ${mb(f.rssMinMb)}–${mb(f.rssMaxMb)} (swing ${mb(f.rssMaxMb - f.rssMinMb)})`;
  const waiting = (f: Figures) =>
    `CPU ${f.core.toFixed(3)} core, ${rss(f)}, longest stall ${ms(f.stallMs)}`;
  console.log(`  0 queued (anchor): ${waiting(anchor)}`);
  for (const f of all) {
    const label = f.queued.toLocaleString('en-US');
    console.log(`  ${label} queued: ${waiting(f)}`);
    console.log(
      `    target at 100,000: < ${TARGET.core} core, stall < ${TARGET.stallMs} ms; ` +
        `anchor ${anchor.core.toFixed(3)} core, stall ${ms(anchor.stallMs)}`,
    );
    console.log(
      `    restyle status: ${ms(f.statusMs)}${f.statusOk ? '' : ' (FAILED)'} ` +
        `(node -e 0: ${ms(f.nodeMs)}; target < ${TARGET.statusS * 1000} ms)`,
    );
    console.log(`    create the jobs: ${ms(f.createMs ?? NaN)}`);
    if (f.pause && f.resume)
      console.log(
        `    pause: ${ms(f.pause.callMs)}, longest stall ${ms(f.pause.stallMs)}; ` +
          `resume: ${ms(f.resume.callMs)}, longest stall ${ms(f.resume.stallMs)} ` +
          `(each with ${SETTLE_MS / 1000} s after it; anchor stall ${ms(anchor.stallMs)})`,
      );
  }
  console.log(
    `  restyle status with 0 queued: ${ms(anchor.statusMs)} (node -e 0: ${ms(anchor.nodeMs)})`,
  );
}

const one = process.env.QUEUE_SCALE_ONE;
if (one !== undefined) {
  const figures = await measureSize(Number(one));
  process.stdout.write(`${FIGURES_MARK}${JSON.stringify(figures)}\n`);
} else {
  const sizes = (process.env.QUEUE_SCALE_SIZES ?? '1000,20000,100000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const started = performance.now();
  const anchor = runSize(0);
  const all = sizes.map(runSize);
  print(anchor, all);
  console.log(`  (bench wall time ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

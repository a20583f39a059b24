// The engine at scale (`npm run bench -- queue-scale`, issue 12): the real
// engine (real SQLite file, real HTTP) waiting on one style-repaint task that
// runs 120 s in the mock DashScope, with 1,000 / 20,000 / 100,000 jobs queued
// behind it (`QUEUE_SCALE_SIZES=1000,20000` picks the sizes). Each size runs in
// its own process, the mock in another, so the figures are the engine's alone.
// Over 10 s of waiting it prints the CPU share of one core, RSS (min, max,
// swing) and the longest event-loop stall; then the time of `restyle status`
// run as a child while the engine holds the lock, the time to create the
// queued jobs, and a pause and a resume of the big batches with the longest
// stall during each. The queued jobs are written by a child of their own, so
// the engine's RSS holds none of their making. Anchors, same run: the same
// process with 0 jobs queued (for CPU, RSS and stall) and `node -e 0` (for
// `restyle status`); the targets are printed beside, never asserted.
// `QUEUE_SCALE_PROFILE=<dir>` writes a CPU profile of each size's process there.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openJobStore, type NewJob } from '../electron/core/queue/job-store';
import type { Recipe } from '../shared/recipe';
import { createBatch, makePhotos, startEngineRig } from '../tests/core/queue/rig';
import type { MockDashScope, MockTask } from '../tests/support/mock-dashscope';

const TASK_MS = 120_000;
const WAIT_MS = 10_000;
const SETTLE_MS = 2_000;
/** Real photos in front of the queued tail: enough that preparing ahead never reaches the tail. */
const REAL_PHOTOS = 8;
const PER_BATCH = 50_000;
const STALL_TICK_MS = 10;
const STATUS_RUNS = 3;
const TARGET = { core: 0.05, stallMs: 50, statusS: 0.3 };
const RECIPE: Recipe = { kind: 'preset', styleIndex: 1 };

/** What a seeding child made. */
interface Seeded {
  batchIds: string[];
  createMs: number;
}

/** What one size's process measured (printed as one JSON line). */
interface Figures {
  queued: number;
  createMs: number | null;
  core: number;
  rssMinMb: number;
  rssMaxMb: number;
  stall: Stall;
  statusMs: number;
  statusOk: boolean;
  nodeMs: number;
  pause: { callMs: number; stall: Stall } | null;
  resume: { callMs: number; stall: Stall } | null;
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

/** The longest event-loop stall while something ran, and how much of it this process spent on its CPU. */
interface Stall {
  /** The worst lateness of a 10 ms timer (ms), the time since its last tick included at the end. */
  ms: number;
  /** Of the worst stall this process's own CPU time covered (ms): the rest of a stall was the machine's (another process ran). */
  cpuMs: number;
}

/**
 * The longest event-loop stall while `measure` runs (a loop blocked until the
 * end never lets a timer or a histogram record it, so the last tick is taken
 * then), and the longest one this process's own CPU time accounts for.
 */
async function longestStall<T>(measure: () => Promise<T>): Promise<{ value: T; stall: Stall }> {
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let last = performance.now();
  let lastCpu = cpuMs();
  const stall: Stall = { ms: 0, cpuMs: 0 };
  const tick = () => {
    const at = performance.now();
    const cpu = cpuMs();
    const late = at - last - STALL_TICK_MS;
    stall.ms = Math.max(stall.ms, late);
    stall.cpuMs = Math.max(stall.cpuMs, Math.min(late, cpu - lastCpu));
    last = at;
    lastCpu = cpu;
  };
  const timer = setInterval(tick, STALL_TICK_MS);
  try {
    const value = await measure();
    tick();
    return { value, stall };
  } finally {
    clearInterval(timer);
  }
}

/** Ms until a child `node <args>` exits, and whether it exited 0; the event loop runs meanwhile. */
async function runNode(args: string[]): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  const ms = performance.now() - started;
  if (code !== 0) process.stderr.write(stderr);
  return { ms, ok: code === 0 };
}

/** The median of a few runs of `node <args>`, and whether every one exited 0. */
async function timeNode(args: string[]): Promise<{ ms: number; ok: boolean }> {
  const runs: { ms: number; ok: boolean }[] = [];
  for (let i = 0; i < STATUS_RUNS; i += 1) runs.push(await runNode(args));
  return { ms: median(runs.map((run) => run.ms)), ok: runs.every((run) => run.ok) };
}

/** The queued tail in `dir`'s queue: synthetic paths and hashes, batches of at most 50,000, each one transaction. */
function seedQueue(dir: string, queued: number): Seeded {
  const store = openJobStore(join(dir, 'queue.sqlite'));
  try {
    const batchIds: string[] = [];
    const started = performance.now();
    for (let first = 0; first < queued; first += PER_BATCH) {
      const jobs: NewJob[] = [];
      for (let i = first; i < Math.min(queued, first + PER_BATCH); i += 1)
        jobs.push({
          path: join(dir, 'queued', `IMG_${i}.jpg`),
          hash: i.toString(16).padStart(64, '0'),
          folder: join(dir, 'queued'),
        });
      batchIds.push(store.createBatch({ recipe: RECIPE, label: `tail ${first}`, jobs }).id);
    }
    return { batchIds, createMs: performance.now() - started };
  } finally {
    store.close();
  }
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

    // The queued tail, made in another process so its objects are not counted in this one's RSS.
    const seed = queued > 0 ? runChild<Seeded>({ QUEUE_SCALE_SEED: dir }, queued) : null;
    const tail = seed?.batchIds ?? [];

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
    const status = await timeNode(['bin/restyle.js', 'status', '--data-dir', dir, '--json']);
    const bare = await timeNode(['-e', '0']);

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
      createMs: seed?.createMs ?? null,
      core,
      rssMinMb: rssMin / 2 ** 20,
      rssMaxMb: rssMax / 2 ** 20,
      stall: waited.stall,
      statusMs: status.ms,
      statusOk: status.ok,
      nodeMs: bare.ms,
      pause: pause && { callMs: pause.value, stall: pause.stall },
      resume: resume && { callMs: resume.value, stall: resume.stall },
    };
  } finally {
    await rig.close();
    mock.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Runs this file again in a child process with `env` and reads the line it printed. */
function runChild<T>(env: Record<string, string>, queued: number): T {
  const profile = process.env.QUEUE_SCALE_PROFILE;
  const flags = profile && env.QUEUE_SCALE_ONE ? ['--cpu-prof', '--cpu-prof-dir', profile] : [];
  const run = spawnSync(
    process.execPath,
    [...flags, '--import', 'tsx', fileURLToPath(import.meta.url)],
    {
      env: { ...process.env, ...env, QUEUE_SCALE_N: String(queued) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    },
  );
  const line = run.stdout.split('\n').find((l) => l.startsWith(FIGURES_MARK));
  if (run.status !== 0 || !line) throw new Error(`the ${queued}-job child failed (${run.status})`);
  return JSON.parse(line.slice(FIGURES_MARK.length)) as T;
}

/** One size in its own process. */
const runSize = (queued: number): Figures => runChild<Figures>({ QUEUE_SCALE_ONE: '1' }, queued);

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const mb = (value: number) => `${value.toFixed(0)} MB`;

function print(anchor: Figures, all: Figures[]): void {
  const stall = (x: Stall) => `longest stall ${ms(x.ms)} (own CPU ${ms(x.cpuMs)})`;
  const waiting = (f: Figures) =>
    `CPU ${f.core.toFixed(3)} core, RSS ${mb(f.rssMinMb)}–${mb(f.rssMaxMb)} ` +
    `(swing ${mb(f.rssMaxMb - f.rssMinMb)}), ${stall(f.stall)}`;
  const status = (f: Figures) =>
    `${ms(f.statusMs)}${f.statusOk ? '' : ' (FAILED)'} (anchor node -e 0: ${ms(f.nodeMs)})`;
  console.log(
    `engine waiting on one ${TASK_MS / 1000} s task, over ${WAIT_MS / 1000} s; ` +
      `targets at 100,000 queued: < ${TARGET.core} core, stall < ${TARGET.stallMs} ms, ` +
      `restyle status < ${TARGET.statusS * 1000} ms`,
  );
  console.log(`  0 queued (anchor): ${waiting(anchor)}`);
  console.log(`    restyle status: ${status(anchor)}`);
  for (const f of all) {
    console.log(`  ${f.queued.toLocaleString('en-US')} queued: ${waiting(f)}`);
    console.log(`    restyle status: ${status(f)}`);
    console.log(`    create the jobs: ${ms(f.createMs ?? NaN)}`);
    if (f.pause && f.resume)
      console.log(
        `    pause: ${ms(f.pause.callMs)}, ${stall(f.pause.stall)}; ` +
          `resume: ${ms(f.resume.callMs)}, ${stall(f.resume.stall)} ` +
          `(each with the ${SETTLE_MS / 1000} s after it)`,
      );
  }
  console.log(
    '  (own CPU: the part of the stall this process was on a CPU; the rest was the machine)',
  );
}

const queuedHere = Number(process.env.QUEUE_SCALE_N);
const reply = (value: unknown) => process.stdout.write(`${FIGURES_MARK}${JSON.stringify(value)}\n`);
if (process.env.QUEUE_SCALE_SEED) {
  reply(seedQueue(process.env.QUEUE_SCALE_SEED, queuedHere));
} else if (process.env.QUEUE_SCALE_ONE) {
  reply(await measureSize(queuedHere));
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

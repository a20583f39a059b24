// Creating a huge batch (`npm run bench -- batch-create`, issue 12 item 4: no
// single synchronous step more than a few milliseconds). For 10,000 and
// 100,000 photos (`BATCH_CREATE_SIZES=10000,100000` picks), the real engine's
// `quote` and `createBatches` (real SQLite file, real library index) print
// their total time and the longest event-loop stall while they ran: first on
// an empty queue (every job paid), then the same request again (every job
// follows one of the first batch: a lookup and a check per job). Anchors in the
// same run, same rows: the old way, the store's `createBatch` in one
// transaction (the whole time is one stall), and a plain INSERT of the rows
// into a table with no index and no trigger, in one transaction.
//
// The records: a real kept intake scan of a few real photos, repeated with a
// distinct id, hash and path per record (scanning 100,000 real photos would
// take far longer than what is measured; planning and writing read only the
// records' fields, never the files).
//
// The stall: the longest gap between two turns of a setImmediate chain that
// runs beside the work (any step that holds the process delays the next turn).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDashScopeClient } from '../electron/core/dashscope';
import { openDb } from '../electron/core/db/sqlite';
import { createIntakeService } from '../electron/core/intake/intake-service';
import { createLibrary } from '../electron/core/library/library';
import { createJobEngine } from '../electron/core/queue/engine';
import { CREATE_CHUNK } from '../electron/core/queue/engine-controls';
import { openJobStore, type NewJob } from '../electron/core/queue/job-store';
import { PLAN_CHUNK } from '../electron/core/queue/batch-plan';
import type { PhotoRecord } from '../shared/photos';
import { recipeModel, type Recipe } from '../shared/recipe';
import { DEFAULT_LIMITS } from '../shared/settings';
import { makePhotos, scanFiles } from '../tests/core/queue/rig';

const RECIPE: Recipe = { kind: 'preset', styleIndex: 1 };
const REAL_PHOTOS = 4;
const SIZES = (process.env.BATCH_CREATE_SIZES ?? '10000,100000')
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size > 0);
const TARGET_STALL_MS = 5;

interface Timed<T> {
  value: T;
  ms: number;
  /** The longest gap between two turns (ms). */
  stallMs: number;
  /** The longest gap this process's own CPU time covered (ms): the rest of a gap was other processes on the machine. */
  cpuStallMs: number;
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Runs `work` with a setImmediate chain beside it: total time and the longest gap between turns. */
async function timed<T>(work: () => Promise<T> | T): Promise<Timed<T>> {
  let running = true;
  let last = performance.now();
  let lastCpu = cpuNow();
  let stallMs = 0;
  let cpuStallMs = 0;
  const turn = () => {
    const at = performance.now();
    const cpu = cpuNow();
    stallMs = Math.max(stallMs, at - last);
    cpuStallMs = Math.max(cpuStallMs, Math.min(at - last, cpu - lastCpu));
    last = at;
    lastCpu = cpu;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  const started = performance.now();
  try {
    const value = await work();
    // A step that ran to the end without a turn is a stall too.
    turn();
    return { value, ms: performance.now() - started, stallMs, cpuStallMs };
  } finally {
    running = false;
  }
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const line = (what: string, t: Omit<Timed<unknown>, 'value'>) =>
  console.log(
    `  ${what.padEnd(44)} total ${fmt(t.ms).padStart(9)}   longest stall ${fmt(t.stallMs).padStart(9)}` +
      ` (own CPU ${fmt(t.cpuStallMs)})`,
  );

/** `size` records from a real scan of a few real photos, each with its own id, hash and path. */
async function records(dir: string, size: number): Promise<PhotoRecord[]> {
  const intake = createIntakeService({ cacheDir: join(dir, 'cache') });
  const photos = await makePhotos(dir, REAL_PHOTOS, 'real');
  const scanId = await scanFiles(
    intake,
    photos.map((photo) => photo.path),
    RECIPE,
  );
  const real = intake.scanRecords(scanId).records;
  return Array.from({ length: size }, (_, i) => {
    const base = real[i % real.length] as PhotoRecord;
    const name = `IMG_${String(i).padStart(6, '0')}.jpg`;
    return {
      ...base,
      id: `r${i}`,
      hash: i.toString(16).padStart(64, '0'),
      path: join(dir, 'album', name),
      name,
    };
  });
}

async function measure(size: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'restyle-bench-batch-create-'));
  try {
    const big = await records(dir, size);
    const scanId = 'bench-scan';
    const store = openJobStore(join(dir, 'queue.sqlite'));
    const library = createLibrary({ root: join(dir, 'library') });
    const engine = createJobEngine({
      store,
      // Never called: the engine is not started.
      client: createDashScopeClient({
        baseUrl: () => 'http://127.0.0.1:9',
        apiKey: () => null,
        workspaceId: () => '',
        timeoutMs: 1000,
      }),
      intake: {
        prepare: () => Promise.reject(new Error('not started')),
        scanRecords: () => ({ records: big, total: big.length }),
      },
      library,
      limits: () => DEFAULT_LIMITS,
      lock: false,
    });
    const request = { scanId, recipes: [RECIPE] };
    console.log(`\n${size.toLocaleString('en')} photos (${REAL_PHOTOS} real, records repeated)`);
    line('quote, empty queue', await timed(() => engine.quote(request)));
    const first = await timed(() => engine.createBatches(request));
    line('createBatches, empty queue', first);
    line('quote again (every job follows the first)', await timed(() => engine.quote(request)));
    line('createBatches again', await timed(() => engine.createBatches(request)));

    // Anchors: the same rows the old way (one transaction) and as bare INSERTs.
    const batch = first.value.batches[0];
    if (!batch) throw new Error('no batch was created');
    const rows: NewJob[] = store
      .listJobs(batch.id, 0, size)
      .jobs.map((job) => ({ path: job.sourcePath, hash: job.sourceHash, folder: job.albumFolder }));
    const old = openJobStore(join(dir, 'old.sqlite'));
    line(
      'anchor: store.createBatch, one transaction',
      await timed(() => old.createBatch({ recipe: RECIPE, jobs: rows })),
    );
    old.close();
    const bare = openDb(join(dir, 'bare.sqlite'));
    bare.exec(
      'CREATE TABLE jobs (id INTEGER PRIMARY KEY, path TEXT, hash TEXT, folder TEXT, model TEXT)',
    );
    const model = recipeModel(RECIPE);
    line(
      'anchor: plain INSERT, no index or trigger',
      await timed(() =>
        bare.transaction(() => {
          for (const row of rows)
            bare.run(
              'INSERT INTO jobs (path, hash, folder, model) VALUES (?, ?, ?, ?)',
              row.path,
              row.hash,
              row.folder,
              model,
            );
        }),
      ),
    );
    bare.close();
    library.close();
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `batch creation: ${CREATE_CHUNK} jobs per transaction, ${PLAN_CHUNK} photos per planning step; ` +
    `target: no stall over ${TARGET_STALL_MS} ms (printed, not asserted)`,
);
for (const size of SIZES) await measure(size);

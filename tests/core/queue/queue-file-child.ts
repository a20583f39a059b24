// A separate process for the queue-file tests that need what a test cannot do
// to its own process: a read-only mount, a full disk (inside `unshare`, see
// confined.ts). Prints JSON lines.
//   node --import tsx queue-file-child.ts store <file>      opens strictly: {ok} or {code, params}
//   node --import tsx queue-file-child.ts fallback <file>   opens as the app does:
//        {problem, params, batches, write} (`write`: the code a new batch is refused with)
//   node --import tsx queue-file-child.ts bridge <dataDir> <libraryDir>
//        starts the dev bridge app: {origin, token}; then, on stdin, `fill` fills the data
//        folder's disk to the last byte ({filled}) and `free` frees it ({freed})
//   node --import tsx queue-file-child.ts creating <file>   begins a batch's creation, writes
//        two chunks of its jobs, prints {batchId} and waits, mid-creation, to be killed
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startBridgeApp } from '../../../electron/core/bridge/bridge-app';
import { silentLogger } from '../../../electron/core/log/logger';
import { openJobStore } from '../../../electron/core/queue/job-store';
import { RestyleError } from '../../../shared/result';

const [mode, path, libraryDir] = process.argv.slice(2);
if (!path)
  throw new Error('usage: queue-file-child.ts store|fallback|creating|bridge <path> [libraryDir]');
const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const codeOf = (error: unknown) =>
  error instanceof RestyleError
    ? { code: error.code, params: error.params }
    : { error: String(error) };

function newBatch(store: ReturnType<typeof openJobStore>) {
  store.createBatch({
    recipe: { kind: 'preset', styleIndex: 0 },
    jobs: [{ path: '/a.jpg', hash: 'e'.repeat(64), folder: '' }],
  });
}

/** Writes zeros until the disk refuses a single byte more. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [1 << 16, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch {
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

if (mode === 'store') {
  try {
    openJobStore(path).close();
    say({ ok: true });
  } catch (error) {
    say(codeOf(error));
  }
} else if (mode === 'fallback') {
  const store = openJobStore(path, Date.now, { fallback: true });
  let write: unknown = null;
  try {
    newBatch(store);
  } catch (error) {
    write = codeOf(error);
  }
  say({
    problem: store.problem?.code ?? null,
    params: store.problem?.params ?? null,
    batches: store.listBatches().length,
    write,
  });
  store.close();
} else if (mode === 'creating') {
  const store = openJobStore(path);
  const [batchId] = store.beginBatches([{ recipe: { kind: 'preset', styleIndex: 0 } }]);
  for (const first of [0, 100])
    store.addJobs(
      batchId as string,
      Array.from({ length: 100 }, (_, i) => ({
        path: `/album/p${first + i}.jpg`,
        hash: (first + i).toString(16).padStart(64, '0'),
        folder: '',
      })),
      first,
    );
  say({ batchId });
  setInterval(() => {}, 1000);
} else if (mode === 'bridge') {
  const app = await startBridgeApp({
    dataDir: path,
    libraryDir,
    log: silentLogger,
    env: {
      DASHSCOPE_API_KEY: process.env.DASHSCOPE_API_KEY,
      DASHSCOPE_HTTP_BASE_URL: process.env.DASHSCOPE_HTTP_BASE_URL,
    },
  });
  say({ origin: app.bridge.origin, token: app.bridge.token });
  const filler = join(path, 'filler');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'fill') {
      fill(filler);
      say({ filled: true });
    } else if (line === 'free') {
      rmSync(filler, { force: true });
      say({ freed: true });
    }
  }
  await app.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}

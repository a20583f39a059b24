import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { MODELS, type ModelId } from '../../../shared/models';
import { handleAdmin } from './admin-route';
import { dropConnection, sendError, type MockContext } from './context';
import { Faults } from './faults';
import { makeResultImage } from './images';
import { handleQuery, handleResult } from './query-route';
import { Recorder } from './recorder';
import { SlidingWindow } from './sliding-window';
import { handleSubmit } from './submit-route';
import { TaskStore } from './task-store';
import type { FaultPlan, MockConfig, MockConfigPatch, MockStats, MockTask } from './types';

export interface MockDashScopeOptions extends Partial<MockConfig> {
  /** @default 0 (any free port) */
  port?: number;
  /** Keys accepted as `Authorization: Bearer …`. @default ['sk-mock-valid-key'] */
  apiKeys?: string[];
  /** The mock's clock (task life, rate windows, expiry). @default Date.now */
  now?: () => number;
}

export interface MockDashScope {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `url + '/api/v1'`: what the client's base URL setting takes. */
  readonly baseUrl: string;
  readonly port: number;
  /** The first accepted key. */
  readonly apiKey: string;
  inject(plan: FaultPlan): void;
  clearFaults(): void;
  configure(patch: MockConfigPatch): void;
  /**
   * Goes down: `reset` destroys every API connection as it arrives (admin routes
   * still answer); `refuse` stops listening (connections are refused) and, with
   * `forMs`, listens again by itself (real time).
   */
  down(options?: { mode?: 'reset' | 'refuse'; forMs?: number }): Promise<void>;
  up(): Promise<void>;
  stats(options?: { records?: boolean }): MockStats;
  tasks(): MockTask[];
  /** Forgets tasks, records, rate windows and faults (config stays). */
  reset(): void;
  /** Ends every socket and stops listening. */
  close(): Promise<void>;
}

const DEFAULT_CONFIG = (): MockConfig => ({
  taskMs: 2000,
  pendingMs: 100,
  concurrency: Object.fromEntries(
    Object.values(MODELS).map((model) => [model.id, model.defaultConcurrency]),
  ),
  overConcurrency: 'queue',
  rejectCode: 'Throttling.AllocationQuota',
  latencyMs: 0,
  submitsPerSecond: 2,
  queriesPerSecond: 20,
  resultTtlMs: 24 * 60 * 60 * 1000,
  taskTtlMs: 24 * 60 * 60 * 1000,
  validateImages: true,
  resultSide: 256,
  resultFormat: 'jpeg',
  maxRecords: 100_000,
});

const SUBMIT_PATHS = new Map<string, ModelId>(
  Object.values(MODELS).map((model) => [`/api/v1${model.submitPath}`, model.id]),
);
const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.destroy();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Holds the answer `ms` before it leaves: the way back of the network's round trip. */
function delayAnswer(res: ServerResponse, ms: number): void {
  // `end`'s overloads cannot be named one by one here; its arguments are passed on untouched.
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    setTimeout(() => end(...args), ms).unref();
    return res;
  }) as ServerResponse['end'];
}

/** Starts a DashScope look-alike on 127.0.0.1 (see README.md beside this file). */
export async function createMockDashScope(
  options: MockDashScopeOptions = {},
): Promise<MockDashScope> {
  const {
    port: wantedPort = 0,
    apiKeys = ['sk-mock-valid-key'],
    now = Date.now,
    ...configPatch
  } = options;
  const config: MockConfig = { ...DEFAULT_CONFIG(), ...configPatch };
  if (configPatch.concurrency)
    config.concurrency = { ...DEFAULT_CONFIG().concurrency, ...configPatch.concurrency };
  const faults = new Faults();
  const store = new TaskStore(() => config);
  const recorder = new Recorder(() => config.maxRecords);
  const submitWindows = new Map<string, SlidingWindow>();
  const images = new Map<string, Promise<Buffer>>();
  const sockets = new Set<Socket>();
  let mode: 'up' | 'reset' | 'refuse' = 'up';
  let upTimer: NodeJS.Timeout | null = null;
  let port = wantedPort;
  let closed = false;

  const ctx: MockContext = {
    config,
    faults,
    store,
    recorder,
    now,
    apiKeys: new Set(apiKeys),
    submitWindow: (model) => {
      let window = submitWindows.get(model);
      if (!window) submitWindows.set(model, (window = new SlidingWindow()));
      return window;
    },
    queryWindow: new SlidingWindow(),
    origin: () => `http://127.0.0.1:${port}`,
    resultImage: () => {
      const key = `${config.resultFormat}:${config.resultSide}`;
      let image = images.get(key);
      if (!image)
        images.set(key, (image = makeResultImage(config.resultSide, config.resultFormat)));
      return image;
    },
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path.startsWith('/__admin/')) {
      const body = await readBody(req);
      return handleAdmin(mock, req, res, path, url, body ?? Buffer.alloc(0));
    }
    if (mode === 'reset') return dropConnection(req);
    // The round trip: half on the way in (after the upload is read), half on the way out.
    const halfTrip = config.latencyMs / 2;
    if (halfTrip > 0) delayAnswer(res, halfTrip);
    if (path.startsWith('/results/')) {
      if (halfTrip > 0) await sleep(halfTrip);
      const [, , taskId = ''] = path.split('/');
      return handleResult(ctx, res, url, taskId);
    }
    const body = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0);
    if (body === null) return;
    if (halfTrip + faults.delayMs > 0) await sleep(halfTrip + faults.delayMs);
    const serverError = faults.serverErrorAt(now());
    if (serverError)
      return sendError(res, serverError.status, serverError.code, 'mock server error');

    const submitModel = SUBMIT_PATHS.get(path);
    if (submitModel && req.method === 'POST') return handleSubmit(ctx, req, res, submitModel, body);
    if (path === '/api/v1/tasks' && req.method === 'GET')
      return handleQuery(ctx, req, res, url, 'list', null);
    const task = /^\/api\/v1\/tasks\/([^/]+)(\/cancel)?$/.exec(path);
    if (task?.[1] && !task[2] && req.method === 'GET')
      return handleQuery(ctx, req, res, url, 'task', task[1]);
    if (task?.[1] && task[2] && req.method === 'POST')
      return handleQuery(ctx, req, res, url, 'cancel', task[1]);
    sendError(res, 404, 'NotFound', `no route ${req.method} ${path}`);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'InternalError', `mock failure: ${String(error)}`);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 2000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        if (address && typeof address === 'object') port = address.port;
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  await listen();

  const mock: MockDashScope = {
    get url() {
      return ctx.origin();
    },
    get baseUrl() {
      return `${ctx.origin()}/api/v1`;
    },
    get port() {
      return port;
    },
    apiKey: apiKeys[0] ?? '',
    inject: (plan) => faults.apply(plan, now()),
    clearFaults: () => faults.clear(),
    configure(patch) {
      Object.assign(config, {
        ...patch,
        concurrency: { ...config.concurrency, ...patch.concurrency },
      });
    },
    async down(downOptions = {}) {
      if (upTimer) clearTimeout(upTimer);
      mode = downOptions.mode ?? 'reset';
      if (mode === 'refuse') await stopListening();
      else for (const socket of sockets) socket.destroy();
      if (downOptions.forMs !== undefined) {
        upTimer = setTimeout(() => void mock.up(), downOptions.forMs);
        upTimer.unref();
      }
    },
    async up() {
      if (upTimer) clearTimeout(upTimer);
      upTimer = null;
      const wasRefusing = mode === 'refuse';
      mode = 'up';
      if (wasRefusing && !closed && !server.listening) await listen();
    },
    stats: (statsOptions = {}) => {
      store.advance(now());
      return recorder.stats(store, statsOptions.records ?? true);
    },
    tasks: () => {
      store.advance(now());
      return store.all().map((task) => ({ ...task }));
    },
    reset() {
      store.clear();
      recorder.clear();
      submitWindows.clear();
      ctx.queryWindow.clear();
      faults.clear();
    },
    async close() {
      closed = true;
      if (upTimer) clearTimeout(upTimer);
      await stopListening();
    },
  };
  return mock;
}

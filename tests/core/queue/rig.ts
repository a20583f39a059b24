import { join } from 'node:path';
import sharp from 'sharp';
import { createDashScopeClient, type DashScopeClient } from '../../../electron/core/dashscope';
import { createIntakeService } from '../../../electron/core/intake/intake-service';
import { hashFile } from '../../../electron/core/intake/hash';
import { createLibrary } from '../../../electron/core/library/library';
import type { Library } from '../../../electron/core/library/types';
import { createJobEngine, type JobEngine } from '../../../electron/core/queue/engine';
import type { EngineOptions } from '../../../electron/core/queue/engine-context';
import type { PhotoInput } from '../../../electron/core/queue/engine-controls';
import { openJobStore, type JobStore } from '../../../electron/core/queue/job-store';
import { createEventBus, type EventBus } from '../../../electron/core/events';
import { DEFAULT_LIMITS, type Limits } from '../../../shared/settings';
import {
  createMockDashScope,
  type MockDashScope,
  type MockDashScopeOptions,
} from '../../support/mock-dashscope';

/** Distinct real JPEGs (each its own hash), 320x320. */
export async function makePhotos(dir: string, count: number, prefix = 'p'): Promise<PhotoInput[]> {
  const photos: PhotoInput[] = [];
  for (let i = 0; i < count; i += 1) {
    const path = join(dir, `${prefix}${String(i).padStart(3, '0')}.jpg`);
    await sharp({
      create: {
        width: 320,
        height: 320,
        channels: 3,
        background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 13 + 7) % 256 },
      },
    })
      .jpeg()
      .toFile(path);
    photos.push({ path, hash: await hashFile(path), folder: 'album' });
  }
  return photos;
}

export interface EngineRig {
  mock: MockDashScope;
  store: JobStore;
  library: Library;
  engine: JobEngine;
  events: EventBus;
  limits: Limits;
  setKey(key: string | null): void;
  /** Stops the engine and closes everything (the mock too unless shared). */
  close(): Promise<void>;
}

export interface RigOptions {
  mock?: MockDashScope;
  mockOptions?: MockDashScopeOptions;
  options?: EngineOptions;
  now?: () => number;
  lock?: boolean;
  /** Wraps the real client, to act at a moment of a call (the call itself still goes to the mock). */
  wrapClient?: (client: DashScopeClient) => DashScopeClient;
}

export async function startEngineRig(dir: string, rig: RigOptions = {}): Promise<EngineRig> {
  const mock =
    rig.mock ?? (await createMockDashScope({ taskMs: 200, pendingMs: 20, ...rig.mockOptions }));
  let key: string | null = mock.apiKey;
  const real = createDashScopeClient({
    baseUrl: () => mock.baseUrl,
    apiKey: () => key,
    workspaceId: () => '',
    timeoutMs: 5000,
  });
  const client = rig.wrapClient ? rig.wrapClient(real) : real;
  const store = openJobStore(join(dir, 'queue.sqlite'), rig.now);
  const library = createLibrary({ root: join(dir, 'library') });
  const events = createEventBus();
  const limits = { ...DEFAULT_LIMITS };
  const engine = createJobEngine({
    store,
    client,
    intake: createIntakeService({ cacheDir: join(dir, 'cache') }),
    library,
    limits: () => limits,
    events,
    lock: rig.lock ?? true,
    ...(rig.now ? { clock: { now: rig.now } } : {}),
    options: { backoff: { baseMs: 50, maxMs: 400 }, reconcileDelayMs: 200, ...rig.options },
  });
  return {
    mock,
    store,
    library,
    engine,
    events,
    limits,
    setKey: (k) => (key = k),
    async close() {
      await engine.stop();
      store.close();
      library.close();
      if (!rig.mock) await mock.close();
    },
  };
}

/** Waits until `check` holds, polling; fails after `ms`. */
export async function until(check: () => boolean, ms = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

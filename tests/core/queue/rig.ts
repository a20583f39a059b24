import { join } from 'node:path';
import sharp from 'sharp';
import { createDashScopeClient, type DashScopeClient } from '../../../electron/core/dashscope';
import {
  createIntakeService,
  type IntakeService,
} from '../../../electron/core/intake/intake-service';
import { hashFile } from '../../../electron/core/intake/hash';
import { createLibrary } from '../../../electron/core/library/library';
import type { Library } from '../../../electron/core/library/types';
import { createJobEngine, type JobEngine } from '../../../electron/core/queue/engine';
import type { EngineOptions, JobEngineDeps } from '../../../electron/core/queue/engine-context';
import type { BatchInput } from '../../../electron/core/queue/engine-controls';
import { openJobStore, type JobStore } from '../../../electron/core/queue/job-store';
import { createEventBus, type EventBus } from '../../../electron/core/events';
import type { BatchView, Quote } from '../../../shared/contract/jobs';
import { recipeModel, type Recipe } from '../../../shared/recipe';
import { DEFAULT_LIMITS, type Limits } from '../../../shared/settings';
import {
  createMockDashScope,
  type MockDashScope,
  type MockDashScopeOptions,
} from '../../support/mock-dashscope';

/** A real photo file made for a test. */
export interface TestPhoto {
  path: string;
  hash: string;
}

/** Distinct real JPEGs (each its own hash), 320x320. */
export async function makePhotos(dir: string, count: number, prefix = 'p'): Promise<TestPhoto[]> {
  const photos: TestPhoto[] = [];
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
    photos.push({ path, hash: await hashFile(path) });
  }
  return photos;
}

export interface EngineRig {
  mock: MockDashScope;
  store: JobStore;
  library: Library;
  engine: JobEngine;
  /** The engine's intake: batches are made from its kept scans. */
  intake: IntakeService;
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
  /** The cost ledger (free allowance and spend); none: every image at its price. */
  costs?: JobEngineDeps['costs'];
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
  const intake = createIntakeService({ cacheDir: join(dir, 'cache') });
  const engine = createJobEngine({
    store,
    client,
    intake,
    library,
    limits: () => limits,
    events,
    lock: rig.lock ?? true,
    ...(rig.costs ? { costs: rig.costs } : {}),
    ...(rig.now ? { clock: { now: rig.now } } : {}),
    options: { backoff: { baseMs: 50, maxMs: 400 }, reconcileDelayMs: 200, ...rig.options },
  });
  return {
    mock,
    store,
    library,
    engine,
    intake,
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

/** Scans files as the window and the CLI do: a kept intake scan; answers its id once it ended. */
export async function scanFiles(
  intake: IntakeService,
  paths: readonly string[],
  recipe: Recipe,
): Promise<string> {
  const { scanId } = intake.startScan(paths, { model: recipeModel(recipe), thumbnails: false });
  await intake.scanDone(scanId);
  return scanId;
}

/**
 * Scans these files (a kept scan) and creates the started batch of `recipe`
 * from it, as `jobs:create-batch` does. `everyFile`: every record is chosen,
 * a second copy of a photo too (else only those that can be sent).
 */
export async function createBatch(
  rig: Pick<EngineRig, 'engine' | 'intake'>,
  photos: readonly Pick<TestPhoto, 'path'>[],
  recipe: Recipe,
  options: Omit<BatchInput, 'scanId' | 'recipes' | 'photoIds'> & { everyFile?: boolean } = {},
): Promise<{ batch: BatchView; quote: Quote; scanId: string }> {
  const { everyFile, ...rest } = options;
  const scanId = await scanFiles(
    rig.intake,
    photos.map((photo) => photo.path),
    recipe,
  );
  const photoIds = everyFile
    ? rig.intake.scanRecords(scanId).records.map((record) => record.id)
    : undefined;
  const { batches, quote } = await rig.engine.createBatches({
    ...rest,
    scanId,
    recipes: [recipe],
    photoIds,
  });
  return { batch: batches[0] as BatchView, quote, scanId };
}

/** Waits until `check` holds, polling; fails after `ms`. */
export async function until(check: () => boolean, ms = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

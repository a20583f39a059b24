import axios from 'axios';
import sharp from 'sharp';
import { expect } from 'vitest';
import {
  createDashScopeClient,
  DashScopeError,
  type DashScopeClient,
} from '../../../electron/core/dashscope';
import {
  createMockDashScope,
  type MockDashScope,
  type MockDashScopeOptions,
} from '../../support/mock-dashscope';

/** A photo as the pipeline would send it. */
export async function photoDataUri(width = 512, height = 512, seed = 0): Promise<string> {
  const jpeg = await sharp({
    create: { width, height, channels: 3, background: { r: seed % 256, g: 90, b: 160 } },
  })
    .jpeg()
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2025, 0, 15, 4, 0, 0)) {
  let at = start;
  return {
    now: () => at,
    advance: (ms: number) => {
      at += ms;
    },
  };
}

export interface Rig {
  mock: MockDashScope;
  client: DashScopeClient;
  clock: ReturnType<typeof manualClock>;
  setKey(key: string | null): void;
  setWorkspace(id: string): void;
}

export async function startRig(options: MockDashScopeOptions = {}, timeoutMs = 5000): Promise<Rig> {
  const clock = manualClock();
  const mock = await createMockDashScope({
    now: clock.now,
    taskMs: 1000,
    pendingMs: 100,
    ...options,
  });
  let key: string | null = mock.apiKey;
  let workspace = '';
  const client = createDashScopeClient({
    baseUrl: () => mock.baseUrl,
    apiKey: () => key,
    workspaceId: () => workspace,
    timeoutMs,
    http: axios.create({ proxy: false }),
  });
  return {
    mock,
    client,
    clock,
    setKey: (next) => {
      key = next;
    },
    setWorkspace: (next) => {
      workspace = next;
    },
  };
}

/** Awaits a promise that must reject with a DashScopeError, and returns the error. */
export async function caught(promise: Promise<unknown>): Promise<DashScopeError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DashScopeError);
  return error as DashScopeError;
}

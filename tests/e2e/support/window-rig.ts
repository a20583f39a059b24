import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startBridgeApp, type BridgeApp } from '../../../electron/core/bridge/bridge-app';
import { createMockDashScope, type MockDashScope } from '../../support/mock-dashscope';
import { launchChromium, watchPageErrors } from './browser';

export interface WindowRig {
  /** A temp folder for albums, data and the library. */
  root: string;
  mock: MockDashScope;
  app: BridgeApp;
  browser: Browser;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * The real window in Chromium, over the dev bridge, on the real core talking
 * to a mock DashScope with short tasks.
 */
export async function startWindowRig(
  prefix: string,
  options: {
    /** Runs on the data folder before the core opens it (a damaged queue file, say). */
    prepare?: (dataDir: string) => void | Promise<void>;
    /** The home folder the page's own folder browser opens at (default: the temp folder). */
    home?: string;
  } = {},
): Promise<WindowRig> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  await options.prepare?.(join(root, 'data'));
  const mock = await createMockDashScope({ taskMs: 300, pendingMs: 50 });
  const app = await startBridgeApp({
    dataDir: join(root, 'data'),
    libraryDir: join(root, 'library'),
    staticDir: join(process.cwd(), 'out', 'renderer'),
    env: { DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl },
    locale: 'en_US.UTF-8',
    home: options.home ?? root,
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchPageErrors(page);
  return {
    root,
    mock,
    app,
    browser,
    page,
    errors,
    async close() {
      await browser.close();
      await app.close();
      await mock.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

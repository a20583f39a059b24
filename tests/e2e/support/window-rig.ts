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
  /**
   * Quits the core and starts it again on the same data and library folders
   * (what an app restart leaves: the queue and library, no scan of the last
   * session); `app` is then the new one. The page still shows the old one.
   */
  restart(): Promise<BridgeApp>;
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
  const start = () =>
    startBridgeApp({
      dataDir: join(root, 'data'),
      libraryDir: join(root, 'library'),
      staticDir: join(process.cwd(), 'out', 'renderer'),
      env: { DASHSCOPE_API_KEY: mock.apiKey, DASHSCOPE_HTTP_BASE_URL: mock.baseUrl },
      locale: 'en_US.UTF-8',
      home: options.home ?? root,
    });
  const app = await start();
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchPageErrors(page);
  const rig: WindowRig = {
    root,
    mock,
    app,
    browser,
    page,
    errors,
    async restart() {
      await rig.app.close();
      rig.app = await start();
      return rig.app;
    },
    async close() {
      await browser.close();
      await rig.app.close();
      await mock.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return rig;
}

// The real window in Chromium over the dev bridge, for the benches that
// measure it (gallery, library): the renderer as it is now, a fresh data
// folder, 1280x860, and the same two scrolls.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startBridgeApp, type BridgeApp } from '../../electron/core/bridge/bridge-app';
import { launchChromium } from '../../tests/e2e/support/browser';
import { frameStats, idleFrames, scrollFrames } from './frames';

export const VIEWPORT = { width: 1280, height: 860 };
const SCROLL_MS = 5_000;
const READING_PX_PER_S = 1_500;

/** Builds the renderer (only it: the bench serves it over the dev bridge). */
export function buildRenderer(): void {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('renderer build failed');
}

/**
 * Opens the built window in Chromium against the real core (a new data
 * folder named `dataPrefix…`, the library at `libraryDir` when given), runs
 * `use`, then closes it all and removes the data folder.
 */
export async function withBenchWindow<T>(
  options: { dataPrefix: string; libraryDir?: string },
  use: (window: { page: Page; app: BridgeApp }) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), options.dataPrefix));
  const app = await startBridgeApp({
    dataDir,
    libraryDir: options.libraryDir,
    staticDir: join(process.cwd(), 'out', 'renderer'),
    env: {},
    locale: 'en_US.UTF-8',
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(app.bridge.pageUrl);
    return await use({ page, app });
  } finally {
    await browser.close();
    await app.close();
    // Work cut short may still be writing thumbnails: retry the removal.
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined);
  }
}

/**
 * Scrolls the element `data-testid={scrollTestId}` top to bottom in 5 s (a
 * fling), then 5 s at reading speed (1,500 px/s: thumbnails load and decode
 * while it moves), and prints the frame times of each, after two anchors
 * measured the same way in the same Chromium: an empty page, and this page
 * with nothing scrolling (what the machine and the page cost at rest).
 */
export async function printScrolls(page: Page, scrollTestId: string): Promise<void> {
  const browser = page.context().browser();
  if (!browser) throw new Error('the page has no browser');
  const blank = await browser.newPage({ viewport: VIEWPORT });
  const empty = (await blank.evaluate(idleFrames(SCROLL_MS))) as number[];
  await blank.close();
  await page.bringToFront();
  const still = (await page.evaluate(idleFrames(SCROLL_MS))) as number[];
  const fling = (await page.evaluate(scrollFrames(scrollTestId, SCROLL_MS))) as number[];
  await page.waitForTimeout(500);
  const reading = (await page.evaluate(
    scrollFrames(scrollTestId, SCROLL_MS, (READING_PX_PER_S * SCROLL_MS) / 1000),
  )) as number[];
  console.log(`  anchor, empty page for ${SCROLL_MS / 1000} s:    ${frameStats(empty)}`);
  console.log(`  anchor, not scrolling for ${SCROLL_MS / 1000} s: ${frameStats(still)}`);
  console.log(`  scroll top→bottom in ${SCROLL_MS / 1000} s:      ${frameStats(fling)}`);
  console.log(
    `  scroll at ${READING_PX_PER_S} px/s for ${SCROLL_MS / 1000} s: ${frameStats(reading)}`,
  );
}

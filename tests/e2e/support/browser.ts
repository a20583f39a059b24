import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** Debian's Chromium, or CHROME_PATH. Playwright's own browser download is not available here. */
export function chromiumPath(): string {
  const path = process.env.CHROME_PATH ?? CANDIDATES.find((candidate) => existsSync(candidate));
  if (!path) {
    throw new Error('No Chromium found: install it (apt-get install chromium) or set CHROME_PATH.');
  }
  return path;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const RESULTS_DIR = join(process.cwd(), 'test-results');

/** The images in view when the page settled (`settleImages`). */
export interface ImagesInView {
  /** Images in view, loaded (or failed). */
  shown: number;
  /** Elements in view still waiting to start their image (a gallery cell's dwell). */
  waiting: number;
  /** Images in view still loading. */
  loading: string[];
  /** Images in view that failed to load (a broken image: a bug to show, not to wait for). */
  broken: string[];
}

/**
 * Waits until the page shows what a user sees after a moment: no element in
 * view still waiting to start its image (`data-image-pending`: a gallery cell
 * loads its thumbnail once it has stayed in view 100 ms), and every image in
 * view loaded (or failed) and decoded. "In view" is as the page's lazy loading
 * sees it (an IntersectionObserver, so an image scrolled out of its box is not
 * waited for). Returns what was in view then; throws when it does not settle.
 */
export async function settleImages(page: Page, timeoutMs = 15_000): Promise<ImagesInView> {
  const state = await page.evaluate(async (timeout) => {
    const deadline = performance.now() + timeout;
    // Settled twice in a row, two frames apart: a resize or a new state may
    // still be laying out (the gallery mounts the cells a new size shows).
    let settledBefore = false;
    for (;;) {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const targets = [...document.querySelectorAll('[data-image-pending], img')];
      const visible = await new Promise<Element[]>((resolve) => {
        if (targets.length === 0) {
          resolve([]);
          return;
        }
        const seen = new Map<Element, boolean>();
        const observer = new IntersectionObserver((entries) => {
          for (const entry of entries) seen.set(entry.target, entry.isIntersecting);
          if (seen.size < targets.length) return;
          observer.disconnect();
          resolve(targets.filter((target) => seen.get(target)));
        });
        for (const target of targets) observer.observe(target);
        // A target removed meanwhile may never be reported: look again.
        setTimeout(() => {
          observer.disconnect();
          resolve(targets.filter((target) => seen.get(target)));
        }, 1000);
      });
      const images = visible.filter((el): el is HTMLImageElement => el instanceof HTMLImageElement);
      const result = {
        shown: images.filter((img) => img.complete).length,
        waiting: visible.length - images.length,
        loading: images.filter((img) => !img.complete).map((img) => img.src),
        broken: images
          .filter((img) => img.complete && img.naturalWidth === 0)
          .map((img) => img.src),
      };
      const settled = result.waiting === 0 && result.loading.length === 0;
      if (settled) await Promise.all(images.map((img) => img.decode().catch(() => undefined)));
      if ((settled && settledBefore) || performance.now() > deadline) return { settled, ...result };
      settledBefore = settled;
      if (!settled) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, timeoutMs);
  const { settled, ...inView } = state;
  if (!settled)
    throw new Error(
      `the page's images did not settle in ${timeoutMs} ms: ${JSON.stringify(inView)}`,
    );
  return inView;
}

/**
 * Saves a full-page screenshot under test-results/ and returns its path, once
 * the images in view have loaded (`settleImages`): what a user sees after a moment.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await settleImages(page);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects console errors and CSP violations so a test can assert there were none. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

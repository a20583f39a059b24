import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeApp } from '../../electron/core/bridge/bridge-app';
import { createTranslator } from '../../shared/i18n';
import type { MockDashScope } from '../support/mock-dashscope';
import { screenshot } from './support/browser';
import { sceneJpeg } from './support/scene-photos';
import { startWindowRig, type WindowRig } from './support/window-rig';

const GOOD = 4;

describe('The queue shown again when the window reopens', () => {
  const t = createTranslator('en');
  let rig: WindowRig;
  let root: string;
  let app: BridgeApp;
  let mock: MockDashScope;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    rig = await startWindowRig('restyle-e2e-restore-');
    ({ root, app, mock, page, errors } = rig);
    app.services.settings.update({ language: 'en', theme: 'light' });
    await page.goto(app.bridge.pageUrl);
    await page.getByTestId('batch-empty').waitFor();
  });

  afterAll(() => rig?.close());

  const tabs = () => page.getByTestId('batch-tab');
  /**
   * A reloaded page lists the queue over the bridge before its tabs exist
   * (0.12-0.24 s in 20 timed runs here). Twice in about 20 untimed runs no tab
   * showed within the 1 s default; the cause was not found, so the wait allows
   * 10 s and a restore that never comes still fails.
   */
  const RESTORED = { timeout: 10_000 };
  const statuses = () =>
    page.$$eval('[data-testid="photo-cell"]', (els) =>
      els.map((el) => el.getAttribute('data-status')),
    );
  const allDone = async () => (await statuses()).filter((s) => s === 'done').length;
  const loaded = (selector: string) =>
    page.$$eval(
      selector,
      (imgs) =>
        imgs.filter(
          (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
        ).length,
    );

  /**
   * An album of GOOD photos (and, with `extras`, one too small to send and a
   * copy of the first, skipped as a duplicate) added through Add photos, run
   * with a preset through the quote.
   */
  async function runAlbum(name: string, seed: number, preset: number, extras = false) {
    const album = join(root, name);
    mkdirSync(album, { recursive: true });
    for (let i = 0; i < GOOD; i += 1) {
      writeFileSync(join(album, `photo-${i + 1}.jpg`), await sceneJpeg(800, 600, seed + i * 7));
    }
    if (extras) {
      writeFileSync(join(album, 'tiny.jpg'), await sceneJpeg(100, 100, seed));
      writeFileSync(join(album, 'z-copy.jpg'), await sceneJpeg(800, 600, seed));
    }
    app.platform.queuePhotoChoice([album]);
    await page.getByTestId('add-photos').first().click();
    await expect.poll(() => tabs().last().textContent()).toContain(name);
    await expect.poll(() => page.getByTestId('photo-cell').count()).toBe(GOOD + (extras ? 2 : 0));
    await expect.poll(() => page.getByTestId('cancel-scan').count()).toBe(0);
    await page.getByTestId(`preset-${preset}`).click();
    await page.getByTestId('start').click();
    await page.getByTestId('quote-confirm').click();
    await page.getByTestId('run-progress').waitFor();
  }

  const note = (name: string) =>
    page
      .locator(`[data-testid="photo-cell"][data-name="${name}"] [data-testid="photo-note"]`)
      .textContent();

  it('shows a finished album again after a reload as it was scanned: reasons, done photos, results, Done', async () => {
    await runAlbum('Lake', 3, 3, true);
    await expect.poll(allDone, { timeout: 60_000 }).toBe(GOOD);
    await expect
      .poll(() => page.getByTestId('run-state').textContent())
      .toBe(t('run.progress.state.done'));
    const tooSmall = t('intake.reason.too_small', { width: 100, height: 100, min: 256 });
    expect(await note('tiny.jpg')).toBe(tooSmall);
    const duplicate = await note('z-copy.jpg');
    expect(duplicate).toBeTruthy();

    await page.reload();
    await expect.poll(() => tabs().count(), RESTORED).toBe(1);
    expect(await tabs().first().textContent()).toContain('Lake');
    await expect
      .poll(async () => (await statuses()).sort())
      .toEqual([...Array<string>(GOOD).fill('done'), 'rejected', 'skipped']);
    // The rejected and skipped photos come back with their reasons.
    expect(await note('tiny.jpg')).toBe(tooSmall);
    expect(await note('z-copy.jpg')).toBe(duplicate);
    await expect.poll(() => loaded('[data-testid="result-thumb"]')).toBe(GOOD);
    // Done, and not offered again: a style other than the one done brings Start back.
    expect(await page.getByTestId('send-summary').textContent()).toBe(
      t('batch.overview.doneInStyle', { style: t('styles.preset.3') }),
    );
    expect(await page.getByTestId('start').count()).toBe(0);
    expect(await page.getByTestId('run-state').textContent()).toBe(t('run.progress.state.done'));
    expect(await page.getByTestId('run-counts').textContent()).toBe(
      t('run.progress.counts', { finished: GOOD, total: GOOD }),
    );
    const names = await page.$$eval('[data-testid="photo-cell"]', (els) =>
      els.map((el) => el.getAttribute('data-name')).sort(),
    );
    expect(names).toEqual([
      'photo-1.jpg',
      'photo-2.jpg',
      'photo-3.jpg',
      'photo-4.jpg',
      'tiny.jpg',
      'z-copy.jpg',
    ]);
    await screenshot(page, 'restore-en');
  });

  it('shows a batch still running after a reload, which then finishes live', async () => {
    mock.configure({ taskMs: 2500 });
    await runAlbum('Harbour', 29, 4);
    await page.reload();
    await expect.poll(() => tabs().count(), RESTORED).toBe(2);
    expect(await tabs().last().textContent()).toContain('Harbour');
    expect(await tabs().last().getAttribute('aria-current')).toBe('true');
    await expect.poll(() => page.getByTestId('photo-cell').count()).toBe(GOOD);
    expect(await page.getByTestId('run-progress').getAttribute('data-state')).toBe('active');
    expect(await allDone()).toBeLessThan(GOOD);
    // The originals' thumbnails show until the results replace them.
    await expect.poll(() => loaded('[data-testid="gallery"] img')).toBe(GOOD);
    await expect.poll(allDone, { timeout: 60_000 }).toBe(GOOD);
    await expect
      .poll(() => page.getByTestId('run-state').textContent())
      .toBe(t('run.progress.state.done'));
    await expect.poll(() => loaded('[data-testid="result-thumb"]')).toBe(GOOD);

    // The first album is still there, once, and still done.
    await tabs().first().click();
    await expect.poll(allDone).toBe(GOOD);

    // The tab open before a reload is open after it.
    await page.reload();
    await expect.poll(() => tabs().count(), RESTORED).toBe(2);
    await expect.poll(() => tabs().first().getAttribute('aria-current')).toBe('true');
    await expect.poll(allDone).toBe(GOOD);
    expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  });

  const tabNames = () => page.getByTestId('batch-tab').locator('.batch-tab-name').allTextContents();
  const closeTab = async (name: string) => {
    await page.getByRole('button', { name: t('batch.tabs.close', { name }) }).click();
    await expect.poll(tabNames).not.toContain(name);
  };

  it('a tab the user closed stays closed after a reload, though its run is still in the queue', async () => {
    await runAlbum('Cove', 41, 5);
    await expect.poll(allDone, { timeout: 60_000 }).toBe(GOOD);
    expect(await tabNames()).toEqual(['Lake', 'Harbour', 'Cove']);
    await closeTab('Cove');
    await page.reload();
    await expect.poll(() => tabs().count(), RESTORED).toBe(2);
    // Settled: the queue's runs were listed too, and Cove's did not make a tab.
    await expect.poll(allDone).toBe(GOOD);
    expect(await tabNames()).toEqual(['Lake', 'Harbour']);
  });

  it('after a restart (core keeps no scan), rebuilds tabs from the queue alone; a closed one stays closed', async () => {
    // A real restart: the core quits and starts again on the same data folder.
    app = await rig.restart();
    await page.goto(app.bridge.pageUrl);
    await expect.poll(() => tabs().count(), RESTORED).toBe(3);
    // A new session: Cove's run makes a tab again, like every recent run.
    expect(await tabNames()).toEqual(['Lake', 'Harbour', 'Cove']);
    await closeTab('Cove');
    await page.reload();
    await expect.poll(() => tabs().count(), RESTORED).toBe(2);
    await tabs().first().click();
    await expect.poll(allDone).toBe(GOOD);
    expect(await tabNames()).toEqual(['Lake', 'Harbour']);
    expect(await tabs().first().textContent()).toContain('Lake');
    expect(await tabs().last().textContent()).toContain('Harbour');
    await expect.poll(statuses).toEqual(Array<string>(GOOD).fill('done'));
    await expect.poll(() => loaded('[data-testid="result-thumb"]')).toBe(GOOD);
    expect(await page.getByTestId('send-summary').textContent()).toBe(t('batch.overview.queueTab'));
    expect(await page.getByTestId('start').count()).toBe(0);
    await screenshot(page, 'restore-queue-en');
    expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgeApp, type BridgeApp } from '../../electron/core/bridge/bridge-app';
import { createTranslator } from '../../shared/i18n';
import type { Language } from '../../shared/settings';
import { expectAccessible } from './support/axe';
import { launchChromium, screenshot, watchPageErrors } from './support/browser';
import { sceneJpeg } from './support/scene-photos';

/** An album: six good photos (two in a nested folder), a tiny one, a fake JPEG, a panorama. */
async function makeAlbum(root: string): Promise<string> {
  const album = join(root, 'Summer 2024');
  mkdirSync(join(album, 'Day two'), { recursive: true });
  for (let i = 0; i < 4; i += 1) {
    writeFileSync(join(album, `beach-${i + 1}.jpg`), await sceneJpeg(800, 600, i));
  }
  writeFileSync(join(album, 'Day two', 'hills-1.jpg'), await sceneJpeg(640, 900, 4));
  writeFileSync(join(album, 'Day two', 'hills-2.jpg'), await sceneJpeg(900, 640, 5));
  writeFileSync(join(album, 'tiny.jpg'), await sceneJpeg(100, 100, 2));
  writeFileSync(join(album, 'notes.jpg'), 'not a photo, just text with a .jpg name\n');
  writeFileSync(join(album, 'panorama.jpg'), await sceneJpeg(2400, 600, 1));
  return album;
}

const FILES = 9;

describe('The batch workflow in the real window, over the dev bridge, in Chromium', () => {
  let root: string;
  let album: string;
  let reference: string;
  let app: BridgeApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'restyle-e2e-batch-'));
    album = await makeAlbum(root);
    reference = join(root, 'style-reference.jpg');
    writeFileSync(reference, await sceneJpeg(700, 700, 3));
    app = await startBridgeApp({
      dataDir: join(root, 'data'),
      staticDir: join(process.cwd(), 'out', 'renderer'),
      env: {},
      locale: 'en_US.UTF-8',
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    errors = watchPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const cell = (name: string) => page.locator(`[data-testid="photo-cell"][data-name="${name}"]`);

  /** Adds the album the way a drop does: `addPaths`, here behind Add photos and a scripted dialog. */
  async function addAlbum() {
    app.platform.queuePhotoChoice([album]);
    await page.getByTestId('add-photos').first().click();
    await expect.poll(() => page.getByTestId('photo-cell').count()).toBe(FILES);
    await expect.poll(() => page.getByTestId('cancel-scan').count()).toBe(0);
  }

  async function thumbnailsLoaded(): Promise<number> {
    await page.waitForFunction(() => {
      const images = [
        ...document.querySelectorAll<HTMLImageElement>('[data-testid="gallery"] img'),
      ];
      return images.length >= 7 && images.every((img) => img.complete && img.naturalWidth > 0);
    });
    return page.locator('[data-testid="gallery"] img').count();
  }

  for (const language of ['en', 'zh-CN'] as Language[]) {
    describe(language, () => {
      const t = createTranslator(language);
      const shot = (step: string) => screenshot(page, `batch-${step}-${language}`);

      it('shows the empty state with the next step, and explains that a browser cannot drop', async () => {
        app.services.settings.update({ language, theme: 'light' });
        // Core keeps the other language's scans as tabs across a reload: start empty.
        for (const scan of app.services.intake.listScans())
          app.services.intake.closeScan(scan.scanId);
        await page.goto(app.bridge.pageUrl);
        await page.getByTestId('batch-empty').waitFor();
        expect(await page.locator('h1').textContent()).toBe(t('batch.empty.title'));
        await shot('empty');

        // Real drag events, handled by the window's drop handler: no local paths in a browser.
        const drag = (type: string) =>
          page.evaluate((eventType) => {
            const data = new DataTransfer();
            data.items.add(new File(['x'], 'photo.jpg', { type: 'image/jpeg' }));
            window.dispatchEvent(new DragEvent(eventType, { dataTransfer: data, bubbles: true }));
          }, type);
        await drag('dragenter');
        await page.getByTestId('drop-overlay').waitFor();
        await shot('drop-overlay');
        await drag('drop');
        await expect.poll(() => page.getByTestId('drop-overlay').count()).toBe(0);
        await expect
          .poll(() => page.getByTestId('add-notice').textContent())
          .toBe(t('batch.drop.needsApp'));
        await shot('drop-needs-app');
      });

      it('adds a folder and shows its thumbnails, statuses and reasons', async () => {
        await addAlbum();
        expect(await thumbnailsLoaded()).toBeGreaterThanOrEqual(7);
        expect(await page.getByTestId('batch-tab').textContent()).toContain('Summer 2024');
        expect(await page.getByTestId('announcer').textContent()).toBe(
          t('batch.announce.done', { name: 'Summer 2024', count: FILES, rejected: 2 }),
        );
        expect(await cell('tiny.jpg').getAttribute('data-status')).toBe('rejected');
        expect(await cell('tiny.jpg').getByTestId('photo-note').textContent()).toBe(
          t('intake.reason.too_small', { width: 100, height: 100, min: 256 }),
        );
        expect(await cell('notes.jpg').getByTestId('photo-note').textContent()).toBe(
          t('intake.reason.not_image'),
        );
        expect(await cell('panorama.jpg').getAttribute('data-status')).toBe('adjusted');
        expect(await cell('panorama.jpg').getByTestId('photo-note').textContent()).toContain(
          t('intake.adjustment.cropped'),
        );
        expect(await cell('hills-1.jpg').getAttribute('data-status')).toBe('ready');
        await shot('gallery');
      });

      it('filters by status', async () => {
        await page.getByTestId('filter-rejected').click();
        await expect.poll(() => page.getByTestId('photo-cell').count()).toBe(2);
        await shot('filter-rejected');
        await expectAccessible(page, `rejected photos, ${language}`);
        await page.getByTestId('filter-all').click();
        await expect.poll(() => page.getByTestId('photo-cell').count()).toBe(FILES);
      });

      it('moves, selects and excludes with the keyboard, and opens the full-size view', async () => {
        const first = page.getByTestId('photo-cell').first();
        await first.focus();
        await page.keyboard.press('ArrowRight');
        const second = page.getByTestId('photo-cell').nth(1);
        await expect.poll(() => second.evaluate((el) => el === document.activeElement)).toBe(true);
        await page.keyboard.press('Space');
        await expect.poll(() => second.getAttribute('aria-selected')).toBe('true');
        expect(await page.getByTestId('selected-count').textContent()).toBe(
          t('batch.gallery.selected', { count: 1 }),
        );
        await page.keyboard.press('x');
        await expect.poll(() => second.getAttribute('data-status')).toBe('excluded');
        await shot('keyboard');
        await expectAccessible(page, `a photo selected and excluded, ${language}`);
        await page.keyboard.press('x');
        await expect.poll(() => second.getAttribute('data-status')).not.toBe('excluded');
        await page.keyboard.press('Space');

        await page.keyboard.press('Enter');
        await page.getByTestId('viewer').waitFor();
        await page.waitForFunction(() => {
          const img = document.querySelector<HTMLImageElement>('[data-testid="viewer-image"]');
          return img !== null && img.complete && img.naturalWidth > 0;
        });
        await shot('viewer');
        await page.keyboard.press('Escape');
        await expect.poll(() => page.getByTestId('viewer').count()).toBe(0);
        await expect.poll(() => second.evaluate((el) => el === document.activeElement)).toBe(true);
      });

      it('picks a preset, which makes Start available', async () => {
        await page.getByTestId('preset-2').click();
        await expect
          .poll(() => page.getByTestId('preset-2').getAttribute('aria-checked'))
          .toBe('true');
        expect(await page.getByTestId('recipe-chosen').textContent()).toBe(
          t('batch.styles.chosen', { name: t('styles.preset.2') }),
        );
        expect(await page.getByTestId('send-summary').textContent()).toBe(
          t('batch.overview.toSend', { photos: 7, images: 7 }),
        );
        expect(await page.getByTestId('start').isDisabled()).toBe(false);
        // The presets are one radio group: arrow keys move the choice.
        await page.keyboard.press('ArrowRight');
        await expect
          .poll(() => page.getByTestId('preset-3').getAttribute('aria-checked'))
          .toBe('true');
        await page.keyboard.press('ArrowLeft');
        await expect
          .poll(() => page.getByTestId('preset-2').getAttribute('aria-checked'))
          .toBe('true');
        await shot('preset');
      });

      it('checks a custom reference image', async () => {
        app.platform.queuePhotoChoice([reference]);
        await page.getByTestId('style-tab-reference').click();
        await page.getByTestId('reference-choose').click();
        await expect
          .poll(() => page.getByTestId('recipe-chosen').textContent())
          .toBe(t('batch.styles.chosen', { name: 'style-reference.jpg' }));
        await page.waitForFunction(() => {
          const img = document.querySelector<HTMLImageElement>('[data-testid="reference"] img');
          return img !== null && img.complete && img.naturalWidth > 0;
        });
        await shot('reference');
      });

      it('writes a prompt with 3 variants and saves it as a recipe that survives a reload', async () => {
        const prompt = language === 'en' ? 'A soft watercolour painting' : '柔和的水彩画风格';
        const name = `${language} watercolour`;
        await page.getByTestId('style-tab-prompt').click();
        await page.getByTestId('prompt').fill(prompt);
        await page.getByTestId('variants-3').check();
        expect(await page.getByTestId('prompt-counter').textContent()).toBe(
          t('batch.styles.prompt.counter', { count: prompt.length, max: 800 }),
        );
        expect(await page.getByTestId('send-summary').textContent()).toBe(
          t('batch.overview.toSend', { photos: 7, images: 21 }),
        );
        await page.getByTestId('recipe-name').fill(name);
        await page.getByTestId('recipe-save').click();
        await expect
          .poll(() => page.getByTestId('recipe-item').first().textContent())
          .toContain(name);
        await shot('prompt');
        await expectAccessible(page, `a prompt and a saved recipe, ${language}`);

        await page.reload();
        await addAlbum();
        await page
          .getByTestId('recipe-item')
          .filter({ hasText: name })
          .locator('button')
          .first()
          .click();
        await expect.poll(() => page.getByTestId('prompt').inputValue()).toBe(prompt);
        expect(await page.getByTestId('variants-3').isChecked()).toBe(true);
        await thumbnailsLoaded();
        await shot('recipe-reloaded');
      });
    });
  }

  it('looks right in the dark theme', async () => {
    app.services.settings.update({ language: 'en', theme: 'dark' });
    await page.reload();
    await addAlbum();
    await thumbnailsLoaded();
    await page.getByTestId('preset-5').click();
    await screenshot(page, 'batch-gallery-dark-en');
    await expectAccessible(page, 'the gallery in the dark theme');
    expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgeApp, type BridgeApp } from '../../electron/core/bridge/bridge-app';
import { createTranslator } from '../../shared/i18n';
import type { Language, Theme } from '../../shared/settings';
import { launchChromium, screenshot, watchPageErrors } from './support/browser';
import { sceneJpeg } from './support/scene-photos';

/**
 * `npm run preview` for a person: in a plain browser there is no OS chooser,
 * and nothing is scripted, so Add photos, the style reference and the library
 * folder open the page's own folder browser over the bridge.
 */
describe('The folder browser of the window in a browser (dev bridge, nothing scripted)', () => {
  let root: string;
  let home: string;
  let album: string;
  let library: string;
  let app: BridgeApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const t = createTranslator('en');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'restyle-e2e-browse-'));
    home = join(root, 'home');
    album = join(home, 'Pictures', 'Summer 2024');
    library = join(root, 'library');
    mkdirSync(join(album, 'Day two'), { recursive: true });
    mkdirSync(join(home, 'Documents'));
    mkdirSync(join(home, '.cache'));
    mkdirSync(library);
    for (let i = 0; i < 4; i += 1)
      writeFileSync(join(album, `beach-${i + 1}.jpg`), await sceneJpeg(800, 600, i));
    writeFileSync(join(album, 'Day two', 'hills-1.jpg'), await sceneJpeg(640, 900, 4));
    writeFileSync(join(album, 'Day two', 'hills-2.jpg'), await sceneJpeg(900, 640, 5));
    writeFileSync(join(album, 'notes.txt'), 'not an image\n');
    writeFileSync(join(album, '.hidden.jpg'), await sceneJpeg(300, 300, 1));
    app = await startBridgeApp({
      dataDir: join(root, 'data'),
      libraryDir: library,
      staticDir: join(process.cwd(), 'out', 'renderer'),
      env: {},
      locale: 'en_US.UTF-8',
      home,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    errors = watchPageErrors(page);
    app.services.settings.update({ language: 'en', theme: 'light' });
    await page.goto(app.bridge.pageUrl);
    await page.getByTestId('batch-empty').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const dialog = () => page.getByTestId('folder-browser');
  const entries = () =>
    page.getByTestId('browse-entry').evaluateAll((nodes) => nodes.map((n) => n.dataset.name));
  const entry = (name: string) => page.locator(`[data-testid="browse-entry"][data-name="${name}"]`);
  const status = () => page.getByTestId('browse-status').textContent();
  const focusedTestId = () =>
    page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
  const focusInsideDialog = () =>
    page.evaluate(
      () =>
        document
          .querySelector('[data-testid="folder-browser"]')
          ?.contains(document.activeElement) ?? false,
    );
  /** The photos of the shown batch, all of them (the gallery only renders the rows in view). */
  const galleryTotal = async () => {
    await expect.poll(() => page.getByTestId('cancel-scan').count()).toBe(0);
    return page.getByTestId('filter-all').locator('.chip-count').textContent();
  };
  /** Waits for a listing of `path` to be shown. */
  const listed = (path: string) =>
    expect.poll(() => page.getByTestId('browse-path').inputValue()).toBe(path);

  it('opens an accessible modal dialog at home for Add photos, focused on the list', async () => {
    await page.getByTestId('add-photos').click();
    await dialog().waitFor();
    const named = page.getByRole('dialog', { name: t('browse.title.photos') });
    expect(await named.getAttribute('aria-modal')).toBe('true');
    expect(await named.getAttribute('aria-describedby')).toBeTruthy();
    await listed(home);
    expect(await focusedTestId()).toBe('browse-list');
    expect(await entries()).toEqual(['Documents', 'Pictures']); // no .cache
    expect(await status()).toBe(
      t('browse.summary', {
        folders: t('browse.folders', { count: 2 }),
        images: t('browse.images', { count: 0 }),
      }),
    );
    expect(await page.getByTestId('browse-up').isEnabled()).toBe(true);
    expect(await page.getByTestId('browse-home').isEnabled()).toBe(false);
  });

  it('keeps Tab inside the dialog, and moves through the list with the keyboard', async () => {
    for (let i = 0; i < 10; i += 1) {
      await page.keyboard.press('Tab');
      expect(await focusInsideDialog(), `after ${i + 1} Tab`).toBe(true);
    }
    for (let i = 0; i < 10; i += 1) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusInsideDialog(), `after ${i + 1} Shift+Tab`).toBe(true);
    }
    await page.getByTestId('browse-list').focus();
    await page.keyboard.press('End'); // Pictures
    await page.keyboard.press('Enter');
    await listed(join(home, 'Pictures'));
    expect(await entries()).toEqual(['Summer 2024']);
    await page.keyboard.press('Backspace');
    await listed(home);
    await page.keyboard.press('p'); // type-ahead
    await page.keyboard.press('Enter');
    await listed(join(home, 'Pictures'));
    expect(await focusedTestId()).toBe('browse-list');
  });

  it('shows only images and folders, and adds the album: the gallery fills with its photos', async () => {
    await entry('Summer 2024').click();
    await listed(album);
    expect(await entries()).toEqual([
      'Day two',
      'beach-1.jpg',
      'beach-2.jpg',
      'beach-3.jpg',
      'beach-4.jpg',
    ]);
    expect(await status()).toBe(
      t('browse.summary', {
        folders: t('browse.folders', { count: 1 }),
        images: t('browse.images', { count: 4 }),
      }),
    );
    const choose = page.getByTestId('browse-choose');
    expect(await choose.textContent()).toBe(t('browse.addFolder', { name: 'Summer 2024' }));
    await choose.click();
    await expect.poll(() => dialog().count()).toBe(0);
    // Four photos here and two in "Day two" (intake goes into subfolders), all sendable;
    // intake also lists, as skipped, the hidden photo the browser did not show, and
    // counts notes.txt as left out (not a photo) in one line.
    await expect.poll(galleryTotal).toBe('7');
    expect(await page.getByTestId('filter-ready').locator('.chip-count').textContent()).toBe('6');
    expect(await page.getByTestId('overview').locator('strong').textContent()).toBe(
      t('batch.overview.found', { count: 7 }),
    );
    expect(await page.getByTestId('left-out').textContent()).toBe(
      t('intake.leftOut', { count: 1, extensions: 'txt' }),
    );
    expect(await page.getByTestId('batch-tab').first().textContent()).toContain('Summer 2024');
  });

  it('Escape cancels, adds nothing, and gives focus back to Add photos', async () => {
    const tabs = await page.getByTestId('batch-tab').count();
    await page.getByTestId('add-photos').first().focus();
    await page.keyboard.press('Enter');
    await dialog().waitFor();
    await listed(join(home, 'Pictures')); // starts beside the album chosen last
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);
    expect(await page.getByTestId('batch-tab').count()).toBe(tabs);
    expect(await focusedTestId()).toBe('add-photos');
  });

  it('goes to a typed path, explains paths it cannot open, and adds selected images', async () => {
    await page.getByTestId('add-photos').first().click();
    await dialog().waitFor();
    const path = page.getByTestId('browse-path');
    await path.fill(join(album, 'nowhere'));
    await path.press('Enter');
    await expect
      .poll(() => page.getByTestId('browse-error').textContent())
      .toBe(t('browse.errors.not_found', { path: join(album, 'nowhere') }));
    await screenshot(page, 'browse-error-en-light');
    await path.fill('Pictures');
    await path.press('Enter');
    await expect
      .poll(() => page.getByTestId('browse-error').textContent())
      .toBe(t('browse.errors.invalid_path', { example: home }));
    await path.fill(join(album, 'beach-1.jpg'));
    await path.press('Enter');
    await expect
      .poll(() => page.getByTestId('browse-error').textContent())
      .toBe(t('browse.errors.not_a_folder', { path: join(album, 'beach-1.jpg') }));
    await path.fill('~/Pictures/Summer 2024/Day two');
    await path.press('Enter');
    await listed(join(album, 'Day two'));
    expect(await page.getByTestId('browse-error').count()).toBe(0);

    await page.getByTestId('browse-list').focus();
    await page.keyboard.press('Space'); // hills-1.jpg
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space'); // hills-2.jpg
    expect(await entry('hills-2.jpg').getAttribute('aria-selected')).toBe('true');
    expect(await status()).toContain(t('browse.selected', { count: 2 }));
    const choose = page.getByTestId('browse-choose');
    expect(await choose.textContent()).toBe(t('browse.addSelected', { count: 2 }));
    await choose.click();
    await expect.poll(() => page.getByTestId('batch-tab').count()).toBe(2);
    await expect.poll(galleryTotal).toBe('2');
    expect(await page.getByTestId('filter-ready').locator('.chip-count').textContent()).toBe('2');
    expect(await page.getByTestId('batch-tab').nth(1).textContent()).toContain(
      t('batch.name.items', { count: 2 }),
    );
  });

  it('chooses a style reference image', async () => {
    await page.getByTestId('style-tab-reference').click();
    await page.getByTestId('reference-choose').click();
    await dialog().waitFor();
    expect(await dialog().getAttribute('data-kind')).toBe('reference');
    await listed(join(album, 'Day two')); // where the last images were chosen
    expect(await page.getByTestId('browse-choose').isDisabled()).toBe(true);
    await entry('hills-1.jpg').click();
    expect(await page.getByTestId('browse-choose').isEnabled()).toBe(true);
    await screenshot(page, 'browse-reference-en-light');
    await page.getByTestId('browse-choose').click();
    await expect
      .poll(() => page.getByTestId('recipe-chosen').textContent())
      .toBe(t('batch.styles.chosen', { name: 'hills-1.jpg' }));
  });

  it("chooses Settings' library folder, listing folders only", async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('library-choose').click();
    await dialog().waitFor();
    expect(await dialog().getAttribute('data-kind')).toBe('folder');
    await listed(library);
    expect(await page.getByTestId('browse-empty').textContent()).toBe(t('browse.empty.folder'));
    await page.getByTestId('browse-up').click();
    await listed(root);
    await entry('home').click();
    await listed(home);
    await entry('Pictures').click();
    await listed(join(home, 'Pictures'));
    await entry('Summer 2024').click();
    await listed(album);
    expect(await entries()).toEqual(['Day two']); // no images when choosing a folder
    expect(await status()).toBe(t('browse.folders', { count: 1 }));
    expect(await page.getByTestId('browse-choose').textContent()).toBe(
      t('browse.chooseFolder', { name: 'Summer 2024' }),
    );
    await screenshot(page, 'browse-folder-en-light');
    await page.getByTestId('browse-choose').click();
    await expect.poll(() => page.getByTestId('library-dir').inputValue()).toBe(album);
    expect(app.services.settings.view().libraryDir).toBe(album);
    await page.getByTestId('nav-batch').click();
  });

  const looks: Array<[Language, Theme]> = [
    ['en', 'light'],
    ['en', 'dark'],
    ['zh-CN', 'light'],
    ['zh-CN', 'dark'],
  ];
  for (const [language, theme] of looks) {
    it(`reads well at 900x600 in ${language}, ${theme}`, async () => {
      const tr = createTranslator(language);
      app.services.settings.update({ language, theme });
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(language);
      await page.getByTestId('add-photos').first().click();
      await dialog().waitFor();
      const path = page.getByTestId('browse-path');
      await path.fill(album);
      await path.press('Enter');
      await listed(album);
      await entry('beach-2.jpg').click();
      await page.keyboard.press('ArrowDown'); // the keyboard's place: beach-3.jpg
      expect(await page.getByRole('dialog').getAttribute('aria-labelledby')).toBeTruthy();
      expect(await page.locator('[data-testid="folder-browser"] h2').textContent()).toBe(
        tr('browse.title.photos'),
      );
      expect(await status()).toBe(
        [
          tr('browse.summary', {
            folders: tr('browse.folders', { count: 1 }),
            images: tr('browse.images', { count: 4 }),
          }),
          tr('browse.selected', { count: 1 }),
        ].join(' · '),
      );
      expect(await page.getByTestId('browse-choose').textContent()).toBe(
        tr('browse.addSelected', { count: 1 }),
      );
      // Everything fits: the dialog inside the window, its buttons not cut.
      const box = await dialog().boundingBox();
      expect(box && box.y >= 0 && box.y + box.height <= 600 && box.width <= 900).toBe(true);
      for (const id of ['browse-choose', 'browse-cancel', 'browse-go', 'browse-up'])
        expect(
          await page
            .getByTestId(id)
            .evaluate(
              (el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight,
            ),
          id,
        ).toBe(true);
      await screenshot(page, `browse-${language}-${theme}`);
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog().count()).toBe(0);
    });
  }

  it('logged no errors in the page', () => {
    expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  });
});

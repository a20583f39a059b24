// The library's viewer, photo stack, albums and re-runs in the real window:
// an album run in two styles against the mock DashScope, then its photo's
// stack, two styles compared with one zoom, a rating by keyboard that a
// reload and a rebuild keep, a re-run through its quote, and an album's
// coverage whose gap is filled, paid, through the quote.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeApp } from '../../electron/core/bridge/bridge-app';
import { libraryHandlers } from '../../electron/core/ipc/handlers/library';
import { COVERAGE_STATES } from '../../shared/contract/library';
import { createTranslator } from '../../shared/i18n';
import type { Language } from '../../shared/settings';
import { expectAccessible } from './support/axe';
import { screenshot, settleImages } from './support/browser';
import { sceneJpeg } from './support/scene-photos';
import { startWindowRig, type WindowRig } from './support/window-rig';
import { writeSyntheticLibrary, type SyntheticLibrary } from '../support/synthetic-library';

const PHOTOS = 3;
const SMALL = { width: 900, height: 600 } as const;
const LARGE = { width: 1920, height: 1080 } as const;
const SIZES = [SMALL, LARGE] as const;
const THEMES = ['light', 'dark'] as const;

async function makeAlbum(root: string, name: string, seed: number): Promise<string> {
  const album = join(root, name);
  mkdirSync(album, { recursive: true });
  for (let i = 0; i < PHOTOS; i += 1)
    writeFileSync(join(album, `photo-${i + 1}.jpg`), await sceneJpeg(800, 600, seed + i * 7));
  return album;
}

describe('The library: a photo stack, the viewer, re-runs and an album’s coverage', () => {
  for (const language of ['en', 'zh-CN'] as Language[]) {
    describe(language, () => {
      const t = createTranslator(language);
      let rig: WindowRig;
      let app: BridgeApp;
      let page: Page;
      const albumName = language === 'en' ? 'Lake' : '湖边';
      /** Responses that failed (a broken image), named for the failure message. */
      const missing: string[] = [];

      const testId = (id: string) => page.getByTestId(id);
      const viewer = () => testId('result-viewer');
      const stack = () => testId('photo-stack');

      /** axe and a screenshot in both themes, at 900×600 and 1920×1080. */
      async function audit(view: string) {
        for (const size of SIZES) {
          await page.setViewportSize(size);
          for (const theme of THEMES) {
            await page.emulateMedia({ colorScheme: theme });
            await expect
              .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
              .toBe(theme);
            await expectAccessible(
              page,
              `${view}, ${language}, ${theme}, ${size.width}x${size.height}`,
            );
            await screenshot(
              page,
              `library-viewer-${view}-${language}-${theme}-${size.width}x${size.height}`,
            );
          }
        }
        await page.setViewportSize(LARGE);
        await page.emulateMedia({ colorScheme: 'light' });
      }

      /** Runs the open tab's photos in a preset, through the quote, to done. */
      async function runPreset(preset: number) {
        await testId(`preset-${preset}`).click();
        await testId('start').click();
        await testId('quote-confirm').click();
        await expect
          .poll(
            () =>
              page.$$eval(
                '[data-testid="photo-cell"]',
                (cells) =>
                  cells.filter((cell) => cell.getAttribute('data-status') === 'done').length,
              ),
            { timeout: 60_000 },
          )
          .toBe(PHOTOS);
        // The cells may still show the style run before; the card says when this run is done
        // (three tasks at 2 submits a second take longer than expect.poll's default second).
        await expect
          .poll(() => testId('run-state').textContent(), { timeout: 60_000 })
          .toBe(t('run.progress.state.done'));
      }

      async function openLibrary(mode: 'photos' | 'results' | 'albums') {
        await testId('nav-library').click();
        await testId(`library-mode-${mode}`).click();
      }

      /** The stack of photo-1.jpg, from the Photos grid. */
      async function openStack() {
        await openLibrary('photos');
        const tile = page.locator('[data-testid="library-tile"][data-name="photo-1.jpg"]');
        await tile.dblclick();
        await stack().waitFor();
        await expect.poll(() => testId('stack-tile').count()).toBeGreaterThanOrEqual(2);
      }

      const allDone = () =>
        app.services.engine
          .listBatches()
          .every((b) => b.state === 'done' || b.state === 'canceled');

      beforeAll(async () => {
        rig = await startWindowRig(`restyle-e2e-library-viewer-${language}-`);
        ({ app, page } = rig);
        page.on('response', (response) => {
          if (response.status() >= 400) missing.push(`${response.status()} ${response.url()}`);
        });
        rig.mock.configure({ taskMs: 200 });
        app.services.settings.update({ language, theme: 'system' });
        await page.setViewportSize(LARGE);
      });
      afterAll(() => rig?.close());

      it('runs an album in two styles', async () => {
        await page.goto(app.bridge.pageUrl);
        await testId('batch-empty').waitFor();
        app.platform.queuePhotoChoice([
          await makeAlbum(rig.root, albumName, language === 'en' ? 3 : 5),
        ]);
        await testId('add-photos').first().click();
        await expect.poll(() => testId('photo-cell').count()).toBe(PHOTOS);
        // The scan has ended (its photos identified) before a style is run: under load the
        // cells show before the scan is over, and Start waits for it.
        await expect.poll(() => testId('cancel-scan').count(), { timeout: 30_000 }).toBe(0);
        await runPreset(2);
        await runPreset(3);
      });

      it("opens a photo's stack and compares two styles side by side, zoomed together", async () => {
        await openStack();
        // The original, then a column per style, each with this photo's result.
        expect(await testId('stack-column').count()).toBe(2);
        expect(await testId('stack-summary').textContent()).toContain(
          t('viewer.stack.styles', { count: 2 }),
        );
        await testId('stack-original-image').waitFor();
        await audit('stack');

        expect(await testId('stack-compare').isDisabled()).toBe(true);
        const picks = testId('stack-pick');
        await picks.nth(0).check();
        await picks.nth(1).check();
        await testId('stack-compare').click();
        await viewer().waitFor();
        await testId('pane-a').locator('img').waitFor();
        await testId('pane-b').locator('img').waitFor();
        const zoomOf = async (pane: string) => Number(await testId(pane).getAttribute('data-zoom'));
        const [a0, b0] = [await zoomOf('pane-a'), await zoomOf('pane-b')];

        // The wheel over one pane zooms both (around the cursor): the other follows.
        const box = await testId('pane-a').boundingBox();
        if (!box) throw new Error('no pane');
        await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
        await page.mouse.wheel(0, -100);
        await page.mouse.wheel(0, -100);
        await expect.poll(() => zoomOf('pane-a')).toBeGreaterThan(a0);
        await expect.poll(() => zoomOf('pane-b')).toBeGreaterThan(b0);
        // The same part of the photo in both: the zoom grew by the same factor.
        expect((await zoomOf('pane-b')) / b0).toBeCloseTo((await zoomOf('pane-a')) / a0, 1);

        // A drag in the other pane moves both.
        const x = async (pane: string) => Number(await testId(pane).getAttribute('data-x'));
        const [ax, bx] = [await x('pane-a'), await x('pane-b')];
        const other = await testId('pane-b').boundingBox();
        if (!other) throw new Error('no pane');
        await page.mouse.move(other.x + other.width / 2, other.y + other.height / 2);
        await page.mouse.down();
        await page.mouse.move(other.x + other.width / 2 + 60, other.y + other.height / 2, {
          steps: 4,
        });
        await page.mouse.up();
        await expect.poll(() => x('pane-b')).not.toBe(bx);
        await expect.poll(() => x('pane-a')).not.toBe(ax);
        await audit('compare');

        // Before and after: the photo as it was sent, under the result.
        await testId('viewer-mode-beforeAfter').click();
        await testId('compare').waitFor();
        expect(await testId('compare-before').getAttribute('src')).toContain('/source');
        await audit('before-after');
        await page.keyboard.press('Escape');
        await expect.poll(() => viewer().count()).toBe(0);
        await expect.poll(() => stack().count()).toBe(1);
      });

      it('rates with the keyboard (3) and favourites (F); a reload and a rebuild keep both', async () => {
        await testId('stack-open').first().click();
        await viewer().waitFor();
        const id = await viewer().getAttribute('data-result-id');
        await testId('viewer-details').waitFor();
        await page.keyboard.press('3');
        await expect.poll(() => testId('viewer-rating').getAttribute('data-rating')).toBe('3');
        await page.keyboard.press('f');
        await expect
          .poll(() => testId('viewer-favourite').getAttribute('aria-pressed'))
          .toBe('true');
        expect(await testId('detail-cost').textContent()).toContain(t('viewer.details.free'));
        await audit('viewer');

        // + zooms in; zoomed in, the arrow keys on the picture move it (not to the next result).
        const zoom = async () => Number(await testId('pane-a').getAttribute('data-zoom'));
        const fit = await zoom();
        await page.keyboard.press('+');
        await page.keyboard.press('+');
        await expect.poll(zoom).toBeGreaterThan(fit);
        await testId('pane-a').focus();
        const left = await testId('pane-a').getAttribute('data-x');
        await page.keyboard.press('ArrowRight');
        await expect.poll(() => testId('pane-a').getAttribute('data-x')).not.toBe(left);
        expect(await viewer().getAttribute('data-result-id')).toBe(id);
        await testId('zoom-fit').click();
        await expect.poll(zoom).toBe(fit);
        await page.keyboard.press('Escape');
        await page.keyboard.press('Escape');

        const ratingShown = async () => {
          await openStack();
          const tile = page.locator(`[data-testid="stack-tile"][data-result-id="${id}"]`);
          return tile.getByTestId('stack-rating').getAttribute('data-rating');
        };
        await page.reload();
        await testId('nav-library').waitFor();
        expect(await ratingShown()).toBe('3');
        await page.keyboard.press('Escape');

        // Rebuilt from the sidecars alone: the rating and the favourite are still there.
        const rebuilt = await libraryHandlers['library:rebuild'](app.services, {});
        expect(rebuilt.entries).toBe(PHOTOS * 2);
        await page.reload();
        await testId('nav-library').waitFor();
        expect(await ratingShown()).toBe('3');
        await testId('stack-open').first().click();
        await viewer().waitFor();
        await expect.poll(() => viewer().getAttribute('data-result-id')).toBe(id);
        await expect
          .poll(() => testId('viewer-favourite').getAttribute('aria-pressed'))
          .toBe('true');
        await page.keyboard.press('Escape');
      });

      it('runs the photo again in another style through its quote; nothing before Confirm', async () => {
        const before = app.services.engine.listBatches().length;
        await testId('stack-rerun').click();
        const dialog = testId('rerun-dialog');
        await dialog.waitFor();
        await expect.poll(() => dialog.getAttribute('data-phase')).toBe('choosing');
        await testId('rerun-preset-5').click();
        await expect.poll(() => dialog.getAttribute('data-phase')).toBe('quoted');
        const photos = t('run.quote.photos', { count: 1 });
        expect(await testId('quote-images').textContent()).toBe(
          t('run.quote.make', { photos, images: t('run.quote.images', { count: 1 }) }),
        );
        expect(app.services.engine.listBatches()).toHaveLength(before);
        await audit('rerun-quote');
        await testId('rerun-confirm').click();
        await expect.poll(() => dialog.getAttribute('data-phase')).toBe('queued');
        const batches = app.services.engine.listBatches();
        expect(batches).toHaveLength(before + 1);
        expect(batches.at(-1)?.recipeKey).toBe('preset:5');
        await testId('rerun-show-batch').click();
        await expect.poll(() => testId('nav-batch').getAttribute('aria-current')).toBe('page');
        await expect.poll(allDone, { timeout: 60_000 }).toBe(true);
      });

      it("an album's coverage says true counts, and Fill the gaps quotes only the gaps, paid", async () => {
        // A gap: one result deleted from the viewer (Delete), as a user would.
        await openLibrary('results');
        const first = page.locator('[data-testid="library-tile"]').first();
        // The grid's thumbnails asked for first: one asked after the delete would be a 404.
        await first.waitFor();
        await settleImages(page);
        await first.dblclick();
        await viewer().waitFor();
        await testId('viewer-details').waitFor();
        await page.keyboard.press('Delete');
        await testId('library-undo').waitFor();
        await page.keyboard.press('Escape');

        await openLibrary('albums');
        const tile = page.locator(`[data-testid="album-tile"][data-album="${albumName}"]`);
        await tile.waitFor();
        await audit('albums');
        await tile.click();
        await testId('coverage-matrix').waitFor();
        // 3 photos × 3 styles (two on all, the third on one photo), one deleted.
        await expect.poll(() => testId('coverage-row').count()).toBe(PHOTOS);
        expect(await testId('coverage-style').count()).toBe(3);
        const states = () =>
          page.$$eval('[data-testid="coverage-cell"]', (cells) =>
            cells.map((cell) => cell.getAttribute('data-state')),
          );
        const count = (list: Array<string | null>, state: string) =>
          list.filter((s) => s === state).length;
        await expect.poll(async () => count(await states(), 'done')).toBe(PHOTOS * 2);
        expect(count(await states(), 'none')).toBe(3);
        const shown = async (state: string) =>
          Number(await testId(`count-${state}`).last().getAttribute('data-count'));
        expect(await shown('done')).toBe(PHOTOS * 2);
        expect(await shown('none')).toBe(3);
        await audit('coverage');

        // A cell opens its result.
        await page
          .locator('[data-testid="coverage-cell"][data-state="done"] button')
          .first()
          .click();
        await viewer().waitFor();
        await page.keyboard.press('Escape');

        // No free images left: the gaps are paid, what the library has is not.
        app.services.costs.setFreeUsed('wanx-style-repaint-v1', 500);
        await testId('fill-gaps').click();
        const dialog = testId('rerun-dialog');
        await expect.poll(() => dialog.getAttribute('data-phase')).toBe('quoted');
        expect(await testId('quote-inLibrary').textContent()).toBe(
          t('run.quote.inLibrary', { count: PHOTOS * 2 }),
        );
        expect(await testId('quote-free').textContent()).toBe(t('run.quote.freeNone'));
        expect(await testId('quote-paid').textContent()).toContain(
          t('run.quote.images', { count: 3 }),
        );
        await audit('fill-gaps');
        await testId('rerun-confirm').click();
        await expect.poll(() => dialog.getAttribute('data-phase')).toBe('queued');
        await testId('rerun-close').click();
        await expect.poll(allDone, { timeout: 60_000 }).toBe(true);
        await expect.poll(async () => count(await states(), 'done'), { timeout: 20_000 }).toBe(9);
        expect(rig.errors, missing.join('\n')).toEqual([]);
      });

      it('a result deleted outside the app is a missing cell, and the viewer says so', async () => {
        const { items } = await libraryHandlers['library:results'](app.services, {
          filter: { albumFolder: albumName },
          sort: 'newest',
          offset: 0,
          limit: 1,
        });
        const gone = items[0];
        if (!gone) throw new Error('no result');
        rmSync(gone.path);
        // What the window's focus does: the folder looked at again.
        await libraryHandlers['library:sync'](app.services, {});
        const cell = page.locator('[data-testid="coverage-cell"][data-state="missing"]');
        await expect.poll(() => cell.count()).toBe(1);
        expect(await testId('count-missing').getAttribute('data-count')).toBe('1');
        expect(await cell.textContent()).toContain(t('viewer.albums.state.missing'));
        await cell.locator('button').click();
        await viewer().waitFor();
        // The item is fetched first ("Loading…"), then it says the file is gone.
        await expect.poll(() => testId('pane-a-message').textContent()).toBe(t('viewer.missing'));
        await testId('viewer-mode-beforeAfter').click();
        expect(await testId('compare').count()).toBe(0);
        await page.keyboard.press('Escape');
        expect(rig.errors, missing.join('\n')).toEqual([]);
      });
    });
  }

  describe('a long album', () => {
    let rig: WindowRig;
    let made: SyntheticLibrary;
    const t = createTranslator('en');

    beforeAll(async () => {
      rig = await startWindowRig('restyle-e2e-library-long-', {
        // Sidecars copied in: one album of a few hundred photos whose originals are elsewhere.
        prepare: async (dataDir) => {
          made = await writeSyntheticLibrary({
            root: join(dataDir, '..', 'library'),
            results: 800,
            albums: 1,
          });
        },
      });
      rig.app.services.settings.update({ language: 'en', theme: 'light' });
      await rig.page.setViewportSize(SMALL);
    });
    afterAll(() => rig?.close());

    it('pages and virtualizes its coverage; Fill the gaps names the originals that are gone', async () => {
      const { page, app } = rig;
      const album = made.probes.album;
      await page.goto(app.bridge.pageUrl);
      await page.getByTestId('nav-library').click();
      await page.getByTestId('library-mode-albums').click();
      await page.locator(`[data-testid="album-tile"][data-album="${album}"]`).click();
      await page.getByTestId('coverage-matrix').waitFor();
      const coverage = await libraryHandlers['library:coverage'](app.services, {
        albumFolder: album,
        offset: 0,
        limit: 1,
      });
      expect(coverage.total).toBeGreaterThan(200);
      expect(await page.getByTestId('coverage-matrix').getAttribute('aria-rowcount')).toBe(
        String(coverage.total + 1),
      );
      // Only the rows in view (and a few more) are in the page.
      await expect.poll(() => page.getByTestId('coverage-row').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('coverage-row').count()).toBeLessThan(60);
      // The whole album's counts, as core counts them.
      for (const state of COVERAGE_STATES)
        if (coverage.counts[state] > 0)
          expect(await page.getByTestId(`count-${state}`).getAttribute('data-count')).toBe(
            String(coverage.counts[state]),
          );
      // Scrolled to the end: the last page is asked for and its last photo shown.
      const last = await libraryHandlers['library:coverage'](app.services, {
        albumFolder: album,
        offset: coverage.total - 1,
        limit: 1,
      });
      await page.getByTestId('coverage-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      const lastRow = page.locator(
        `[data-testid="coverage-row"][data-source="${last.photos[0]?.sourceHash}"]`,
      );
      await lastRow.waitFor();
      await screenshot(page, 'library-viewer-long-album-en-light-900x600');

      // Its originals are on another computer: nothing can be sent, and the dialog says why.
      await page.getByTestId('fill-gaps').click();
      const dialog = page.getByTestId('rerun-dialog');
      await expect.poll(() => dialog.getAttribute('data-phase')).toBe('choosing');
      expect(await page.getByTestId('rerun-missing').locator('p').textContent()).toBe(
        t('viewer.rerun.sourcesMissing', { count: coverage.total }),
      );
      expect(await page.getByTestId('rerun-status').textContent()).toBe(t('viewer.rerun.noneLeft'));
      expect(await page.getByTestId('rerun-confirm').isDisabled()).toBe(true);
      await expectAccessible(page, 'long album, fill the gaps');
      await screenshot(page, 'library-viewer-long-album-gone-en-light-900x600');
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
    });
  });
});

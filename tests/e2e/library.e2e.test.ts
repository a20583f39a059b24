import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeApp } from '../../electron/core/bridge/bridge-app';
import { createTranslator } from '../../shared/i18n';
import { formatCny } from '../../shared/i18n/quote';
import type { Language } from '../../shared/settings';
import { expectAccessible } from './support/axe';
import { screenshot } from './support/browser';
import { sceneJpeg } from './support/scene-photos';
import { startWindowRig, type WindowRig } from './support/window-rig';

/**
 * The Library view in the real window, on real runs against the mock
 * DashScope: "Show results" of a run, filters with true counts, search,
 * selection and its actions (export to a folder and as a zip, delete and
 * Undo, show in folder, drag out), the find kept across a reload, and the
 * view in both themes at 900×600 and 1920×1080, axe-clean. Screenshots go to
 * test-results/library-*.png.
 */

const PHOTOS = 3;
const SMALL = { width: 900, height: 600 } as const;
const LARGE = { width: 1920, height: 1080 } as const;
const STYLE_A = 3;
const STYLE_B = 2;

async function makeAlbum(root: string, name: string, prefix: string, seed: number) {
  const album = join(root, 'photos', name);
  mkdirSync(album, { recursive: true });
  for (let i = 0; i < PHOTOS; i += 1) {
    writeFileSync(join(album, `${prefix}-${i + 1}.jpg`), await sceneJpeg(640, 480, seed + i * 7));
  }
  return album;
}

/** Every file below a folder, relative to it. */
function filesBelow(folder: string, prefix = ''): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory()
      ? filesBelow(path, `${prefix}${name}/`)
      : [`${prefix}${name}`];
  });
}

describe('The Library: find, select, act, spend', () => {
  for (const language of ['en', 'zh-CN'] as Language[]) {
    describe(language, () => {
      const t = createTranslator(language);
      let rig: WindowRig;
      let app: BridgeApp;
      let page: Page;
      /** A screenshot, once no text on screen is a placeholder left unfilled ("{{count}}"). */
      const shot = async (step: string) => {
        expect(await page.locator('body').innerText()).not.toMatch(/\{\{|\}\}/);
        return screenshot(page, `library-${step}-${language}`);
      };
      const styleA = t(`styles.preset.${STYLE_A}`);
      const styleB = t(`styles.preset.${STYLE_B}`);

      const tiles = () => page.getByTestId('library-tile');
      const count = () => page.getByTestId('library-count').textContent();
      const results = (n: number) => t('library.counted.results', { count: n });
      const option = (label: string, n: number) => t('library.find.option', { label, count: n });
      /** The options a filter's select offers, as shown. */
      const options = (field: string) =>
        page
          .getByTestId(`library-filter-${field}`)
          .locator('option')
          .evaluateAll((els) => els.map((el) => el.textContent));
      /** Chooses the option whose text is `text` (the label and its count). */
      const choose = async (field: string, text: string) => {
        const select = page.getByTestId(`library-filter-${field}`);
        const value = await select
          .locator('option')
          .evaluateAll(
            (els, wanted) => els.find((el) => el.textContent === wanted)?.getAttribute('value'),
            text,
          );
        if (value === undefined || value === null) throw new Error(`no option "${text}"`);
        await select.selectOption(value);
      };
      /** The names the tiles in view show. */
      const tileNames = () =>
        tiles().evaluateAll((els) => els.map((el) => el.getAttribute('data-name')));

      async function runAlbum(album: string | null, style: number) {
        if (album) {
          app.platform.queuePhotoChoice([album]);
          await page.getByTestId('add-photos').first().click();
          await expect.poll(() => page.getByTestId('photo-cell').count()).toBe(PHOTOS);
          await expect.poll(() => page.getByTestId('cancel-scan').count()).toBe(0);
        }
        await page.getByTestId(`preset-${style}`).click();
        await page.getByTestId('start').click();
        await page.getByTestId('quote').waitFor();
        await page.getByTestId('quote-confirm').click();
        await expect
          .poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 })
          .toBe(t('run.progress.state.done'));
      }

      beforeAll(async () => {
        rig = await startWindowRig(`restyle-e2e-library-${language}-`);
        ({ app, page } = rig);
        rig.mock.configure({ taskMs: 150 });
        app.services.settings.update({ language, theme: 'system' });
        await page.emulateMedia({ colorScheme: 'light' });
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.goto(app.bridge.pageUrl);
        await page.getByTestId('batch-empty').waitFor();
      });
      afterAll(() => rig?.close());

      it('is empty before anything is made, and says so', async () => {
        await page.getByTestId('nav-library').click();
        await page.getByTestId('library-empty').waitFor();
        expect(await page.getByTestId('library-empty').textContent()).toContain(
          t('common.empty.libraryTitle'),
        );
        await expectAccessible(page, `library empty, ${language}`);
        await page.getByTestId('nav-batch').click();
      });

      it('runs an album; "Show results" opens its results, the chip naming the run', async () => {
        await runAlbum(await makeAlbum(rig.root, 'Summer', 'beach', 3), STYLE_A);
        // A click on the run's "finished" notification: main sends app:show-batch-results.
        const [batch] = app.services.engine.listBatches();
        app.services.events.emit('app:show-batch-results', { batchId: batch!.id });
        await page.getByTestId('library-chip-batch').waitFor();
        expect(await page.getByTestId('library-chip-batch').textContent()).toContain(
          t('library.find.chip.batch', { value: `Summer · ${styleA}` }),
        );
        await expect.poll(count).toBe(results(PHOTOS));
        await page.getByTestId('library-chip-batch').click();
        await page.getByTestId('nav-batch').click();
        await page.getByTestId('run-show-results').click();
        await page.getByTestId('library-grid').waitFor();
        expect(await page.getByTestId('library-mode-results').getAttribute('aria-selected')).toBe(
          'true',
        );
        expect(await page.getByTestId('library-chip-batch').textContent()).toContain(
          t('library.find.chip.batch', { value: `Summer · ${styleA}` }),
        );
        await expect.poll(count).toBe(results(PHOTOS));
        await expect.poll(() => tiles().count()).toBe(PHOTOS);
        await shot('show-results');
      });

      it('filters by album and by style, each value counted within the others', async () => {
        await page.getByTestId('nav-batch').click();
        await runAlbum(null, STYLE_B);
        await runAlbum(await makeAlbum(rig.root, 'Winter', 'snow', 20), STYLE_A);
        await page.getByTestId('nav-library').click();
        await page.getByTestId('library-clear').click();
        await expect.poll(count).toBe(results(PHOTOS * 3));
        expect(await page.getByTestId('library-chips').count()).toBe(0);

        expect(await options('album')).toEqual([
          t('library.find.allAlbums'),
          option('Summer', PHOTOS * 2),
          option('Winter', PHOTOS),
        ]);
        expect(await options('style')).toEqual(
          expect.arrayContaining([option(styleA, PHOTOS * 2), option(styleB, PHOTOS)]),
        );
        await choose('album', option('Summer', PHOTOS * 2));
        await expect.poll(count).toBe(results(PHOTOS * 2));
        // Within Summer: each style has the album's three photos.
        await expect
          .poll(() => options('style'))
          .toEqual(expect.arrayContaining([option(styleA, PHOTOS), option(styleB, PHOTOS)]));
        await choose('style', option(styleB, PHOTOS));
        await expect.poll(count).toBe(results(PHOTOS));
        await expect.poll(() => tiles().count()).toBe(PHOTOS);
        expect((await tileNames()).every((name) => name?.startsWith('beach-'))).toBe(true);
        // The album's options now count within the style.
        await expect
          .poll(() => options('album'))
          .toEqual([t('library.find.allAlbums'), option('Summer', PHOTOS)]);
        expect(await page.getByTestId('library-chip-album').textContent()).toContain(
          t('library.find.chip.album', { value: 'Summer' }),
        );
        // What these results cost (the free allowance made them), as the window says money.
        await expect
          .poll(() => page.getByTestId('library-spend-total').textContent())
          .toBe(
            t('library.spend.line', {
              results: results(PHOTOS),
              amount: t('library.spend.money', { amount: formatCny(0) }),
            }),
          );
        await shot('filtered');
        // Removing a chip widens the find again.
        await page.getByTestId('library-chip-style').click();
        await expect.poll(count).toBe(results(PHOTOS * 2));
      });

      it('searches a file name', async () => {
        await page.getByTestId('library-clear').click();
        await page.getByTestId('library-search').fill('snow-2');
        await expect.poll(count).toBe(results(1));
        await expect.poll(tileNames).toEqual([expect.stringMatching(/^snow-2\./)]);
        expect(await page.getByTestId('library-chip-text').textContent()).toContain('snow-2');
        await page.getByTestId('library-search').fill('no such photo');
        await page.getByTestId('library-empty-filtered').waitFor();
        expect(await page.getByTestId('library-empty-filtered').textContent()).toBe(
          t('library.emptyFiltered.title') +
            t('library.emptyFiltered.body') +
            t('library.find.clear'),
        );
        await shot('nothing-matches');
        await page.getByTestId('library-empty-filtered').getByRole('button').click();
        await expect.poll(count).toBe(results(PHOTOS * 3));
        expect(await page.getByTestId('library-search').inputValue()).toBe('');
      });

      it('selects several (click, Shift-click) and exports them to a folder and as a zip', async () => {
        await tiles().nth(0).click();
        await tiles()
          .nth(3)
          .click({ modifiers: ['Shift'] });
        await expect
          .poll(() => page.getByTestId('library-selected-count').textContent())
          .toBe(t('library.selection.count', { count: 4 }));
        expect(
          await page.locator('[data-testid="library-tile"][aria-selected="true"]').count(),
        ).toBe(4);

        // Into album folders, with the sidecars, where the OS dialog (scripted) says.
        const folder = join(rig.root, 'export-folders');
        mkdirSync(folder);
        await page.getByTestId('library-export').click();
        await page.getByTestId('library-export-dialog').waitFor();
        await expectAccessible(page, `export dialog, ${language}`);
        await shot('export-dialog');
        app.platform.queueFolderChoice(folder);
        await page.getByTestId('library-export-go').click();
        await expect
          .poll(() => page.getByTestId('library-notice-text').textContent())
          .toBe(t('library.notice.exported', { count: 4, destination: folder }));
        const written = filesBelow(folder);
        expect(written.filter((f) => f.endsWith('.restyle.json'))).toHaveLength(4);
        expect(written.filter((f) => !f.endsWith('.restyle.json'))).toHaveLength(4);

        // As one zip, where the page's own folder browser chooses (a browser has no OS dialog).
        const zipFolder = join(rig.root, 'export-zip');
        mkdirSync(zipFolder);
        await page.getByTestId('library-export').click();
        await page.getByTestId('library-export-zip').check();
        await page.getByTestId('library-export-sidecars').uncheck();
        await page.getByTestId('library-export-go').click();
        await page.getByTestId('browse-path').waitFor();
        await page.getByTestId('browse-path').fill(zipFolder);
        await page.getByTestId('browse-path').press('Enter');
        await expect.poll(() => page.getByTestId('browse-path').inputValue()).toBe(zipFolder);
        await page.getByTestId('browse-choose').click();
        await expect
          .poll(() => page.getByTestId('library-notice-text').textContent())
          .toMatch(/\.zip/);
        const zips = readdirSync(zipFolder).filter((f) => f.endsWith('.zip'));
        expect(zips).toHaveLength(1);
        expect(await page.getByTestId('library-notice-text').textContent()).toBe(
          t('library.notice.exported', { count: 4, destination: join(zipFolder, zips[0] ?? '') }),
        );
      });

      it('deletes one (Delete key) and puts it back with Undo', async () => {
        const tile = tiles().nth(1);
        const id = await tile.getAttribute('data-id');
        const path = id ? app.services.library.get(id)?.path : undefined;
        if (!path) throw new Error('no result behind the tile');
        await tile.click();
        await page.keyboard.press('Delete');
        await expect
          .poll(() => page.getByTestId('library-undo-text').textContent())
          .toBe(t('library.notice.deleted', { count: 1 }));
        await expect.poll(count).toBe(results(PHOTOS * 3 - 1));
        expect(existsSync(path)).toBe(false);
        await shot('deleted');
        await page.getByTestId('library-undo-button').click();
        await expect.poll(count).toBe(results(PHOTOS * 3));
        await expect
          .poll(() => page.getByTestId('library-notice-text').textContent())
          .toBe(t('library.notice.restored', { count: 1 }));
        expect(await page.getByTestId('library-undo').count()).toBe(0);
        expect(app.services.library.get(id ?? '')?.present).toBe(true);
      });

      it('shows one in the file manager, and a tile dragged out starts the OS drag', async () => {
        const first = tiles().nth(2);
        const id = (await first.getAttribute('data-id')) ?? '';
        const path = app.services.library.get(id)?.path;
        await first.click();
        await page.getByTestId('library-reveal').click();
        await expect.poll(() => app.platform.revealed.at(-1)).toBe(path);

        const other = tiles().nth(4);
        const otherPath = app.services.library.get(
          (await other.getAttribute('data-id')) ?? '',
        )?.path;
        await other.dispatchEvent('dragstart');
        await expect.poll(() => app.platform.dragged.at(-1)).toEqual([otherPath]);
      });

      it('the keyboard: arrows move, Space selects, Ctrl+A all, Escape none, Enter opens the viewer', async () => {
        const focusedIndex = () =>
          page.evaluate(() => document.activeElement?.getAttribute('data-index') ?? null);
        await tiles().nth(0).click();
        await page.keyboard.press('ArrowRight');
        // The focus follows on the next frame (the row is scrolled into view first).
        await expect.poll(focusedIndex).toBe('1');
        await page.keyboard.press('Space');
        await expect
          .poll(() => page.getByTestId('library-selected-count').textContent())
          .toBe(t('library.selection.count', { count: 2 }));
        await page.keyboard.press('Shift+ArrowRight');
        await expect
          .poll(() => page.locator('[data-testid="library-tile"][aria-selected="true"]').count())
          .toBe(2);
        await page.keyboard.press('ControlOrMeta+a');
        await expect
          .poll(() => page.getByTestId('library-selected-count').textContent())
          .toBe(t('library.selection.count', { count: PHOTOS * 3 }));
        await page.keyboard.press('Escape');
        await expect.poll(() => page.getByTestId('library-selected-count').count()).toBe(0);
        await page.keyboard.press('Enter');
        await page.getByTestId('result-viewer').waitFor();
        await page.keyboard.press('Escape');
        await expect.poll(() => page.getByTestId('result-viewer').count()).toBe(0);
      });

      it('opens one with the default app, copies it, and offers Run again through the quote', async () => {
        const tile = tiles().nth(0);
        const path = app.services.library.get((await tile.getAttribute('data-id')) ?? '')?.path;
        await tile.click();
        await page.getByTestId('library-open').click();
        await expect.poll(() => app.platform.openedPaths.at(-1)).toBe(path);
        await page.getByTestId('library-copy').click();
        await expect.poll(() => app.platform.copied.at(-1)).toBe(path);
        await expect
          .poll(() => page.getByTestId('library-notice-text').textContent())
          .toBe(t('library.notice.copied'));
        // The viewer's own test runs it to the end (tests/e2e/library-viewer.e2e.test.ts).
        await page.getByTestId('library-rerun').click();
        await page.getByTestId('rerun-dialog').waitFor();
        await page.getByTestId('rerun-cancel').click();
        await expect.poll(() => page.getByTestId('rerun-dialog').count()).toBe(0);
      });

      it('a result deleted outside the app shows as missing when the window gets focus; Remove missing forgets it', async () => {
        const gone = app.services.library
          .results({}, 'newest', { offset: 0, limit: 100 })
          .items.find((item) => item.fileName.startsWith('snow-3.'));
        if (!gone) throw new Error('no snow-3 result');
        rmSync(gone.path);
        await page.evaluate(() => window.dispatchEvent(new Event('focus')));
        await expect
          .poll(() => options('presence'))
          .toEqual([
            t('library.find.presenceAll'),
            option(t('library.find.present'), PHOTOS * 3 - 1),
            option(t('library.find.missing'), 1),
          ]);
        await page.getByTestId('library-filter-presence').selectOption('missing');
        await expect.poll(count).toBe(results(1));
        const missing = page.locator('[data-testid="library-tile"][data-present="false"]');
        expect(await missing.textContent()).toContain(t('library.grid.missing'));
        // No broken image: the tile says what is missing instead.
        expect(await missing.locator('img').count()).toBe(0);
        await shot('missing');
        await missing.click();
        await page.getByTestId('library-remove-missing').click();
        await expect
          .poll(() => page.getByTestId('library-notice-text').textContent())
          .toBe(t('library.notice.removed', { count: 1 }));
        await page.getByTestId('library-chip-presence').click();
        await expect.poll(count).toBe(results(PHOTOS * 3 - 1));
      });

      it('Photos: one tile per photo, "2 styles" where there are two', async () => {
        await page.getByTestId('library-mode-photos').click();
        // snow-3 had one result, forgotten above: five photos, eight results.
        await expect.poll(count).toBe(
          t('library.counted.photos', {
            count: PHOTOS * 2 - 1,
            results: results(PHOTOS * 3 - 1),
          }),
        );
        await expect.poll(() => tiles().count()).toBe(PHOTOS * 2 - 1);
        await expect
          .poll(() => page.getByTestId('library-styles-badge').allTextContents())
          .toEqual(Array(PHOTOS).fill(t('library.grid.styles', { count: 2 })));
        await shot('photos');
      });

      it('keeps the find across a reload', async () => {
        // Winter without snow-3 (forgotten above).
        await choose('album', option('Winter', PHOTOS - 1));
        await page.getByTestId('library-sort').selectOption('name');
        const winter = t('library.counted.photos', {
          count: PHOTOS - 1,
          results: results(PHOTOS - 1),
        });
        await expect.poll(count).toBe(winter);
        await page.reload();
        await page.getByTestId('nav-library').click();
        await expect.poll(count).toBe(winter);
        expect(await page.getByTestId('library-mode-photos').getAttribute('aria-selected')).toBe(
          'true',
        );
        expect(await page.getByTestId('library-sort').inputValue()).toBe('name');
        expect(await page.getByTestId('library-chip-album').textContent()).toContain(
          t('library.find.chip.album', { value: 'Winter' }),
        );
        await page.getByTestId('library-clear').click();
      });

      it('in both themes at 900×600 and 1920×1080: the grid gets the room, and axe finds nothing serious', async () => {
        await page.getByTestId('library-mode-results').click();
        await expect.poll(count).toBe(results(PHOTOS * 3 - 1));
        await tiles().nth(0).click();
        await page.getByTestId('library-spend-toggle').click();
        for (const size of [SMALL, LARGE]) {
          await page.setViewportSize(size);
          for (const theme of ['light', 'dark'] as const) {
            await page.emulateMedia({ colorScheme: theme });
            await expect
              .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
              .toBe(theme);
            const where = `library, ${language}, ${theme}, ${size.width}x${size.height}`;
            await expectAccessible(page, where);
            // The grid shows at least one whole row, and nothing spills out of the window.
            const layout = await page.evaluate(() => {
              const scroll = document.querySelector('[data-testid="library-scroll"]');
              const tile = document.querySelector('[data-testid="library-tile"]');
              const main = document.querySelector('main');
              return {
                grid: scroll?.getBoundingClientRect().height ?? 0,
                tile: tile?.getBoundingClientRect().height ?? 0,
                overflows: main ? main.scrollHeight > main.clientHeight + 1 : true,
              };
            });
            expect.soft(layout.grid, where).toBeGreaterThanOrEqual(layout.tile);
            expect.soft(layout.overflows, where).toBe(false);
            await shot(`${theme}-${size.width}x${size.height}`);
          }
        }
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.emulateMedia({ colorScheme: 'light' });
      });

      it("Settings' Rebuild index says what it found, and the library is the same after", async () => {
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('library-rebuild').click();
        const entries = PHOTOS * 3 - 1;
        await expect
          .poll(() => page.getByTestId('library-rebuild-report').textContent())
          .toBe(
            t('library.rebuild.done', {
              entries: results(entries),
              added: 0,
              relinked: 0,
              missing: 0,
            }),
          );
        await expectAccessible(page, `settings with the rebuild report, ${language}`);
        await page.getByTestId('nav-library').click();
        await expect.poll(count).toBe(results(entries));
        expect(rig.errors).toEqual([]);
      });
    });
  }
});

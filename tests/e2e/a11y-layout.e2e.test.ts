import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeApp } from '../../electron/core/bridge/bridge-app';
import { createTranslator } from '../../shared/i18n';
import type { Language } from '../../shared/settings';
import { DISPLAY_STATUSES } from '../../renderer/src/store/batch-photo';
import { expectAccessible } from './support/axe';
import { screenshot, settleImages } from './support/browser';
import { sceneJpeg } from './support/scene-photos';
import { startWindowRig, type WindowRig } from './support/window-rig';

/**
 * Every view of the window, in both themes and both languages, at the smallest
 * supported window (900×600) and a large one (1920×1080): axe-core finds no
 * critical or serious violation, the landmarks and roles are right, and the
 * Batch view gives its space to the gallery. Screenshots go to
 * test-results/a11y-<view>-<language>-<theme>-<size>.png.
 */

const SMALL = { width: 900, height: 600 } as const;
const LARGE = { width: 1920, height: 1080 } as const;
const SIZES = [SMALL, LARGE] as const;
const THEMES = ['light', 'dark'] as const;
type Size = (typeof SIZES)[number];
type Scheme = (typeof THEMES)[number];

const GOOD = 12;

/** 12 good photos, one too small, one not a photo, one panorama (cropped to fit). */
async function makeAlbum(root: string, seed: number): Promise<string> {
  const album = join(root, 'Summer 2024');
  mkdirSync(album, { recursive: true });
  for (let i = 0; i < GOOD; i += 1) {
    writeFileSync(join(album, `beach-${i + 1}.jpg`), await sceneJpeg(640, 480, seed + i * 7));
  }
  writeFileSync(join(album, 'tiny.jpg'), await sceneJpeg(100, 100, seed));
  writeFileSync(join(album, 'notes.jpg'), 'not a photo, just text with a .jpg name\n');
  writeFileSync(join(album, 'panorama.jpg'), await sceneJpeg(2400, 600, seed + 1));
  return album;
}

/** Where the Batch view's space went, measured in the page. */
interface GalleryLayout {
  /** The gallery's scroll box, as far as it lies inside the window. */
  visible: { top: number; bottom: number; height: number };
  /** Rows of cells wholly inside the visible gallery. */
  fullRows: number;
  columns: number;
  /** Width between the last cell of the first row and the gallery's right content edge. */
  rightGap: number;
  /** Height between the lowest pane (gallery or side column) and the window's bottom. */
  bottomGap: number;
  /** The page or the main area scrolls: something lies below (or beside) the window. */
  overflows: boolean;
}

function measureGallery(page: Page): Promise<GalleryLayout> {
  return page.evaluate(() => {
    const scroll = document.querySelector<HTMLElement>('[data-testid="gallery-scroll"]');
    if (!scroll) throw new Error('no gallery');
    const box = scroll.getBoundingClientRect();
    const style = getComputedStyle(scroll);
    const inner = {
      left: box.left + scroll.clientLeft + parseFloat(style.paddingLeft),
      right: box.left + scroll.clientLeft + scroll.clientWidth - parseFloat(style.paddingRight),
      top: Math.max(0, box.top + scroll.clientTop),
      bottom: Math.min(window.innerHeight, box.top + scroll.clientTop + scroll.clientHeight),
    };
    const cells = [...scroll.querySelectorAll('[data-testid="photo-cell"]')].map((cell) =>
      cell.getBoundingClientRect(),
    );
    const full = cells.filter(
      (c) =>
        c.top >= inner.top - 0.5 &&
        c.bottom <= inner.bottom + 0.5 &&
        c.left >= inner.left - 0.5 &&
        c.right <= inner.right + 0.5,
    );
    const firstTop = cells[0]?.top ?? 0;
    const firstRow = cells.filter((c) => Math.abs(c.top - firstTop) < 1);
    const panes = [scroll, document.querySelector('[data-testid="style-panel"]')]
      .filter((el): el is HTMLElement => el !== null)
      .map((el) => el.getBoundingClientRect().bottom);
    const main = document.querySelector('main');
    const root = document.scrollingElement;
    return {
      visible: {
        top: inner.top,
        bottom: inner.bottom,
        height: Math.max(0, inner.bottom - inner.top),
      },
      fullRows: new Set(full.map((c) => Math.round(c.top))).size,
      columns: firstRow.length,
      rightGap: inner.right - Math.max(...firstRow.map((c) => c.right)),
      bottomGap: window.innerHeight - Math.max(...panes),
      overflows:
        (root ? root.scrollHeight > root.clientHeight + 1 : false) ||
        (main ? main.scrollHeight > main.clientHeight + 1 : false),
    };
  });
}

describe('Every view, both themes, both languages, 900×600 and 1920×1080: accessible, and the gallery gets the space', () => {
  for (const language of ['en', 'zh-CN'] as Language[]) {
    describe(language, () => {
      const t = createTranslator(language);
      let rig: WindowRig;
      let app: BridgeApp;
      let page: Page;
      let album: string;

      beforeAll(async () => {
        rig = await startWindowRig(`restyle-e2e-a11y-${language}-`);
        ({ app, page } = rig);
        album = await makeAlbum(rig.root, language === 'en' ? 3 : 5);
        rig.mock.configure({ taskMs: 200 });
        // The theme follows the (emulated) system, so it switches live, with no reload.
        app.services.settings.update({ language, theme: 'system' });
        await page.setViewportSize(SMALL);
        await page.goto(app.bridge.pageUrl);
        await page.getByTestId('batch-empty').waitFor();
      });
      afterAll(() => rig?.close());

      const scheme = async (theme: Scheme) => {
        await page.emulateMedia({ colorScheme: theme });
        await expect
          .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
          .toBe(theme);
      };
      const sizeName = (size: Size) => `${size.width}x${size.height}`;

      /** axe in both themes (at 900×600 unless told), with a screenshot of each. */
      async function audit(view: string, sizes: readonly Size[] = [SMALL]) {
        for (const size of sizes) {
          await page.setViewportSize(size);
          for (const theme of THEMES) {
            await scheme(theme);
            await expectAccessible(page, `${view}, ${language}, ${theme}, ${sizeName(size)}`);
            await screenshot(page, `a11y-${view}-${language}-${theme}-${sizeName(size)}`);
          }
        }
        await page.setViewportSize(SMALL);
      }

      /** The gallery's share of the window, at both sizes (audit() takes the screenshots). */
      async function checkLayout(state: string) {
        for (const size of SIZES) {
          await page.setViewportSize(size);
          await expect.poll(() => page.getByTestId('photo-cell').count()).toBeGreaterThan(0);
          const layout = await measureGallery(page);
          const where = `${state}, ${language}, ${sizeName(size)}: ${JSON.stringify(layout)}`;
          // Soft: a failure at one size still measures (and shows) the other.
          expect.soft(layout.fullRows, where).toBeGreaterThanOrEqual(2);
          // The cells fill the gallery's width: no strip wider than a gap is left empty.
          expect.soft(layout.rightGap, where).toBeLessThanOrEqual(16);
          // The gallery and the side column reach down to the window's bottom edge.
          expect.soft(layout.bottomGap, where).toBeLessThanOrEqual(32);
          expect.soft(layout.overflows, where).toBe(false);
        }
        await page.setViewportSize(SMALL);
      }

      /**
       * No count in the overview says otherwise than the filter chips: every
       * "<status> N" it shows is that status's chip count (0 when no chip).
       */
      async function expectOverviewAgreesWithChips(state: string) {
        // What it shows (the run card's live region for screen readers aside).
        const overview = await page.getByTestId('overview').evaluate((element) => {
          const shown = element.cloneNode(true) as HTMLElement;
          for (const hidden of shown.querySelectorAll('.visually-hidden')) hidden.remove();
          return (shown.textContent ?? '').replace(/\s+/g, ' ');
        });
        const chips = Object.fromEntries(
          await page
            .locator('[data-testid^="filter-"]')
            .evaluateAll((els) =>
              els.map((el) => [
                el.getAttribute('data-testid')?.slice('filter-'.length) ?? '',
                Number(el.querySelector('.chip-count')?.textContent ?? 0),
              ]),
            ),
        ) as Record<string, number>;
        const said: Array<[string, number, number]> = [];
        for (const status of DISPLAY_STATUSES) {
          const label = t(`batch.status.${status}`).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          for (const match of overview.matchAll(new RegExp(`${label} ?(\\d+)`, 'gi')))
            said.push([status, Number(match[1]), chips[status] ?? 0]);
        }
        const wrong = said.filter(([, shown, chip]) => shown !== chip);
        expect
          .soft(wrong, `${state}, ${language}: "${overview}" beside ${JSON.stringify(chips)}`)
          .toEqual([]);
      }

      /**
       * With the audition open, the gallery still shows a whole row at both
       * sizes (the panel scrolls on its own), and the panel's Close is in view.
       */
      async function checkAuditionLayout(state: string) {
        for (const size of SIZES) {
          await page.setViewportSize(size);
          const layout = await measureGallery(page);
          const where = `${state}, ${language}, ${sizeName(size)}: ${JSON.stringify(layout)}`;
          expect.soft(layout.fullRows, where).toBeGreaterThanOrEqual(1);
          expect.soft(layout.overflows, where).toBe(false);
          const close = await page.getByTestId('audition-close').boundingBox();
          const panel = await page.getByTestId('audition').boundingBox();
          expect
            .soft(
              close &&
                panel &&
                close.y >= panel.y &&
                close.y + close.height <= panel.y + panel.height,
              where,
            )
            .toBe(true);
        }
        await page.setViewportSize(SMALL);
      }

      it('has one main landmark, and the sidebar is navigation with the current view marked', async () => {
        expect(await page.getByRole('main').count()).toBe(1);
        const nav = page.getByRole('navigation');
        expect(await nav.count()).toBe(1);
        for (const view of ['batch', 'library', 'settings'] as const) {
          await page.getByTestId(`nav-${view}`).click();
          expect(
            await nav
              .getByRole('button', { name: t(`common.nav.${view}`) })
              .getAttribute('aria-current'),
          ).toBe('page');
          expect(await nav.locator('[aria-current="page"]').count()).toBe(1);
        }
        await page.getByTestId('nav-batch').click();
      });

      it('the empty Batch view, Library and Settings', async () => {
        await audit('batch-empty');
        await page.getByTestId('nav-library').click();
        await audit('library');
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('theme').waitFor();
        await audit('settings');
        await page.getByTestId('nav-batch').click();
        await page.getByTestId('batch-empty').waitFor();
      });

      it("the window's own folder browser (nothing scripted)", async () => {
        await page.getByTestId('add-photos').click();
        await page.getByTestId('folder-browser').waitFor();
        await page.getByTestId('browse-entry').first().waitFor();
        await audit('folder-browser');
        await page.keyboard.press('Escape');
        await expect.poll(() => page.getByTestId('folder-browser').count()).toBe(0);
      });

      it('an album scanned: the gallery gets the space at both sizes, and axe finds nothing', async () => {
        app.platform.queuePhotoChoice([album]);
        await page.getByTestId('add-photos').first().click();
        await page.getByTestId('photo-cell').first().waitFor();
        await expect
          .poll(() => page.getByTestId('cancel-scan').count(), { timeout: 20_000 })
          .toBe(0);
        await checkLayout('scanned');
        await audit('batch-scanned', SIZES);
      });

      it('has tabs only where there are tab panels: each tab in a tablist of tabs, controlling a tabpanel', async () => {
        const problems = await page.evaluate(() => {
          const found: string[] = [];
          for (const tab of document.querySelectorAll('[role="tab"]')) {
            const name = tab.textContent ?? '';
            if (!tab.closest('[role="tablist"]')) found.push(`tab "${name}" outside a tablist`);
            const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
            if (panel?.getAttribute('role') !== 'tabpanel')
              found.push(`tab "${name}" controls no tabpanel`);
          }
          for (const list of document.querySelectorAll('[role="tablist"]')) {
            const owned = list.querySelectorAll('button, a, input, select, [tabindex], [role]');
            for (const element of owned) {
              if (element.getAttribute('role') !== 'tab')
                found.push(`a ${element.tagName.toLowerCase()} that is not a tab in a tablist`);
            }
          }
          return found;
        });
        expect(problems).toEqual([]);
        // Batch tabs are buttons; the one shown is marked current.
        const tabs = page.getByTestId('batch-tab');
        expect(await tabs.count()).toBe(1);
        expect(await tabs.first().getAttribute('aria-current')).toBe('true');
        // The main landmark is not itself a tab panel (it hid the landmark).
        expect(await page.getByRole('main').count()).toBe(1);
      });

      it('names each cell by everything it shows, in reading order: name, status, note', async () => {
        const cells = page.getByTestId('photo-cell');
        const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        // Rejected and adjusted photos carry a note; the filter brings them into view.
        for (const filter of ['rejected', 'adjusted', 'ready'] as const) {
          await page.getByTestId(`filter-${filter}`).click();
          await expect.poll(() => cells.first().getAttribute('data-status')).toBe(filter);
          // Every visible text in the cell (hidden from assistive technology or not), in DOM order.
          const shown = await cells.evaluateAll((nodes) =>
            nodes.map((node) => {
              const texts: string[] = [];
              const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
              for (let text = walker.nextNode(); text; text = walker.nextNode()) {
                const value = text.textContent?.trim() ?? '';
                if (value && text.parentElement?.checkVisibility()) texts.push(value);
              }
              return { name: node.getAttribute('data-name') ?? '', texts };
            }),
          );
          expect(shown.length).toBeGreaterThan(0);
          if (filter !== 'ready') expect(shown.every((cell) => cell.texts.length >= 3)).toBe(true);
          for (const cell of shown) {
            const own = page.locator(`[data-testid="photo-cell"][data-name="${cell.name}"]`);
            const name = new RegExp(`^\\s*${cell.texts.map(escape).join('[\\s\\S]*')}\\s*$`);
            expect(
              await page.getByRole('gridcell', { name }).and(own).count(),
              `${cell.name}: ${JSON.stringify(cell.texts)}`,
            ).toBe(1);
          }
        }
        await page.getByTestId('filter-all').click();
      });

      it('selected and excluded photos (a tinted cell under each note)', async () => {
        const selected = page.locator('[data-testid="photo-cell"][aria-selected="true"]');
        await page.getByTestId('select-all').click();
        await expect.poll(() => selected.count()).toBeGreaterThan(0);
        await audit('batch-selected');
        const clear = page.getByRole('button', { name: t('batch.gallery.clearSelection') });
        await clear.click();
        await expect.poll(() => selected.count()).toBe(0);
        // All but 3 ready photos excluded: a short run later, and excluded cells to check.
        await page.getByTestId('filter-ready').click();
        await page.getByTestId('select-all').click();
        for (let i = 0; i < 3; i += 1) {
          await page
            .getByTestId('photo-cell')
            .nth(i)
            .click({ modifiers: ['Control'] });
        }
        await expect.poll(() => selected.count()).toBe(GOOD - 3);
        await page.getByTestId('exclude-selected').click();
        await page.getByTestId('filter-all').click();
        await clear.click();
        await expect.poll(() => page.getByTestId('selected-count').count()).toBe(0);
        await expect
          .poll(() => page.locator('[data-testid="photo-cell"][data-status="excluded"]').count())
          .toBeGreaterThan(0);
        await expectOverviewAgreesWithChips('excluded');
      });

      it('the full-size viewer', async () => {
        await page.getByTestId('photo-cell').first().dblclick();
        await page.getByTestId('viewer').waitFor();
        await audit('viewer');
        await page.keyboard.press('Escape');
        await expect.poll(() => page.getByTestId('viewer').count()).toBe(0);
      });

      it('the audition panel and its quote', async () => {
        await page.getByTestId('preset-2').click();
        await page.getByTestId('audition-open').click();
        await page.getByTestId('audition').waitFor();
        await checkAuditionLayout('audition');
        await audit('audition');
        await page.getByTestId('audition-preset-7').check();
        await page.getByTestId('audition-quote').click();
        await page.getByTestId('quote').waitFor();
        await checkAuditionLayout('audition-quote');
        await audit('audition-quote');
        await page.getByTestId('audition-close').click();
        await expect.poll(() => page.getByTestId('audition').count()).toBe(0);
      });

      it('the quote, then a run done: layout and axe again', async () => {
        await page.getByTestId('start').click();
        await page.getByTestId('quote').waitFor();
        // The quote says what would be sent; the overview does not say it again above it.
        const arrows = (await page.getByTestId('overview').textContent())?.split('→').length;
        expect.soft(arrows).toBe(2);
        await audit('quote');
        // At 900×600 Confirm and Not now are in view, however long the quote.
        const inView = await page.evaluate(() => {
          const overview = document.querySelector('[data-testid="overview"]');
          if (!overview) return false;
          const frame = overview.getBoundingClientRect();
          return ['quote-confirm', 'quote-decline'].every((id) => {
            const box = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
            return (
              !!box &&
              box.top >= frame.top &&
              box.bottom <= Math.min(frame.bottom, window.innerHeight)
            );
          });
        });
        expect(inView).toBe(true);
        await page.getByTestId('quote-confirm').click();
        await page.getByTestId('run-progress').waitFor();
        await expect
          .poll(() => page.locator('[data-testid="photo-cell"][data-status="done"]').count(), {
            timeout: 60_000,
          })
          .toBeGreaterThan(0);
        await expect
          .poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 })
          .toBe(t('run.progress.state.done'));
        await page.waitForFunction(() =>
          [...document.querySelectorAll<HTMLImageElement>('[data-testid="result-thumb"]')].every(
            (img) => img.complete && img.naturalWidth > 0,
          ),
        );
        await checkLayout('done');
        await expectOverviewAgreesWithChips('done');
        // The done card at 900×600: says Done once, and nothing in the overview is cut off.
        const card = await page.getByTestId('run-progress').locator('.row').first().innerText();
        const done = t('run.progress.state.done').toLowerCase();
        expect.soft(card.toLowerCase().split(done).length - 1, card).toBe(1);
        const clipped = await page.evaluate(() => {
          const overview = document.querySelector<HTMLElement>('[data-testid="overview"]');
          if (!overview) return ['no overview'];
          const frame = overview.getBoundingClientRect();
          const cut = [...overview.querySelectorAll('button, p, strong, progress')]
            .filter((el) => {
              if (el.closest('.visually-hidden')) return false;
              const box = el.getBoundingClientRect();
              return box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5;
            })
            .map((el) => el.textContent ?? el.tagName);
          if (overview.scrollHeight > overview.clientHeight + 1) cut.push('(the overview scrolls)');
          return cut;
        });
        expect.soft(clipped).toEqual([]);
        // At 1920×1080 every cell in view shows its image (the result, once done) after a
        // moment: the screenshot waits for them, and none fails to load.
        await page.setViewportSize(LARGE);
        const images = await settleImages(page);
        expect.soft(images.broken).toEqual([]);
        expect.soft(images.shown).toBeGreaterThanOrEqual(GOOD + 2);
        expect(
          await page
            .locator('[data-testid="photo-cell"][data-status="done"] [data-testid="result-thumb"]')
            .count(),
        ).toBe(await page.locator('[data-testid="photo-cell"][data-status="done"]').count());
        await page.setViewportSize(SMALL);
        await audit('batch-done', SIZES);
      });

      it('logged no page errors', () => {
        expect(rig.errors.filter((e) => !e.includes('favicon'))).toEqual([]);
      });
    });
  }
});

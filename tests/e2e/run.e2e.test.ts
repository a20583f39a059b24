import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeApp } from '../../electron/core/bridge/bridge-app';
import { createTranslator } from '../../shared/i18n';
import type { Language } from '../../shared/settings';
import type { MockDashScope } from '../support/mock-dashscope';
import { screenshot } from './support/browser';
import { sceneJpeg } from './support/scene-photos';
import { startWindowRig, type WindowRig } from './support/window-rig';

const GOOD = 5;

/** Five good photos and one too small to send; seeds differ per album so nothing is deduped. */
async function makeAlbum(root: string, name: string, seed: number): Promise<string> {
  const album = join(root, name);
  mkdirSync(album, { recursive: true });
  for (let i = 0; i < GOOD; i += 1) {
    writeFileSync(join(album, `photo-${i + 1}.jpg`), await sceneJpeg(800, 600, seed + i * 7));
  }
  writeFileSync(join(album, 'tiny.jpg'), await sceneJpeg(100, 100, seed));
  return album;
}

describe('A run in the real window: quote, progress, compare, pause, offline, audition', () => {
  let rig: WindowRig;
  let root: string;
  let app: BridgeApp;
  let mock: MockDashScope;
  let page: Page;
  let errors: string[];
  let albums = 0;

  const cells = () => page.getByTestId('photo-cell');
  const statuses = () =>
    page.$$eval('[data-testid="photo-cell"]', (els) =>
      els.map((el) => el.getAttribute('data-status')),
    );

  /** A new album, added as a drop adds it (`addPaths`, behind Add photos and a scripted chooser). */
  async function addAlbum(): Promise<string> {
    albums += 1;
    const name = `Album ${albums}`;
    app.platform.queuePhotoChoice([await makeAlbum(root, name, albums * 11)]);
    await page.getByTestId('add-photos').first().click();
    await expect.poll(() => page.getByTestId('batch-tab').last().textContent()).toContain(name);
    await expect.poll(() => cells().count()).toBe(GOOD + 1);
    await expect.poll(() => page.getByTestId('cancel-scan').count()).toBe(0);
    return name;
  }

  async function startRun(shot?: (step: string) => Promise<string>) {
    await page.getByTestId('start').click();
    await page.getByTestId('quote').waitFor();
    if (shot) await shot('quote');
    await page.getByTestId('quote-confirm').click();
    await page.getByTestId('run-progress').waitFor();
  }

  const chip = async (status: string) =>
    (await page.getByTestId(`filter-${status}`).count())
      ? Number(await page.getByTestId(`filter-${status}`).locator('.chip-count').textContent())
      : 0;
  const text = (testId: string) => page.getByTestId(testId).textContent();
  /** A translation with one value left open: the text must start and end as it does around it. */
  const around = (full: string, value: string) => {
    const [before = '', after = ''] = full.split(value);
    return (actual: string | null) =>
      !!actual && actual.startsWith(before) && actual.endsWith(after);
  };

  const allDone = async () => (await statuses()).filter((s) => s === 'done').length;

  for (const language of ['en', 'zh-CN'] as Language[]) {
    describe(language, () => {
      const t = createTranslator(language);
      const shot = (step: string) => screenshot(page, `run-${step}-${language}`);

      // Each language starts from a known state: its own data folder, library,
      // mock account and browser, so nothing the other block queued is restored.
      beforeAll(async () => {
        rig = await startWindowRig(`restyle-e2e-run-${language}-`);
        ({ root, app, mock, page, errors } = rig);
        albums = 0;
      });
      afterAll(() => rig?.close());

      it('adds a folder, shows thumbnails and the rejected reason, quotes, runs to done', async () => {
        app.services.settings.update({ language, theme: 'light' });
        await page.goto(app.bridge.pageUrl);
        await page.getByTestId('batch-empty').waitFor();
        // Long enough to see a task running and the next one waiting behind it.
        mock.configure({ taskMs: 1200 });
        await addAlbum();
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll<HTMLImageElement>('[data-testid="gallery"] img')].filter(
              (img) => img.complete && img.naturalWidth > 0,
            ).length >= 5,
        );
        const tiny = page.locator('[data-testid="photo-cell"][data-name="tiny.jpg"]');
        expect(await tiny.getAttribute('data-status')).toBe('rejected');
        expect(await tiny.getByTestId('photo-note').textContent()).toBe(
          t('intake.reason.too_small', { width: 100, height: 100, min: 256 }),
        );
        await shot('gallery');

        await page.getByTestId('preset-3').click();
        await page.getByTestId('start').click();
        await page.getByTestId('quote').waitFor();
        // One wording, each thing once (the CLI's too): the images; what the free
        // allowance covers (the user's figure); nothing paid, so no price; the total.
        const images = t('run.quote.images', { count: GOOD });
        expect(
          await page
            .locator('[data-testid="quote"] .quote-lines > li')
            .evaluateAll((items) => items.map((item) => item.getAttribute('data-testid'))),
        ).toEqual(['quote-images', 'quote-free', 'quote-total']);
        expect(await text('quote-images')).toBe(
          t('run.quote.make', { photos: t('run.quote.photos', { count: GOOD }), images }),
        );
        const OPEN = '\u0001';
        expect(
          around(
            t('run.quote.freeAll', { count: GOOD, left: OPEN }),
            OPEN,
          )(await text('quote-free')),
        ).toBe(true);
        expect(await text('quote-total')).toBe(t('run.quote.total', { total: '0.00' }));
        await shot('quote');
        await page.getByTestId('quote-confirm').click();
        await page.getByTestId('run-progress').waitFor();
        expect(await page.getByTestId('run-counts').textContent()).toContain(`${GOOD}`);
        // One task runs at DashScope and the next waits behind it, and the card says so.
        await expect
          .poll(() => page.getByTestId('run-waiting').textContent({ timeout: 15_000 }), {
            timeout: 15_000,
          })
          .toBe(t('run.progress.waiting', { count: 1 }));
        // The photos agree with the card: one running, one waiting.
        expect(await chip('running')).toBe(1);
        expect(await chip('waiting')).toBe(1);
        await shot('progress');
        await expect.poll(allDone, { timeout: 60_000 }).toBe(GOOD);
        await expect
          .poll(() => page.getByTestId('run-state').textContent())
          .toBe(t('run.progress.state.done'));
        expect(await page.getByTestId('run-announcer').textContent()).toContain('100');
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll<HTMLImageElement>('[data-testid="result-thumb"]')].filter(
              (img) => img.complete && img.naturalWidth > 0,
            ).length >= 5,
        );
        // Done: the chips count the engine's done jobs, and the same style is not offered again.
        expect(await chip('done')).toBe(GOOD);
        expect(await chip('ready')).toBe(0);
        expect(await text('send-summary')).toBe(
          t('batch.overview.doneInStyle', { style: t('styles.preset.3') }),
        );
        expect(await page.getByTestId('start').count()).toBe(0);
        expect(await text('run-again')).toBe(t('batch.overview.runAgain'));
        await shot('done');
        // Another style brings Start back.
        await page.getByTestId('preset-2').click();
        expect(await page.getByTestId('start').isDisabled()).toBe(false);
        await page.getByTestId('preset-3').click();
        expect(await page.getByTestId('start').count()).toBe(0);
      });

      it('opens a done photo and drags the compare slider', async () => {
        await page.locator('[data-testid="photo-cell"][data-status="done"]').first().dblclick();
        await page.getByTestId('compare').waitFor();
        const clip = () =>
          page.getByTestId('compare-after').evaluate((el) => (el as HTMLElement).style.clipPath);
        expect(await clip()).toBe('inset(0px 0px 0px 50%)');
        // Press on the picture: the divider jumps there (tests/e2e/intake-compare drags it).
        const stage = await page.getByTestId('compare-stage').boundingBox();
        if (!stage) throw new Error('no compare picture');
        await page.mouse.click(stage.x + stage.width * 0.2, stage.y + stage.height / 2);
        await expect.poll(clip).not.toBe('inset(0px 0px 0px 50%)');
        await page.getByTestId('compare-handle').focus();
        await page.keyboard.press('End');
        await expect.poll(clip).toBe('inset(0px 0px 0px 100%)');
        await page.keyboard.press('Home');
        await page.keyboard.press('ArrowRight');
        await expect.poll(clip).toBe('inset(0px 0px 0px 1%)');
        await shot('compare');
        await page.keyboard.press('Escape');
      });

      it('pauses and resumes a run', async () => {
        mock.configure({ taskMs: 1500 });
        await addAlbum();
        await page.getByTestId('preset-4').click();
        await startRun();
        await page.getByTestId('run-pause').click();
        await expect
          .poll(() => page.getByTestId('run-progress').getAttribute('data-state'))
          .toBe('paused');
        expect(await page.getByTestId('run-pause-reason').textContent()).toBe(
          t('run.banner.batchPaused', { reason: t('run.pauseReason.user') }),
        );
        // The chips count what the engine has queued (a paused batch sends nothing new).
        const engineQueued = () => {
          const batch = app.services.engine.listBatches().find((b) => b.state === 'paused');
          const c = batch?.counts;
          return c ? c.queued + c.preparing + c.ready + c.paused : -1;
        };
        await expect
          .poll(async () => (await chip('queued')) === engineQueued() && engineQueued() > 0)
          .toBe(true);
        expect(await chip('ready')).toBe(0);
        await shot('paused');
        await page.getByTestId('run-resume').click();
        await expect
          .poll(() => page.getByTestId('run-progress').getAttribute('data-state'))
          .toBe('active');
        await expect.poll(allDone, { timeout: 60_000 }).toBe(GOOD);
      });

      it('marks the photos a prompt style cannot take, names them in the quote; Not now leaves nothing, a reload keeps the tabs', async () => {
        albums += 1;
        const name = `Small ${albums}`;
        const album = join(root, name);
        mkdirSync(album, { recursive: true });
        for (let i = 0; i < 2; i += 1) {
          writeFileSync(join(album, `photo-${i + 1}.jpg`), await sceneJpeg(800, 600, 500 + i));
        }
        // Style repaint takes 400 x 300 (256 px); imageedit needs 512 px.
        writeFileSync(join(album, 'small.jpg'), await sceneJpeg(400, 300, 509));
        app.platform.queuePhotoChoice([album]);
        await page.getByTestId('add-photos').first().click();
        await expect.poll(() => cells().count()).toBe(3);
        await expect.poll(() => page.getByTestId('cancel-scan').count()).toBe(0);
        const small = page.locator('[data-testid="photo-cell"][data-name="small.jpg"]');
        expect(await small.getAttribute('data-status')).toBe('ready');

        await page.getByTestId('style-tab-prompt').click();
        await page.getByTestId('prompt').fill('ink wash');
        const reason = t('intake.reason.too_small', { width: 400, height: 300, min: 512 });
        await expect.poll(() => small.getAttribute('data-status')).toBe('unsendable');
        expect(await small.getByTestId('photo-note').textContent()).toBe(reason);
        expect(await chip('unsendable')).toBe(1);
        expect(await text('send-summary')).toBe(
          t('batch.overview.toSend', { photos: 2, images: 2 }),
        );
        await shot('unsendable');

        const batchesBefore = app.services.engine.listBatches().length;
        const tabsBefore = await page.getByTestId('batch-tab').count();
        await page.getByTestId('start').click();
        await page.getByTestId('quote').waitFor();
        expect(await page.getByTestId('quote-unsendable-photo').allTextContents()).toEqual([
          t('run.quote.unsendableItem', { name: 'small.jpg', reason }),
        ]);
        expect(await text('quote-images')).toBe(
          t('run.quote.make', {
            photos: t('run.quote.photos', { count: 2 }),
            images: t('run.quote.images', { count: 2 }),
          }),
        );
        await shot('quote-unsendable');
        await page.getByTestId('quote-decline').click();
        await expect.poll(() => page.getByTestId('quote').count()).toBe(0);
        // Nothing was created.
        expect(app.services.engine.listBatches()).toHaveLength(batchesBefore);

        // A reload brings back the same tabs, this one open, with its rejected photo and no run.
        await page.reload();
        await expect
          .poll(() => page.getByTestId('batch-tab').count(), { timeout: 10_000 })
          .toBe(tabsBefore);
        await expect
          .poll(() => page.getByTestId('batch-tab').last().getAttribute('aria-current'))
          .toBe('true');
        await expect.poll(() => cells().count()).toBe(3);
        expect(await page.getByTestId('run-progress').count()).toBe(0);
        expect(app.services.engine.listBatches()).toHaveLength(batchesBefore);
        await page.getByTestId('batch-tab').first().click();
        await expect.poll(() => cells().count()).toBe(GOOD + 1);
        const tiny = page.locator('[data-testid="photo-cell"][data-name="tiny.jpg"]');
        expect(await tiny.getByTestId('photo-note').textContent()).toBe(
          t('intake.reason.too_small', { width: 100, height: 100, min: 256 }),
        );
        expect(await chip('done')).toBe(GOOD);
        expect(await text('run-state')).toBe(t('run.progress.state.done'));
        await page.getByTestId('batch-tab').last().click();
        await page.getByTestId('style-tab-preset').click();
      });

      it('shows the offline banner while DashScope is away, and recovers by itself', async () => {
        mock.configure({ taskMs: 300 });
        await addAlbum();
        await page.getByTestId('preset-5').click();
        await startRun();
        await mock.down({ mode: 'reset', forMs: 2500 });
        await page.getByTestId('banner-offline').waitFor({ timeout: 15_000 });
        expect(await page.getByTestId('banner-offline').textContent()).toBe(
          t('run.banner.offline'),
        );
        await shot('offline');
        await expect
          .poll(() => page.getByTestId('banner-offline').count(), { timeout: 30_000 })
          .toBe(0);
        await expect.poll(allDone, { timeout: 60_000 }).toBe(GOOD);
        await shot('recovered');
      });

      it('auditions 3 styles on 2 photos, then uses one', async () => {
        mock.configure({ taskMs: 300 });
        // The runs so far paid once per photo; the audition pays once per photo and style.
        expect(mock.stats({ records: false }).duplicatePaidImages).toHaveLength(0);
        await addAlbum();
        await page.getByTestId('preset-6').click();
        await page.getByTestId('audition-open').click();
        await page.getByTestId('audition-preset-7').check();
        await page.getByTestId('audition-preset-8').check();
        await page.getByTestId('audition-quote').click();
        await page.getByTestId('quote').waitFor();
        expect(await page.getByTestId('audition-cell').count()).toBe(6);
        expect(await text('quote-images')).toBe(
          t('run.quote.makeStyles', {
            photos: t('run.quote.photos', { count: 2 }),
            styles: t('run.quote.styles', { count: 3 }),
            images: t('run.quote.images', { count: 6 }),
          }),
        );
        await shot('audition-quote');
        await page.getByTestId('audition-confirm').click();
        await page.waitForFunction(
          () =>
            [
              ...document.querySelectorAll<HTMLImageElement>('[data-testid="audition-result"]'),
            ].filter((img) => img.complete && img.naturalWidth > 0).length === 6,
          undefined,
          { timeout: 60_000 },
        );
        await shot('audition');
        await page.getByTestId('audition-use').nth(2).click();
        await expect
          .poll(() => page.getByTestId('preset-8').getAttribute('aria-checked'))
          .toBe('true');
        expect(await page.getByTestId('audition').count()).toBe(0);

        // The same photos in a style the library already has: nothing to make, and it finishes.
        await page.getByTestId('audition-open').click();
        await page.getByTestId('audition-quote').click();
        await page.getByTestId('quote').waitFor();
        expect(await text('quote-inLibrary')).toBe(t('run.quote.inLibrary', { count: 2 }));
        expect(await text('quote-toMake')).toBe(t('run.quote.nothingToMake'));
        await page.getByTestId('audition-confirm').click();
        await expect
          .poll(() => page.getByTestId('audition-column').textContent(), { timeout: 15_000 })
          .toBe(t('run.audition.inLibrary'));
        await expect
          .poll(() =>
            page.$$eval('[data-testid="audition-cell"]', (els) =>
              els.map((el) => el.getAttribute('data-state')),
            ),
          )
          .toEqual(['skipped_done', 'skipped_done']);
        await page.waitForFunction(
          () =>
            [
              ...document.querySelectorAll<HTMLImageElement>('[data-testid="audition-result"]'),
            ].filter((img) => img.complete && img.naturalWidth > 0).length === 2,
        );
        await shot('audition-library');
        await page.getByTestId('audition-close').click();
      });

      it('paid twice only for the audition (2 photos x 3 styles), and logged no page errors', () => {
        expect(mock.stats({ records: false }).duplicatePaidImages).toHaveLength(2);
        expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
      });
    });
  }
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeApp } from '../../electron/core/bridge/bridge-app';
import { createTranslator } from '../../shared/i18n';
import type { MockDashScope } from '../support/mock-dashscope';
import { screenshot } from './support/browser';
import { sceneJpeg } from './support/scene-photos';
import { startWindowRig, type WindowRig } from './support/window-rig';

const t = createTranslator('en');

describe('Run controls in the real window: retry failed, cancel, move up, resume after a key error', () => {
  let rig: WindowRig;
  let root: string;
  let app: BridgeApp;
  let mock: MockDashScope;
  let page: Page;
  let errors: string[];
  let albums = 0;

  beforeAll(async () => {
    rig = await startWindowRig('restyle-e2e-controls-');
    ({ root, app, mock, page, errors } = rig);
    app.services.settings.update({ language: 'en', theme: 'light' });
    await page.goto(app.bridge.pageUrl);
    await page.getByTestId('batch-empty').waitFor();
  });

  afterEach(() => {
    mock.clearFaults();
    mock.configure({ taskMs: 300 });
  });

  afterAll(() => rig?.close());

  const cells = () => page.getByTestId('photo-cell');
  const statuses = () =>
    page.$$eval('[data-testid="photo-cell"]', (els) =>
      els.map((el) => el.getAttribute('data-status')),
    );
  const countOf = async (status: string) => (await statuses()).filter((s) => s === status).length;
  const runState = () => page.getByTestId('run-progress').getAttribute('data-state');

  /** A new album of `count` photos, seeds distinct per album so dedupe links nothing. */
  async function addAlbum(count: number): Promise<string> {
    albums += 1;
    const name = `Controls ${albums}`;
    const album = join(root, name);
    mkdirSync(album, { recursive: true });
    for (let i = 0; i < count; i += 1) {
      writeFileSync(
        join(album, `photo-${i + 1}.jpg`),
        await sceneJpeg(800, 600, 1000 + albums * 97 + i * 13),
      );
    }
    app.platform.queuePhotoChoice([album]);
    await page.getByTestId('add-photos').first().click();
    await expect
      .poll(() => page.getByTestId('batch-tab').last().textContent(), { timeout: 15_000 })
      .toContain(name);
    await expect.poll(() => cells().count(), { timeout: 15_000 }).toBe(count);
    await expect.poll(() => page.getByTestId('cancel-scan').count(), { timeout: 15_000 }).toBe(0);
    return name;
  }

  async function startRun(preset: number) {
    await page.getByTestId(`preset-${preset}`).click();
    await page.getByTestId('start').click();
    await page.getByTestId('quote').waitFor({ timeout: 15_000 });
    await page.getByTestId('quote-confirm').click();
    await page.getByTestId('run-progress').waitFor({ timeout: 15_000 });
  }

  it('retries the failed photos of a run', async () => {
    mock.inject({ failTasks: { count: 2, code: 'DataInspectionFailed' } });
    await addAlbum(3);
    await startRun(3);
    await expect.poll(() => countOf('failed'), { timeout: 60_000 }).toBe(2);
    await expect.poll(() => countOf('done'), { timeout: 60_000 }).toBe(1);
    const failedNotes = await page
      .locator('[data-testid="photo-cell"][data-status="failed"] [data-testid="photo-note"]')
      .allTextContents();
    expect(failedNotes).toHaveLength(2);
    for (const note of failedNotes) {
      expect(note.length).toBeGreaterThan(0);
      expect(note).not.toContain('errors.');
      expect(note).not.toContain('DataInspectionFailed');
      expect(note.startsWith(t('errors.api_content_rejected', { detail: '' }).trim())).toBe(true);
    }
    expect(await page.getByTestId('run-failed').textContent()).toBe(
      t('run.progress.failed', { count: 2 }),
    );
    await screenshot(page, 'controls-failed');
    await page.getByTestId('run-retry').click();
    await expect.poll(() => countOf('done'), { timeout: 60_000 }).toBe(3);
    await expect.poll(runState, { timeout: 15_000 }).toBe('done');
    expect(await page.getByTestId('run-retry').count()).toBe(0);
    await screenshot(page, 'controls-retried');
  });

  it('cancels a run after confirming, and sends nothing more', async () => {
    mock.configure({ taskMs: 3000 });
    await addAlbum(4);
    const before = mock.tasks().length;
    await startRun(4);
    await expect.poll(() => mock.tasks().length, { timeout: 15_000 }).toBeGreaterThan(before);
    await page.getByTestId('run-cancel').click();
    await page.getByTestId('run-cancel-yes').waitFor();
    await screenshot(page, 'controls-cancel-confirm');
    await page.getByTestId('run-cancel-yes').click();
    await expect.poll(runState, { timeout: 15_000 }).toBe('canceled');
    expect(await page.getByTestId('run-state').textContent()).toBe(
      t('run.progress.state.canceled'),
    );
    await expect.poll(() => countOf('queued'), { timeout: 15_000 }).toBe(0);
    const afterCancel = mock.tasks().length;
    // One submit may have been in flight when the cancel landed.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(mock.tasks().length - afterCancel).toBeLessThanOrEqual(1);
    expect(mock.tasks().length - before).toBeLessThan(4);
    expect(await page.getByTestId('run-cancel').count()).toBe(0);
    await screenshot(page, 'controls-canceled');
  });

  it('moves the second run ahead of the first', async () => {
    mock.configure({ taskMs: 4000 });
    await addAlbum(4);
    await startRun(5);
    await addAlbum(4);
    await startRun(6);
    const unfinished = () =>
      app.services.engine.listBatches().filter((b) => b.state === 'active' || b.state === 'paused');
    await expect.poll(() => unfinished().length, { timeout: 15_000 }).toBe(2);
    const [first, second] = unfinished();
    await page.getByTestId('run-move-up').waitFor({ timeout: 15_000 });
    await screenshot(page, 'controls-move-up');
    await page.getByTestId('run-move-up').click();
    await expect
      .poll(() => unfinished().map((b) => b.id), { timeout: 15_000 })
      .toEqual([second.id, first.id]);
    // Now first in line, the second run has nothing to move up past.
    await expect.poll(() => page.getByTestId('run-move-up').count(), { timeout: 15_000 }).toBe(0);
    // Leave nothing running for the next case.
    mock.configure({ taskMs: 300 });
    await app.services.engine.cancel({});
  });

  it('resumes a run paused by a refused key from the banner', async () => {
    mock.inject({ failSubmits: { count: 1, status: 401, code: 'InvalidApiKey' } });
    await addAlbum(2);
    await startRun(4);
    await page.getByTestId('banner-paused').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('banner-paused').textContent()).toContain(
      t('errors.api_key_invalid'),
    );
    // Under the queue's red banner the run card does not say Running: it is held, and says why.
    await expect.poll(runState).toBe('paused');
    expect(await page.getByTestId('run-state').textContent()).toBe(t('run.progress.state.paused'));
    expect(await page.getByTestId('run-pause-reason').textContent()).toBe(
      t('run.progress.queuePaused', { reason: t('errors.api_key_invalid', { detail: '' }) }),
    );
    await screenshot(page, 'controls-banner-paused');
    await page.getByTestId('banner-settings').click();
    await page.getByTestId('key-status').waitFor();
    await page.getByTestId('nav-batch').click();
    await page.getByTestId('banner-resume').click();
    await expect.poll(() => page.getByTestId('banner-paused').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => countOf('done'), { timeout: 60_000 }).toBe(2);
  });

  it('resumes a run paused by a refused key when a new key is saved', async () => {
    mock.inject({ failSubmits: { count: 1, status: 401, code: 'InvalidApiKey' } });
    await addAlbum(2);
    await startRun(5);
    await page.getByTestId('banner-paused').waitFor({ timeout: 15_000 });
    await page.getByTestId('banner-settings').click();
    // The bridge's key store is not the OS keychain: keep the key for this session.
    await page.getByTestId('key-input').fill(mock.apiKey);
    await page.getByTestId('key-save').click();
    await page.getByTestId('key-session').click();
    await page.getByTestId('nav-batch').click();
    await expect.poll(() => page.getByTestId('banner-paused').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => countOf('done'), { timeout: 60_000 }).toBe(2);
  });

  it('logged no page errors', () => {
    expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  });
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeApp } from '../../electron/core/bridge/bridge-app';
import { openJobStore } from '../../electron/core/queue/job-store';
import { createTranslator } from '../../shared/i18n';
import { pagesOf, writeGarbage } from '../core/queue/damaged-queue';
import { screenshot } from './support/browser';
import { startWindowRig, type WindowRig } from './support/window-rig';

const en = createTranslator('en');
const zh = createTranslator('zh-CN');

describe('The window after its damaged queue file was rebuilt', () => {
  let rig: WindowRig;
  let app: BridgeApp;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    rig = await startWindowRig('restyle-e2e-queue-damaged-', {
      prepare(dataDir) {
        const file = join(dataDir, 'queue.sqlite');
        const store = openJobStore(file);
        const batch = store.createBatch({
          recipe: { kind: 'preset', styleIndex: 1 },
          jobs: [1, 2, 3].map((i) => ({
            path: `/album/IMG_${i}.jpg`,
            hash: String(i).repeat(64),
            folder: 'album',
          })),
        });
        // Canceled: the window opens no tab for it; the banner is what is looked at.
        store.setBatchState(batch.id, 'canceled', null);
        store.close();
        // Damage the check finds: an index page.
        const index = pagesOf(file, 'jobs_by_state');
        writeGarbage(file, index.leaves, index.pageSize);
      },
    });
    ({ app, page, errors } = rig);
    app.services.settings.update({ language: 'en', theme: 'light' });
    await page.goto(app.bridge.pageUrl);
    await page.getByTestId('batch-empty').waitFor();
  });

  afterAll(() => rig?.close());

  it('says what was recovered and where the damaged file is kept, shows it, and goes once dismissed', async () => {
    const recovery = app.services.engine.recovery();
    expect(recovery).toMatchObject({ batches: 1, jobs: 3, inFlight: 0 });
    const keptAs = recovery?.keptAs ?? '';
    const banner = page.getByTestId('banner-recovered');
    await banner.waitFor();
    expect(await banner.locator('span').textContent()).toBe(
      en('run.banner.recovered', { batches: 1, jobs: 3, inFlight: 0, file: keptAs }),
    );
    await screenshot(page, 'queue-file-recovered');

    await page.getByTestId('banner-recovered-show').click();
    await expect.poll(() => app.platform.revealed).toEqual([keptAs]);

    // In Chinese too.
    app.services.settings.update({ language: 'zh-CN' });
    await expect
      .poll(() => banner.locator('span').textContent())
      .toBe(zh('run.banner.recovered', { batches: 1, jobs: 3, inFlight: 0, file: keptAs }));
    app.services.settings.update({ language: 'en' });

    await page.getByTestId('banner-recovered-dismiss').click();
    await expect.poll(() => page.getByTestId('banner-recovered').count()).toBe(0);
    expect(app.services.engine.recovery()).toBeNull();
    await page.reload();
    await page.getByTestId('batch-empty').waitFor();
    expect(await page.getByTestId('banner-recovered').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe('The window when its queue file cannot be opened', () => {
  let rig: WindowRig;
  let app: BridgeApp;
  let page: Page;
  let errors: string[];
  let file: string;

  beforeAll(async () => {
    rig = await startWindowRig('restyle-e2e-queue-unopenable-', {
      prepare(dataDir) {
        // Something that is not a file stands where the queue file goes.
        file = join(dataDir, 'queue.sqlite');
        mkdirSync(file, { recursive: true });
      },
    });
    ({ app, page, errors } = rig);
    app.services.settings.update({ language: 'en', theme: 'light' });
    await page.goto(app.bridge.pageUrl);
    await page.getByTestId('batch-empty').waitFor();
  });

  afterAll(() => rig?.close());

  it('opens, with the queue paused and the file and the fix named', async () => {
    const banner = page.getByTestId('banner-paused');
    await banner.waitFor();
    const reason = en('errors.queue_unopenable', { file });
    expect(await banner.locator('span').textContent()).toBe(en('run.banner.paused', { reason }));
    expect(reason).toContain(file);
    await screenshot(page, 'queue-file-unopenable');
    // Resuming while it is still in the way says so again.
    await page.getByTestId('banner-resume').click();
    await expect
      .poll(() => app.services.engine.status())
      .toEqual({
        state: 'paused',
        reason: 'queue_unopenable',
        params: { file },
      });
    expect(errors).toEqual([]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './support/browser';
import { electronBinary } from './support/electron-binary';
import { APP_PAGE_URL } from '../../shared/protocol';

const binary = electronBinary();
if ('missing' in binary) {
  console.warn(`[electron-app.e2e] SKIPPED: ${binary.missing}`);
}

describe.skipIf('missing' in binary)('the real Electron app', () => {
  let dataDir: string;
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'restyle-electron-'));
    app = await _electron.launch({
      executablePath: 'path' in binary ? binary.path : '',
      args: ['.', '--no-sandbox'],
      env: { ...process.env, RESTYLE_DATA_DIR: dataDir, DASHSCOPE_API_KEY: '' },
    });
    page = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens one window from our own bundled page, on the app scheme (not file://)', async () => {
    expect(await page.title()).toBe('Restyle');
    expect(page.url().split('#')[0]).toBe(APP_PAGE_URL);
    expect(app.windows()).toHaveLength(1);
  });

  it('exposes exactly the contract to the page, and no Node', async () => {
    const exposed = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        api: Object.keys((w.restyle as object) ?? {}).sort(),
        require: typeof w.require,
        process: typeof w.process,
      };
    });
    expect(exposed).toEqual({
      api: ['invoke', 'on', 'pathForFile', 'resultUrl', 'thumbnailUrl'],
      require: 'undefined',
      process: 'undefined',
    });
  });

  it('refuses to navigate away or open windows', async () => {
    await page.evaluate(() => window.open('https://example.com/'));
    expect(app.windows()).toHaveLength(1);
    await page.evaluate(() => (window.location.href = 'https://example.com/'));
    await page.waitForTimeout(300);
    expect(page.url().startsWith(APP_PAGE_URL)).toBe(true);
  });

  it('sets a key through the window and shows it masked', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('key-input').fill('sk-electron00000000000000ab12');
    await page.getByTestId('key-save').click();
    const consent = page.getByTestId('key-consent');
    if (await consent.isVisible().catch(() => false)) await page.getByTestId('key-session').click();
    await expect.poll(() => page.getByTestId('key-status').textContent()).toContain('sk-…ab12');
    await screenshot(page, 'electron-settings');
  });
});

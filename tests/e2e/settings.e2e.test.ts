import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgeApp, type BridgeApp } from '../../electron/core/bridge/bridge-app';
import { launchChromium, screenshot, watchPageErrors } from './support/browser';

const KEY = 'sk-e2e0123456789abcdef9f3a';

describe('Settings in the real window, over the dev bridge, in Chromium', () => {
  let dataDir: string;
  let app: BridgeApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'restyle-e2e-settings-'));
    app = await startBridgeApp({
      dataDir,
      staticDir: join(process.cwd(), 'out', 'renderer'),
      env: {},
      locale: 'en_US.UTF-8',
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    errors = watchPageErrors(page);
    await page.goto(app.bridge.pageUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows Settings in English with no key set', async () => {
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('key-status').textContent()).toBe('No key set');
    expect(await page.locator('h1').textContent()).toBe('Settings');
    await screenshot(page, 'settings-en');
  });

  it('sets a key through the UI, asking first because this machine has no secure store', async () => {
    await page.getByTestId('key-input').fill(KEY);
    await page.getByTestId('key-save').click();
    await page.getByTestId('key-consent').waitFor();
    await screenshot(page, 'settings-en-key-consent');
    await page.getByTestId('key-store-anyway').click();
    await expect.poll(() => page.getByTestId('key-status').textContent()).toBe('Key set: sk-…9f3a');
    // The status can follow the settings event before the call's answer clears the field.
    await expect.poll(() => page.getByTestId('key-input').inputValue()).toBe('');
  });

  it('shows the key masked after a reload, and never the key itself', async () => {
    await page.reload();
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.getByTestId('key-status').textContent()).toBe('Key set: sk-…9f3a');
    expect(await page.content()).not.toContain(KEY);
    expect(readFileSync(join(dataDir, 'config.json'), 'utf8')).not.toContain(KEY);
    await screenshot(page, 'settings-en-key-masked');
  });

  it('switches to Chinese, and every visible string follows', async () => {
    await page.getByTestId('language').selectOption('zh-CN');
    await expect.poll(() => page.locator('h1').textContent()).toBe('设置');
    expect(await page.getByTestId('key-status').textContent()).toBe('已设置密钥：sk-…9f3a');
    expect(await page.getByTestId('nav-batch').textContent()).toBe('批量处理');
    await screenshot(page, 'settings-zh-CN');
  });

  it('keeps the language after a reload, and switches the theme', async () => {
    await page.reload();
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('设置');
    await page.getByTestId('theme').selectOption('dark');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await screenshot(page, 'settings-zh-CN-dark');
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Settings');
    await screenshot(page, 'settings-en-dark');
  });

  it('chooses the library folder with the OS dialog (scripted here) and rejects a bad custom endpoint', async () => {
    const chosen = join(dataDir, 'chosen-library');
    app.platform.queueFolderChoice(chosen);
    await page.getByTestId('library-choose').click();
    await expect.poll(() => page.getByTestId('library-dir').inputValue()).toBe(chosen);

    await page.getByTestId('custom-endpoint').fill('http://example.com/api/v1');
    await page.getByTestId('workspace').click();
    await expect.poll(() => page.getByTestId('settings-error').textContent()).toContain('https://');
  });

  it('sends the key to a new server only once the host confirms; declined, the window says so and keeps the saved server', async () => {
    const beijing = 'https://dashscope.aliyuncs.com/api/v1';
    const proxy = 'https://proxy.example/api/v1';
    const error = page.getByTestId('settings-error');
    // A custom address not in force yet is saved without asking.
    await page.getByTestId('custom-endpoint').fill(proxy);
    await page.getByTestId('workspace').click();
    await expect.poll(() => error.count()).toBe(0);
    expect(app.platform.endpointAsks).toEqual([]);

    // Putting it in force is asked; the bridge declines what no test confirmed.
    await page.getByTestId('region-custom').click();
    await expect
      .poll(() => error.textContent())
      .toBe('The server was not changed: your key and photos were not sent to proxy.example.');
    expect(app.platform.endpointAsks).toEqual([
      { from: beijing, to: proxy, host: 'proxy.example' },
    ]);
    expect(await page.getByTestId('endpoint').textContent()).toBe(beijing);
    expect(await page.getByTestId('region-beijing').isChecked()).toBe(true);
    expect(await page.getByTestId('region-custom').isChecked()).toBe(false);
    await screenshot(page, 'settings-en-endpoint-declined');

    // Confirmed, it is in force.
    app.platform.queueEndpointConfirm(true);
    await page.getByTestId('region-custom').click();
    await expect.poll(() => page.getByTestId('endpoint').textContent()).toBe(proxy);
    await expect.poll(() => error.count()).toBe(0);

    // Another server typed in the field: declined, the field shows the saved server again.
    await page.getByTestId('custom-endpoint').fill('https://evil.example/api/v1');
    await page.getByTestId('workspace').click();
    await expect.poll(() => error.textContent()).toContain('evil.example');
    expect(await page.getByTestId('custom-endpoint').inputValue()).toBe(proxy);
    expect(await page.getByTestId('endpoint').textContent()).toBe(proxy);

    // Back to Beijing is a new server too.
    app.platform.queueEndpointConfirm(true);
    await page.getByTestId('region-beijing').click();
    await expect.poll(() => page.getByTestId('endpoint').textContent()).toBe(beijing);
    expect(app.platform.endpointAsks.map((a) => a.host)).toEqual([
      'proxy.example',
      'proxy.example',
      'evil.example',
      'dashscope.aliyuncs.com',
    ]);
  });

  it('removes the key', async () => {
    await page.getByTestId('key-remove').click();
    await expect.poll(() => page.getByTestId('key-status').textContent()).toBe('No key set');
    expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  });
});

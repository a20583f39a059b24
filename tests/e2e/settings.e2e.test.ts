import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgeApp, type BridgeApp } from '../../electron/core/bridge/bridge-app';
import { startNotDashScope } from '../support/not-dashscope';
import { launchChromium, screenshot, watchPageErrors } from './support/browser';
import { startWindowRig, type WindowRig } from './support/window-rig';

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

  it('says one true thing about where a key goes: this machine has no keychain, so nothing claims it is encrypted by one', async () => {
    const card = page.getByTestId('key-card');
    await expect
      .poll(() => page.getByTestId('key-storage').textContent())
      .toBe(
        'No system keychain found: a key can be kept for this session only, or stored where other programs on this computer could read it.',
      );
    expect(await card.textContent()).not.toContain('encrypted by the system keychain');
    expect(await card.getByText(/keychain/).count()).toBe(1);
  });

  it('the first click on Custom endpoint, with none saved, selects it and waits for the address', async () => {
    const beijing = 'https://dashscope.aliyuncs.com/api/v1';
    await page.getByTestId('region-custom').click();
    await expect.poll(() => page.getByTestId('region-custom').isChecked()).toBe(true);
    expect(await page.getByTestId('region-beijing').isChecked()).toBe(false);
    expect(
      await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null),
    ).toBe('custom-endpoint');
    // Nothing changed yet: the key still goes to Beijing, and the window says so.
    expect(await page.getByTestId('endpoint').textContent()).toBe(beijing);
    expect(await page.getByTestId('endpoint-env').count()).toBe(0);
    expect(await page.getByTestId('custom-pending').textContent()).toBe(
      'Type the custom address, then leave the field: until then, requests still go to the server above.',
    );
    expect(app.platform.endpointAsks).toEqual([]);
    await screenshot(page, 'settings-en-custom-pending');
    // Choosing Beijing again drops the pending choice; nothing was asked or saved.
    await page.getByTestId('region-beijing').click();
    await expect.poll(() => page.getByTestId('region-beijing').isChecked()).toBe(true);
    expect(await page.getByTestId('custom-pending').count()).toBe(0);
    expect(app.services.settings.view()).toMatchObject({ region: 'beijing', customEndpoint: '' });
    expect(app.platform.endpointAsks).toEqual([]);
  });

  it('a key too short is refused with a message in the window language, not the raw validation text', async () => {
    const error = page.getByTestId('settings-error');
    await page.getByTestId('key-input').fill('sk-1');
    await page.getByTestId('key-save').click();
    await expect
      .poll(() => error.textContent())
      .toBe('The API key is too short: it needs at least 8 characters.');
    await screenshot(page, 'settings-en-short-key');

    await page.getByTestId('language').selectOption('zh-CN');
    await expect.poll(() => page.locator('h1').textContent()).toBe('设置');
    await page.getByTestId('key-save').click();
    await expect.poll(() => error.textContent()).toBe('API 密钥太短：至少需要 8 个字符。');
    await screenshot(page, 'settings-zh-CN-short-key');

    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Settings');
    await page.getByTestId('key-input').fill('');
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
    // Stored as the user chose: the card says so, and nothing else about the keychain.
    expect(await page.getByTestId('key-storage').textContent()).toBe(
      'Stored without the system keychain, as you chose: other programs on this computer could read it.',
    );
    expect(await page.getByTestId('key-card').textContent()).not.toContain(
      'encrypted by the system keychain',
    );
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

describe('Settings against a mock DashScope: the key check says what happened; prices and the free allowance', () => {
  let rig: WindowRig;
  let page: Page;
  let host: string;
  const STYLE = 'wanx-style-repaint-v1';
  const EDIT = 'wanx2.1-imageedit';

  beforeAll(async () => {
    rig = await startWindowRig('restyle-e2e-settings-mock-');
    page = rig.page;
    host = new URL(rig.mock.baseUrl).host;
    rig.app.services.settings.update({ language: 'en', theme: 'light' });
    await page.goto(rig.app.bridge.pageUrl);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('key-test').waitFor();
  });

  afterAll(() => rig?.close());

  const checkKey = async () => {
    await page.getByTestId('key-test').click();
    const check = page.getByTestId('key-check');
    await check.waitFor();
    return (await check.textContent()) ?? '';
  };

  it('a key that works says so, naming the server', async () => {
    expect(await checkKey()).toBe(`The key works with ${host}.`);
  });

  it('an endpoint the environment sets is said to come from it, over the region still chosen', async () => {
    // The rig starts the app with DASHSCOPE_HTTP_BASE_URL: the radio stays on the saved region.
    expect(await page.getByTestId('region-beijing').isChecked()).toBe(true);
    expect(await page.getByTestId('endpoint').textContent()).toBe(rig.mock.baseUrl);
    expect(await page.getByTestId('endpoint-env').textContent()).toBe(
      '(set by DASHSCOPE_HTTP_BASE_URL in the environment Restyle was started in; it overrides the region chosen here)',
    );
  });

  it('a server that cannot be reached is "cannot connect", naming the host, never "not accepted"', async () => {
    await rig.mock.down({ mode: 'refuse' });
    const text = await checkKey();
    // Refused, or reset when a kept-alive socket meets the closed server.
    expect(text).toMatch(
      new RegExp(
        `^Cannot connect to ${host} \\(ECONN(REFUSED|RESET)\\): the key was not checked\\.$`,
      ),
    );
    expect(text).not.toMatch(/not accepted/);
    await screenshot(page, 'settings-en-key-unreachable');
    await rig.mock.up();
  });

  it('a server error is said as such, not as a refused key', async () => {
    rig.mock.inject({ failQueries: { count: 1, status: 503, code: 'ServiceUnavailable' } });
    expect(await checkKey()).toBe(
      `${host} answered with a server error (HTTP 503): the key was not checked.`,
    );
  });

  it('an address that answers, but not as DashScope does (a 404 web page), is never "works": the key was not checked', async () => {
    const web = await startNotDashScope();
    try {
      rig.app.services.settings.update({
        region: 'custom',
        customEndpoint: web.baseUrl('missing'),
      });
      await expect
        .poll(() => page.getByTestId('endpoint').textContent())
        .toBe(web.baseUrl('missing'));
      const text = await checkKey();
      expect(text).toBe(
        `${web.host} answered (HTTP 404), but not as DashScope does: check the address, which usually ends in /api/v1. The key was not checked.`,
      );
      expect(await page.getByTestId('key-check').getAttribute('class')).toContain('error');
    } finally {
      rig.app.services.settings.update({ region: 'beijing', customEndpoint: '' });
      await web.close();
    }
    await expect.poll(() => page.getByTestId('endpoint').textContent()).toBe(rig.mock.baseUrl);
  });

  it('only a refusal of the key itself says the key was not accepted, in the window language', async () => {
    await page.getByTestId('key-input').fill('sk-not-the-mock-key-0000');
    await page.getByTestId('key-save').click();
    await page.getByTestId('key-session').click();
    await expect.poll(() => page.getByTestId('key-status').textContent()).toMatch(/session/);
    expect(await page.getByTestId('key-storage').textContent()).toBe(
      'Not saved: it is forgotten when Restyle quits.',
    );
    expect(await checkKey()).toBe(
      `The key was not accepted by ${host}: check the key, and that it was created in this server's region.`,
    );
    await screenshot(page, 'settings-en-key-rejected');

    await page.getByTestId('language').selectOption('zh-CN');
    await expect.poll(() => page.locator('h1').textContent()).toBe('设置');
    expect(await checkKey()).toBe(
      `${host} 未接受该密钥：请检查密钥，并确认它是在该服务器所在的地域创建的。`,
    );
    await rig.mock.down({ mode: 'refuse' });
    expect(await checkKey()).toMatch(
      new RegExp(`^无法连接到 ${host}（ECONN(REFUSED|RESET)），密钥未经检查。$`),
    );
    await rig.mock.up();
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Settings');
    await page.getByTestId('key-remove').click();
    await expect
      .poll(() => page.getByTestId('key-status').textContent())
      .toMatch(/DASHSCOPE_API_KEY/);
  });

  it('shows the price of each model and the free allowance, with what Restyle counted as used', async () => {
    rig.app.services.costs.setFreeUsed(STYLE, 120);
    await page.reload();
    await page.getByTestId('nav-settings').click();
    const pricing = page.getByTestId('pricing');
    await pricing.waitFor();
    expect(await pricing.getByRole('heading').first().textContent()).toBe(
      'Prices and free allowance',
    );
    // Each field is labelled: found by its accessible name.
    const stylePrice = page.getByRole('spinbutton', {
      name: `Price per image of ${STYLE}, in CNY`,
    });
    const editPrice = page.getByRole('spinbutton', { name: `Price per image of ${EDIT}, in CNY` });
    expect(await stylePrice.inputValue()).toBe('0.12');
    expect(await editPrice.inputValue()).toBe('0.14');
    expect(await page.getByRole('spinbutton', { name: 'Free images per model' }).inputValue()).toBe(
      '500',
    );
    expect(
      await page
        .getByRole('spinbutton', { name: `Free images of ${STYLE} used so far` })
        .inputValue(),
    ).toBe('120');
    await expect
      .poll(() => page.getByTestId(`free-left-${STYLE}`).textContent())
      .toBe('about 380 left');
    expect(await page.getByTestId(`free-left-${EDIT}`).textContent()).toBe('about 500 left');
    expect(await page.getByTestId('pricing-note').textContent()).toBe(
      'DashScope does not report your free allowance: these are your own figures. Restyle counts the free images it used; if the Model Studio console says otherwise, correct the count here.',
    );
  });

  it('edits a price, the allowance and the used count from the keyboard; a bad value is refused in words', async () => {
    const used = page.getByRole('spinbutton', { name: `Free images of ${EDIT} used so far` });
    await used.focus();
    await used.fill('30');
    await page.keyboard.press('Tab');
    await expect.poll(() => rig.app.services.costs.freeUsed()[EDIT]).toBe(30);
    await expect
      .poll(() => page.getByTestId(`free-left-${EDIT}`).textContent())
      .toBe('about 470 left');

    const allowance = page.getByRole('spinbutton', { name: 'Free images per model' });
    await allowance.fill('200');
    await page.keyboard.press('Tab');
    await expect.poll(() => rig.app.services.settings.pricing().freeAllowance).toBe(200);
    await expect
      .poll(() => page.getByTestId(`free-left-${STYLE}`).textContent())
      .toBe('about 80 left');
    expect(await page.getByTestId(`free-left-${EDIT}`).textContent()).toBe('about 170 left');

    const price = page.getByRole('spinbutton', { name: `Price per image of ${STYLE}, in CNY` });
    await price.fill('0.2');
    await page.keyboard.press('Tab');
    await expect.poll(() => rig.app.services.settings.pricing().styleRepaintCny).toBe(0.2);

    await price.fill('0.12345');
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.getByTestId('settings-error').textContent())
      .toBe('A price can have at most 4 decimals.');
    expect(rig.app.services.settings.pricing().styleRepaintCny).toBe(0.2);
    await expect.poll(() => price.inputValue()).toBe('0.2');
  });

  for (const language of ['en', 'zh-CN'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      it(`looks right in ${language}, ${theme} (screenshot settings-full-${language}-${theme})`, async () => {
        await page.getByTestId('language').selectOption(language);
        await page.getByTestId('theme').selectOption(theme);
        await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
        await expect
          .poll(() => page.locator('h1').textContent())
          .toBe(language === 'en' ? 'Settings' : '设置');
        await checkKey();
        expect(await page.getByTestId('settings-error').count()).toBe(0);
        // The view scrolls inside the window: a window as tall as Settings shows all of it.
        const height = await page.evaluate(() => document.querySelector('.settings')?.scrollHeight);
        await page.setViewportSize({ width: 1280, height: (height ?? 1000) + 120 });
        await screenshot(page, `settings-full-${language}-${theme}`);
        await page.setViewportSize({ width: 1280, height: 1000 });
      });
    }
  }

  it('had no page errors', () => {
    expect(rig.errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  });
});

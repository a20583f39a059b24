/**
 * `restyle check-key` is the window's key check: the same core (the CLI's
 * session, `services.checkKey`), the server the window's settings choose, and
 * the window's words for each outcome (describeKeyCheck) in the user's
 * language; the exit code follows the outcome (README, exit-codes.ts).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyCheck } from '../../shared/contract/settings';
import { createTranslator, describeKeyCheck } from '../../shared/i18n';
import { makeServices } from '../support/core-services';
import { createMockDashScope, type MockDashScope } from '../support/mock-dashscope';
import { startNotDashScope, type NotDashScope } from '../support/not-dashscope';
import { useTempDir } from '../support/temp-dir';
import { runCli } from './cli-rig';

let mock: MockDashScope;
let web: NotDashScope;
let tmp: ReturnType<typeof useTempDir>;
let host: string;
beforeAll(async () => {
  mock = await createMockDashScope();
  web = await startNotDashScope();
  tmp = useTempDir('restyle-check-key-');
  host = new URL(mock.baseUrl).host;
});
afterAll(async () => {
  await web.close();
  await mock.close();
  tmp.cleanup();
});

const en = createTranslator('en');
const zh = createTranslator('zh-CN');

/** `restyle check-key` in its own data folder, English unless LANG says otherwise. */
const checkKey = (env: Record<string, string>, args: string[] = [], dataDir = 'data') =>
  runCli(['check-key', '--data-dir', join(tmp.path, dataDir), ...args], {
    LC_ALL: '',
    LC_MESSAGES: '',
    DASHSCOPE_API_KEY: mock.apiKey,
    DASHSCOPE_HTTP_BASE_URL: mock.baseUrl,
    DASHSCOPE_WORKSPACE_ID: '',
    ...env,
  });

describe('restyle check-key', () => {
  it('a key that works: exit 0, in the words of the window, naming the server', async () => {
    const done = await checkKey({});
    expect(done.stdout.trim()).toBe(`The key works with ${host}.`);
    expect(done.code).toBe(0);
    expect(mock.stats().totals.submits).toBe(0);
  });

  it('an account in arrears is an account problem, not a bad key: exit 3, with the JSON of the key check', async () => {
    mock.inject({ failQueries: { count: 1, status: 400, code: 'Arrearage' } });
    const done = await checkKey({}, ['--json']);
    expect(done.code).toBe(3);
    const printed = JSON.parse(done.stdout) as KeyCheck & { message: string };
    expect(printed).toMatchObject({
      valid: false,
      outcome: 'account',
      code: 'api_arrearage',
      endpoint: mock.baseUrl,
      host,
    });
    expect(printed.message).toBe(
      `${host} accepted the key, but the account cannot run tasks now: Your Alibaba Cloud account is in arrears: top it up, then resume.`,
    );
    expect(printed.message).toBe(describeKeyCheck(en, printed));
    expect(printed.message).not.toMatch(/not accepted|does not work/);
  });

  it('in Chinese with a Chinese locale, as the window says it', async () => {
    mock.inject({ failQueries: { count: 1, status: 400, code: 'Arrearage' } });
    const done = await checkKey({ LANG: 'zh_CN.UTF-8' });
    expect(done.code).toBe(3);
    expect(done.stdout.trim()).toBe(
      `${host} 已接受该密钥，但账号目前无法运行任务：你的阿里云账号已欠费：充值后再继续。`,
    );
  });

  it('a refused key: exit 3, "not accepted" naming the server', async () => {
    const done = await checkKey({ DASHSCOPE_API_KEY: 'sk-not-the-mock-key-0000' });
    expect(done.code).toBe(3);
    expect(done.stdout.trim()).toBe(
      `The key was not accepted by ${host}: check the key, and that it was created in this server's region.`,
    );
  });

  it('an address that is not DashScope (404 and a web page) is never "works": exit 1, the key was not checked', async () => {
    const done = await checkKey({ DASHSCOPE_HTTP_BASE_URL: web.baseUrl('missing') });
    expect(done.stdout.trim()).toBe(
      `${web.host} answered (HTTP 404), but not as DashScope does: check the address, which usually ends in /api/v1. The key was not checked.`,
    );
    expect(done.code).toBe(1);
  });

  it('no key: exit 3, saying where a terminal takes it from', async () => {
    const done = await checkKey({ DASHSCOPE_API_KEY: '' });
    expect(done.code).toBe(3);
    expect(done.stdout.trim()).toBe(
      `${en('settings.key.check.missing')} Set DASHSCOPE_API_KEY (and DASHSCOPE_HTTP_BASE_URL for another region).`,
    );
    expect(zh('settings.key.check.missing')).not.toBe(en('settings.key.check.missing'));
  });

  it("follows the server the window's settings chose in that data folder", async () => {
    const services = makeServices(join(tmp.path, 'chosen'));
    services.settings.update({ region: 'custom', customEndpoint: mock.baseUrl });
    await services.close();
    const done = await checkKey({ DASHSCOPE_HTTP_BASE_URL: '' }, [], 'chosen');
    expect(done.stdout.trim()).toBe(`The key works with ${host}.`);
    expect(done.code).toBe(0);
  });
});

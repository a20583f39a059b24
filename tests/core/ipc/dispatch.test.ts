import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../../shared/contract';
import { createDispatcher, type Dispatch } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import type { Services } from '../../../electron/core/services';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';

const PAGE = 'file:///opt/Restyle/resources/app.asar/out/renderer/index.html';
const KEY = 'sk-dispatchtest0000000000000077aa';
const own = { senderUrl: `${PAGE}#settings` };

describe('IPC dispatcher', () => {
  let tmp: ReturnType<typeof useTempDir>;
  let services: Services;
  let dispatch: Dispatch;

  beforeEach(() => {
    tmp = useTempDir();
    services = makeServices(tmp.path);
    dispatch = createDispatcher({ services, handlers, isTrustedSender: createSenderCheck([PAGE]) });
  });
  afterEach(() => tmp.cleanup());

  it('answers a valid call with an ok result', async () => {
    const result = await dispatch(own, 'settings:update', { language: 'zh-CN' });
    expect(result).toMatchObject({ ok: true, value: { language: 'zh-CN' } });
  });

  it('rejects an invalid payload with a coded error, before the handler runs', async () => {
    for (const payload of [
      { language: 'fr' },
      { theme: 'dark', unexpected: true },
      'text',
      { libraryDir: 42 },
    ]) {
      const result = await dispatch(own, 'settings:update', payload);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('invalid_payload');
    }
    const key = await dispatch(own, 'settings:set-key', {
      key: 'has spaces in it',
      persistence: 'auto',
    });
    expect(key).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(services.settings.view().language).toBe('en');
    expect(services.settings.view().key.source).toBe('none');
  });

  it('refuses a foreign sender, whatever it asks', async () => {
    for (const senderUrl of [
      'https://evil.example/index.html',
      'file:///tmp/other/index.html',
      undefined,
      'not a url',
    ]) {
      const result = await dispatch({ senderUrl }, 'settings:set-key', {
        key: KEY,
        persistence: 'auto',
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    }
    expect(services.settings.view().key.source).toBe('none');
  });

  it('refuses channels outside the contract', async () => {
    const result = await dispatch(own, 'settings:get-key', null);
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const proto = await dispatch(own, '__proto__', null);
    expect(proto).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('turns a failing handler into a result, not an exception', async () => {
    const result = await dispatch(own, 'settings:update', {
      libraryDir: '/proc/restyle-cannot-exist/x',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_folder' } });
  });

  it('never returns the key on any channel, nor in any event', async () => {
    const events: string[] = [];
    services.events.subscribe((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
    const set = await dispatch(own, 'settings:set-key', { key: KEY, persistence: 'auto' });
    expect(set.ok).toBe(true);

    const samples: Partial<Record<InvokeChannel, unknown>> = {
      'settings:update': { theme: 'dark' },
      'app:reveal-path': { path: '/tmp' },
      'app:open-external': { url: 'https://help.aliyun.com/' },
    };
    const answers: string[] = [];
    for (const channel of INVOKE_CHANNELS) {
      if (channel === 'settings:remove-key') continue;
      answers.push(JSON.stringify(await dispatch(own, channel, samples[channel] ?? null)));
    }
    expect(answers.length).toBeGreaterThan(5);
    const everything = answers.join('\n') + events.join('\n');
    expect(everything).toContain('sk-…77aa');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(KEY.slice(3, -4));
  });
});

describe('sender check', () => {
  it('trusts exactly our page, ignoring query and hash', () => {
    const check = createSenderCheck([PAGE, 'http://127.0.0.1:5173/']);
    expect(check(PAGE)).toBe(true);
    expect(check(`${PAGE}?x=1#y`)).toBe(true);
    expect(check('http://127.0.0.1:5173/?token=1')).toBe(true);
    expect(check('http://127.0.0.1:5174/')).toBe(false);
    expect(check('file:///opt/Restyle/resources/app.asar/out/renderer/other.html')).toBe(false);
    expect(check(undefined)).toBe(false);
  });

  it('compares the scheme and the host, not only the path', () => {
    const check = createSenderCheck([PAGE, 'app://restyle/index.html']);
    // Same path, another host: a file share or a foreign app scheme origin.
    expect(check('file://otherhost/opt/Restyle/resources/app.asar/out/renderer/index.html')).toBe(
      false,
    );
    expect(check('app://evil/index.html')).toBe(false);
    expect(check('app://restyle/index.html#/settings')).toBe(true);
    // Same host and path, another scheme.
    expect(check('restyle://restyle/index.html')).toBe(false);
    expect(check('https://restyle/index.html')).toBe(false);
    expect(check('app://restyle:8080/index.html')).toBe(false);
    expect(check('app://user@restyle/index.html')).toBe(false);
  });
});

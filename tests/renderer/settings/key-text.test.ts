/**
 * The key card says one true thing about where the key is kept, and the key
 * check says what happened, in both languages (describeKeyCheck, shared with
 * the CLI's `restyle check-key`). The e2e drives the insecure
 * store of the dev bridge; the secure and unavailable stores are proved here.
 */
import { describe, expect, it } from 'vitest';
import { keyStorageText } from '../../../renderer/src/views/settings/key-text';
import type { KeyCheck } from '../../../shared/contract/settings';
import { createTranslator, describeKeyCheck } from '../../../shared/i18n';
import type { KeySource, SecretStorageStatus } from '../../../shared/settings';

const en = createTranslator('en');
const zh = createTranslator('zh-CN');
const SOURCES: KeySource[] = ['none', 'stored', 'session', 'env'];
const STORAGES: SecretStorageStatus[] = ['secure', 'insecure', 'unavailable'];

describe('where the key is kept', () => {
  const text = (source: KeySource, storage: SecretStorageStatus) =>
    en(keyStorageText({ source, storage, hint: source === 'none' ? null : 'sk-…9f3a' }));

  it('"encrypted by the system keychain" only when the keychain is there, and never with "no keychain"', () => {
    for (const source of SOURCES) {
      for (const storage of STORAGES) {
        const said = text(source, storage);
        const encrypted = /encrypted by the system keychain/i.test(said);
        expect(encrypted, `${source}/${storage}: ${said}`).toBe(
          storage === 'secure' && (source === 'stored' || source === 'none'),
        );
        if (encrypted) expect(said).not.toMatch(/no system keychain|without/i);
      }
    }
  });

  it('says what really happens for each source', () => {
    expect(text('stored', 'secure')).toBe('Encrypted by the system keychain.');
    expect(text('stored', 'insecure')).toBe(
      'Stored without the system keychain, as you chose: other programs on this computer could read it.',
    );
    expect(text('session', 'secure')).toBe('Not saved: it is forgotten when Restyle quits.');
    expect(text('env', 'secure')).toBe(
      'Not saved by Restyle: it is read from the environment each time Restyle starts.',
    );
    expect(text('none', 'unavailable')).toBe(
      'Encryption is unavailable on this computer: a key can be kept for this session only.',
    );
  });

  it('every sentence exists in Chinese', () => {
    for (const source of SOURCES) {
      for (const storage of STORAGES) {
        const key = keyStorageText({ source, storage, hint: null });
        expect(zh(key)).not.toBe(key);
        expect(zh(key)).not.toBe(en(key));
      }
    }
    expect(zh(keyStorageText({ source: 'stored', storage: 'secure', hint: null }))).toBe(
      '已由系统钥匙串加密。',
    );
  });
});

describe('what the key check found', () => {
  const base = { endpoint: 'https://proxy.example/api/v1', host: 'proxy.example' };
  const checks: Record<string, KeyCheck> = {
    valid: { ...base, valid: true, outcome: 'valid' },
    rejected: { ...base, valid: false, outcome: 'rejected', code: 'api_key_invalid' },
    denied: { ...base, valid: false, outcome: 'rejected', code: 'api_access_denied' },
    arrears: { ...base, valid: false, outcome: 'account', code: 'api_arrearage' },
    dns: {
      ...base,
      valid: false,
      outcome: 'unreachable',
      code: 'network_offline',
      detail: 'ENOTFOUND',
    },
    timeout: { ...base, valid: false, outcome: 'unreachable', code: 'api_timeout' },
    server: {
      ...base,
      valid: false,
      outcome: 'unreachable',
      code: 'api_server_error',
      detail: 'HTTP 502',
    },
    wrongAddress: {
      ...base,
      valid: false,
      outcome: 'not_dashscope',
      code: 'endpoint_not_dashscope',
      detail: 'HTTP 404',
    },
  };
  const say = (name: string, t = en) => describeKeyCheck(t, checks[name] as KeyCheck);

  it('names the host every time, and says "not accepted" only when the key itself was refused', () => {
    for (const name of Object.keys(checks)) {
      expect(say(name)).toContain('proxy.example');
      expect(say(name, zh)).toContain('proxy.example');
      expect(/not accepted/.test(say(name))).toBe(name === 'rejected' || name === 'denied');
      expect(/未接受/.test(say(name, zh))).toBe(name === 'rejected' || name === 'denied');
    }
  });

  it('each outcome in its words', () => {
    expect(say('valid')).toBe('The key works with proxy.example.');
    expect(say('denied')).toBe(
      'The key was not accepted by proxy.example: it may not use these models in this region or workspace.',
    );
    expect(say('arrears')).toBe(
      'proxy.example accepted the key, but the account cannot run tasks now: Your Alibaba Cloud account is in arrears: top it up, then resume.',
    );
    expect(say('dns')).toBe(
      'Cannot connect to proxy.example (ENOTFOUND): the key was not checked.',
    );
    expect(say('timeout')).toBe('proxy.example did not answer in time: the key was not checked.');
    expect(say('server')).toBe(
      'proxy.example answered with a server error (HTTP 502): the key was not checked.',
    );
    expect(say('wrongAddress')).toBe(
      'proxy.example answered (HTTP 404), but not as DashScope does: check the address, which usually ends in /api/v1. The key was not checked.',
    );
    expect(say('dns', zh)).toBe('无法连接到 proxy.example（ENOTFOUND），密钥未经检查。');
    expect(say('wrongAddress', zh)).toBe(
      'proxy.example 有响应（HTTP 404），但不是 DashScope 的响应：请检查服务地址（通常以 /api/v1 结尾）。密钥未经检查。',
    );
  });
});

import { existsSync, readFileSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RestyleError } from '../../../shared/result';
import { createFileStore } from '../../../electron/core/settings/key-value-store';
import {
  createFileKeyCipher,
  type SecretCipher,
} from '../../../electron/core/settings/secret-cipher';
import { createSettingsService, maskKey } from '../../../electron/core/settings/settings-service';
import { useTempDir } from '../../support/temp-dir';

const KEY = 'sk-0123456789abcdef0123456789ab9f3a';

/** The real AES cipher, reporting the OS store as `secure` (as safeStorage does with a keychain). */
function secureCipher(dir: string): SecretCipher {
  const inner = createFileKeyCipher(join(dir, 'secret.key'));
  return { ...inner, status: () => 'secure' };
}

describe('settings service', () => {
  let tmp: ReturnType<typeof useTempDir>;
  beforeEach(() => (tmp = useTempDir()));
  afterEach(() => tmp.cleanup());

  const make = (options: { cipher?: SecretCipher; env?: Record<string, string> } = {}) =>
    createSettingsService({
      store: createFileStore(tmp.path),
      cipher: options.cipher ?? secureCipher(tmp.path),
      env: options.env ?? {},
      defaults: { libraryDir: join(tmp.path, 'library'), language: 'en' },
    });

  it('keeps the key encrypted at rest and reads it back in a new session', () => {
    const status = make().setKey(KEY, 'auto');
    expect(status).toEqual({ source: 'stored', hint: 'sk-…9f3a', storage: 'secure' });

    const onDisk = readdirSync(tmp.path)
      .map((name) => {
        try {
          return readFileSync(join(tmp.path, name), 'utf8');
        } catch {
          return '';
        }
      })
      .join('\n');
    expect(onDisk).not.toContain(KEY);
    expect(onDisk).not.toContain(KEY.slice(3, 20));
    const config = JSON.parse(readFileSync(join(tmp.path, 'config.json'), 'utf8')) as {
      apiKey: string;
    };
    expect(config.apiKey.length).toBeGreaterThan(KEY.length);

    const later = make();
    expect(later.apiKey()).toBe(KEY);
    expect(later.view().key.source).toBe('stored');
  });

  it('never puts the key in the view the window sees', () => {
    const service = make();
    service.setKey(KEY, 'auto');
    expect(JSON.stringify(service.view())).not.toContain(KEY);
    expect(JSON.stringify(service.view())).toContain('9f3a');
  });

  it('asks before storing where the OS store is insecure, and keeps a session key in memory only', () => {
    const cipher = createFileKeyCipher(join(tmp.path, 'secret.key'));
    const service = make({ cipher });
    expect(() => service.setKey(KEY, 'auto')).toThrowError(
      expect.objectContaining({ code: 'secure_storage_unavailable' }),
    );
    expect(service.view().key.source).toBe('none');

    expect(service.setKey(KEY, 'session').source).toBe('session');
    expect(service.apiKey()).toBe(KEY);
    const config = join(tmp.path, 'config.json');
    expect(existsSync(config) ? readFileSync(config, 'utf8') : '').not.toContain('apiKey');
    expect(make({ cipher }).view().key.source).toBe('none');

    expect(service.setKey(KEY, 'insecure').source).toBe('stored');
    expect(make({ cipher }).apiKey()).toBe(KEY);
  });

  it('refuses to store when no encryption exists at all', () => {
    const none: SecretCipher = {
      status: () => 'unavailable',
      encrypt: () => {
        throw new Error('no encryption');
      },
      decrypt: () => {
        throw new Error('no encryption');
      },
    };
    const service = make({ cipher: none });
    expect(() => service.setKey(KEY, 'insecure')).toThrow(RestyleError);
    expect(service.setKey(KEY, 'session').source).toBe('session');
  });

  it('uses DASHSCOPE_API_KEY when no key is stored, and says so', () => {
    const service = make({ env: { DASHSCOPE_API_KEY: KEY } });
    expect(service.view().key).toMatchObject({ source: 'env', hint: 'sk-…9f3a' });
    expect(service.apiKey()).toBe(KEY);
    service.setKey('sk-storedkey000000001111', 'auto');
    expect(service.view().key.source).toBe('stored');
    service.removeKey();
    expect(service.view().key.source).toBe('env');
  });

  it('treats a key sealed by another keychain as absent instead of failing', () => {
    make().setKey(KEY, 'auto');
    writeFileSync(join(tmp.path, 'secret.key'), Buffer.alloc(32, 7));
    const service = make();
    expect(service.apiKey()).toBeNull();
    expect(service.view().key.source).toBe('none');
  });

  it('picks the endpoint from the region, the environment, or a checked custom URL', () => {
    const service = make();
    expect(service.endpoint()).toBe('https://dashscope.aliyuncs.com/api/v1');
    service.update({ region: 'singapore' });
    expect(service.endpoint()).toBe('https://dashscope-intl.aliyuncs.com/api/v1');
    expect(() =>
      service.update({ region: 'custom', customEndpoint: 'http://example.com/api/v1' }),
    ).toThrowError(expect.objectContaining({ code: 'invalid_endpoint' }));
    expect(service.view().region).toBe('singapore');
    service.update({ region: 'custom', customEndpoint: 'http://127.0.0.1:8080/api/v1/' });
    expect(service.endpoint()).toBe('http://127.0.0.1:8080/api/v1');
    const underEnvCustom = make({ env: { DASHSCOPE_HTTP_BASE_URL: 'https://proxy.test/api/v1' } });
    expect(underEnvCustom.endpoint()).toBe('http://127.0.0.1:8080/api/v1');
    expect(underEnvCustom.view().endpointFromEnv).toBe(false);
    expect(service.view().endpointFromEnv).toBe(false);
    service.update({ region: 'beijing' });
    const underEnv = make({ env: { DASHSCOPE_HTTP_BASE_URL: 'https://proxy.test/api/v1/' } });
    expect(underEnv.endpoint()).toBe('https://proxy.test/api/v1');
    // The window says where the address comes from: the region chosen is not what is used.
    expect(underEnv.view()).toMatchObject({
      region: 'beijing',
      endpoint: 'https://proxy.test/api/v1',
      endpointFromEnv: true,
    });
  });

  it('creates a missing library folder and refuses one it cannot write', () => {
    const service = make();
    const wanted = join(tmp.path, 'albums', 'restyled');
    expect(service.update({ libraryDir: wanted }).libraryDir).toBe(wanted);
    expect(() => service.update({ libraryDir: 'relative/path' })).toThrowError(
      expect.objectContaining({ code: 'invalid_folder' }),
    );
    const file = join(tmp.path, 'a-file');
    writeFileSync(file, 'x');
    expect(() => service.update({ libraryDir: file })).toThrowError(
      expect.objectContaining({ code: 'invalid_folder' }),
    );
    if (process.getuid?.() !== 0) {
      const locked = join(tmp.path, 'locked');
      service.update({ libraryDir: locked });
      chmodSync(locked, 0o500);
      expect(() => service.update({ libraryDir: locked })).toThrow(RestyleError);
    }
    expect(service.view().libraryDir).toBe(wanted);
  });

  it('notifies listeners with the new view on every change', () => {
    const service = make();
    const seen: string[] = [];
    service.subscribe((view) => seen.push(view.language));
    service.update({ language: 'zh-CN' });
    service.update({ theme: 'dark' });
    expect(seen).toEqual(['zh-CN', 'zh-CN']);
  });

  it('masks keys to a recognisable hint only', () => {
    expect(maskKey(KEY)).toBe('sk-…9f3a');
    expect(maskKey('abcdefgh1234')).toBe('…1234');
  });
});

import { join } from 'node:path';
import { createScriptedPlatform } from '../../electron/core/bridge/bridge-app';
import { silentLogger } from '../../electron/core/log/logger';
import {
  createServices,
  pathsUnder,
  type CoreDeps,
  type Services,
} from '../../electron/core/services';
import { createFileStore } from '../../electron/core/settings/key-value-store';
import { createFileKeyCipher } from '../../electron/core/settings/secret-cipher';

/** The real core services in a temp data folder, composed as main composes them. */
export function makeServices(dataDir: string, overrides: Partial<CoreDeps> = {}): Services {
  const fileCipher = createFileKeyCipher(join(dataDir, 'secret.key'));
  return createServices({
    paths: pathsUnder(dataDir),
    store: createFileStore(dataDir),
    // The real AES cipher, reporting a secure OS store (as safeStorage does with a keychain).
    cipher: { ...fileCipher, status: () => 'secure' },
    platform: createScriptedPlatform(),
    log: silentLogger,
    // A closed loopback port: no test ever reaches the real DashScope.
    env: { DASHSCOPE_HTTP_BASE_URL: 'http://127.0.0.1:9/api/v1' },
    osPlatform: process.platform,
    version: '0.0.0-test',
    systemLanguage: 'en',
    bridge: false,
    ...overrides,
  });
}

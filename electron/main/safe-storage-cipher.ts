import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/settings/secret-cipher';
import type { SecretStorageStatus } from '../../shared/settings';

/**
 * The OS keychain through Electron's safeStorage. On Linux without a keyring
 * safeStorage falls back to a hard-coded password ("basic_text"): we call that
 * insecure so the window asks the user before storing the key.
 */
export function createSafeStorageCipher(): SecretCipher {
  const status = (): SecretStorageStatus => {
    if (!safeStorage.isEncryptionAvailable()) return 'unavailable';
    if (process.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      if (backend === 'basic_text' || backend === 'unknown') return 'insecure';
    }
    return 'secure';
  };
  return {
    status,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  };
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretStorageStatus } from '../../../shared/settings';

/**
 * Encrypts the API key at rest. In the app this is Electron's `safeStorage`
 * (the OS keychain), injected from electron/main; core never imports electron.
 */
export interface SecretCipher {
  status(): SecretStorageStatus;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

/**
 * AES-256-GCM with a random key kept in a file beside the data (mode 0600).
 * Used where no OS keychain exists (CLI, dev bridge, tests). It keeps the key
 * out of the settings file, but anyone who can read the data folder can read
 * the key, so it honestly reports itself as `insecure`.
 */
export function createFileKeyCipher(keyFile: string): SecretCipher {
  const loadKey = (): Buffer => {
    try {
      const key = readFileSync(keyFile);
      if (key.length === 32) return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const key = randomBytes(32);
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, key, { mode: 0o600 });
    return key;
  };
  return {
    status: () => 'insecure',
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', loadKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', loadKey(), sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}

import type { KeyStatus } from '../../../../shared/settings';

/**
 * Where the key is kept, as one true sentence (a locale key): by where the key
 * came from, then by how this machine can keep a secret. "Encrypted by the
 * system keychain" only when it is.
 */
export function keyStorageText(key: KeyStatus): string {
  if (key.source === 'session' || key.source === 'env') return `settings.key.storage.${key.source}`;
  if (key.source === 'stored') {
    return key.storage === 'secure'
      ? 'settings.key.storage.storedSecure'
      : 'settings.key.storage.storedInsecure';
  }
  return {
    secure: 'settings.key.storage.noneSecure',
    insecure: 'settings.key.storage.noneInsecure',
    unavailable: 'settings.key.storage.noneUnavailable',
  }[key.storage];
}

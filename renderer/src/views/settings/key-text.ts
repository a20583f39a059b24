import type { TFunction } from 'i18next';
import type { KeyCheck } from '../../../../shared/contract/settings';
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

/**
 * What the key check found, naming the server: "not accepted" only when the
 * server refused the key itself; no usable answer says the key was not checked.
 */
export function describeKeyCheck(t: TFunction, check: KeyCheck): string {
  const code = check.code ?? 'internal';
  const params = {
    host: check.host,
    detail: check.detail ?? code,
    reason: t([`settings.key.check.reason.${code}`, `errors.${code}`]),
  };
  const key =
    check.outcome === 'unreachable'
      ? [`settings.key.check.${code}`, 'settings.key.check.network_offline']
      : `settings.key.check.${check.outcome}`;
  return t(key, params);
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeKeyCheck } from '../../../../shared/i18n';
import type { SettingsView } from '../../../../shared/settings';
import { useApp } from '../../store/app-store';
import { keyStorageText } from './key-text';

/** The key is write-only: typed in, saved, then shown only as a masked hint. */
export function KeySection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const { setKey, removeKey, testKey, keyBusy, keyCheck, awaiting, cancelConsent } = useApp(
    (s) => ({
      setKey: s.setKey,
      removeKey: s.removeKey,
      testKey: s.testKey,
      keyBusy: s.keyBusy,
      keyCheck: s.keyCheck,
      awaiting: s.keyAwaitingConsent,
      cancelConsent: s.cancelKeyConsent,
    }),
  );
  const { key } = settings;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim() && (await setKey(draft, 'auto'))) setDraft('');
  };
  const consent = async (persistence: 'session' | 'insecure') => {
    if (awaiting && (await setKey(awaiting, persistence))) setDraft('');
  };

  return (
    <section className="card" aria-labelledby="key-title" data-testid="key-card">
      <h2 id="key-title">{t('settings.key.title')}</h2>
      <p className="help">{t('settings.key.help')}</p>
      <p className={`key-status ${key.source}`} data-testid="key-status">
        {key.source === 'none'
          ? t('settings.key.none')
          : t(`settings.key.${key.source}`, { hint: key.hint })}
      </p>
      <p
        className={key.source === 'stored' && key.storage !== 'secure' ? 'help warn' : 'help'}
        data-testid="key-storage"
      >
        {t(keyStorageText(key))}
      </p>
      <form className="row" onSubmit={submit}>
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          aria-label={t('settings.key.title')}
          placeholder={t('settings.key.placeholder')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          data-testid="key-input"
        />
        <button
          type="submit"
          className="primary"
          disabled={keyBusy || !draft.trim()}
          data-testid="key-save"
        >
          {key.source === 'none' ? t('settings.key.set') : t('common.actions.replace')}
        </button>
        <button
          type="button"
          onClick={() => void testKey()}
          disabled={keyBusy || key.source === 'none'}
          data-testid="key-test"
        >
          {t('common.actions.test')}
        </button>
        {(key.source === 'stored' || key.source === 'session') && (
          <button
            type="button"
            className="danger"
            onClick={() => void removeKey()}
            data-testid="key-remove"
          >
            {t('common.actions.remove')}
          </button>
        )}
      </form>
      {keyCheck && (
        <p
          className={keyCheck.valid ? 'banner ok' : 'banner error'}
          role="status"
          data-testid="key-check"
        >
          {describeKeyCheck(t, keyCheck)}
        </p>
      )}
      {awaiting && (
        <div
          className="dialog"
          role="alertdialog"
          aria-labelledby="consent-title"
          aria-describedby="consent-body"
          data-testid="key-consent"
        >
          <h3 id="consent-title">{t('settings.key.insecureTitle')}</h3>
          <p id="consent-body">
            {t(
              key.storage === 'unavailable'
                ? 'settings.key.unavailableBody'
                : 'settings.key.insecureBody',
            )}
          </p>
          <div className="row">
            <button
              className="primary"
              onClick={() => void consent('session')}
              data-testid="key-session"
            >
              {t('settings.key.keepSession')}
            </button>
            {/* Without any encryption the key cannot be stored: core refuses it. */}
            {key.storage !== 'unavailable' && (
              <button onClick={() => void consent('insecure')} data-testid="key-store-anyway">
                {t('settings.key.storeAnyway')}
              </button>
            )}
            <button onClick={cancelConsent}>{t('common.actions.cancel')}</button>
          </div>
        </div>
      )}
    </section>
  );
}

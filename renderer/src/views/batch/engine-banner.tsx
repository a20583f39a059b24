import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/app-store';
import { reasonText } from './run-progress';

const KEY_ERRORS = new Set(['key_missing', 'key_format', 'api_key_invalid', 'api_access_denied']);

/** Offline (resumes by itself) or paused by an account-level error (with its fix). */
export function EngineBanner() {
  const { t } = useTranslation();
  const { engine, setView, controlRun } = useApp((s) => ({
    engine: s.engine,
    setView: s.setView,
    controlRun: s.controlRun,
  }));
  if (engine?.state === 'offline') {
    return (
      <p className="banner warning" role="status" data-testid="banner-offline">
        {t('run.banner.offline')}
      </p>
    );
  }
  if (engine?.state !== 'paused' || !engine.reason) return null;
  const reason = engine.reason;
  return (
    <div className="banner error notice" role="alert" data-testid="banner-paused">
      <span>{t('run.banner.paused', { reason: reasonText(t, reason) })}</span>
      {KEY_ERRORS.has(reason) && (
        <button onClick={() => setView('settings')} data-testid="banner-settings">
          {t('run.actions.settings')}
        </button>
      )}
      {/* Resume once the cause is fixed (a new key also resumes the queue by itself). */}
      <button onClick={() => void controlRun(null, 'resume')} data-testid="banner-resume">
        {t('run.actions.resume')}
      </button>
    </div>
  );
}

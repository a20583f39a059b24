import { useTranslation } from 'react-i18next';
import { useApi, useApp } from '../../store/app-store';
import { reasonText } from './run-progress';

const KEY_ERRORS = new Set(['key_missing', 'key_format', 'api_key_invalid', 'api_access_denied']);

/**
 * Offline (resumes by itself), paused by an account-level or local error
 * (with its fix), and the queue file's rebuild after damage (until dismissed).
 */
export function EngineBanner() {
  return (
    <>
      <RecoveryBanner />
      <EngineStateBanner />
    </>
  );
}

function EngineStateBanner() {
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
      <span>{t('run.banner.paused', { reason: reasonText(t, reason, engine.params) })}</span>
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

/** The queue file was damaged and rebuilt: what was recovered, and where the damaged file is kept. */
function RecoveryBanner() {
  const { t } = useTranslation();
  const api = useApi();
  const { recovery, dismissRecovery } = useApp((s) => ({
    recovery: s.recovery,
    dismissRecovery: s.dismissRecovery,
  }));
  if (!recovery) return null;
  return (
    <div className="banner warning notice" role="status" data-testid="banner-recovered">
      <span>
        {t('run.banner.recovered', {
          batches: recovery.batches,
          jobs: recovery.jobs,
          inFlight: recovery.inFlight,
          file: recovery.keptAs,
        })}
      </span>
      <button
        onClick={() => void api.invoke('app:reveal-path', { path: recovery.keptAs })}
        data-testid="banner-recovered-show"
      >
        {t('run.banner.showFile')}
      </button>
      <button onClick={() => void dismissRecovery()} data-testid="banner-recovered-dismiss">
        {t('run.banner.dismiss')}
      </button>
    </div>
  );
}

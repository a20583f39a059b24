import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REGIONS, type Region, type SettingsView } from '../../../../shared/settings';
import { useApp } from '../../store/app-store';
import { useDraft } from '../../use-draft';

export function ConnectionSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const update = useApp((s) => s.updateSettings);
  // Custom chosen with no address saved yet: shown chosen, waiting for the address,
  // while the server in force (and the key's destination) stays what it was.
  const [pendingCustom, setPendingCustom] = useState(false);
  const endpoint = useDraft(settings.customEndpoint, (value) => {
    setPendingCustom(false);
    void update(
      pendingCustom ? { region: 'custom', customEndpoint: value } : { customEndpoint: value },
    );
  });
  const workspace = useDraft(settings.workspaceId, (value) => void update({ workspaceId: value }));
  const chosen = pendingCustom ? 'custom' : settings.region;

  const chooseRegion = (region: Region) => {
    if (region === 'custom' && !endpoint.value.trim()) {
      setPendingCustom(true);
      document.getElementById('custom-endpoint')?.focus();
      return;
    }
    setPendingCustom(false);
    void update(region === 'custom' ? { region, customEndpoint: endpoint.value } : { region });
  };

  return (
    <section className="card" aria-labelledby="region-title">
      <h2 id="region-title">{t('settings.region.title')}</h2>
      <p className="help">{t('settings.region.help')}</p>
      <div className="segmented" role="radiogroup" aria-labelledby="region-title">
        {REGIONS.map((region) => (
          <label key={region} className={chosen === region ? 'selected' : ''}>
            <input
              type="radio"
              name="region"
              value={region}
              checked={chosen === region}
              onChange={() => chooseRegion(region)}
              data-testid={`region-${region}`}
            />
            {t(`settings.region.${region}`)}
          </label>
        ))}
      </div>
      <div className="row">
        <input
          id="custom-endpoint"
          type="url"
          aria-label={t('settings.region.custom')}
          placeholder={t('settings.region.customPlaceholder')}
          {...endpoint}
          data-testid="custom-endpoint"
        />
      </div>
      <p className="help">
        {t('settings.region.inForce')}{' '}
        <span className="mono" data-testid="endpoint">
          {settings.endpoint}
        </span>
        {settings.endpointFromEnv && (
          <>
            {' '}
            <span data-testid="endpoint-env">{t('settings.region.fromEnv')}</span>
          </>
        )}
      </p>
      {pendingCustom && (
        <p className="help warn" role="status" data-testid="custom-pending">
          {t('settings.region.customPending')}
        </p>
      )}
      <h2 id="workspace-title">{t('settings.workspace.title')}</h2>
      <p className="help">{t('settings.workspace.help')}</p>
      <div className="row">
        <input
          aria-labelledby="workspace-title"
          placeholder={t('settings.workspace.placeholder')}
          {...workspace}
          data-testid="workspace"
        />
      </div>
    </section>
  );
}

import { useTranslation } from 'react-i18next';
import { REGIONS, type Region, type SettingsView } from '../../../../shared/settings';
import { useApp } from '../../store/app-store';
import { useDraft } from '../../use-draft';

export function ConnectionSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const update = useApp((s) => s.updateSettings);
  const endpoint = useDraft(
    settings.customEndpoint,
    (value) => void update({ customEndpoint: value }),
  );
  const workspace = useDraft(settings.workspaceId, (value) => void update({ workspaceId: value }));

  const chooseRegion = (region: Region) => {
    if (region === 'custom' && !endpoint.value.trim()) {
      // Wait for an endpoint before switching: a custom region needs one.
      document.getElementById('custom-endpoint')?.focus();
      return;
    }
    void update(region === 'custom' ? { region, customEndpoint: endpoint.value } : { region });
  };

  return (
    <section className="card" aria-labelledby="region-title">
      <h2 id="region-title">{t('settings.region.title')}</h2>
      <p className="help">{t('settings.region.help')}</p>
      <div className="segmented" role="radiogroup" aria-labelledby="region-title">
        {REGIONS.map((region) => (
          <label key={region} className={settings.region === region ? 'selected' : ''}>
            <input
              type="radio"
              name="region"
              value={region}
              checked={settings.region === region}
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
      <p className="help mono" data-testid="endpoint">
        {settings.endpoint}
      </p>
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

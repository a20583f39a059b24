import { useTranslation } from 'react-i18next';
import { describeError } from '../../../shared/i18n';
import { useApp } from '../store/app-store';
import { ConnectionSection } from './settings/connection-section';
import { KeySection } from './settings/key-section';
import { PreferencesSection } from './settings/preferences-section';
import { PricingSection } from './settings/pricing-section';

export function SettingsView() {
  const { t } = useTranslation();
  const { settings, error } = useApp((s) => ({ settings: s.settings, error: s.settingsError }));
  if (!settings) return null;
  return (
    <div className="settings">
      <h1>{t('settings.title')}</h1>
      {error && (
        <p className="banner error" role="alert" data-testid="settings-error">
          {describeError(t, error)}
        </p>
      )}
      <KeySection settings={settings} />
      <ConnectionSection settings={settings} />
      <PricingSection settings={settings} />
      <PreferencesSection settings={settings} />
    </div>
  );
}

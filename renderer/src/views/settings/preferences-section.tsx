import { useTranslation } from 'react-i18next';
import { LANGUAGES, THEMES, type SettingsView } from '../../../../shared/settings';
import { useApp } from '../../store/app-store';
import { useDraft } from '../../use-draft';
import { LibraryIndex } from './library-index';

export function PreferencesSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const { update, chooseLibraryDir, appInfo } = useApp((s) => ({
    update: s.updateSettings,
    chooseLibraryDir: s.chooseLibraryDir,
    appInfo: s.appInfo,
  }));
  const libraryDir = useDraft(settings.libraryDir, (value) => void update({ libraryDir: value }));

  return (
    <>
      <section className="card" aria-labelledby="library-title">
        <h2 id="library-title">{t('settings.library.title')}</h2>
        <p className="help">{t('settings.library.help')}</p>
        <div className="row">
          <input
            aria-labelledby="library-title"
            className="mono"
            {...libraryDir}
            data-testid="library-dir"
          />
          <button onClick={() => void chooseLibraryDir()} data-testid="library-choose">
            {t('common.actions.choose')}
          </button>
        </div>
        <LibraryIndex />
      </section>

      <section className="card two-columns">
        <div>
          <h2 id="language-title">{t('settings.language.title')}</h2>
          <select
            aria-labelledby="language-title"
            value={settings.language}
            onChange={(e) => void update({ language: e.target.value as SettingsView['language'] })}
            data-testid="language"
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`settings.language.${language}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <h2 id="theme-title">{t('settings.theme.title')}</h2>
          <select
            aria-labelledby="theme-title"
            value={settings.theme}
            onChange={(e) => void update({ theme: e.target.value as SettingsView['theme'] })}
            data-testid="theme"
          >
            {THEMES.map((theme) => (
              <option key={theme} value={theme}>
                {t(`settings.theme.${theme}`)}
              </option>
            ))}
          </select>
        </div>
      </section>

      <section className="card" aria-labelledby="limits-title">
        <h2 id="limits-title">{t('settings.limits.title')}</h2>
        <p className="help">{t('settings.limits.help')}</p>
        <label className="field">
          <span>{t('settings.limits.styleRepaint')}</span>
          <input
            type="number"
            min={1}
            max={10}
            value={settings.limits.styleRepaintConcurrency}
            onChange={(e) =>
              void update({ limits: { styleRepaintConcurrency: Number(e.target.value) } })
            }
          />
        </label>
        <label className="field">
          <span>{t('settings.limits.imageEdit')}</span>
          <input
            type="number"
            min={1}
            max={10}
            value={settings.limits.imageEditConcurrency}
            onChange={(e) =>
              void update({ limits: { imageEditConcurrency: Number(e.target.value) } })
            }
          />
        </label>
        <label className="field checkbox">
          <input
            type="checkbox"
            checked={settings.limits.sendUncropped}
            onChange={(e) => void update({ limits: { sendUncropped: e.target.checked } })}
          />
          <span>{t('settings.limits.sendUncropped')}</span>
        </label>
      </section>

      {appInfo && (
        <section className="card" aria-labelledby="paths-title">
          <h2 id="paths-title">{t('settings.paths.title')}</h2>
          <dl className="paths mono">
            <dt>{t('settings.paths.data')}</dt>
            <dd>{appInfo.paths.data}</dd>
            <dt>{t('settings.paths.settings')}</dt>
            <dd>{appInfo.paths.settings}</dd>
            <dt>{t('settings.paths.logs')}</dt>
            <dd>{appInfo.paths.logs}</dd>
          </dl>
          <p className="help">Restyle {appInfo.version}</p>
        </section>
      )}
    </>
  );
}

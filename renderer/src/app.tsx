import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { DropOverlay } from './components/drop-overlay';
import { FolderBrowser } from './components/folder-browser';
import { applyLanguage } from './i18n';
import { useApi, useApp, useAppStore } from './store/app-store';
import type { View } from './store/nav-slice';
import { useShowRunResults } from './use-show-run-results';
import { useTheme } from './use-theme';
import { useWindowDrop } from './use-window-drop';
import { BatchView } from './views/batch-view';
import { LibraryView } from './views/library-view';
import { RerunDialog } from './views/library/rerun-dialog';
import { SettingsView } from './views/settings-view';

const VIEWS: View[] = ['batch', 'library', 'settings'];

export function App() {
  const { t } = useTranslation();
  const { view, setView, settings, loadSettings } = useApp((s) => ({
    view: s.view,
    setView: s.setView,
    settings: s.settings,
    loadSettings: s.loadSettings,
  }));

  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);
  useEffect(() => {
    if (settings) applyLanguage(settings.language);
  }, [settings?.language, settings]);
  useTheme(settings?.theme);
  const dragging = useWindowDrop(useApi(), useAppStore());
  useShowRunResults();

  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('common.appName')}>
        <div className="brand">{t('common.appName')}</div>
        <ul>
          {VIEWS.map((name) => (
            <li key={name}>
              <button
                aria-current={view === name ? 'page' : undefined}
                className={view === name ? 'nav-item active' : 'nav-item'}
                onClick={() => setView(name)}
                data-testid={`nav-${name}`}
              >
                {t(`common.nav.${name}`)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {view === 'batch' && <BatchView />}
        {view === 'library' && <LibraryView />}
        {view === 'settings' && <SettingsView />}
      </main>
      {dragging && <DropOverlay />}
      <FolderBrowser />
      {/* One for the window: the Library's action bar, viewer, stacks and albums open it. */}
      <RerunDialog />
    </div>
  );
}

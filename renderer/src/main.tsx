import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api';
import { App } from './app';
import { initI18n } from './i18n';
import { createAppStore, StoreContext } from './store/app-store';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const api = connectApi();
const i18n = initI18n(navigator.language.startsWith('zh') ? 'zh-CN' : 'en');

if (!api) {
  root.render(
    <p className="fatal">{i18n.t('common.noConnection', 'Restyle cannot reach its engine.')}</p>,
  );
} else {
  const store = createAppStore(api);
  root.render(
    <StrictMode>
      <StoreContext.Provider value={{ store, api }}>
        <App />
      </StoreContext.Provider>
    </StrictMode>,
  );
}

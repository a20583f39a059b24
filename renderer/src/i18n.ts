import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources } from '../../shared/i18n';
import type { Language } from '../../shared/settings';

export function initI18n(language: Language): typeof i18next {
  void i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return i18next;
}

export function applyLanguage(language: Language): void {
  if (i18next.language !== language) void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

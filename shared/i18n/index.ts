/**
 * Every user-facing string, in zh-CN and en, for the window and the CLI alike.
 * One JSON file per domain and language; the domain is the first part of a key
 * (`settings.key.title`, `errors.api_key_invalid`).
 */
import i18next, { type TFunction } from 'i18next';
import type { LeftOut } from '../contract/intake';
import type { KeyCheck } from '../contract/settings';
import enBatch from './en/batch.json';
import enBrowse from './en/browse.json';
import enCommon from './en/common.json';
import enDashscope from './en/dashscope.json';
import enDesktop from './en/desktop.json';
import enErrors from './en/errors.json';
import enIntake from './en/intake.json';
import enLibrary from './en/library.json';
import enRun from './en/run.json';
import enJobs from './en/jobs.json';
import enSettings from './en/settings.json';
import enStyles from './en/styles.json';
import enViewer from './en/viewer.json';
import zhBatch from './zh-CN/batch.json';
import zhBrowse from './zh-CN/browse.json';
import zhCommon from './zh-CN/common.json';
import zhDashscope from './zh-CN/dashscope.json';
import zhDesktop from './zh-CN/desktop.json';
import zhErrors from './zh-CN/errors.json';
import zhIntake from './zh-CN/intake.json';
import zhLibrary from './zh-CN/library.json';
import zhRun from './zh-CN/run.json';
import zhJobs from './zh-CN/jobs.json';
import zhSettings from './zh-CN/settings.json';
import zhStyles from './zh-CN/styles.json';
import zhViewer from './zh-CN/viewer.json';
import type { Language } from '../settings';
import type { AppError } from '../result';

export const resources = {
  en: {
    translation: {
      batch: enBatch,
      browse: enBrowse,
      common: enCommon,
      dashscope: enDashscope,
      desktop: enDesktop,
      errors: enErrors,
      intake: enIntake,
      library: enLibrary,
      jobs: enJobs,
      run: enRun,
      settings: enSettings,
      styles: enStyles,
      viewer: enViewer,
    },
  },
  'zh-CN': {
    translation: {
      batch: zhBatch,
      browse: zhBrowse,
      common: zhCommon,
      dashscope: zhDashscope,
      desktop: zhDesktop,
      errors: zhErrors,
      intake: zhIntake,
      library: zhLibrary,
      jobs: zhJobs,
      run: zhRun,
      settings: zhSettings,
      styles: zhStyles,
      viewer: zhViewer,
    },
  },
} as const;

export type Translate = TFunction;

/** A translator for one language, initialised synchronously (resources are bundled). */
export function createTranslator(language: Language): Translate {
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    fallbackLng: 'en',
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance.t;
}

/**
 * The one line for the files a scan left out as not photos, in the window and
 * the CLI: "312 other files left out, not photos: json, mov, aae".
 */
export function describeLeftOut(t: Translate, leftOut: LeftOut): string {
  const listed = leftOut.extensions.join(t('intake.leftOutSeparator'));
  // Only the 10 most frequent extensions are counted: there may be more.
  const extensions = leftOut.extensions.length >= 10 ? `${listed}…` : listed;
  return t('intake.leftOut', { count: leftOut.count, extensions });
}

/**
 * What a key check found, naming the server, in the window and the CLI alike
 * (one wording per `KeyCheck.outcome`): "not accepted" only when the server
 * refused the key itself; no usable answer, or an answer not DashScope's,
 * says the key was not checked.
 */
export function describeKeyCheck(t: Translate, check: KeyCheck): string {
  const code = check.code ?? 'internal';
  const params = {
    host: check.host,
    detail: check.detail ?? code,
    reason: t([`settings.key.check.reason.${code}`, `errors.${code}`]),
  };
  const key =
    check.outcome === 'unreachable'
      ? [`settings.key.check.${code}`, 'settings.key.check.network_offline']
      : `settings.key.check.${check.outcome}`;
  return t(key, params);
}

/** The user's text for an error result. */
export function describeError(t: Translate, error: AppError): string {
  if (error.code === 'invalid_payload') return describeIssue(t, error.params ?? {});
  const key = `errors.${error.code}`;
  return t(key, { detail: error.message, ...error.params, defaultValue: error.message });
}

/**
 * A refused payload in the user's words (shared/validation.ts `issueParams`),
 * never zod's English: the most specific of `errors.validation.<issue>_<field>`,
 * `<issue>_<kind>`, `<issue>`, `other`, naming the field by `errors.fields.<field>`.
 */
function describeIssue(t: Translate, params: Record<string, string | number>): string {
  const text = (name: string) => (typeof params[name] === 'string' ? String(params[name]) : '');
  const [issue, field, kind] = [text('issue'), text('field'), text('kind')];
  const keys = [`${issue}_${field}`, `${issue}_${kind}`, issue, 'other']
    .filter((name) => !name.startsWith('_') && !name.endsWith('_'))
    .map((name) => `errors.validation.${name}`);
  const label = t(
    field ? [`errors.fields.${field}`, 'errors.fields.other'] : 'errors.fields.other',
  );
  return t(keys, { ...params, field: label });
}

/** Picks zh-CN for Chinese system locales, English otherwise. */
export function languageFromLocale(locale: string | undefined): Language {
  return locale && /^zh(?:[-_.]|$)/i.test(locale) ? 'zh-CN' : 'en';
}

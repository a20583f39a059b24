/**
 * The user's language and messages in it, read from the environment. Kept
 * apart from host.ts (which reaches into core for the data folder's paths) so
 * that the command line's shape, `--help` and `--version` load no more than
 * commander and the strings.
 */
import { createTranslator, languageFromLocale, type Translate } from '../../shared/i18n';
import type { Language } from '../../shared/settings';

/** The user's language: POSIX spells it `zh_CN.UTF-8`, languageFromLocale expects `zh-…`. */
export const cliLanguage = (): Language =>
  languageFromLocale(
    (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG)?.replace('_', '-'),
  );

/** Messages in the user's language. */
export const cliTranslator = (): Translate => createTranslator(cliLanguage());

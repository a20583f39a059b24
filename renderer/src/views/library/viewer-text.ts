import type { TFunction } from 'i18next';
import type { LibraryItem, StyleName } from '../../../../shared/contract/library';
import { moneyText } from './library-text';

/** The UI language's half of a style's name (the sidecar keeps both). */
export const styleNameIn = (language: string, name: StyleName): string =>
  language.startsWith('zh') ? name['zh-CN'] : name.en;

/** A saved time, in the UI language: "30 Nov 2026, 14:05". */
export function timeText(language: string, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
}

/** A file's size: "812 kB", "2.4 MB" (decimal units, as file managers show). */
export function bytesText(language: string, bytes: number): string {
  const [unit, value] =
    bytes >= 1e6 ? (['megabyte', bytes / 1e6] as const) : (['kilobyte', bytes / 1e3] as const);
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit,
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

/** What a result cost: free under the free allowance, else the charge in CNY. */
export const costText = (t: TFunction, item: Pick<LibraryItem, 'costCny'>): string =>
  item.costCny === 0 ? t('viewer.details.free') : moneyText(t, item.costCny);

/** A result's style and when it was made, naming it among the others of its photo. */
export const resultCaption = (t: TFunction, language: string, item: LibraryItem): string =>
  t('viewer.compare.pane', {
    style: styleNameIn(language, item.styleName),
    time: timeText(language, item.savedAt),
  });

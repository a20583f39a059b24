import type { TFunction } from 'i18next';
import { formatCny } from '../../../../shared/i18n/quote';

/** An album folder as shown: the library folder itself has no name of its own. */
export const albumText = (t: TFunction, folder: string): string =>
  folder === '' ? t('library.spend.rootAlbum') : folder;

/** Money as the rest of the window says it (the fen; a price's 4 decimals only where it has them). */
export const moneyText = (t: TFunction, cny: number): string =>
  t('library.spend.money', { amount: formatCny(cny) });

/** "1,234 results", in the window's language. */
export const resultsText = (t: TFunction, count: number): string =>
  t('library.counted.results', { count });

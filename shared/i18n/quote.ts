/**
 * A quote in words, for the window and the CLI alike: each thing said once,
 * exactly as core quoted it (no arithmetic here).
 */
import type { TFunction } from 'i18next';
import type { Quote } from '../contract/jobs';
import type { ModelId } from '../models';

/** What a line of the quote says; the window tags each (`quote-<id>`). */
export type QuoteLineId =
  | 'images'
  | 'inLibrary'
  | 'queued'
  | 'duplicates'
  | 'toMake'
  | 'free'
  | 'paid'
  | 'total'
  | 'budget';

export interface QuoteLine {
  id: QuoteLineId;
  text: string;
}

const MODEL_WORD: Record<ModelId, 'repaint' | 'imageedit'> = {
  'wanx-style-repaint-v1': 'repaint',
  'wanx2.1-imageedit': 'imageedit',
};

/** Money in CNY: the fen (2 decimals), more only where a price has them (0.0875). */
export const formatCny = (value: number): string => {
  const fen = value.toFixed(2);
  return Number(fen) === value ? fen : String(Number(value.toFixed(4)));
};

/** A value per model: the value alone for one model, else each named. */
function perModel(
  t: TFunction,
  values: Partial<Record<ModelId, number>>,
  one: (value: number) => string,
  named: (value: string, model: string) => string,
): string {
  const entries = Object.entries(values) as Array<[ModelId, number]>;
  if (entries.length === 1 && entries[0]) return one(entries[0][1]);
  return entries
    .map(([model, value]) => named(one(value), t(`run.quote.model.${MODEL_WORD[model]}`)))
    .join(t('run.quote.separator'));
}

/**
 * The lines of a quote: photos (× styles) → images; what the library, the
 * queue or the run itself already has (not made or paid again), and then what
 * is left to make, only when that differs; how many of those the free
 * allowance covers ("about N left, as set in Settings": the API does not
 * report it); how many are paid and at what price, only when some are; the
 * total; the budget, when one is set.
 */
export function describeQuote(t: TFunction, quote: Quote): QuoteLine[] {
  const photos = t('run.quote.photos', { count: quote.photos });
  const images = t('run.quote.images', { count: quote.images });
  const lines: QuoteLine[] = [
    {
      id: 'images',
      text:
        quote.recipes > 1
          ? t('run.quote.makeStyles', {
              photos,
              styles: t('run.quote.styles', { count: quote.recipes }),
              images,
            })
          : t('run.quote.make', { photos, images }),
    },
  ];
  const linked = [
    ['inLibrary', quote.alreadyInLibrary],
    ['queued', quote.alreadyQueued],
    ['duplicates', quote.duplicatesInBatch],
  ] as const;
  for (const [id, count] of linked)
    if (count > 0) lines.push({ id, text: t(`run.quote.${id}`, { count }) });
  const billable = quote.billableImages;
  if (billable === 0) {
    lines.push({ id: 'toMake', text: t('run.quote.nothingToMake') });
  } else {
    if (billable !== quote.images)
      lines.push({
        id: 'toMake',
        text: t('run.quote.toMake', { images: t('run.quote.images', { count: billable }) }),
      });
    const left = perModel(t, quote.freeLeft, String, (value, model) =>
      t('run.quote.leftOf', { left: value, model }),
    );
    lines.push({
      id: 'free',
      text:
        quote.freeImages === 0
          ? t('run.quote.freeNone')
          : quote.freeImages === billable
            ? t('run.quote.freeAll', { count: billable, left })
            : t('run.quote.free', { count: quote.freeImages, left }),
    });
    if (quote.paidImages > 0) {
      const prices = Object.keys(quote.perImageCny).length;
      const price = perModel(t, quote.perImageCny, formatCny, (value, model) =>
        t('run.quote.priceOf', { price: value, model }),
      );
      lines.push({
        id: 'paid',
        text: t('run.quote.paid', {
          images: t('run.quote.images', { count: quote.paidImages }),
          price: prices === 1 ? t('run.quote.price', { price }) : price,
        }),
      });
    }
  }
  lines.push({ id: 'total', text: t('run.quote.total', { total: formatCny(quote.costCny) }) });
  if (quote.budgetCny !== null)
    lines.push({
      id: 'budget',
      text: t(quote.withinBudget ? 'run.quote.budget' : 'run.quote.overBudget', {
        budget: formatCny(quote.budgetCny),
      }),
    });
  return lines;
}

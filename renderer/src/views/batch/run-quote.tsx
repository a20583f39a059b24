import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Quote } from '../../../../shared/contract/jobs';
import type { ModelId } from '../../../../shared/models';
import { reasonText } from './photo-text';

/** Photos a quote names one by one; the rest are counted. */
const NAMED = 20;

const cny = (value: number) => value.toFixed(2);

const MODEL_WORD: Record<ModelId, 'repaint' | 'imageedit'> = {
  'wanx-style-repaint-v1': 'repaint',
  'wanx2.1-imageedit': 'imageedit',
};

/** A value per model: the number alone for one model, else each named. */
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
    .join(', ');
}

/**
 * What a run will make and cost, in one wording, exactly as core quoted it:
 * the images; what the library or the queue already has; what is made; how
 * many the free allowance covers (the user's own figure from Settings, as
 * the API does not report it); how many are paid and at what price; the
 * total; the budget; and each chosen photo the style cannot take, named.
 */
export function QuoteSummary({ quote }: { quote: Quote }) {
  const { t } = useTranslation();
  const photos = t('run.quote.photos', { count: quote.photos });
  const images = t('run.quote.images', { count: quote.images });
  const left = perModel(
    t,
    quote.freeLeft,
    (value) => String(value),
    (value, model) => t('run.quote.leftOf', { left: value, model }),
  );
  const price = perModel(
    t,
    quote.perImageCny,
    (value) => cny(value),
    (value, model) => t('run.quote.priceOf', { price: value, model }),
  );
  const onePrice = Object.keys(quote.perImageCny).length === 1;
  return (
    <div className="quote-summary" data-testid="quote">
      <ul className="quote-lines">
        <li data-testid="quote-images">
          {quote.recipes > 1
            ? t('run.quote.makeStyles', {
                photos,
                styles: t('run.quote.styles', { count: quote.recipes }),
                images,
              })
            : t('run.quote.make', { photos, images })}
        </li>
        {quote.alreadyInLibrary > 0 && (
          <li data-testid="quote-in-library">
            {t('run.quote.inLibrary', { count: quote.alreadyInLibrary })}
          </li>
        )}
        {quote.alreadyQueued > 0 && (
          <li>{t('run.quote.queued', { count: quote.alreadyQueued })}</li>
        )}
        {quote.duplicatesInBatch > 0 && (
          <li>{t('run.quote.duplicates', { count: quote.duplicatesInBatch })}</li>
        )}
        {quote.billableImages > 0 ? (
          <>
            <li data-testid="quote-to-make">
              {t('run.quote.toMake', {
                images: t('run.quote.images', { count: quote.billableImages }),
              })}
            </li>
            <li data-testid="quote-free">
              {quote.freeImages > 0
                ? t('run.quote.free', { count: quote.freeImages, left })
                : t('run.quote.freeNone', { left })}
            </li>
            {quote.paidImages > 0 && (
              <li data-testid="quote-paid">
                {t('run.quote.paid', {
                  images: t('run.quote.images', { count: quote.paidImages }),
                  price: onePrice ? t('run.quote.price', { price }) : price,
                })}
              </li>
            )}
          </>
        ) : (
          <li data-testid="quote-to-make">{t('run.quote.nothingToMake')}</li>
        )}
        <li>
          <strong data-testid="quote-cost">
            {t('run.quote.total', { total: cny(quote.costCny) })}
          </strong>
        </li>
        <li data-testid="quote-budget">
          {quote.budgetCny === null
            ? t('run.quote.noBudget')
            : quote.withinBudget
              ? t('run.quote.budget', { budget: cny(quote.budgetCny) })
              : t('run.quote.overBudget', { budget: cny(quote.budgetCny) })}
        </li>
      </ul>
      {quote.unsendable.length > 0 && (
        <div className="quote-unsendable" data-testid="quote-unsendable">
          <p>{t('run.quote.unsendable', { count: quote.unsendable.length })}</p>
          <ul>
            {quote.unsendable.slice(0, NAMED).map((photo) => (
              <li key={`${photo.photoId}:${photo.model}`} data-testid="quote-unsendable-photo">
                {t('run.quote.unsendableItem', {
                  name: photo.name,
                  reason: reasonText(t, photo.reason),
                })}
              </li>
            ))}
            {quote.unsendable.length > NAMED && (
              <li>{t('run.quote.unsendableMore', { count: quote.unsendable.length - NAMED })}</li>
            )}
          </ul>
        </div>
      )}
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import type { Quote } from '../../../../shared/contract/jobs';
import { describeQuote } from '../../../../shared/i18n/quote';
import { reasonText } from './photo-text';

/** Photos a quote names one by one; the rest are counted. */
const NAMED = 20;

/**
 * What a run will make and cost, worded as the CLI words it (`describeQuote`):
 * each thing once, exactly as core quoted it; then each chosen photo the
 * style cannot take, named with its reason.
 */
export function QuoteSummary({ quote }: { quote: Quote }) {
  const { t } = useTranslation();
  return (
    <div className="quote-summary" data-testid="quote">
      <ul className="quote-lines">
        {describeQuote(t, quote).map(({ id, text }) => (
          <li key={id} data-testid={`quote-${id}`}>
            {id === 'total' ? <strong>{text}</strong> : text}
          </li>
        ))}
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

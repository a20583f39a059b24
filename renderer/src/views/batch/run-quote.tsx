import { useTranslation } from 'react-i18next';
import type { Quote } from '../../../../shared/contract/jobs';

const cny = (value: number) => value.toFixed(2);

/** What a run will cost: images, what is billed, what the library already has, the budget. */
export function QuoteSummary({ quote, rejected }: { quote: Quote; rejected?: number }) {
  const { t } = useTranslation();
  return (
    <ul className="quote-lines" data-testid="quote">
      <li>{t('run.quote.images', { images: quote.images, jobs: quote.jobs })}</li>
      <li>{t('run.quote.billable', { paid: quote.paidJobs, price: cny(quote.priceCny) })}</li>
      {quote.freeLeft !== null && (
        <li data-testid="quote-free">
          {t('run.quote.free', { free: quote.freeImages, left: quote.freeLeft })}
        </li>
      )}
      {quote.jobs > quote.paidJobs && (
        <li>{t('run.quote.inLibrary', { count: quote.jobs - quote.paidJobs })}</li>
      )}
      <li>
        <strong data-testid="quote-cost">
          {t('run.quote.cost', { total: cny(quote.totalCny) })}
        </strong>
      </li>
      <li>
        {quote.budgetCny !== null
          ? t('run.quote.budget', { budget: cny(quote.budgetCny) })
          : t('run.quote.noBudget')}
      </li>
      {rejected ? <li>{t('run.quote.rejected', { count: rejected })}</li> : null}
    </ul>
  );
}

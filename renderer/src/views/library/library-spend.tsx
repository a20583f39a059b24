import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { SpendLine } from '../../../../shared/contract/library';
import { useApp } from '../../store/app-store';
import { albumText, moneyText, resultsText } from './library-text';
import { styleNameIn } from './viewer-text';

/** "March 2025" / "2025年3月" for a `YYYY-MM` month. */
function monthText(language: string, month: string): string {
  const [year, index] = month.split('-').map(Number);
  if (!year || !index) return month;
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: 'long' }).format(
    new Date(year, index - 1, 1),
  );
}

function SpendTable({
  caption,
  lines,
  label,
}: {
  caption: string;
  lines: SpendLine[];
  label(line: SpendLine): string;
}) {
  const { t } = useTranslation();
  if (lines.length === 0) return null;
  return (
    <table className="library-spend-table">
      <caption>{caption}</caption>
      <tbody>
        {lines.map((line) => (
          <tr key={line.key}>
            <th scope="row" title={label(line)}>
              {label(line)}
            </th>
            <td>{t('library.counted.results', { count: line.results })}</td>
            <td>{moneyText(t, line.costCny)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const lineText = (language: string, line: SpendLine): string =>
  typeof line.label === 'string' ? line.label : styleNameIn(language, line.label);

/**
 * What the results matching the filter cost (`library:stats`): the total
 * always in view, and on request per album, style, month and model.
 */
export function LibrarySpend() {
  const { t, i18n } = useTranslation();
  const { stats, open, setOpen } = useApp((s) => ({
    stats: s.libraryStats,
    open: s.libraryFind.spendOpen,
    setOpen: s.setSpendOpen,
  }));
  const id = useId();
  if (!stats) return null;
  const language = i18n.language;
  return (
    <section className="library-spend" aria-labelledby={`${id}-title`} data-testid="library-spend">
      <h2 id={`${id}-title`}>{t('library.spend.title')}</h2>
      <p className="library-spend-total" data-testid="library-spend-total">
        {t('library.spend.line', {
          results: resultsText(t, stats.results),
          amount: moneyText(t, stats.costCny),
        })}
      </p>
      {stats.freeResults > 0 && (
        <p className="help">{t('library.spend.free', { count: stats.freeResults })}</p>
      )}
      <button
        className="library-spend-toggle"
        aria-expanded={open}
        aria-controls={`${id}-details`}
        onClick={() => setOpen(!open)}
        data-testid="library-spend-toggle"
      >
        {t('library.spend.toggle')}
      </button>
      <div id={`${id}-details`} hidden={!open} data-testid="library-spend-details">
        {open && (
          <>
            <SpendTable
              caption={t('library.spend.byAlbum')}
              lines={stats.byAlbum}
              label={(line) => albumText(t, line.key)}
            />
            <SpendTable
              caption={t('library.spend.byStyle')}
              lines={stats.byStyle}
              label={(line) => lineText(language, line)}
            />
            <SpendTable
              caption={t('library.spend.byMonth')}
              lines={stats.byMonth}
              label={(line) => monthText(language, line.key)}
            />
            <SpendTable
              caption={t('library.spend.byModel')}
              lines={stats.byModel}
              label={(line) => lineText(language, line)}
            />
          </>
        )}
      </div>
    </section>
  );
}

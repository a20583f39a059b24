import { useTranslation } from 'react-i18next';
import type { Batch } from '../../store/batch-slice';
import { batchNameText } from './batch-name';

/**
 * Scan progress for screen readers: once when a scan starts and once when it
 * ends (not on every batch of records, which would drown everything else).
 */
export function ScanAnnouncer({ batch }: { batch: Batch | undefined }) {
  const { t } = useTranslation();
  let text = '';
  if (batch) {
    const name = batchNameText(t, batch.name);
    text = batch.scanning
      ? t('batch.announce.scanning', { name })
      : t('batch.announce.done', { name, count: batch.size, rejected: batch.counts.rejected });
  }
  return (
    <div className="visually-hidden" aria-live="polite" role="status" data-testid="announcer">
      {text}
    </div>
  );
}

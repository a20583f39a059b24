import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/app-store';
import { batchNameText } from './batch-name';

/** One tab per batch (each drop queues one), with its size and a close button. */
export function BatchTabs() {
  const { t } = useTranslation();
  const { batches, activeId, setActive, close, choosePhotos } = useApp((s) => ({
    batches: s.batches,
    activeId: s.activeBatchId,
    setActive: s.setActiveBatch,
    close: s.closeBatch,
    choosePhotos: s.choosePhotos,
  }));
  // A list of buttons, not a tablist: each batch has its own close button, and a
  // tablist may hold only tabs. The shown batch is the current one.
  return (
    <div className="batch-tabs">
      <ul className="batch-tablist" aria-label={t('batch.tabs.label')}>
        {batches.map((batch) => {
          const name = batchNameText(t, batch.name);
          const current = batch.id === activeId;
          return (
            <li key={batch.id} className={`batch-tab${current ? ' active' : ''}`}>
              <button
                className="batch-tab-show"
                aria-current={current ? 'true' : undefined}
                onClick={() => setActive(batch.id)}
                data-testid="batch-tab"
              >
                <span className="batch-tab-name">{name}</span>
                <span className="batch-tab-size">
                  {batch.scanning ? `${batch.size} · ${t('batch.tabs.scanning')}` : batch.size}
                </span>
              </button>
              <button
                className="icon-button"
                aria-label={t('batch.tabs.close', { name })}
                onClick={() => close(batch.id)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          );
        })}
      </ul>
      <button className="primary" onClick={() => void choosePhotos()} data-testid="add-photos">
        {t('batch.add')}
      </button>
    </div>
  );
}

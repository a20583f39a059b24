import { useTranslation } from 'react-i18next';
import { onTablistKeyDown } from '../../components/tablist-keys';
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
  return (
    <div className="batch-tabs">
      <div
        role="tablist"
        aria-label={t('batch.tabs.label')}
        className="batch-tablist"
        onKeyDown={onTablistKeyDown}
      >
        {batches.map((batch) => {
          const name = batchNameText(t, batch.name);
          return (
            <div key={batch.id} className={`batch-tab${batch.id === activeId ? ' active' : ''}`}>
              <button
                role="tab"
                aria-selected={batch.id === activeId}
                tabIndex={batch.id === activeId ? 0 : -1}
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
            </div>
          );
        })}
      </div>
      <button className="primary" onClick={() => void choosePhotos()} data-testid="add-photos">
        {t('batch.add')}
      </button>
    </div>
  );
}

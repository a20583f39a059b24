import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../shared/i18n';
import { useApp } from '../store/app-store';
import { AuditionPanel } from './batch/audition-panel';
import { BatchOverview } from './batch/batch-overview';
import { BatchTabs } from './batch/batch-tabs';
import { batchNameText } from './batch/batch-name';
import { EngineBanner } from './batch/engine-banner';
import { Gallery } from './batch/gallery';
import { GalleryToolbar } from './batch/gallery-toolbar';
import { PhotoViewer } from './batch/photo-viewer';
import { ScanAnnouncer } from './batch/scan-announcer';
import { StylePanel } from './batch/style-panel';
import { useBatchPhotos, type StatusFilter } from './batch/use-batch-photos';
import './batch/batch.css';

export function BatchView() {
  const { t } = useTranslation();
  const { batches, activeId, notice, dismiss, choosePhotos } = useApp((s) => ({
    batches: s.batches,
    activeId: s.activeBatchId,
    notice: s.addNotice,
    dismiss: s.dismissAddNotice,
    choosePhotos: s.choosePhotos,
  }));
  const batch = batches.find((b) => b.id === activeId);
  const [filter, setFilter] = useState<StatusFilter>('all');
  const [viewing, setViewing] = useState<string | null>(null);
  const [auditioning, setAuditioning] = useState(false);
  const photos = useBatchPhotos(batch, filter);
  const open = useCallback((key: string) => setViewing(key), []);

  const noticeBanner = notice && (
    <div className="banner error notice" role="alert">
      <span data-testid="add-notice">
        {notice.kind === 'needs_app'
          ? t('batch.drop.needsApp')
          : t('batch.drop.addFailed', { detail: describeError(t, notice.error) })}
      </span>
      <button className="icon-button" aria-label={t('common.actions.close')} onClick={dismiss}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );

  if (!batch) {
    return (
      <div className="batch-empty" data-testid="batch-empty">
        {noticeBanner}
        {/* The queue's state shows before any album too (a rebuilt or unwritable queue file). */}
        <EngineBanner />
        <section className="empty-state">
          <div className="empty-art" aria-hidden="true" />
          <h1>{t('batch.empty.title')}</h1>
          <p>{t('batch.empty.body')}</p>
          <button className="primary" onClick={() => void choosePhotos()} data-testid="add-photos">
            {t('batch.add')}
          </button>
        </section>
      </div>
    );
  }

  return (
    <div className="batch">
      <ScanAnnouncer batch={batch} />
      <BatchTabs />
      {noticeBanner}
      <EngineBanner />
      <div className="batch-body">
        <section className="gallery-pane">
          {auditioning && <AuditionPanel batch={batch} onClose={() => setAuditioning(false)} />}
          <GalleryToolbar photos={photos} total={batch.size} filter={filter} onFilter={setFilter} />
          {photos.shown.length === 0 ? (
            <p className="gallery-empty" data-testid="gallery-empty">
              {batch.scanning ? t('batch.empty.scanning') : t('batch.empty.filtered')}
            </p>
          ) : (
            <Gallery
              key={`${batch.id}:${filter}`}
              keys={photos.shown}
              label={t('batch.gallery.label', { name: batchNameText(t, batch.name) })}
              onOpen={open}
            />
          )}
        </section>
        {/* The side column: what a run would send and Start on top, the styles below. */}
        <div className="batch-side">
          <BatchOverview batch={batch} photos={photos} onAudition={() => setAuditioning(true)} />
          <StylePanel />
        </div>
      </div>
      {viewing && (
        <PhotoViewer
          keys={photos.shown}
          current={viewing}
          onChange={setViewing}
          onClose={() => setViewing(null)}
        />
      )}
    </div>
  );
}

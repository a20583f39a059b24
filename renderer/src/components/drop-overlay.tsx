import { useTranslation } from 'react-i18next';

/** Shown over the whole window while files are dragged over it. */
export function DropOverlay() {
  const { t } = useTranslation();
  return (
    <div className="drop-overlay" aria-hidden="true" data-testid="drop-overlay">
      <div className="drop-target">{t('batch.drop.overlay')}</div>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/app-store';
import { DISPLAY_STATUSES } from '../../store/batch-photo';
import type { BatchPhotos, StatusFilter } from './use-batch-photos';

export interface GalleryToolbarProps {
  photos: BatchPhotos;
  total: number;
  filter: StatusFilter;
  onFilter(filter: StatusFilter): void;
}

/** Status filter chips with counts, and what to do with the selection. */
export function GalleryToolbar({ photos, total, filter, onFilter }: GalleryToolbarProps) {
  const { t } = useTranslation();
  const store = useAppStore();
  const chips: StatusFilter[] = [
    'all',
    ...DISPLAY_STATUSES.filter((status) => photos.counts[status] > 0 || status === filter),
  ];
  const selectedKeys = () =>
    photos.shown.filter((key) => store.getState().photos.get(key)?.selected);

  return (
    <div className="gallery-toolbar">
      <div className="chips" role="group" aria-label={t('batch.filter.label')}>
        {chips.map((chip) => (
          <button
            key={chip}
            className={`chip chip-${chip}`}
            aria-pressed={filter === chip}
            onClick={() => onFilter(chip)}
            data-testid={`filter-${chip}`}
          >
            {t(`batch.status.${chip}`)}
            <span className="chip-count">{chip === 'all' ? total : photos.counts[chip]}</span>
          </button>
        ))}
      </div>
      <div className="selection" data-testid="selection">
        {photos.selected > 0 && (
          <>
            <span className="selection-count" data-testid="selected-count">
              {t('batch.gallery.selected', { count: photos.selected })}
            </span>
            <button
              onClick={() => store.getState().setExcluded(selectedKeys(), true)}
              data-testid="exclude-selected"
            >
              {t('batch.gallery.exclude')}
            </button>
            <button
              onClick={() => store.getState().setExcluded(selectedKeys(), false)}
              data-testid="include-selected"
            >
              {t('batch.gallery.include')}
            </button>
            <button onClick={() => store.getState().setSelected(selectedKeys(), false)}>
              {t('batch.gallery.clearSelection')}
            </button>
          </>
        )}
        {photos.selected === 0 && photos.shown.length > 0 && (
          <button
            onClick={() => store.getState().setSelected(photos.shown, true)}
            data-testid="select-all"
          >
            {t('batch.gallery.selectAll')}
          </button>
        )}
      </div>
    </div>
  );
}

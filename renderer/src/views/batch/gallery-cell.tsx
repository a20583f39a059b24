import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useApp } from '../../store/app-store';
import { displayStatus } from '../../store/batch-photo';
import { photoNote, statusText } from './photo-text';
import { useDwell } from './use-dwell';

/** How long a cell must stay in view before its thumbnail loads. */
const THUMBNAIL_DWELL_MS = 100;

export interface GalleryCellProps {
  photoKey: string;
  index: number;
  focused: boolean;
  /** A click: focus it, and toggle its selection with Ctrl/Cmd/Shift. */
  onActivate(index: number, key: string, toggle: boolean): void;
  onOpen(key: string): void;
}

/** One thumbnail; subscribes to its own photo only, so others' changes do not re-render it. */
export const GalleryCell = memo(function GalleryCell(props: GalleryCellProps) {
  const { photoKey, index, focused, onActivate, onOpen } = props;
  const { t } = useTranslation();
  const api = useApi();
  const { photo } = useApp((s) => ({ photo: s.photos.get(photoKey) }));
  const dwelt = useDwell(THUMBNAIL_DWELL_MS);
  if (!photo) return <div className="cell" role="gridcell" />;
  const { record } = photo;
  const status = displayStatus(photo);
  // Once done, the cell shows the result (the full-size view compares it with the original).
  const resultId = photo.run?.resultIds[0];
  const hasImage = !!resultId || (!!record.hash && record.thumbnails);
  const note = photoNote(t, photo);
  // No aria-label: the cell is named by what it shows, in reading order (name,
  // status, note), so the name always holds every visible word (WCAG 2.5.3).
  return (
    <div
      role="gridcell"
      className={`cell status-${status}${photo.selected ? ' selected' : ''}`}
      tabIndex={focused ? 0 : -1}
      aria-selected={photo.selected}
      data-index={index}
      data-testid="photo-cell"
      data-status={status}
      data-name={record.name}
      onClick={(event) =>
        onActivate(index, photoKey, event.ctrlKey || event.metaKey || event.shiftKey)
      }
      onDoubleClick={() => onOpen(photoKey)}
    >
      {/* `data-image-pending`: its image starts once the cell has stayed in view (e2e screenshots wait for it). */}
      <div className="thumb" data-image-pending={hasImage && !dwelt ? '' : undefined}>
        {resultId ? (
          dwelt && (
            <img
              src={api.resultUrl(resultId)}
              alt=""
              loading="lazy"
              decoding="async"
              draggable={false}
              data-testid="result-thumb"
            />
          )
        ) : record.hash && record.thumbnails ? (
          dwelt && (
            <img
              src={api.thumbnailUrl(record.hash, 'small')}
              alt=""
              loading="lazy"
              decoding="async"
              draggable={false}
            />
          )
        ) : (
          <span className="thumb-missing">
            {record.format?.toUpperCase() ?? t('batch.gallery.noThumbnail')}
          </span>
        )}
        {photo.selected && <span className="check" aria-hidden="true" />}
      </div>
      <div className="cell-name" title={record.path}>
        {record.name}
      </div>
      {/* Drawn over the thumbnail's corner, read after the name. */}
      <span className={`badge badge-${status}`}>{statusText(t, photo)}</span>
      <div className="cell-note" title={note} data-testid="photo-note">
        {note}
      </div>
    </div>
  );
});

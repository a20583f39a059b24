import { memo, type DragEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../store/app-store';
import { isPhotoTile, tileItem, type LibraryTile } from '../../store/library-slice';
import { useDwell } from '../batch/use-dwell';
import { albumText } from './library-text';
import { styleNameIn } from './viewer-text';

/** How long a tile must stay in view before its thumbnail loads (a fling loads none). */
const THUMBNAIL_DWELL_MS = 100;

export interface LibraryTileProps {
  index: number;
  /** Undefined while its page is being fetched. */
  tile: LibraryTile | undefined;
  focused: boolean;
  selected: boolean;
  onClick(index: number, event: MouseEvent): void;
  onOpen(index: number): void;
  onDragStart(index: number, event: DragEvent): void;
}

/**
 * One tile of the Results or Photos grid: the result's thumbnail (a photo's
 * newest), or a plain "Missing" when its file is gone, never a broken image.
 */
export const LibraryTileView = memo(function LibraryTileView(props: LibraryTileProps) {
  const { index, tile, focused, selected, onClick, onOpen, onDragStart } = props;
  const { t, i18n } = useTranslation();
  const api = useApi();
  const dwelt = useDwell(THUMBNAIL_DWELL_MS);
  if (!tile) {
    // A page on its way: screenshots wait for it as for a thumbnail.
    return (
      <div
        role="gridcell"
        className="library-tile loading"
        tabIndex={focused ? 0 : -1}
        aria-busy="true"
        data-index={index}
        data-image-pending=""
      />
    );
  }
  const item = tileItem(tile);
  const photo = isPhotoTile(tile) ? tile : null;
  const name = photo ? photo.sourceName : item.fileName;
  const meta = photo ? albumText(t, photo.albumFolder) : styleNameIn(i18n.language, item.styleName);
  const missing = !item.present;
  return (
    <div
      role="gridcell"
      className={`library-tile${selected ? ' selected' : ''}${missing ? ' missing' : ''}`}
      tabIndex={focused ? 0 : -1}
      aria-selected={selected}
      data-index={index}
      data-testid="library-tile"
      data-id={item.id}
      data-name={name}
      data-present={item.present}
      draggable={!missing}
      onClick={(event) => onClick(index, event)}
      onDoubleClick={() => onOpen(index)}
      onDragStart={(event) => onDragStart(index, event)}
    >
      <div className="thumb" data-image-pending={!missing && !dwelt ? '' : undefined}>
        {missing ? (
          <span className="thumb-missing" title={t('library.grid.missingNote')}>
            {t('library.grid.missing')}
          </span>
        ) : (
          dwelt && (
            <img
              src={api.resultUrl(item.id, 'thumb')}
              alt=""
              loading="lazy"
              decoding="async"
              draggable={false}
              data-testid="library-thumb"
            />
          )
        )}
        {selected && <span className="check" aria-hidden="true" />}
      </div>
      <div className="cell-name" title={photo ? photo.sourcePath : item.path}>
        {name}
      </div>
      <div className="library-tile-meta" title={meta}>
        {meta}
      </div>
      {/* Drawn over the thumbnail's corner, read after the name. */}
      <span className="library-badges">
        {photo && photo.styles > 1 && (
          <span className="badge badge-styles" data-testid="library-styles-badge">
            {t('library.grid.styles', { count: photo.styles })}
          </span>
        )}
        {item.favourite && (
          <span className="badge badge-favourite" title={t('library.grid.favourite')}>
            <span aria-hidden="true">♥</span>
            <span className="visually-hidden">{t('library.grid.favourite')}</span>
          </span>
        )}
        {item.rating > 0 && (
          <span className="badge badge-rating">
            <span aria-hidden="true">{`${item.rating}★`}</span>
            <span className="visually-hidden">
              {t('library.grid.rated', { rating: item.rating })}
            </span>
          </span>
        )}
      </span>
    </div>
  );
});

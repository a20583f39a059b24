import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FacetCount, LibraryQueryFilter } from '../../../../shared/contract/library';
import { MODEL_IDS, type ModelId } from '../../../../shared/models';
import { useApp } from '../../store/app-store';
import { albumText } from './library-text';
import { styleNameIn } from './viewer-text';

const RATINGS = [1, 2, 3, 4, 5] as const;

/** "3★": a minimum rating as the filter and its chip say it. */
export const starsText = (rating: number): string => `${rating}★`;

/** A value's count among the facets (0 when the other filters leave none of it). */
const countOf = (facets: readonly FacetCount[] | undefined, key: string): number =>
  facets?.find((facet) => facet.key === key)?.count ?? 0;

/**
 * The filter column: album or folder, style, model, rating, favourites,
 * present or missing, and the days saved. Each value shows how many results
 * it would leave, within the other filters (`library:facets`).
 */
export function LibraryFilters({ children }: { children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { filter, facets, setFilter } = useApp((s) => ({
    filter: s.libraryFind.filter,
    facets: s.libraryFacets,
    setFilter: s.setLibraryFilter,
  }));
  const id = useId();
  const option = (label: string, count: number) => t('library.find.option', { label, count });

  // A chosen value stays listed (with 0) when the other filters leave none of it.
  const albums = [...(facets?.albums ?? [])];
  if (filter.albumFolder !== undefined && !albums.some((a) => a.key === filter.albumFolder)) {
    albums.unshift({ key: filter.albumFolder, count: 0 });
  }
  const styles = facets?.styles ?? [];
  const style = filter.recipeKeys?.[0] ?? '';
  const model = filter.models?.[0] ?? '';
  const atLeast = (rating: number) =>
    RATINGS.filter((r) => r >= rating).reduce(
      (sum, r) => sum + countOf(facets?.ratings, String(r)),
      0,
    );

  const select = (
    field: string,
    label: string,
    value: string,
    onChange: (value: string) => void,
    options: ReactNode,
  ) => (
    <label className="library-field" htmlFor={`${id}-${field}`}>
      <span>{label}</span>
      <select
        id={`${id}-${field}`}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={`library-filter-${field}`}
      >
        {options}
      </select>
    </label>
  );

  return (
    <aside className="library-filters" aria-label={t('library.find.label')}>
      {select(
        'album',
        t('library.find.album'),
        // '' is the library folder itself, so each album's value carries a mark.
        filter.albumFolder === undefined ? '' : `=${filter.albumFolder}`,
        (value) => setFilter({ albumFolder: value ? value.slice(1) : undefined }),
        <>
          <option value="">{t('library.find.allAlbums')}</option>
          {albums.map((album) => (
            <option key={album.key} value={`=${album.key}`}>
              {option(albumText(t, album.key), album.count)}
            </option>
          ))}
        </>,
      )}
      {select(
        'style',
        t('library.find.style'),
        style,
        (value) => setFilter({ recipeKeys: value ? [value] : undefined }),
        <>
          <option value="">{t('library.find.allStyles')}</option>
          {style && !styles.some((s) => s.key === style) && (
            <option value={style}>{option(style, 0)}</option>
          )}
          {styles.map((s) => (
            <option key={s.key} value={s.key}>
              {option(styleNameIn(i18n.language, s.styleName), s.count)}
            </option>
          ))}
        </>,
      )}
      {select(
        'model',
        t('library.find.model'),
        model,
        (value) => setFilter({ models: value ? [value as ModelId] : undefined }),
        <>
          <option value="">{t('library.find.allModels')}</option>
          {MODEL_IDS.map((m) => (
            <option key={m} value={m}>
              {option(m, countOf(facets?.models, m))}
            </option>
          ))}
        </>,
      )}
      {select(
        'rating',
        t('library.find.rating'),
        String(filter.minRating ?? ''),
        (value) => setFilter({ minRating: value ? Number(value) : undefined }),
        <>
          <option value="">{t('library.find.anyRating')}</option>
          {RATINGS.map((r) => (
            <option key={r} value={r}>
              {option(t('library.find.minRating', { stars: starsText(r) }), atLeast(r))}
            </option>
          ))}
        </>,
      )}
      {select(
        'presence',
        t('library.find.presence'),
        filter.presence ?? '',
        (value) =>
          setFilter({ presence: value ? (value as LibraryQueryFilter['presence']) : undefined }),
        <>
          <option value="">{t('library.find.presenceAll')}</option>
          <option value="present">{option(t('library.find.present'), facets?.present ?? 0)}</option>
          <option value="missing">{option(t('library.find.missing'), facets?.missing ?? 0)}</option>
        </>,
      )}
      <label className="library-check">
        <input
          type="checkbox"
          checked={filter.favourite === true}
          onChange={(event) => setFilter({ favourite: event.target.checked ? true : undefined })}
          data-testid="library-filter-favourite"
        />
        <span>{option(t('library.find.favourite'), facets?.favourites ?? 0)}</span>
      </label>
      <div className="library-dates">
        {(['from', 'to'] as const).map((field) => (
          <label key={field} className="library-field">
            <span>{t(`library.find.${field}`)}</span>
            <input
              type="date"
              value={filter[field] ?? ''}
              // The range cannot end before it starts.
              min={field === 'to' ? filter.from : undefined}
              max={field === 'from' ? filter.to : undefined}
              onChange={(event) => setFilter({ [field]: event.target.value || undefined })}
              data-testid={`library-filter-${field}`}
            />
          </label>
        ))}
      </div>
      {children}
    </aside>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  LIBRARY_SORTS,
  type LibraryQueryFilter,
  type LibrarySort,
} from '../../../../shared/contract/library';
import { useApp } from '../../store/app-store';
import { hasFilters, type LibraryFind } from '../../store/library-slice';
import { starsText } from './library-filters';
import { albumText } from './library-text';
import { styleNameIn } from './viewer-text';

/** How long typing rests before the search runs. */
const SEARCH_DEBOUNCE_MS = 300;

type Translate = ReturnType<typeof useTranslation>['t'];

interface Chip {
  id: string;
  label: string;
  remove: Partial<LibraryQueryFilter>;
}

/** The active filters as removable chips, in the order the filter column lists them. */
function chipsOf(t: Translate, find: LibraryFind, styleName: (key: string) => string): Chip[] {
  const f = find.filter;
  const chips: Chip[] = [];
  const add = (id: string, label: string, remove: Partial<LibraryQueryFilter>) =>
    chips.push({ id, label, remove });
  if (f.batchId) {
    const value = find.batchLabel;
    add(
      'batch',
      value ? t('library.find.chip.batch', { value }) : t('library.find.chip.batchUnnamed'),
      { batchId: undefined },
    );
  }
  if (f.sourceHash) add('photo', t('library.find.chip.photo'), { sourceHash: undefined });
  if (f.text) add('text', t('library.find.chip.text', { value: f.text }), { text: undefined });
  if (f.albumFolder !== undefined)
    add('album', t('library.find.chip.album', { value: albumText(t, f.albumFolder) }), {
      albumFolder: undefined,
    });
  for (const key of f.recipeKeys ?? [])
    add(`style-${key}`, t('library.find.chip.style', { value: styleName(key) }), {
      recipeKeys: f.recipeKeys?.filter((k) => k !== key),
    });
  for (const model of f.models ?? [])
    add(`model-${model}`, t('library.find.chip.model', { value: model }), {
      models: f.models?.filter((m) => m !== model),
    });
  if (f.minRating)
    add('rating', t('library.find.chip.rating', { stars: starsText(f.minRating) }), {
      minRating: undefined,
    });
  if (f.favourite) add('favourite', t('library.find.chip.favourite'), { favourite: undefined });
  if (f.presence) add('presence', t(`library.find.chip.${f.presence}`), { presence: undefined });
  if (f.from) add('from', t('library.find.chip.from', { value: f.from }), { from: undefined });
  if (f.to) add('to', t('library.find.chip.to', { value: f.to }), { to: undefined });
  return chips;
}

/** Search (as the user types, once they pause), sort, and the active filters as chips. */
export function LibraryFindBar() {
  const { t, i18n } = useTranslation();
  const { find, facets, setFilter, setSort, clear } = useApp((s) => ({
    find: s.libraryFind,
    facets: s.libraryFacets,
    setFilter: s.setLibraryFilter,
    setSort: s.setLibrarySort,
    clear: s.clearLibraryFilters,
  }));
  const id = useId();
  const saved = find.filter.text ?? '';
  const [draft, setDraft] = useState(saved);
  const committed = useRef(saved);

  // The search changed elsewhere (its chip, Clear filters): the field shows it.
  useEffect(() => {
    if (saved !== committed.current) {
      committed.current = saved;
      setDraft(saved);
    }
  }, [saved]);

  useEffect(() => {
    const text = draft.trim();
    if (text === committed.current) return undefined;
    const timer = setTimeout(() => {
      committed.current = text;
      setFilter({ text: text || undefined });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, setFilter]);

  const styleName = (key: string) => {
    const facet = facets?.styles.find((s) => s.key === key);
    return facet ? styleNameIn(i18n.language, facet.styleName) : key;
  };
  const chips = chipsOf(t, find, styleName);

  return (
    <div className="library-find">
      <div className="library-find-row">
        <input
          type="search"
          className="library-search"
          aria-label={t('library.find.search')}
          placeholder={t('library.find.searchPlaceholder')}
          value={draft}
          maxLength={200}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && draft) {
              event.preventDefault();
              setDraft('');
            }
          }}
          data-testid="library-search"
        />
        <label className="library-sort" htmlFor={`${id}-sort`}>
          <span>{t('library.find.sort')}</span>
          <select
            id={`${id}-sort`}
            value={find.sort}
            onChange={(event) => setSort(event.target.value as LibrarySort)}
            data-testid="library-sort"
          >
            {LIBRARY_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {t(`library.find.sorts.${sort}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {hasFilters(find.filter) && (
        <div
          className="library-chips"
          role="group"
          aria-label={t('library.find.active')}
          data-testid="library-chips"
        >
          {chips.map((chip) => (
            <button
              key={chip.id}
              className="library-chip"
              aria-label={t('library.find.remove', { label: chip.label })}
              onClick={() => setFilter(chip.remove)}
              data-testid={`library-chip-${chip.id.split('-')[0]}`}
            >
              <span>{chip.label}</span>
              <span aria-hidden="true">×</span>
            </button>
          ))}
          <button className="library-clear" onClick={clear} data-testid="library-clear">
            {t('library.find.clear')}
          </button>
        </div>
      )}
    </div>
  );
}

import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import {
  BROWSE_MAX_ENTRIES,
  type BrowseErrorCode,
  type BrowseResult,
  type FolderListing,
} from '../../../shared/bridge';
import { useApi, useApp } from '../store/app-store';
import type { PickerKind, PickerRequest } from '../store/picker-slice';
import { keepFocusInside } from './focus-trap';
import './folder-browser.css';

interface Row {
  kind: 'folder' | 'image';
  name: string;
  path: string;
}

interface Problem {
  code: BrowseErrorCode;
  path: string;
  detail: string;
}

const PAGE = 10;

const nameOf = (path: string): string =>
  path
    .split(/[\\/]+/)
    .filter(Boolean)
    .pop() ?? path;

/**
 * The in-page folder browser: how "Add photos", the style reference and the
 * library folder are chosen when the window runs in a browser on the dev
 * bridge (`npm run preview`), which has no OS chooser. Its answer goes back
 * to the store action that asked, which goes on as after the OS chooser.
 */
export function FolderBrowser() {
  const { picker, answer } = useApp((s) => ({ picker: s.picker, answer: s.answerPicker }));
  if (!picker) return null;
  return <FolderBrowserDialog key={picker.id} request={picker} onAnswer={answer} />;
}

function FolderBrowserDialog({
  request,
  onAnswer,
}: {
  request: PickerRequest;
  onAnswer(paths: string[] | null, folder: string | null): void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const kind: PickerKind = request.kind;
  const id = useId();
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(true);
  const [typed, setTyped] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [active, setActive] = useState(0);
  const latest = useRef(0);
  const dialogRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const pathRef = useRef<HTMLInputElement>(null);

  /** Lists a folder (or, for the first one, home when the start cannot be listed). */
  const list = useCallback(
    async (path: string | null, fallBackHome = false): Promise<BrowseResult> => {
      if (!api.browse)
        return { ok: false, error: { code: 'failed', message: 'no folder browser' } };
      const result = await api.browse(path);
      return !result.ok && fallBackHome && path !== null ? api.browse(null) : result;
    },
    [api],
  );
  /** Shows a listing, or why a folder could not be listed (keeping the last one). */
  const show = useCallback((result: BrowseResult, path: string | null) => {
    setLoading(false);
    if (result.ok) {
      setListing(result.value);
      setTyped(result.value.path);
      setSelected(new Set());
      setActive(0);
      setProblem(null);
    } else {
      setProblem({ code: result.error.code, path: path ?? '', detail: result.error.message });
    }
  }, []);
  /** Moves to a folder; an answer that comes after the user moved on is dropped. */
  const open = (path: string | null) => {
    const ticket = ++latest.current;
    setLoading(true);
    void list(path).then((result) => ticket === latest.current && show(result, path));
  };

  useEffect(() => {
    const ticket = ++latest.current;
    void list(request.start, true).then(
      (result) => ticket === latest.current && show(result, request.start),
    );
  }, [list, show, request.start]);

  // Modal: focus moves in (to the list), and back to the opener on close.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    listRef.current?.focus();
    return () => opener?.focus();
  }, []);
  // A control that was focused may be gone (or disabled) after moving: keep focus inside.
  useEffect(() => {
    if (!dialogRef.current?.contains(document.activeElement)) listRef.current?.focus();
  }, [listing, loading]);
  // A long path shows its end, the folder's own name, rather than its start.
  useEffect(() => {
    const input = pathRef.current;
    if (input && document.activeElement !== input) input.scrollLeft = input.scrollWidth;
  }, [listing]);

  const rows = useMemo<Row[]>(
    () =>
      listing
        ? [
            ...listing.folders.map((entry) => ({ kind: 'folder' as const, ...entry })),
            ...(kind === 'folder'
              ? []
              : listing.images.map((entry) => ({ kind: 'image' as const, ...entry }))),
          ]
        : [],
    [listing, kind],
  );
  const optionId = (index: number) => `${id}-option-${index}`;
  const activeIndex = rows.length === 0 ? -1 : Math.min(active, rows.length - 1);

  useEffect(() => {
    if (activeIndex >= 0)
      listRef.current?.children.item(activeIndex)?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex, rows]);

  const folderName = listing ? nameOf(listing.path) : '';
  const cancel = () => onAnswer(null, null);

  const choose = (paths: string[], from: string | null) => onAnswer(paths, from);
  const confirm = () => {
    if (!listing) return;
    if (kind === 'folder') return choose([listing.path], null);
    if (selected.size > 0) {
      const picked = rows.filter((row) => selected.has(row.path)).map((row) => row.path);
      return choose(picked, listing.path);
    }
    // The folder itself: the next choice starts beside it.
    if (kind === 'photos') choose([listing.path], listing.parent ?? listing.path);
  };

  const toggle = (row: Row) => {
    if (row.kind !== 'image') return;
    if (kind === 'reference') return setSelected(new Set([row.path]));
    setSelected((before) => {
      const next = new Set(before);
      if (next.has(row.path)) next.delete(row.path);
      else next.add(row.path);
      return next;
    });
  };
  const activate = (row: Row) => (row.kind === 'folder' ? open(row.path) : toggle(row));
  const goUp = () => {
    if (listing?.parent) open(listing.parent);
  };

  const onListKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const row = rows[activeIndex];
    const move = (index: number) => setActive(Math.max(0, Math.min(rows.length - 1, index)));
    switch (event.key) {
      case 'ArrowDown':
        move(activeIndex + 1);
        break;
      case 'ArrowUp':
        if (event.altKey) goUp();
        else move(activeIndex - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'PageDown':
        move(activeIndex + PAGE);
        break;
      case 'PageUp':
        move(activeIndex - PAGE);
        break;
      case 'Enter':
        if (row) activate(row);
        break;
      case ' ':
        if (row) toggle(row);
        break;
      case 'Backspace':
        goUp();
        break;
      default: {
        // Type-ahead: the next entry starting with that letter.
        if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
        const letter = event.key.toLocaleLowerCase();
        const order = rows.map((_, i) => (activeIndex + 1 + i) % rows.length);
        const found = order.find((i) => rows[i]?.name.toLocaleLowerCase().startsWith(letter));
        if (found === undefined) return;
        move(found);
      }
    }
    event.preventDefault();
  };

  const onDialogKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Tab') return keepFocusInside(event);
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    }
  };

  const submitPath = (event: FormEvent) => {
    event.preventDefault();
    const text = typed.trim();
    if (!text) return;
    // `~` is the home folder, as in a terminal.
    const home = listing?.home;
    const path = home && /^~(?=$|[\\/])/.test(text) ? home + text.slice(1) : text;
    open(path);
  };

  const cut =
    listing &&
    (listing.folderCount > listing.folders.length ||
      (kind !== 'folder' && listing.imageCount > listing.images.length));
  const summary = !listing
    ? ''
    : kind === 'folder'
      ? t('browse.folders', { count: listing.folderCount })
      : t('browse.summary', {
          folders: t('browse.folders', { count: listing.folderCount }),
          images: t('browse.images', { count: listing.imageCount }),
        });
  const status = loading
    ? t('browse.loading')
    : [
        summary,
        cut ? t('browse.cut', { count: BROWSE_MAX_ENTRIES }) : '',
        kind === 'photos' && selected.size > 0
          ? t('browse.selected', { count: selected.size })
          : '',
      ]
        .filter(Boolean)
        .join(' · ');

  const primary =
    kind === 'folder'
      ? t('browse.chooseFolder', { name: folderName })
      : kind === 'reference'
        ? t('browse.useImage')
        : selected.size > 0
          ? t('browse.addSelected', { count: selected.size })
          : t('browse.addFolder', { name: folderName });
  const primaryDisabled = !listing || loading || (kind === 'reference' && selected.size === 0);

  return (
    <div
      className="fb-backdrop"
      onClick={(event) => {
        if (event.target === event.currentTarget) cancel();
      }}
    >
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-help`}
        className="fb"
        onKeyDown={onDialogKeyDown}
        data-testid="folder-browser"
        data-kind={kind}
      >
        <header className="fb-header">
          <div>
            <h2 id={`${id}-title`}>{t(`browse.title.${kind}`)}</h2>
            <p id={`${id}-help`} className="help">
              {t(`browse.help.${kind}`)}
            </p>
          </div>
          <button
            className="icon-button"
            aria-label={t('common.actions.close')}
            onClick={cancel}
            data-testid="browse-close"
          >
            <span aria-hidden="true">×</span>
          </button>
        </header>

        <div className="fb-bar">
          <button
            onClick={goUp}
            disabled={!listing?.parent || loading}
            aria-label={t('browse.upLabel')}
            data-testid="browse-up"
          >
            <span aria-hidden="true">↑ </span>
            {t('browse.up')}
          </button>
          <button
            onClick={() => open(null)}
            disabled={loading || listing?.path === listing?.home}
            data-testid="browse-home"
          >
            {t('browse.home')}
          </button>
          <form className="fb-path" onSubmit={submitPath}>
            <label htmlFor={`${id}-path`}>{t('browse.path')}</label>
            <input
              ref={pathRef}
              id={`${id}-path`}
              className="mono"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              spellCheck={false}
              autoComplete="off"
              data-testid="browse-path"
            />
            <button type="submit" data-testid="browse-go">
              {t('browse.go')}
            </button>
          </form>
        </div>

        {problem && (
          <p className="banner error fb-problem" role="alert" data-testid="browse-error">
            {t(`browse.errors.${problem.code}`, {
              path: problem.path,
              detail: problem.detail,
              example: listing?.home ?? '/home/you',
            })}
          </p>
        )}

        <div className="fb-list-wrap">
          <ul
            ref={listRef}
            role="listbox"
            tabIndex={0}
            aria-label={t('browse.contents', { name: folderName })}
            aria-multiselectable={kind === 'photos' ? true : undefined}
            aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
            aria-busy={loading}
            className="fb-list"
            onKeyDown={onListKeyDown}
            data-testid="browse-list"
          >
            {rows.map((row, index) => (
              <li
                key={row.path}
                id={optionId(index)}
                role="option"
                aria-selected={row.kind === 'image' ? selected.has(row.path) : undefined}
                className={[
                  'fb-row',
                  row.kind,
                  index === activeIndex ? 'active' : '',
                  selected.has(row.path) ? 'selected' : '',
                ].join(' ')}
                onClick={() => {
                  setActive(index);
                  activate(row);
                }}
                onDoubleClick={() => {
                  if (row.kind === 'image' && kind === 'reference' && listing)
                    choose([row.path], listing.path);
                }}
                data-testid="browse-entry"
                data-kind={row.kind}
                data-name={row.name}
              >
                <span className={`fb-icon ${row.kind}`} aria-hidden="true" />
                <span className="fb-name">{row.name}</span>
                <span className="visually-hidden">, {t(`browse.kind.${row.kind}`)}</span>
                {row.kind === 'folder' && (
                  <span className="fb-open" aria-hidden="true">
                    ›
                  </span>
                )}
              </li>
            ))}
          </ul>
          {!loading && listing && rows.length === 0 && (
            <p className="fb-empty" data-testid="browse-empty">
              {t(kind === 'folder' ? 'browse.empty.folder' : 'browse.empty.all')}
            </p>
          )}
        </div>

        <p className="help fb-status" role="status" data-testid="browse-status">
          {status}
        </p>
        <footer className="fb-footer">
          <p className="help fb-keys">{t(`browse.keys.${kind}`)}</p>
          <div className="row">
            <button onClick={cancel} data-testid="browse-cancel">
              {t('common.actions.cancel')}
            </button>
            <button
              className="primary"
              onClick={confirm}
              disabled={primaryDisabled}
              data-testid="browse-choose"
            >
              {primary}
            </button>
          </div>
        </footer>
      </div>
    </div>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keepFocusInside } from '../../components/focus-trap';
import { useApp } from '../../store/app-store';
import type { ExportLayout } from '../../store/library-slice';

const LAYOUTS: ExportLayout[] = ['folders', 'flat', 'zip'];

/**
 * Export…: how (the album folders, one folder or a zip; with the provenance
 * files or not), then where: the OS dialog, or on the dev bridge the page's
 * folder browser.
 */
export function LibraryExportDialog({ count, onClose }: { count: number; onClose(): void }) {
  const { t } = useTranslation();
  const exportLibrary = useApp((s) => s.exportLibrary);
  const [layout, setLayout] = useState<ExportLayout>('folders');
  const [sidecars, setSidecars] = useState(true);
  const id = useId();
  const first = useRef<HTMLInputElement>(null);

  // Modal: focus moves in, and back to the opener on close.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    first.current?.focus();
    return () => opener?.focus();
  }, []);

  const go = () => {
    onClose();
    void exportLibrary(layout, sidecars);
  };

  return (
    <div className="viewer-backdrop library-dialog-backdrop">
      <div
        className="library-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-help`}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onClose();
          } else if (event.key === 'Tab') keepFocusInside(event);
        }}
        data-testid="library-export-dialog"
      >
        <h2 id={`${id}-title`}>{t('library.export.title', { count })}</h2>
        <fieldset className="library-layouts">
          <legend>{t('library.export.layout')}</legend>
          {LAYOUTS.map((value, index) => (
            <label key={value}>
              <input
                ref={index === 0 ? first : undefined}
                type="radio"
                name={`${id}-layout`}
                value={value}
                checked={layout === value}
                onChange={() => setLayout(value)}
                data-testid={`library-export-${value}`}
              />
              <span>{t(`library.export.${value}`)}</span>
            </label>
          ))}
        </fieldset>
        <label className="library-check">
          <input
            type="checkbox"
            checked={sidecars}
            onChange={(event) => setSidecars(event.target.checked)}
            data-testid="library-export-sidecars"
          />
          <span>{t('library.export.sidecars')}</span>
        </label>
        <p id={`${id}-help`} className="help">
          {t('library.export.help')}
        </p>
        <div className="row library-dialog-buttons">
          <button className="primary" onClick={go} data-testid="library-export-go">
            {t('library.export.next')}
          </button>
          <button onClick={onClose}>{t('common.actions.cancel')}</button>
        </div>
      </div>
    </div>
  );
}

import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../../shared/i18n';
import { useApp } from '../../store/app-store';
import type { LibraryNotice } from '../../store/library-slice';

type Translate = ReturnType<typeof useTranslation>['t'];

function noticeText(t: Translate, notice: LibraryNotice): string {
  switch (notice.kind) {
    case 'exported': {
      const { images, skipped, destination } = notice.report;
      const exported = t('library.notice.exported', { count: images, destination });
      return skipped > 0
        ? `${exported} ${t('library.notice.skipped', { count: skipped })}`
        : exported;
    }
    case 'restored':
      return t('library.notice.restored', { count: notice.count });
    case 'removed':
      return t('library.notice.removed', { count: notice.count });
    case 'copied':
      return t('library.notice.copied');
    case 'tooMany':
      return t('library.notice.tooMany', { max: notice.max });
    case 'error':
      return t('library.notice.failed', { detail: describeError(t, notice.error) });
  }
}

/** One message, with its own Dismiss (and Undo, for a delete). */
function Toast({
  text,
  testId,
  error = false,
  onDismiss,
  children,
}: {
  text: string;
  testId: string;
  error?: boolean;
  onDismiss(): void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className={`library-toast${error ? ' error' : ''}`} data-testid={testId}>
      <span data-testid={`${testId}-text`}>{text}</span>
      {children}
      <button className="icon-button" aria-label={t('library.notice.dismiss')} onClick={onDismiss}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

/**
 * What the library's last actions did, at the foot of the view: "Deleted 3
 * results · Undo" (kept while the window is open, until undone or dismissed),
 * and what an export, copy or removal did, or why it failed. The viewer's
 * Delete shows the same.
 */
export function LibraryToast() {
  const { t } = useTranslation();
  const { undo, notice, undoDelete, dismissUndo, dismissNotice } = useApp((s) => ({
    undo: s.libraryUndo,
    notice: s.libraryNotice,
    undoDelete: s.undoLibraryDelete,
    dismissUndo: s.dismissLibraryUndo,
    dismissNotice: s.dismissLibraryNotice,
  }));
  const alarming = notice?.kind === 'error' || notice?.kind === 'tooMany';
  return (
    <div className="library-toasts">
      {/* Always in the page, so a screen reader hears what appears in it. */}
      <div role="status" className="library-toast-region">
        {undo && (
          <Toast
            text={t('library.notice.deleted', { count: undo.count })}
            testId="library-undo"
            onDismiss={dismissUndo}
          >
            <button
              className="primary"
              onClick={() => void undoDelete()}
              data-testid="library-undo-button"
            >
              {t('library.notice.undo')}
            </button>
          </Toast>
        )}
        {notice && !alarming && (
          <Toast text={noticeText(t, notice)} testId="library-notice" onDismiss={dismissNotice} />
        )}
      </div>
      <div role="alert" className="library-toast-region">
        {notice && alarming && (
          <Toast
            text={noticeText(t, notice)}
            testId="library-error"
            error
            onDismiss={dismissNotice}
          />
        )}
      </div>
    </div>
  );
}

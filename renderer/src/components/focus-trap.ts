import { useEffect, type KeyboardEvent, type RefObject } from 'react';

const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), [tabindex="0"]';

/** For a modal dialog's Tab key: Tab and Shift+Tab cycle within it. */
export function keepFocusInside(event: KeyboardEvent<HTMLElement>): void {
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  const inside = event.currentTarget.contains(document.activeElement);
  if (event.shiftKey && (document.activeElement === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * For a dialog: focuses `first` when it opens, and gives the focus back to
 * what had it (the button that opened it) when it closes.
 */
export function useFocusOnOpen(first: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    first.current?.focus();
    return () => opener?.focus();
    // Once per opening: the element focused first does not change meanwhile.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}

/**
 * A modal dialog's own keys: Tab and Shift+Tab stay inside, Escape closes it
 * (unless a control inside took the key). Returns `onKeyDown`.
 */
export const dialogKeys =
  (onClose: () => void) =>
  (event: KeyboardEvent<HTMLElement>): void => {
    if (event.key === 'Tab') return keepFocusInside(event);
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  };

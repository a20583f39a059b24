import type { KeyboardEvent } from 'react';

/**
 * Arrow keys, Home and End within a `role="tablist"`: move to the previous or
 * next tab and activate it (tabs here are cheap to show, so focus follows selection).
 */
export function onTablistKeyDown(event: KeyboardEvent<HTMLElement>): void {
  const tabs = [...event.currentTarget.querySelectorAll<HTMLElement>('[role="tab"]')];
  const index = tabs.indexOf(event.target as HTMLElement);
  if (index < 0 || tabs.length === 0) return;
  const vertical = event.currentTarget.getAttribute('aria-orientation') === 'vertical';
  const back = vertical ? 'ArrowUp' : 'ArrowLeft';
  const forward = vertical ? 'ArrowDown' : 'ArrowRight';
  let next: number;
  if (event.key === back) next = (index - 1 + tabs.length) % tabs.length;
  else if (event.key === forward) next = (index + 1) % tabs.length;
  else if (event.key === 'Home') next = 0;
  else if (event.key === 'End') next = tabs.length - 1;
  else return;
  event.preventDefault();
  tabs[next]?.focus();
  tabs[next]?.click();
}

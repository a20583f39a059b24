import { onTablistKeyDown } from './tablist-keys';

export interface SegmentedTabsProps<N extends string> {
  names: readonly N[];
  selected: N;
  onSelect(name: N): void;
  /** The tab list's accessible name. */
  label: string;
  /** What each tab says. */
  text(name: N): string;
  /** `data-testid` of each tab. */
  testId(name: N): string;
  className?: string;
  /** Gives each tab the id `<idPrefix><name>` (a tab panel's aria-labelledby). */
  idPrefix?: string;
  /** The id of the tab panel the tabs control. */
  controls?: string;
}

/**
 * A row of tabs (the style kinds, the Library's views, the viewer's modes):
 * one selected, arrow keys, Home and End move and select (onTablistKeyDown).
 */
export function SegmentedTabs<N extends string>(props: SegmentedTabsProps<N>) {
  const { names, selected } = props;
  return (
    <div
      className={props.className}
      role="tablist"
      aria-label={props.label}
      onKeyDown={onTablistKeyDown}
    >
      {names.map((name) => (
        <button
          key={name}
          role="tab"
          id={props.idPrefix === undefined ? undefined : `${props.idPrefix}${name}`}
          aria-selected={selected === name}
          aria-controls={props.controls}
          tabIndex={selected === name ? 0 : -1}
          className={selected === name ? 'selected' : undefined}
          onClick={() => props.onSelect(name)}
          data-testid={props.testId(name)}
        >
          {props.text(name)}
        </button>
      ))}
    </div>
  );
}

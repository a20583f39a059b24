/**
 * A viewer's ‹ › buttons: the previous and next of `count` items, `index`
 * the one shown (-1: not among them).
 */
export function StepButtons(props: {
  index: number;
  count: number;
  onStep(delta: -1 | 1): void;
  previousLabel: string;
  nextLabel: string;
}) {
  const { index, count, onStep } = props;
  return (
    <>
      <button
        onClick={() => onStep(-1)}
        disabled={index <= 0}
        aria-label={props.previousLabel}
        data-testid="viewer-previous"
      >
        <span aria-hidden="true">‹</span>
      </button>
      <button
        onClick={() => onStep(1)}
        disabled={index < 0 || index >= count - 1}
        aria-label={props.nextLabel}
        data-testid="viewer-next"
      >
        <span aria-hidden="true">›</span>
      </button>
    </>
  );
}

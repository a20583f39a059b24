import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** A part of the original, as fractions of its width and height. */
export interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const WHOLE_FRAME: Frame = { left: 0, top: 0, width: 1, height: 1 };

export interface CompareSliderProps {
  before: string;
  after: string;
  /** Accessible names of the two images. */
  beforeLabel: string;
  afterLabel: string;
  /** Width / height of the picture as sent (and of the stage). */
  aspect: number;
  /**
   * The part of `before` that was sent (a photo cut to the model's aspect
   * limit): only that part is shown, so before and after line up.
   */
  frame?: Frame;
}

const clamp = (value: number) => Math.min(100, Math.max(0, value));

/** The handle's size (batch.css `.compare-handle`). */
const HANDLE_PX = 40;

const STEPS: Record<string, (at: number, big: boolean) => number> = {
  ArrowLeft: (at, big) => at - (big ? 10 : 1),
  ArrowDown: (at, big) => at - (big ? 10 : 1),
  ArrowRight: (at, big) => at + (big ? 10 : 1),
  ArrowUp: (at, big) => at + (big ? 10 : 1),
  PageDown: (at) => at - 10,
  PageUp: (at) => at + 10,
  Home: () => 0,
  End: () => 100,
};

/**
 * Before/after on one picture: the result drawn over the original and
 * clipped at a vertical divider. The divider's handle is the slider (arrow
 * keys, Page Up/Down, Home/End); the picture takes the mouse: press anywhere
 * to move the divider there, and drag it.
 */
export function CompareSlider(props: CompareSliderProps) {
  const { before, after, beforeLabel, afterLabel, aspect, frame = WHOLE_FRAME } = props;
  const { t } = useTranslation();
  const [position, setPosition] = useState(50);
  const stage = useRef<HTMLDivElement>(null);
  const handle = useRef<HTMLDivElement>(null);

  const follow = (event: PointerEvent<HTMLDivElement>) => {
    const box = stage.current?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    setPosition(clamp(Math.round(((event.clientX - box.left) / box.width) * 100)));
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    handle.current?.focus();
    follow(event);
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (event.currentTarget.hasPointerCapture(event.pointerId)) follow(event);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = STEPS[event.key];
    if (!step) return;
    // The viewer steps photos with the arrows; on the slider they move the divider.
    event.stopPropagation();
    event.preventDefault();
    setPosition((at) => clamp(Math.round(step(at, event.shiftKey))));
  };

  return (
    <figure className="compare" data-testid="compare">
      <div
        ref={stage}
        className="compare-stage"
        style={{ aspectRatio: `${aspect}`, ['--compare-aspect' as string]: `${aspect}` }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        data-testid="compare-stage"
      >
        <img
          src={before}
          alt={beforeLabel}
          className="compare-before"
          draggable={false}
          style={{
            left: `${(-frame.left / frame.width) * 100}%`,
            top: `${(-frame.top / frame.height) * 100}%`,
            width: `${100 / frame.width}%`,
            height: `${100 / frame.height}%`,
          }}
          data-testid="compare-before"
        />
        <img
          src={after}
          alt={afterLabel}
          className="compare-after"
          draggable={false}
          style={{ clipPath: `inset(0 0 0 ${position}%)` }}
          data-testid="compare-after"
        />
        <span className="compare-tag compare-tag-before" aria-hidden="true">
          {beforeLabel}
        </span>
        <span className="compare-tag compare-tag-after" aria-hidden="true">
          {afterLabel}
        </span>
        <div className="compare-divider" style={{ left: `${position}%` }} aria-hidden="true" />
        <div
          ref={handle}
          role="slider"
          tabIndex={0}
          aria-label={t('batch.compare.label')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={position}
          aria-valuetext={t('batch.compare.value', { percent: Math.round(position) })}
          aria-orientation="horizontal"
          className="compare-handle"
          // On the divider, kept whole inside the picture at either end.
          style={{
            left: `clamp(${HANDLE_PX / 2}px, ${position}%, calc(100% - ${HANDLE_PX / 2}px))`,
          }}
          onKeyDown={onKeyDown}
          data-testid="compare-handle"
        >
          <span aria-hidden="true">‹ ›</span>
        </div>
      </div>
    </figure>
  );
}

import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  panBy,
  pannable,
  percentOf,
  placement,
  zoomAt,
  ZOOM_STEP,
  type Size,
  type ZoomView,
} from './viewer-zoom';

export interface ZoomPaneProps {
  src: string;
  /** The image's name, for its accessible label. */
  name: string;
  /** The image's pixels (the result's width and height). */
  size: Size;
  view: ZoomView;
  onView(view: ZoomView): void;
  /** The stage's size, for the viewer's Fit / 100 % / +/- controls. */
  onMeasure?(stage: Size): void;
  testId: string;
}

/** How far an arrow key moves a zoomed image, stage px. */
const KEY_PAN = 60;

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [KEY_PAN, 0],
  ArrowRight: [-KEY_PAN, 0],
  ArrowUp: [0, KEY_PAN],
  ArrowDown: [0, -KEY_PAN],
};

/**
 * One image that zooms (the wheel, around the cursor) and pans (a drag, or the
 * arrow keys while it is larger than its stage), following a view it shares
 * with any other pane given the same one.
 */
export function ZoomPane({ src, name, size, view, onView, onMeasure, testId }: ZoomPaneProps) {
  const { t } = useTranslation();
  const stageRef = useRef<HTMLDivElement>(null);
  const [stage, setStage] = useState<Size>({ width: 0, height: 0 });
  /** The source that failed to load (another source tries again). */
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const failed = failedSrc === src;
  const drag = useRef<{ x: number; y: number } | null>(null);
  // The wheel handler is attached once; it reads the latest values here.
  const latest = useRef({ view, stage, size, onView });
  useEffect(() => {
    latest.current = { view, stage, size, onView };
  });

  useEffect(() => {
    const element = stageRef.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const measured = { width: entry.contentRect.width, height: entry.contentRect.height };
      setStage(measured);
      onMeasure?.(measured);
    });
    observer.observe(element);
    // React's wheel listener is passive: this one must prevent the page's scroll.
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { view: now, stage: box, size: image, onView: change } = latest.current;
      const rect = element.getBoundingClientRect();
      const factor = event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP;
      const at = { x: event.clientX - rect.left, y: event.clientY - rect.top };
      change(zoomAt(now, factor, at, box, image));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      observer.disconnect();
      element.removeEventListener('wheel', onWheel);
    };
  }, [onMeasure]);

  const place = placement(view, stage, size);
  const percent = percentOf(view, stage, size);
  const canPan = pannable(view, stage, size);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 || !canPan) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, y: event.clientY };
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const from = drag.current;
    if (!from || !event.currentTarget.hasPointerCapture(event.pointerId)) return;
    drag.current = { x: event.clientX, y: event.clientY };
    onView(panBy(view, event.clientX - from.x, event.clientY - from.y, stage, size));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = ARROWS[event.key];
    // Not zoomed in, the arrows are the viewer's (previous, next).
    if (!step || !canPan) return;
    event.preventDefault();
    event.stopPropagation();
    onView(panBy(view, step[0], step[1], stage, size));
  };

  return (
    <div
      ref={stageRef}
      className={`zoom-pane${canPan ? ' pannable' : ''}`}
      role="group"
      tabIndex={0}
      aria-label={t('viewer.zoom.pane', { name, percent })}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
      data-testid={testId}
      data-zoom={percent}
      data-x={Math.round(place.x)}
      data-y={Math.round(place.y)}
    >
      {failed ? (
        <p className="viewer-missing" role="status">
          {t('viewer.unloadable')}
        </p>
      ) : (
        stage.width > 0 && (
          <img
            src={src}
            alt={name}
            draggable={false}
            onError={() => setFailedSrc(src)}
            style={{
              left: place.x,
              top: place.y,
              width: size.width * place.scale,
              height: size.height * place.scale,
            }}
          />
        )
      )}
    </div>
  );
}

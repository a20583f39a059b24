// The viewer's zoom and pan: fit, 100 %, a wheel notch around the cursor, a
// drag, and one view shared by two panes whose images differ in pixels.
import { describe, expect, it } from 'vitest';
import {
  actualSize,
  FIT,
  fitScale,
  panBy,
  pannable,
  percentOf,
  placement,
  zoomAt,
  ZOOM_STEP,
  type Size,
} from '../../../renderer/src/views/library/viewer-zoom';

const stage: Size = { width: 800, height: 600 };
const image: Size = { width: 1600, height: 1200 };

/** The image pixel drawn at a stage point. */
const imagePointAt = (view: typeof FIT, at: { x: number; y: number }, img = image) => {
  const p = placement(view, stage, img);
  return { u: (at.x - p.x) / p.scale, v: (at.y - p.y) / p.scale };
};

describe('viewer zoom', () => {
  it('fits the whole image, centred, and says its percent', () => {
    expect(fitScale(stage, image)).toBe(0.5);
    expect(placement(FIT, stage, image)).toEqual({ x: 0, y: 0, scale: 0.5 });
    expect(percentOf(FIT, stage, image)).toBe(50);
    expect(pannable(FIT, stage, image)).toBe(false);
    // A wide image on a tall stage: centred vertically.
    const wide = placement(FIT, stage, { width: 1600, height: 400 });
    expect(wide).toEqual({ x: 0, y: 200, scale: 0.5 });
  });

  it('100 % is one image pixel per screen pixel, and can be panned', () => {
    const view = actualSize(FIT, stage, image);
    expect(percentOf(view, stage, image)).toBe(100);
    expect(placement(view, stage, image)).toEqual({ x: -400, y: -300, scale: 1 });
    expect(pannable(view, stage, image)).toBe(true);
  });

  it('a small image fits at its own size or larger, and 100 % is smaller than fit', () => {
    const small = { width: 400, height: 300 };
    expect(percentOf(FIT, stage, small)).toBe(200);
    expect(percentOf(actualSize(FIT, stage, small), stage, small)).toBe(100);
  });

  it('a wheel notch keeps the point under the cursor where it was', () => {
    const cursor = { x: 200, y: 150 };
    const before = imagePointAt(FIT, cursor);
    const zoomed = zoomAt(FIT, ZOOM_STEP * ZOOM_STEP, cursor, stage, image);
    expect(zoomed.zoom).toBeCloseTo(ZOOM_STEP * ZOOM_STEP);
    const after = imagePointAt(zoomed, cursor);
    expect(after.u).toBeCloseTo(before.u);
    expect(after.v).toBeCloseTo(before.v);
    // And back out: fit again, centred.
    const out = zoomAt(zoomed, 1 / 100, cursor, stage, image);
    expect(out).toEqual(FIT);
  });

  it('never zooms past 800 % nor shows a gap at an edge when panned', () => {
    const deep = zoomAt(FIT, 1000, { x: 400, y: 300 }, stage, image);
    expect(percentOf(deep, stage, image)).toBe(800);
    const view = actualSize(FIT, stage, image);
    // Dragged far right: the image's left edge stops at the stage's left edge.
    const dragged = panBy(view, 5000, 0, stage, image);
    expect(placement(dragged, stage, image).x).toBeCloseTo(0);
    const back = panBy(dragged, -100, 0, stage, image);
    expect(placement(back, stage, image).x).toBeCloseTo(-100);
  });

  it('one view shows the same part of two images of one photo with different pixels', () => {
    const other: Size = { width: 1024, height: 768 };
    const view = zoomAt(FIT, 3, { x: 100, y: 500 }, stage, image);
    const a = imagePointAt(view, { x: 400, y: 300 });
    const b = imagePointAt(view, { x: 400, y: 300 }, other);
    expect(a.u / image.width).toBeCloseTo(b.u / other.width);
    expect(a.v / image.height).toBeCloseTo(b.v / other.height);
  });
});

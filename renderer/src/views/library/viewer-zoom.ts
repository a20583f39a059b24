/**
 * The viewer's zoom and pan, as plain numbers (no DOM), so two panes showing
 * results of one photo can share one view however many pixels each has.
 *
 * A view is a zoom relative to "fit" (1: the whole image fits the stage) and
 * the point of the image at the stage's centre, as fractions of the image's
 * width and height. Each pane turns it into its own placement.
 */
export interface ZoomView {
  /** 1 = fit; 2 = twice the fit size. */
  zoom: number;
  /** The image point at the stage's centre, 0-1 of its width and height. */
  cx: number;
  cy: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Where the image is drawn in the stage: top-left corner and scale (stage px per image px). */
export interface Placement {
  x: number;
  y: number;
  scale: number;
}

export const FIT: ZoomView = { zoom: 1, cx: 0.5, cy: 0.5 };

/** The most one may zoom in, in image pixels per screen pixel (8 = 800 %). */
export const MAX_SCALE = 8;
/** Each +/- key or wheel notch. */
export const ZOOM_STEP = 1.25;

/** Stage px per image px at fit: the whole image in the stage. */
export function fitScale(stage: Size, image: Size): number {
  if (image.width <= 0 || image.height <= 0 || stage.width <= 0 || stage.height <= 0) return 1;
  return Math.min(stage.width / image.width, stage.height / image.height);
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** The highest zoom (relative to fit) this image allows on this stage. */
export function maxZoom(stage: Size, image: Size): number {
  return Math.max(1, MAX_SCALE / fitScale(stage, image));
}

/**
 * The centre kept where the image still covers the stage: a side of the image
 * smaller than the stage is centred, a larger one never shows a gap at its edge.
 */
function clampCentre(view: ZoomView, stage: Size, image: Size): ZoomView {
  const scale = fitScale(stage, image) * view.zoom;
  const along = (centre: number, stageLength: number, imageLength: number) => {
    const drawn = imageLength * scale;
    if (drawn <= stageLength) return 0.5;
    const half = stageLength / 2 / drawn;
    return clamp(centre, half, 1 - half);
  };
  return {
    zoom: view.zoom,
    cx: along(view.cx, stage.width, image.width),
    cy: along(view.cy, stage.height, image.height),
  };
}

/** The lowest zoom: fit, or 100 % when fitting enlarges a small image. */
export function minZoom(stage: Size, image: Size): number {
  return Math.min(1, 1 / fitScale(stage, image));
}

/** A view made valid for this stage and image: zoom within its bounds, no gaps. */
export function normalize(view: ZoomView, stage: Size, image: Size): ZoomView {
  const zoom = clamp(view.zoom, minZoom(stage, image), maxZoom(stage, image));
  return clampCentre({ ...view, zoom }, stage, image);
}

/** Where a pane draws its image for a view. */
export function placement(view: ZoomView, stage: Size, image: Size): Placement {
  const valid = normalize(view, stage, image);
  const scale = fitScale(stage, image) * valid.zoom;
  return {
    x: stage.width / 2 - valid.cx * image.width * scale,
    y: stage.height / 2 - valid.cy * image.height * scale,
    scale,
  };
}

/** The view at 100 %: one image pixel per screen pixel, around the same centre. */
export function actualSize(view: ZoomView, stage: Size, image: Size): ZoomView {
  return normalize({ ...view, zoom: 1 / fitScale(stage, image) }, stage, image);
}

/**
 * Zooms by `factor` keeping the image point under `at` (stage px; the wheel's
 * cursor, or the stage's centre for the keys) where it is.
 */
export function zoomAt(
  view: ZoomView,
  factor: number,
  at: Point,
  stage: Size,
  image: Size,
): ZoomView {
  const before = placement(view, stage, image);
  const zoom = clamp(
    normalize(view, stage, image).zoom * factor,
    minZoom(stage, image),
    maxZoom(stage, image),
  );
  const scale = fitScale(stage, image) * zoom;
  // The image point under the cursor, in image px; it stays under the cursor.
  const u = (at.x - before.x) / before.scale;
  const v = (at.y - before.y) / before.scale;
  const x = at.x - u * scale;
  const y = at.y - v * scale;
  return normalize(
    {
      zoom,
      cx: (stage.width / 2 - x) / (image.width * scale),
      cy: (stage.height / 2 - y) / (image.height * scale),
    },
    stage,
    image,
  );
}

/** Moves the image by `dx`, `dy` stage px (a drag: the picture follows the pointer). */
export function panBy(view: ZoomView, dx: number, dy: number, stage: Size, image: Size): ZoomView {
  const scale = fitScale(stage, image) * normalize(view, stage, image).zoom;
  return normalize(
    {
      ...view,
      cx: view.cx - dx / (image.width * scale),
      cy: view.cy - dy / (image.height * scale),
    },
    stage,
    image,
  );
}

/** The zoom shown to the user: image pixels per screen pixel, as a whole percent. */
export function percentOf(view: ZoomView, stage: Size, image: Size): number {
  return Math.round(placement(view, stage, image).scale * 100);
}

/** Whether the image is larger than the stage (a drag or the arrow keys can move it). */
export function pannable(view: ZoomView, stage: Size, image: Size): boolean {
  const { scale } = placement(view, stage, image);
  return image.width * scale > stage.width + 0.5 || image.height * scale > stage.height + 0.5;
}

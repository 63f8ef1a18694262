import {
  useCallback,
  useEffect,
  useMemo,
  useState,
  type MouseEvent,
  type PointerEvent,
} from 'react';

/** Where the drawing sits in its frame: screen = k · drawing + (x, y). */
export interface ViewTransform {
  k: number;
  x: number;
  y: number;
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

const MIN_K = 0.2;
const MAX_K = 8;
const STEP = 1.5;
/** A press that moves less than this is a click, not a drag. */
const CLICK_SLOP = 4;

export interface FitOptions {
  /** Room left at the frame's edges, in pixels. */
  pad?: number;
  /** How far fitting may zoom in (a few nodes should not fill a wall screen). */
  maxK?: number;
  /**
   * Fit the width only and start at the top: a tall grid of branches on a phone stays readable
   * and is dragged through, instead of shrinking to specks.
   */
  widthOnly?: boolean;
}

/** The transform that shows `bounds` whole and centred in a `width`×`height` frame. */
export function fitTransform(
  bounds: Bounds,
  width: number,
  height: number,
  { pad = 24, maxK = MAX_K, widthOnly = false }: FitOptions = {},
): ViewTransform {
  const kx = (width - 2 * pad) / Math.max(bounds.width, 1);
  const ky = (height - 2 * pad) / Math.max(bounds.height, 1);
  const k = clamp(widthOnly ? kx : Math.min(kx, ky), MIN_K, maxK);
  const tall = widthOnly && k * bounds.height > height - 2 * pad;
  return {
    k,
    x: width / 2 - k * (bounds.x + bounds.width / 2),
    y: tall ? pad - k * bounds.y : height / 2 - k * (bounds.y + bounds.height / 2),
  };
}

/** Zooms by `factor` keeping the frame point (cx, cy) where it is. */
export function zoomAround(
  view: ViewTransform,
  factor: number,
  cx: number,
  cy: number,
  maxK = MAX_K,
): ViewTransform {
  const k = clamp(view.k * factor, MIN_K, maxK);
  const f = k / view.k;
  return { k, x: cx - f * (cx - view.x), y: cy - f * (cy - view.y) };
}

/**
 * Pan (drag) and zoom (wheel, buttons) for an SVG drawing, like a map app: the wheel zooms
 * around the pointer, a drag moves the drawing, and a drag never counts as a click on what it
 * started on. The view follows the fit of `bounds` (as they or the frame change) until the
 * person moves it; `fit` goes back to following.
 */
/** `maxK`: the closest zoom (a world map needs far more than a graph); `fit`: how to fit. */
export function usePanZoom(
  bounds: Bounds,
  width: number,
  height: number,
  { maxK = MAX_K, fit = {} }: { maxK?: number; fit?: FitOptions } = {},
) {
  const { pad, maxK: fitMaxK, widthOnly } = fit;
  const fitted = useMemo(
    () => fitTransform(bounds, width, height, { pad, maxK: fitMaxK ?? maxK, widthOnly }),
    [bounds, width, height, pad, fitMaxK, maxK, widthOnly],
  );
  // Null until the person moves the view: until then it follows the fit.
  const [moved, setMoved] = useState<ViewTransform | null>(null);
  const view = moved ?? fitted;
  const [frame, setFrame] = useState<SVGSVGElement | null>(null);
  const [drag, setDrag] = useState<{ id: number; x: number; y: number; moved: boolean } | null>(
    null,
  );
  const [suppressClick, setSuppressClick] = useState(false);

  const zoom = useCallback(
    (factor: number, cx = width / 2, cy = height / 2) =>
      setMoved((v) => zoomAround(v ?? fitted, factor, cx, cy, maxK)),
    [width, height, fitted, maxK],
  );

  // React's onWheel is passive: preventDefault (no page scroll) needs a listener of our own.
  useEffect(() => {
    if (frame === null) return undefined;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const box = frame.getBoundingClientRect();
      zoom(Math.exp(-event.deltaY / 300), event.clientX - box.left, event.clientY - box.top);
    };
    frame.addEventListener('wheel', onWheel, { passive: false });
    return () => frame.removeEventListener('wheel', onWheel);
  }, [frame, zoom]);

  const handlers = {
    ref: setFrame,
    onPointerDown: (event: PointerEvent<SVGSVGElement>) => {
      if (event.button !== 0) return;
      setDrag({ id: event.pointerId, x: event.clientX, y: event.clientY, moved: false });
    },
    onPointerMove: (event: PointerEvent<SVGSVGElement>) => {
      if (drag === null || drag.id !== event.pointerId) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < CLICK_SLOP) return;
      if (!drag.moved) event.currentTarget.setPointerCapture(event.pointerId);
      setDrag({ id: drag.id, x: event.clientX, y: event.clientY, moved: true });
      setMoved((v) => {
        const from = v ?? fitted;
        return { ...from, x: from.x + dx, y: from.y + dy };
      });
    },
    onPointerUp: (event: PointerEvent<SVGSVGElement>) => {
      if (drag?.id !== event.pointerId) return;
      setSuppressClick(drag.moved);
      setDrag(null);
    },
    // A drag that ends on a node must not select it.
    onClickCapture: (event: MouseEvent<SVGSVGElement>) => {
      if (!suppressClick) return;
      event.stopPropagation();
      setSuppressClick(false);
    },
  };

  return {
    view,
    handlers,
    fit: () => setMoved(null),
    zoomIn: () => zoom(STEP),
    zoomOut: () => zoom(1 / STEP),
    /** Shows `area` (drawing coordinates) whole: a cluster opened on the geographic map. */
    show: (area: Bounds) => setMoved(fitTransform(area, width, height, { pad: 48, maxK })),
  };
}

export type PanZoom = ReturnType<typeof usePanZoom>;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * The one pixel-window type used everywhere in co2sat: GDAL's `-srcwin xoff yoff xsize
 * ysize` convention, as written in the manifest. Offsets may be negative or reach past the
 * raster (the part outside is filled with nodata).
 */
export interface Window {
  /** Column of the window's left edge, in source pixels (may be < 0). */
  xoff: number;
  /** Row of the window's top edge, in source pixels (may be < 0). */
  yoff: number;
  width: number;
  height: number;
}

/** geotiff.js-style [left, top, right, bottom) bounds of a window, right/bottom exclusive. */
export function windowToBounds(w: Window): [number, number, number, number] {
  return [w.xoff, w.yoff, w.xoff + w.width, w.yoff + w.height];
}

/** The part of `w` inside a raster of `width` × `height`, or null when they do not overlap. */
export function clipWindow(w: Window, width: number, height: number): Window | null {
  const x0 = Math.max(0, w.xoff);
  const y0 = Math.max(0, w.yoff);
  const x1 = Math.min(width, w.xoff + w.width);
  const y1 = Math.min(height, w.yoff + w.height);
  if (x1 <= x0 || y1 <= y0) return null;
  return { xoff: x0, yoff: y0, width: x1 - x0, height: y1 - y0 };
}

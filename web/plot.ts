/**
 * Axes for the viewer's canvases: a plot area with ticks, tick labels and axis titles with
 * units, and the mappings from data to pixels.
 * @module
 */

/** What one plot shows on each axis. @example `{ x: [0, 500], y: [0, 80], xLabel: 'time (ms)', yLabel: 'rate (spikes/s)' }` */
export interface AxesSpec {
  /** Data range on x, left to right. */
  x: [number, number];
  /** Data range on y, bottom to top. */
  y: [number, number];
  xLabel: string;
  yLabel: string;
  /** Ticks to draw instead of the automatic ones: `[value, label]`. */
  yTicks?: Array<[number, string]>;
  xTicks?: Array<[number, string]>;
  title?: string;
}

/** A plot area and its mappings. @example `ax.ctx.lineTo(ax.sx(t), ax.sy(v))` */
export interface Axes {
  ctx: CanvasRenderingContext2D;
  /** Plot area in canvas pixels. */
  left: number;
  top: number;
  width: number;
  height: number;
  sx(v: number): number;
  sy(v: number): number;
}

/** Space around the plot area of every canvas, in pixels. @example `canvas.width - MARGIN.left - MARGIN.right` */
export const MARGIN = { left: 58, right: 12, top: 20, bottom: 36 } as const;
const INK = '#222';

/**
 * Round tick values covering [lo, hi] (1, 2, 5 × 10^k steps), about `n` of them.
 * @example
 * ```ts
 * niceTicks(0, 1000, 5); // [0, 200, 400, 600, 800, 1000]
 * ```
 */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Short text for a tick value. @example `fmt(12000) // '12k'` */
export function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 10000) return `${(v / 1000).toFixed(0)}k`;
  if (a >= 100 || v === Math.round(v)) return v.toFixed(0);
  if (a >= 1) return v.toFixed(1);
  return v.toPrecision(2);
}

/**
 * The plot area of `canvas` in pixels (what {@link drawAxes} will use), to render pictures at its size.
 * @example
 * ```ts
 * const { width, height } = plotArea(canvas);
 * ```
 */
export function plotArea(canvas: HTMLCanvasElement): { width: number; height: number } {
  return { width: canvas.width - MARGIN.left - MARGIN.right, height: canvas.height - MARGIN.top - MARGIN.bottom };
}

/**
 * Clears `canvas` and draws the axes of `spec`.
 * @example
 * ```ts
 * const ax = drawAxes(canvas, { x: [0, 500], y: [0, 80], xLabel: 'time (ms)', yLabel: 'rate (spikes/s)' });
 * ctx.lineTo(ax.sx(t), ax.sy(r));
 * ```
 */
export function drawAxes(canvas: HTMLCanvasElement, spec: AxesSpec): Axes {
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const left = MARGIN.left;
  const top = MARGIN.top;
  const width = canvas.width - MARGIN.left - MARGIN.right;
  const height = canvas.height - MARGIN.top - MARGIN.bottom;
  const [x0, x1] = spec.x;
  const [y0, y1] = spec.y;
  const sx = (v: number) => left + ((v - x0) / (x1 - x0 || 1)) * width;
  const sy = (v: number) => top + height - ((v - y0) / (y1 - y0 || 1)) * height;
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.lineWidth = 1;
  ctx.font = '11px system-ui, sans-serif';
  ctx.beginPath();
  ctx.moveTo(left - 0.5, top);
  ctx.lineTo(left - 0.5, top + height + 0.5);
  ctx.lineTo(left + width, top + height + 0.5);
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const [v, label] of spec.xTicks ?? niceTicks(x0, x1).map((v) => [v, fmt(v)] as [number, string])) {
    const x = Math.round(sx(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, top + height);
    ctx.lineTo(x, top + height + 4);
    ctx.stroke();
    ctx.fillText(label, x, top + height + 6);
  }
  ctx.fillText(spec.xLabel, left + width / 2, top + height + 20);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const [v, label] of spec.yTicks ?? niceTicks(y0, y1, 4).map((v) => [v, fmt(v)] as [number, string])) {
    const y = Math.round(sy(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left - 4, y);
    ctx.lineTo(left, y);
    ctx.stroke();
    ctx.fillText(label, left - 6, y);
  }
  ctx.save();
  ctx.translate(12, top + height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(spec.yLabel, 0, 0);
  ctx.restore();
  if (spec.title) {
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText(spec.title, left, 3);
  }
  return { ctx, left, top, width, height, sx, sy };
}

/**
 * Draws a picture into the plot area (smoothing off for few pixels, on when shrinking).
 * @example
 * ```ts
 * fillImage(ax, reply.bitmap!);
 * ```
 */
export function fillImage(ax: Axes, bitmap: ImageBitmap): void {
  ax.ctx.imageSmoothingEnabled = bitmap.width > ax.width || bitmap.height > ax.height;
  ax.ctx.drawImage(bitmap, ax.left, ax.top, ax.width, ax.height);
  bitmap.close();
}

/**
 * A polyline of `ys` at `xs` (NaN breaks the line).
 * @example
 * ```ts
 * polyline(ax, times, rates, '#31688e');
 * ```
 */
export function polyline(ax: Axes, xs: ArrayLike<number>, ys: ArrayLike<number>, colour: string, width = 1.25): void {
  const { ctx } = ax;
  ctx.save();
  ctx.beginPath();
  ctx.rect(ax.left, ax.top, ax.width, ax.height);
  ctx.clip();
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      pen = false;
      continue;
    }
    if (pen) ctx.lineTo(ax.sx(xs[i]), ax.sy(y));
    else ctx.moveTo(ax.sx(xs[i]), ax.sy(y));
    pen = true;
  }
  ctx.stroke();
  ctx.restore();
}

/**
 * The colour scale of a heat map, as text above the plot area's right end.
 * @example
 * ```ts
 * colourBarLabel(ax, reply.lo, reply.hi, 'dB');
 * ```
 */
export function colourBarLabel(ax: Axes, lo: number, hi: number, unit: string): void {
  const { ctx } = ax;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillStyle = INK;
  ctx.fillText(`colour: ${fmt(lo)} … ${fmt(hi)} ${unit}`, ax.left + ax.width, 3);
}

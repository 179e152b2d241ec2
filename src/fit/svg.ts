/**
 * Inline SVG charts of the fit report (docs/fit.md): line plots and histograms with labelled
 * axes. Plain strings, no DOM, so the report builds in Node and in browsers alike.
 * @module
 */

/** Escapes text for HTML/SVG. @example `esc('a<b') // 'a&lt;b'` */
export const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const raw = span / 5, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) as number;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) out.push(Math.abs(v) < 1e-12 * step ? 0 : v);
  return out;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) < 0.01 ? v.toPrecision(2) : String(Number(v.toPrecision(3))));

/** A chart frame: axes, ticks, labels; returns the SVG head and the data → pixel maps. */
function frame(o: { width: number; height: number; x: [number, number]; y: [number, number]; xLabel: string; yLabel: string; title: string; top?: number }) {
  const m = { l: 56, r: 12, t: o.top ?? 24, b: 40 };
  const w = o.width - m.l - m.r, h = o.height - m.t - m.b;
  const px = (v: number) => m.l + ((v - o.x[0]) / (o.x[1] - o.x[0] || 1)) * w;
  const py = (v: number) => m.t + h - ((v - o.y[0]) / (o.y[1] - o.y[0] || 1)) * h;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}" viewBox="0 0 ${o.width} ${o.height}" font-family="sans-serif" font-size="11">`,
    `<text x="${m.l}" y="15" font-weight="bold">${esc(o.title)}</text>`,
    `<line x1="${m.l}" y1="${m.t + h}" x2="${m.l + w}" y2="${m.t + h}" stroke="#333"/><line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${m.t + h}" stroke="#333"/>`,
    ...ticks(o.x[0], o.x[1]).map((v) => `<line x1="${px(v)}" y1="${m.t + h}" x2="${px(v)}" y2="${m.t + h + 4}" stroke="#333"/><text x="${px(v)}" y="${m.t + h + 15}" text-anchor="middle">${fmt(v)}</text>`),
    ...ticks(o.y[0], o.y[1]).map((v) => `<line x1="${m.l - 4}" y1="${py(v)}" x2="${m.l}" y2="${py(v)}" stroke="#333"/><text x="${m.l - 6}" y="${py(v) + 4}" text-anchor="end">${fmt(v)}</text>`),
    `<text x="${m.l + w / 2}" y="${o.height - 6}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(14 ${m.t + h / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  ];
  return { parts, px, py };
}

/**
 * Line chart of several series over a shared x axis (NaN values break the line).
 * @example
 * ```ts
 * lineChart({ x: [0, 5, 10], series: [{ y: [1, 2, 1], colour: '#000', label: 'recorded' }], xLabel: 'time (ms)', yLabel: 'spikes/bin', title: 'n3' });
 * ```
 */
export function lineChart(o: {
  x: ArrayLike<number>; series: { y: ArrayLike<number>; colour: string; label: string }[]; xLabel: string; yLabel: string; title: string; width?: number; height?: number;
}): string {
  const all = o.series.flatMap((s) => Array.from(s.y).filter(Number.isFinite));
  const lo = Math.min(0, ...all), hi = Math.max(...all, lo + 1e-9);
  const f = frame({ width: o.width ?? 520, height: o.height ?? 210, x: [o.x[0], o.x[o.x.length - 1]], y: [lo, hi], xLabel: o.xLabel, yLabel: o.yLabel, title: o.title, top: 38 });
  o.series.forEach((s, k) => {
    const segs: string[][] = [[]];
    for (let i = 0; i < s.y.length; i++) {
      if (Number.isFinite(s.y[i])) segs[segs.length - 1].push(`${f.px(o.x[i]).toFixed(1)},${f.py(s.y[i]).toFixed(1)}`);
      else if (segs[segs.length - 1].length) segs.push([]);
    }
    for (const seg of segs) if (seg.length) f.parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="${k === 0 ? 1 : 1.6}" points="${seg.join(' ')}"/>`);
    const lx = (o.width ?? 520) - 130 * (o.series.length - k); // legend on its own line below the title
    f.parts.push(`<line x1="${lx}" y1="25" x2="${lx + 20}" y2="25" stroke="${s.colour}" stroke-width="2"/><text x="${lx + 25}" y="29">${esc(s.label)}</text>`);
  });
  return `${f.parts.join('')}</svg>`;
}

/**
 * Histogram of the finite values, `bins` equal bins over their range (or `range`).
 * @example
 * ```ts
 * histogram({ values: ccNorm, bins: 10, xLabel: 'CCnorm', title: 'CCnorm (test split)' });
 * ```
 */
export function histogram(o: { values: ArrayLike<number>; bins: number; xLabel: string; title: string; range?: [number, number]; width?: number; height?: number }): string {
  const v = Array.from(o.values).filter(Number.isFinite);
  const [lo, hi] = o.range ?? [Math.min(...v, 0), Math.max(...v, 1e-9)];
  const counts = new Array<number>(o.bins).fill(0);
  for (const x of v) counts[Math.min(o.bins - 1, Math.max(0, Math.floor(((x - lo) / (hi - lo || 1)) * o.bins)))]++;
  const f = frame({ width: o.width ?? 300, height: o.height ?? 200, x: [lo, hi], y: [0, Math.max(1, ...counts)], xLabel: o.xLabel, yLabel: 'neurons', title: o.title });
  const bw = (hi - lo) / o.bins;
  counts.forEach((c, i) => {
    const x0 = f.px(lo + i * bw), x1 = f.px(lo + (i + 1) * bw), y = f.py(c), y0 = f.py(0);
    f.parts.push(`<rect x="${(x0 + 0.5).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, x1 - x0 - 1).toFixed(1)}" height="${(y0 - y).toFixed(1)}" fill="#3b528b"/>`);
  });
  return `${f.parts.join('')}</svg>`;
}

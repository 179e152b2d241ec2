/**
 * The quality panel: SNR and CCmax histograms (every neuron light, the selected ones dark, the
 * current one as a red line) and a sortable table of the neurons' metadata and quality.
 * @module
 */
import type { NeuralDataset } from '../src/contract/neural-dataset.js';
import type { Meta } from '../src/contract/types.js';
import { viridisCss } from './colormap.js';
import { drawAxes, fmt } from './plot.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The per-neuron numbers the panel shows (from `computeNeuronQuality`). @example `{ snr: Float64Array.from(q.snr.data), ccmax: Float64Array.from(q.ccmax.data) }` */
export interface QualityValues {
  snr: Float64Array;
  ccmax: Float64Array;
}

/** Metadata keys worth a column or a filter: primitive values, at least one present. @example `primitiveKeys(ds.nrnMeta, 5) // ['cellId', 'area', …]` */
export function primitiveKeys(metas: readonly Meta[], limit: number): string[] {
  const keys: string[] = [];
  for (const m of metas) {
    for (const [k, v] of Object.entries(m)) {
      if (!keys.includes(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) keys.push(k);
    }
    if (keys.length >= 4 * limit) break;
  }
  return keys.filter((k) => k !== 'snr' && k !== 'ccmax').slice(0, limit);
}

function histogram(canvas: HTMLCanvasElement, all: Float64Array, selected: Set<number>, current: number, xLabel: string): void {
  const finite = [...all].filter(Number.isFinite);
  if (!finite.length) {
    drawAxes(canvas, { x: [0, 1], y: [0, 1], xLabel, yLabel: 'neurons', title: 'no finite values' });
    canvas.dataset.drawn = `${current}`;
    return;
  }
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi <= lo) hi = lo + 1;
  const bins = 20;
  const width = (hi - lo) / bins;
  const allCounts = new Array<number>(bins).fill(0);
  const selCounts = new Array<number>(bins).fill(0);
  all.forEach((v, n) => {
    if (!Number.isFinite(v)) return;
    const b = Math.min(bins - 1, Math.floor((v - lo) / width));
    allCounts[b]++;
    if (selected.has(n)) selCounts[b]++;
  });
  const top = Math.max(...allCounts);
  const ax = drawAxes(canvas, {
    x: [lo, hi], y: [0, top], xLabel, yLabel: 'neurons',
    title: `${finite.length} neurons · dark: ${selected.size} selected`,
  });
  const { ctx } = ax;
  for (let b = 0; b < bins; b++) {
    const x0 = ax.sx(lo + b * width);
    const x1 = ax.sx(lo + (b + 1) * width);
    ctx.fillStyle = viridisCss(0.85);
    ctx.fillRect(x0 + 0.5, ax.sy(allCounts[b]), x1 - x0 - 1, ax.sy(0) - ax.sy(allCounts[b]));
    ctx.fillStyle = viridisCss(0.3);
    ctx.fillRect(x0 + 0.5, ax.sy(selCounts[b]), x1 - x0 - 1, ax.sy(0) - ax.sy(selCounts[b]));
  }
  const v = all[current];
  if (Number.isFinite(v)) {
    ctx.strokeStyle = '#d62728';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(ax.sx(v), ax.top);
    ctx.lineTo(ax.sx(v), ax.top + ax.height);
    ctx.stroke();
  }
  canvas.dataset.drawn = `${current}`;
}

/**
 * Draws both histograms for the current neuron.
 * @example
 * ```ts
 * drawHistograms(ds, q, n);
 * ```
 */
export function drawHistograms(ds: NeuralDataset, q: QualityValues, n: number): void {
  const sel = new Set(ds.selectedNeurons());
  histogram($('snr-hist'), q.snr, sel, n, 'SNR (signal / noise power)');
  histogram($('ccmax-hist'), q.ccmax, sel, n, 'CCmax (correlation, 0–1)');
}

/**
 * The neuron table: one row per neuron, sortable by any column, a click shows that neuron.
 * @example
 * ```ts
 * const t = new NeuronTable(ds, q, (n) => show(n)); t.update(ds, n);
 * ```
 */
export class NeuronTable {
  private readonly rows: HTMLTableRowElement[] = [];
  private readonly columns: Array<{ name: string; value: (n: number) => string | number }>;
  private sortBy = 0;
  private ascending = true;

  constructor(ds: NeuralDataset, q: QualityValues, onPick: (n: number) => void) {
    const keys = primitiveKeys(ds.nrnMeta, 5);
    this.columns = [
      { name: '#', value: (n) => n + 1 },
      ...keys.map((k) => ({ name: k, value: (n: number) => { const v = ds.nrnMeta[n][k]; return typeof v === 'number' ? v : String(v ?? ''); } })),
      { name: 'SNR', value: (n) => q.snr[n] },
      { name: 'CCmax', value: (n) => q.ccmax[n] },
    ];
    const table = $<HTMLTableElement>('neurons');
    const head = document.createElement('tr');
    this.columns.forEach((c, i) => {
      const th = document.createElement('th');
      th.textContent = c.name;
      if (ds.getN() > 0 && typeof c.value(0) !== 'number') th.className = 'text';
      th.title = `sort by ${c.name}`;
      th.onclick = () => {
        this.ascending = this.sortBy === i ? !this.ascending : true;
        this.sortBy = i;
        this.sort();
      };
      head.append(th);
    });
    table.tHead!.replaceChildren(head);
    for (let n = 0; n < ds.getN(); n++) {
      const tr = document.createElement('tr');
      tr.dataset.neuron = String(n);
      for (const c of this.columns) {
        const td = document.createElement('td');
        const v = c.value(n);
        td.textContent = typeof v === 'number' ? (Number.isNaN(v) ? 'NaN' : Number.isInteger(v) ? String(v) : fmt(v)) : v;
        if (typeof v !== 'number') td.className = 'text';
        tr.append(td);
      }
      tr.onclick = () => onPick(n);
      this.rows.push(tr);
    }
    table.tBodies[0].replaceChildren(...this.rows);
  }

  private sort(): void {
    const col = this.columns[this.sortBy];
    const key = (tr: HTMLTableRowElement) => col.value(Number(tr.dataset.neuron));
    const sorted = [...this.rows].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const c = typeof x === 'number' && typeof y === 'number'
        ? (Number.isNaN(x) ? 1 : Number.isNaN(y) ? -1 : x - y)
        : String(x).localeCompare(String(y), undefined, { numeric: true });
      return this.ascending ? c : -c;
    });
    $<HTMLTableElement>('neurons').tBodies[0].replaceChildren(...sorted);
  }

  private current = -1;

  /**
   * Marks the current neuron; with `selectionChanged`, also greys the neurons outside the
   * selection (touching every row only then keeps a keypress cheap on large datasets).
   */
  update(ds: NeuralDataset, current: number, selectionChanged: boolean): void {
    if (selectionChanged) {
      const sel = new Set(ds.selectedNeurons());
      this.rows.forEach((tr, n) => tr.classList.toggle('unselected', !sel.has(n)));
    }
    this.rows[this.current]?.classList.remove('current');
    this.rows[current]?.classList.add('current');
    this.current = current;
    const tr = this.rows[current];
    const wrap = tr?.closest('.table-wrap') as HTMLElement | null;
    if (tr && wrap && (tr.offsetTop < wrap.scrollTop + 20 || tr.offsetTop > wrap.scrollTop + wrap.clientHeight - 20)) {
      wrap.scrollTop = tr.offsetTop - wrap.clientHeight / 2; // scrolls the table only, never the page
    }
  }
}

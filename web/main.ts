/**
 * The viewer page's entry (web/index.html; docs/viewer.md): picks and opens a dataset of the
 * zoo, then wires the panels and the keyboard. The registry and every loader arrive lazily
 * (web/zoo.ts), the fit code on first use.
 * @module
 */
import type { NeuralDataset } from '../src/contract/neural-dataset.js';
import { droppedFiles } from '../src/sources/drop.js';
import type { DatasetEntry } from '../src/zoo/registry.js';
import { streamBatches } from './batches.js';
import { drawPairs, drawResponses, drawStimulus, drawValidity } from './browse.js';
import { clearFit, drawPrediction, fitNeuron } from './fit-panel.js';
import { setupFilters } from './filters.js';
import { allCellsFit, isLazy, withAllCells, withCells } from './lazy.js';
import { openDataset, zoo, type OpenFrom } from './open.js';
import { drawHistograms, NeuronTable, type QualityValues } from './quality.js';
import { Renderer } from './render.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const renderer = new Renderer();

interface Viewer {
  entry: DatasetEntry;
  ds: NeuralDataset;
  s: number;
  n: number;
  quality: QualityValues;
  table: NeuronTable;
}
let view: Viewer | null = null;
let entries: readonly DatasetEntry[] = [];
let opening: AbortController | null = null;
let streaming = false;

function status(text: string, error = false): void {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', error);
}

function showError(e: unknown): void {
  const err = e as Error;
  const text = err && typeof err === 'object' && 'message' in err ? `${err.name}: ${err.message}` : String(e);
  status(text, true);
  document.body.dataset.state = 'error';
}

function selectedEntry(): DatasetEntry {
  return entries.find((e) => e.name === $<HTMLSelectElement>('dataset').value) ?? entries[0];
}

function describeEntry(): void {
  const e = selectedEntry();
  $('dataset-about').textContent = `${e.className} · ${e.species} · ${e.area} · ${e.size}${e.accountNeeded ? ' · account needed' : ''}`;
  $('credentials').hidden = !e.accountNeeded;
  $<HTMLButtonElement>('open-embedded').disabled = e.cacheFolder !== null;
  for (const id of ['open-cache', 'download', 'pick-folder', 'open-url']) $<HTMLButtonElement>(id).disabled = e.cacheFolder === null;
}

/** The dataset options of the Open card: the JSON field, and `returnWaveform` from its checkbox. */
function loadOptions(): Record<string, unknown> {
  const text = $<HTMLInputElement>('load-options').value.trim();
  let options: unknown = {};
  try {
    options = text ? JSON.parse(text) : {};
  } catch (e) {
    throw new TypeError(`dataset options: ${(e as Error).message} in ${text}`);
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`dataset options must be a JSON object, got ${text}`);
  return { ...(options as Record<string, unknown>), ...($<HTMLInputElement>('waveform').checked ? { returnWaveform: true } : {}) };
}

/** Opens the selected dataset from `from`, replacing the current one. */
async function open(from: OpenFrom): Promise<void> {
  opening?.abort();
  const ctl = new AbortController();
  opening = ctl;
  const entry = selectedEntry();
  document.body.dataset.state = 'loading';
  status(from.kind === 'download' ? `downloading ${entry.name} into the browser cache…` : `opening ${entry.name}…`);
  const t0 = performance.now();
  try {
    const options = loadOptions();
    const { ds, where } = await openDataset(entry, from, options, ctl.signal);
    if (ctl.signal.aborted) return;
    const buildMs = performance.now() - t0;
    status(`computing neuron quality (SNR, CCmax)…`);
    await new Promise((r) => setTimeout(r, 0));
    // A lazy store: quality reads every cell, so only when they all fit in the page's cache.
    const qualityOk = !isLazy(ds) || allCellsFit(ds);
    const q = qualityOk ? await withAllCells(ds, () => ds.computeNeuronQuality()) : null;
    const quality = q
      ? { snr: Float64Array.from(q.snr.data), ccmax: Float64Array.from(q.ccmax.data) }
      : { snr: new Float64Array(ds.getN()).fill(Number.NaN), ccmax: new Float64Array(ds.getN()).fill(Number.NaN) };
    if (view && view.ds !== ds) view.ds.dispose();
    clearFit();
    const table = new NeuronTable(ds, quality, (n) => show(view!.s, n));
    view = { entry, ds, s: ds.iterableStims()[0] ?? 0, n: ds.selectedNeurons()[0] ?? 0, quality, table };
    const name = from.kind === 'zarr' ? 'store' : entry.name;
    summary(name, where, buildMs);
    setupFilters(ds, () => {
      const v = view!;
      const stims = v.ds.iterableStims();
      const neurons = v.ds.selectedNeurons();
      show(stims.includes(v.s) ? v.s : stims[0] ?? 0, neurons.includes(v.n) ? v.n : neurons[0] ?? 0, true);
    });
    $('views').hidden = false;
    status(`${name} opened from ${where} in ${buildMs.toFixed(0)} ms${qualityOk ? '' : ' (SNR and CCmax not computed: the store\'s cells exceed the page\'s cache)'}`);
    await show(view.s, view.n, true);
    document.body.dataset.state = 'ready';
    document.body.dataset.dataset = name;
  } catch (e) {
    if (!ctl.signal.aborted) showError(e);
  } finally {
    $('progress').hidden = true;
    $('progress-text').textContent = '';
  }
}

function summary(name: string, where: string, buildMs: number): void {
  const { ds } = view!;
  const audio = ds as NeuralDataset & { F?: number; audioFs?: number | null; returnWaveform?: boolean; sourceClassName?: string };
  const shapes = ds.stims.map((s) => s.shape[s.shape.length - 1]);
  const items: Array<[string, string]> = [
    ['dataset', `${name} (${ds.constructor.name}${audio.sourceClassName ? ` of a ${audio.sourceClassName}` : ''})`],
    ['from', where],
    ['neurons N', `${ds.getN()}`],
    ['stimuli S', `${ds.getS()}`],
    ['bin', `${ds.dtMs} ms`],
    ['stimuli are', audio.returnWaveform ? `waveforms at ${audio.audioFs} Hz` : `spectrograms, ${audio.F ?? ds.stims[0]?.shape[1]} bands`],
    ['stimulus lengths', `${Math.min(...shapes)}–${Math.max(...shapes)} ${audio.returnWaveform ? 'samples' : 'bins'}`],
    ['built in', `${buildMs.toFixed(0)} ms`],
  ];
  const dl = document.createElement('dl');
  for (const [k, v] of items) {
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = k;
    dd.textContent = v;
    div.append(dt, dd);
    dl.append(div);
  }
  $('summary').replaceChildren(dl);
}

/** Shows stimulus s and neuron n in every panel; `all` also redraws what depends on the selection. */
async function show(s: number, n: number, all = false): Promise<void> {
  if (!view) return;
  const v = view;
  const stimChanged = s !== v.s || all;
  const nrnChanged = n !== v.n || all;
  v.s = s;
  v.n = n;
  v.table.update(v.ds, n, all);
  drawHistograms(v.ds, v.quality, n);
  // A lazy store (web/lazy.ts): each panel holds the cells it draws, fetched first.
  const jobs: Array<Promise<unknown>> = [
    withCells(v.ds, [s], [n], { stims: false }, () => Promise.all([drawResponses(v.ds, s, n, renderer), drawPrediction(v.ds, n, s)])),
    drawPairs(v.ds, s, n, renderer),
  ];
  if (stimChanged) jobs.push(withCells(v.ds, [s], [], {}, () => drawStimulus(v.ds, s, renderer)));
  if (nrnChanged) jobs.push(withCells(v.ds, v.ds.iterableStims(), [n], { stims: false }, () => drawValidity(v.ds, n, renderer)));
  try {
    await Promise.all(jobs);
  } catch (e) {
    showError(e);
  }
}

function step(list: number[], current: number, by: number): number {
  if (!list.length) return current;
  const i = list.indexOf(current);
  return list[i < 0 ? 0 : Math.min(list.length - 1, Math.max(0, i + by))];
}

function onKey(ev: KeyboardEvent): void {
  const t = ev.target as HTMLElement;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
  if (ev.key === '?') {
    $('help').hidden = !$('help').hidden;
    return;
  }
  if (!view) return;
  const { ds, s, n } = view;
  const moves: Record<string, () => void> = {
    ArrowLeft: () => void show(step(ds.iterableStims(), s, -1), n),
    ArrowRight: () => void show(step(ds.iterableStims(), s, 1), n),
    ArrowUp: () => void show(s, step(ds.selectedNeurons(), n, -1)),
    ArrowDown: () => void show(s, step(ds.selectedNeurons(), n, 1)),
  };
  const move = moves[ev.key];
  if (move) {
    ev.preventDefault();
    move();
  }
}

function wire(): void {
  $<HTMLSelectElement>('dataset').onchange = describeEntry;
  $('help-button').onclick = () => ($('help').hidden = !$('help').hidden);
  $('open-embedded').onclick = () => void open({ kind: 'embedded' });
  $<HTMLInputElement>('folder-input').onchange = (ev) => {
    const files = (ev.target as HTMLInputElement).files;
    if (files?.length) void open({ kind: 'files', files });
  };
  $('pick-folder').onclick = async () => {
    const pick = (window as unknown as { showDirectoryPicker?: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker;
    if (!pick) return status('this browser has no folder picker (showDirectoryPicker): use the Folder… button or drop the folder', true);
    try {
      const handle = await pick();
      await open({ kind: 'handle', handle });
    } catch (e) {
      if ((e as Error).name !== 'AbortError') showError(e);
    }
  };
  $('open-url').onclick = () => {
    const url = $<HTMLInputElement>('url-input').value.trim();
    if (!url) return status('type the base URL that serves the dataset’s files first', true);
    void open({ kind: 'url', url });
  };
  $('open-zarr').onclick = () => {
    const url = $<HTMLInputElement>('url-input').value.trim();
    if (!url) return status('type the URL of the Zarr store (the folder holding zarr.json) first', true);
    void open({ kind: 'zarr', url });
  };
  $('open-cache').onclick = () => void open({ kind: 'cache' });
  $('download').onclick = () => {
    const progress = $<HTMLProgressElement>('progress');
    progress.hidden = false;
    progress.value = 0;
    const password = $<HTMLInputElement>('password');
    const from: OpenFrom = {
      kind: 'download',
      mirror: $<HTMLInputElement>('mirror').value.trim(),
      username: $<HTMLInputElement>('username').value,
      password: password.value,
      onProgress: (p) => {
        progress.value = p.overallTotal ? p.overallLoaded / p.overallTotal : 0;
        $('progress-text').textContent = `file ${p.fileIndex + 1} of ${p.fileCount}: ${(p.overallLoaded / 1e6).toFixed(1)} of ${(p.overallTotal / 1e6).toFixed(1)} MB`;
      },
    };
    password.value = ''; // the password lives only in this one call
    void open(from);
  };
  document.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
  document.addEventListener('drop', (ev) => {
    ev.preventDefault();
    document.body.classList.remove('dragging');
    if (!ev.dataTransfer) return;
    const files = droppedFiles(ev.dataTransfer.items); // before any await: the items empty afterwards
    void files.then((f) => open({ kind: 'files', files: f }), showError);
  });
  document.addEventListener('keydown', onKey);
  $('b-stream').onclick = async () => {
    if (!view) return;
    if (streaming) return;
    streaming = true;
    try {
      await streamBatches(view.ds, Math.max(1, Number($<HTMLInputElement>('b-size').value) || 1), Math.max(1, Number($<HTMLInputElement>('b-workers').value) || 1));
    } catch (e) {
      showError(e);
    } finally {
      streaming = false;
    }
  };
  $('fit-run').onclick = async () => {
    if (!view) return;
    const button = $<HTMLButtonElement>('fit-run');
    button.disabled = true;
    try {
      const { ds, n, s } = view;
      if (isLazy(ds) && !allCellsFit(ds)) throw new RangeError(`the fit reads every cell: this store's cells exceed the page's cache`);
      await withAllCells(ds, () => fitNeuron(ds, n, s, Math.max(1, Number($<HTMLInputElement>('fit-lags').value) || 20), renderer));
    } catch (e) {
      showError(e);
    } finally {
      button.disabled = false;
    }
  };
}

async function start(): Promise<void> {
  wire();
  const { listDatasets } = await zoo();
  entries = listDatasets();
  const select = $<HTMLSelectElement>('dataset');
  select.replaceChildren(...entries.map((e) => new Option(`${e.name} — ${e.description}`, e.name)));
  const wanted = new URLSearchParams(location.search).get('dataset');
  select.value = entries.some((e) => e.name === wanted) ? wanted! : entries[0].name;
  describeEntry();
  if (selectedEntry().cacheFolder === null) await open({ kind: 'embedded' });
  else document.body.dataset.state = 'idle';
}

start().catch(showError);

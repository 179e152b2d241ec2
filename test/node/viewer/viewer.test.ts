// The viewer page (web/, docs/viewer.md) driven in real Chromium through playwright: built and
// served by `node scripts/viewer.mjs` as a user runs it, then opened with the embedded dataset,
// with the AA1 fixture as File objects from the folder input, and (when the release is present)
// with NS1 from a loopback URL, and a Zarr store written by exportZarr, by its URL. Canvases are checked for size and content where the data says
// there must be some; console errors and long tasks (> 50 ms while browsing) fail the test.
// Expected values come from the datasets built here in Node and the layout constants of
// web/plot.ts (margins) and web/render-protocol.ts (colours), never from the page's own numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright';
import { SyntheticDataset } from '../../../src/zoo/synthetic.js';
import { isSentinel } from '../../../src/memory/sentinel.js';
import { exportZarr } from '../../../src/zarr/export.js';
import { findNs1 } from '../../helpers/ns1-data.js';
import { aa1Files } from '../../helpers/zoo/aa1.js';
import { MARGIN } from '../../../web/plot.js';
import { VALIDITY_COLOURS } from '../../../web/render-protocol.js';
// Type-only (erased at run time): brings the page's two entries, and through them every file of
// web/, into the type check of `npm test` (tsconfig.json includes test/, not web/).
import type * as _pageEntry from '../../../web/main.js';
import type * as _renderEntry from '../../../web/render-worker.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const out = join(repo, 'build', 'viewer');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) {
  const msg = `viewer e2e: no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI=true requires it`);
  console.warn(`SKIPPED ${msg}`);
}
const ns1 = haveChromium ? findNs1('viewer: NS1 from a loopback URL').dir : null;

const WHITE = [255, 255, 255];
const MISSING = VALIDITY_COLOURS.missing;

let server: ChildProcess;
let base = '';
let browser: Browser;
let page: Page;
let fixtureDir = '';
// Exported to /data/synth.zarr/ (small chunks: a cell's values come from several chunk files).
const zarrSource = new SyntheticDataset({ seed: 4, nNeurons: 5, nStims: 6 });
const consoleErrors: string[] = [];

/** Every pixel of a canvas as RGBA, with its size. */
async function canvasPixels(id: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  const r = await page.evaluate((cid) => {
    const c = document.getElementById(cid) as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let bin = '';
    for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode(...d.subarray(i, i + 0x8000));
    return { width: c.width, height: c.height, b64: btoa(bin) };
  }, id);
  return { width: r.width, height: r.height, data: new Uint8Array(Buffer.from(r.b64, 'base64')) };
}

const at = (p: { width: number; data: Uint8Array }, x: number, y: number) => {
  const o = (Math.floor(y) * p.width + Math.floor(x)) * 4;
  return [...p.data.subarray(o, o + 3)];
};

/** Fraction of the plot area's pixels that are not white. */
function inkInPlot(p: { width: number; height: number; data: Uint8Array }): number {
  let ink = 0;
  let all = 0;
  for (let y = MARGIN.top + 1; y < p.height - MARGIN.bottom - 1; y++) {
    for (let x = MARGIN.left + 1; x < p.width - MARGIN.right - 1; x++) {
      const [r, g, b] = at(p, x, y);
      all++;
      if (r < 250 || g < 250 || b < 250) ink++;
    }
  }
  return ink / all;
}

const plotW = (p: { width: number }) => p.width - MARGIN.left - MARGIN.right;
const plotH = (p: { height: number }) => p.height - MARGIN.top - MARGIN.bottom;

async function waitDrawn(id: string, key: string): Promise<void> {
  await page.waitForFunction(([cid, k]) => document.getElementById(cid)?.dataset.drawn === k, [id, key], { timeout: 20_000, polling: 50 });
}

async function waitReady(name: string): Promise<void> {
  await page.waitForFunction(
    (n) => (document.body.dataset.state === 'ready' && document.body.dataset.dataset === n) || document.body.dataset.state === 'error',
    name, { timeout: 60_000, polling: 100 },
  );
  expect(await page.evaluate(() => document.body.dataset.state), await page.textContent('#status') ?? '').toBe('ready');
}

describe.skipIf(!haveChromium)('viewer page in Chromium', () => {
  beforeAll(async () => {
    execFileSync(process.execPath, [join(repo, 'scripts', 'viewer.mjs'), '--build-only'], { cwd: repo, stdio: 'pipe' });
    fixtureDir = mkdtempSync(join(tmpdir(), 'viewer-aa1-'));
    for (const [path, bytes] of Object.entries(aa1Files())) {
      mkdirSync(dirname(join(fixtureDir, 'AA1', path)), { recursive: true });
      writeFileSync(join(fixtureDir, 'AA1', path), bytes);
    }
    if (ns1) symlinkSync(ns1, join(fixtureDir, 'NS1'));
    await exportZarr(zarrSource, join(fixtureDir, 'synth.zarr'), { chunkElements: 4096 });
    // /data/AA1/, /data/NS1/ and /data/synth.zarr/ on the page's origin.
    server = spawn(process.execPath, [join(repo, 'scripts', 'viewer.mjs'), '--no-build', '--port', '0', '--data', fixtureDir], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    base = await new Promise<string>((done, fail) => {
      let text = '';
      server.stdout!.on('data', (d) => {
        text += d;
        const m = /viewer: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
        if (m) done(m[1]);
      });
      server.on('exit', (code) => fail(new Error(`viewer server exited with ${code}: ${text}`)));
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      // 404s the page asks for: the download test's mirror, and HttpSource's HEAD probe of NS1's
      // optional DNet spectrogram, which its manifest does not list (docs/sources.md). A files.json
      // listing is complete: no probes (AA1 over HTTP must log no 404).
      const url = m.location().url;
      const expected404 = url.endsWith('/test_data_5ms.mat') || url.includes('/no-such-mirror/');
      if (m.type() === 'error' && !(expected404 && m.text().includes('404'))) consoleErrors.push(`${m.text()} (${url})`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(base);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill();
    if (fixtureDir) rmSync(fixtureDir, { recursive: true, force: true });
  });

  it('the entry script and what it imports statically stay under 150 KiB gzip (lazy readers excluded)', () => {
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as { outputs: Record<string, { imports: Array<{ path: string; kind: string }> }> };
    const key = (f: string) => Object.keys(meta.outputs).find((k) => resolve(repo, k) === resolve(repo, f))!;
    const seen = new Set<string>();
    const visit = (f: string) => {
      const k = key(f);
      if (seen.has(k)) return;
      seen.add(k);
      for (const i of meta.outputs[k].imports) if (i.kind === 'import-statement') visit(i.path);
    };
    visit(join(out, 'main.js'));
    const gz = [...seen].reduce((sum, f) => sum + gzipSync(readFileSync(resolve(repo, f))).length, 0);
    expect(seen.size).toBeGreaterThan(1);
    expect(gz).toBeLessThanOrEqual(150 * 1024);
    // The registry with every loader is not in it: it is a lazy chunk.
    expect([...seen].some((f) => /zoo-/.test(f))).toBe(false);
  });

  it('opens the embedded synthetic dataset by default and draws every panel from its data', async () => {
    await waitReady('synthetic');
    const ds = new SyntheticDataset();
    const s0 = ds.iterableStims()[0];
    const n0 = ds.selectedNeurons()[0];
    await Promise.all([waitDrawn('stim', `${s0}`), waitDrawn('raster', `${s0}:${n0}`), waitDrawn('validity', `${n0}`), waitDrawn('pairs', `${s0}:${n0}`)]);
    const summary = await page.textContent('#summary');
    expect(summary).toContain(`neurons N${ds.getN()}`);
    expect(summary).toContain(`stimuli S${ds.getS()}`);
    for (const [id, w, h] of [['stim', 620, 230], ['raster', 620, 200], ['psth', 620, 170], ['validity', 620, 230], ['pairs', 620, 200], ['snr-hist', 305, 170], ['ccmax-hist', 305, 170]] as const) {
      const p = await canvasPixels(id);
      expect([id, p.width, p.height]).toEqual([id, w, h]);
      expect(inkInPlot(p), `${id} has content`).toBeGreaterThan(0.01);
    }
    // A spectrogram fills its plot area: viridis has no white.
    expect(inkInPlot(await canvasPixels('stim'))).toBeGreaterThan(0.99);

    // Raster: a mark in each bin with spikes, nothing in empty bins (bins are ≥ 2 px wide here).
    const cell = ds.responses[s0][n0];
    const [R, T] = cell.shape;
    const raster = await canvasPixels('raster');
    const colW = plotW(raster) / T;
    const rowH = plotH(raster) / R;
    expect(colW).toBeGreaterThan(2);
    let spikes = 0;
    let empty = 0;
    for (let r = 0; r < R; r++) {
      for (let t = 0; t < T; t++) {
        const px = at(raster, MARGIN.left + (t + 0.5) * colW, MARGIN.top + (r + 0.5) * rowH);
        if ((cell.data[r * T + t] as number) > 0) {
          spikes++;
          expect(px, `repeat ${r}, bin ${t} has spikes`).not.toEqual(WHITE);
        } else if (!Number.isNaN(cell.data[r * T + t] as number)) {
          empty++;
          expect(px, `repeat ${r}, bin ${t} is empty`).toEqual(WHITE);
        }
      }
    }
    expect(spikes).toBeGreaterThan(0);
    expect(empty).toBeGreaterThan(0);

    // Valid mask of neuron n0: a stimulus it never heard is grey; bins past a stimulus's end are padding (white).
    const stims = ds.iterableStims();
    const cells = stims.map((s) => ds.responses[s][n0]);
    const rMax = Math.max(...cells.filter((c) => !isSentinel(c)).map((c) => c.shape[0]));
    const tMax = Math.max(...cells.filter((c) => !isSentinel(c)).map((c) => c.shape[1]));
    const validity = await canvasPixels('validity');
    const blockH = plotH(validity) / stims.length;
    const missingAt = cells.findIndex((c) => isSentinel(c));
    expect(missingAt).toBeGreaterThanOrEqual(0);
    const grey = at(validity, MARGIN.left + plotW(validity) / 2, MARGIN.top + (missingAt + 0.5) * blockH);
    for (let c = 0; c < 3; c++) expect(Math.abs(grey[c] - MISSING[c])).toBeLessThan(12);
    const shortest = cells.reduce((best, c, i) => (!isSentinel(c) && c.shape[1] < cells[best].shape[1] ? i : best), cells.findIndex((c) => !isSentinel(c)));
    const tEnd = cells[shortest].shape[1];
    expect(tEnd).toBeLessThan(tMax - 10);
    const padding = at(validity, MARGIN.left + ((tEnd + tMax) / 2 / tMax) * plotW(validity), MARGIN.top + (shortest + 0.5) * blockH);
    expect(padding).toEqual(WHITE);
  });

  it('selects neurons and stimuli by a filter and shows N and S before and after', async () => {
    const ds = new SyntheticDataset();
    const val = ds.stimMeta.map((m, s) => (m.subset === 'val' ? s : -1)).filter((s) => s >= 0);
    // A1 neurons with at least one recorded val stimulus (the bidirectional rule).
    const expectN = ds.nrnMeta.filter((m, n) => m.area === 'A1' && val.some((s) => !isSentinel(ds.responses[s][n]))).length;
    await page.selectOption('#f-attr', 'area');
    await page.selectOption('#f-value', 'A1');
    await page.selectOption('#f-stim-attr', 'subset');
    await page.selectOption('#f-stim-value', 'val');
    await page.click('#f-apply');
    await page.waitForFunction(() => document.getElementById('f-effect')!.dataset.after !== undefined, null, { polling: 50 });
    expect(await page.getAttribute('#f-effect', 'data-after')).toBe(`${expectN},${val.length}`);
    expect(await page.textContent('#f-effect')).toContain(`N ${ds.getN()} → ${expectN}, S ${ds.getS()} → ${val.length}`);
    expect(expectN).toBeLessThan(ds.getN());
    await waitDrawn('stim', `${val[0]}`);
    expect(await page.textContent('#stim-title')).toContain(`${val[0] + 1} of ${ds.getS()}`);
  });

  it('steps through stimuli and neurons with the keyboard', async () => {
    const ds = new SyntheticDataset();
    const val = ds.stimMeta.map((m, s) => (m.subset === 'val' ? s : -1)).filter((s) => s >= 0);
    const a1 = ds.nrnMeta.map((m, n) => (m.area === 'A1' && val.some((s) => !isSentinel(ds.responses[s][n])) ? n : -1)).filter((n) => n >= 0);
    const before = await canvasPixels('stim');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('ArrowRight');
    await waitDrawn('stim', `${val[1]}`);
    const after = await canvasPixels('stim');
    expect(after.data).not.toEqual(before.data);
    await page.keyboard.press('ArrowDown');
    await waitDrawn('raster', `${val[1]}:${a1[1]}`);
    await waitDrawn('validity', `${a1[1]}`);
    await page.keyboard.press('ArrowLeft');
    await waitDrawn('raster', `${val[0]}:${a1[1]}`);
    await page.keyboard.press('ArrowUp');
    await waitDrawn('raster', `${val[0]}:${a1[0]}`);
    expect(await page.textContent('#resp-title')).toContain(`neuron ${a1[0] + 1} of ${ds.getN()}`);
  });

  it('streams one epoch of batches from the worker DataLoader, with their shapes', async () => {
    const ds = new SyntheticDataset();
    const val = ds.stimMeta.map((m, s) => (m.subset === 'val' ? s : -1)).filter((s) => s >= 0);
    const N = Number((await page.getAttribute('#f-effect', 'data-after'))!.split(',')[0]);
    await page.fill('#b-size', '4');
    await page.fill('#b-workers', '1');
    await page.click('#b-stream');
    await page.waitForFunction(() => document.getElementById('b-summary')!.dataset.batches !== undefined, null, { timeout: 30_000, polling: 50 });
    const batches = Math.ceil(val.length / 4);
    expect(await page.getAttribute('#b-summary', 'data-batches')).toBe(String(batches));
    const rows = await page.$$eval('#batches tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    expect(rows).toHaveLength(batches);
    const F = ds.F;
    for (const [i, row] of rows.entries()) {
      const B = Math.min(4, val.length - 4 * i);
      expect(row[1]).toMatch(new RegExp(`^\\(${B}, 1, ${F}, \\d+\\)$`));
      expect(row[2]).toMatch(new RegExp(`^\\(${B}, ${N}, \\d+, \\d+\\)$`));
      expect(row[3]).toBe(row[2]);
    }
  });

  it('fits the STRF of the current neuron and draws it with its prediction', async () => {
    await page.click('#fit-run');
    await page.waitForFunction(() => document.getElementById('strf')!.dataset.drawn === 'strf' || document.body.dataset.state === 'error', null, { timeout: 30_000, polling: 50 });
    expect(await page.textContent('#fit-summary')).toMatch(/test CC -?\d/);
    const strf = await canvasPixels('strf');
    expect(inkInPlot(strf)).toBeGreaterThan(0.99);
    await page.waitForFunction(() => document.getElementById('pred')!.dataset.drawn !== undefined, null, { polling: 50 });
    expect(inkInPlot(await canvasPixels('pred'))).toBeGreaterThan(0.005);
  });

  it('opens the AA1 fixture from a folder as File objects', async () => {
    await page.selectOption('#dataset', 'aa1');
    await page.setInputFiles('#folder-input', join(fixtureDir, 'AA1'));
    await waitReady('aa1');
    // test/helpers/zoo/aa1.ts: 4 cells kept (qq4_1 removed), 2 sounds (c.wav heard by nobody); a.wav 101 bins, 32 bands.
    const summary = await page.textContent('#summary');
    expect(summary).toContain('neurons N4');
    expect(summary).toContain('stimuli S2');
    expect(await page.$$eval('#neurons tbody tr', (r) => r.length)).toBe(4);
    await waitDrawn('stim', '0');
    expect(await page.textContent('#stim-title')).toContain('a.wav');
    expect(inkInPlot(await canvasPixels('stim'))).toBeGreaterThan(0.99);
  });

  it('shows an error naming the file when the folder is not the dataset', async () => {
    await page.selectOption('#dataset', 'ns1');
    await page.setInputFiles('#folder-input', join(fixtureDir, 'AA1'));
    await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 30_000, polling: 50 });
    expect(await page.getAttribute('#status', 'class')).toContain('error');
    expect(await page.textContent('#status')).toMatch(/MetadataSHEnCneurons\.mat/);
  });

  // Long tasks are wall time: on a machine shared by many processes (this one runs a dozen on two
  // cores) the renderer is descheduled in the middle of a 5 ms frame, and the Long Tasks API
  // reports 50–150 ms. So the browsing below is also traced, and the bar is on the CPU time of
  // each main-thread task (the work the page does); every long task the API reports must be one
  // the trace saw. Opening NS1 is not measured: it parses the release in this thread.
  it('opens the AA1 fixture from an HTTP base URL (its tree from the server\'s files.json)', async () => {
    await page.selectOption('#dataset', 'aa1');
    await page.fill('#url-input', `${base}data/AA1`);
    await page.click('#open-url');
    await page.waitForFunction(() => /opened from .*data\/AA1/.test(document.getElementById('status')!.textContent ?? '') || document.body.dataset.state === 'error', null, { timeout: 30_000, polling: 50 });
    expect(await page.textContent('#status')).toMatch(/^aa1 opened from http:\/\/127\.0\.0\.1:\d+\/data\/AA1 /);
    const summary = await page.textContent('#summary');
    expect(summary).toContain('neurons N4');
    expect(summary).toContain('stimuli S2');
  });

  it('opens a Zarr store from its URL, reading the cells of what it draws; batches in the page\'s thread', async () => {
    await page.fill('#url-input', `${base}data/synth.zarr`);
    await page.click('#open-zarr');
    await waitReady('store');
    expect(await page.textContent('#status')).toMatch(/^store opened from Zarr store http:\/\/127\.0\.0\.1:\d+\/data\/synth\.zarr /);
    const summary = await page.textContent('#summary');
    expect(summary).toContain('store (ZarrDataset of a SyntheticDataset)');
    expect(summary).toContain(`neurons N${zarrSource.getN()}`);
    expect(summary).toContain(`stimuli S${zarrSource.getS()}`);
    const s0 = zarrSource.iterableStims()[0];
    expect(isSentinel(zarrSource.responses[s0][0])).toBe(false);
    await Promise.all([waitDrawn('stim', `${s0}`), waitDrawn('raster', `${s0}:0`), waitDrawn('validity', '0')]);
    expect(inkInPlot(await canvasPixels('stim'))).toBeGreaterThan(0.99);
    for (const id of ['raster', 'psth', 'validity', 'snr-hist']) expect(inkInPlot(await canvasPixels(id)), `${id} has content`).toBeGreaterThan(0.01);
    // Stepping to the next stimulus fetches its cells before drawing.
    await page.keyboard.press('ArrowRight');
    await Promise.all([waitDrawn('stim', `${s0 + 1}`), waitDrawn('raster', `${s0 + 1}:0`)]);
    await page.fill('#b-size', '4');
    await page.fill('#b-workers', '2');
    await page.click('#b-stream');
    await page.waitForFunction(() => document.getElementById('b-summary')!.dataset.batches !== undefined, null, { timeout: 30_000, polling: 50 });
    expect(await page.getAttribute('#b-summary', 'data-batches')).toBe(String(Math.ceil(zarrSource.getS() / 4)));
    expect(await page.textContent('#b-summary')).toContain('numWorkers 0');
  });

  it('passes the options field to load(); bad JSON is reported', async () => {
    await page.selectOption('#dataset', 'synthetic');
    await page.fill('#load-options', '{"nNeurons": 10, "nStims": 7, "seed": 3}');
    await page.click('#open-embedded');
    await waitReady('synthetic');
    await page.waitForFunction(() => /neurons N10/.test(document.getElementById('summary')!.textContent ?? ''), null, { polling: 50 });
    expect(await page.textContent('#summary')).toContain('stimuli S7');
    expect(await page.$$eval('#neurons tbody tr', (r) => r.length)).toBe(10);
    await page.fill('#load-options', '{nNeurons: 10}');
    await page.click('#open-embedded');
    await page.waitForFunction(() => document.body.dataset.state === 'error', null, { polling: 50 });
    expect(await page.textContent('#status')).toMatch(/^TypeError: dataset options: .* in \{nNeurons: 10\}$/);
    await page.fill('#load-options', '');
  });

  it('waveform mode: the stimulus is the waveform\'s log-frequency spectrogram; the fit says it needs spectrograms', async () => {
    const ds = new SyntheticDataset({ returnWaveform: true });
    await page.selectOption('#dataset', 'synthetic');
    await page.check('#waveform');
    await page.click('#open-embedded');
    await waitReady('synthetic');
    await page.uncheck('#waveform');
    expect(await page.textContent('#summary')).toContain(`stimuli arewaveforms at ${ds.audioFs} Hz`);
    const s0 = ds.iterableStims()[0];
    await waitDrawn('stim', `${s0}`);
    expect(inkInPlot(await canvasPixels('stim'))).toBeGreaterThan(0.99);
    await page.click('#fit-run');
    await page.waitForFunction(() => /needs spectrogram stimuli/.test(document.getElementById('fit-summary')!.textContent ?? ''), null, { polling: 50 });
  });

  it('opens from the browser cache (OPFS): an empty cache is reported naming the file and the cache folder', async () => {
    await page.selectOption('#dataset', 'ns1');
    await page.click('#open-cache');
    await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 30_000, polling: 50 });
    // The page's OPFS folder for NS1 is deepSTRF/NS1 (src/download/cache.ts, defaultCacheDir).
    expect(await page.textContent('#status')).toMatch(/^SourceFileError: deepSTRF\/NS1\/MetadataSHEnCneurons\.mat: file not found/);
  });

  it('downloads into the cache from a mirror; a failed download names the file and the URL', async () => {
    await page.selectOption('#dataset', 'ns1');
    await page.fill('#mirror', `${base}no-such-mirror`);
    await page.click('#download');
    await page.waitForFunction(() => document.body.dataset.state === 'error' && /Error/.test(document.getElementById('status')!.textContent ?? ''), null, { timeout: 30_000, polling: 50 });
    expect(await page.textContent('#status')).toBe(`DownloadError: MetadataSHEnCneurons.mat: HTTP 404 Not Found (${base}no-such-mirror/MetadataSHEnCneurons.mat)`);
    expect(await page.isVisible('#progress')).toBe(false);
    await page.fill('#mirror', '');
  });

  it.skipIf(!ns1)('opens NS1 from a loopback URL and browses it with no task over 50 ms', { timeout: 60_000 }, async () => {
    await page.selectOption('#dataset', 'ns1');
    await page.fill('#url-input', `${base}data/NS1/`);
    await page.click('#open-url');
    await waitReady('ns1');
    await Promise.all([waitDrawn('stim', '0'), waitDrawn('raster', '0:0'), waitDrawn('validity', '0')]);
    expect(await page.textContent('#summary')).toContain('stimuli S20');
    expect(inkInPlot(await canvasPixels('stim'))).toBeGreaterThan(0.99);
    expect(inkInPlot(await canvasPixels('raster'))).toBeGreaterThan(0.5);
    await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks = []));
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    for (let s = 1; s <= 4; s++) {
      await page.keyboard.press('ArrowRight');
      await waitDrawn('stim', `${s}`);
    }
    for (let n = 1; n <= 4; n++) {
      await page.keyboard.press('ArrowDown');
      await waitDrawn('raster', `4:${n}`);
      await waitDrawn('validity', `${n}`);
    }
    await page.fill('#f-ccmax', '0.8');
    await page.click('#f-apply');
    await page.waitForFunction(() => /N 119 → \d+/.test(document.getElementById('f-effect')!.textContent ?? ''), null, { polling: 50 });
    await page.fill('#b-size', '4');
    await page.click('#b-stream');
    await page.waitForFunction(() => document.getElementById('b-summary')!.dataset.batches === '5', null, { timeout: 30_000, polling: 50 });
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: Array<{ name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args: { name?: string } }> };
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    const mainThreads = new Set(trace.traceEvents.filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const tasks = trace.traceEvents
      .filter((e) => e.name === 'RunTask' && e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`))
      .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
    const slow = tasks.filter((t) => t.wallMs > 40);
    console.log(`viewer NS1 browsing: ${tasks.length} main-thread tasks; Long Tasks API: [${longTasks.join(', ')}] ms; ` +
      `traced tasks over 40 ms (wall / CPU): ${slow.map((t) => `${t.wallMs.toFixed(0)}/${t.cpuMs.toFixed(1)}`).join(', ') || 'none'}`);
    expect(tasks.length).toBeGreaterThan(50);
    expect(tasks.every((t) => t.cpuMs > 0 || t.wallMs < 1)).toBe(true); // the trace has thread times
    expect(tasks.filter((t) => t.cpuMs > 50)).toEqual([]);
    expect(longTasks.filter((d) => d > 50).length).toBeLessThanOrEqual(slow.length);
  });

  it('logged no console error', () => {
    expect(consoleErrors).toEqual([]);
  });
});

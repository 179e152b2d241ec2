// Le2025Dataset on a tiny release in the real layout (test/helpers/zoo/le2025.ts): stimulus stems
// and order, CI bounds, both pprox schemas, metadata tables, reliability, waveform mode, the
// figshare download against a loopback server, typed errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetValidationError, DownloadError, FormatError, Le2025Dataset, ValueError, erbCentreFrequencies, isSentinel, le2025Entry, MemorySource } from '../../../src/index.js';

import { LE_TONE_HZ, le2025Files } from '../../helpers/zoo/le2025.js';
import { counts, row } from '../../helpers/zoo/theunissen.js';
import { cleanupTrees, writeTree } from '../../helpers/zoo/theunissen-tree.js';
import { startServer } from '../download/helpers.js';

let path: string;
let ds: Le2025Dataset;
const warnings: string[] = [];
beforeAll(() => {
  path = writeTree(le2025Files(), 'le2025');
  ds = new Le2025Dataset({ path, smooth: false, onWarning: (m) => warnings.push(m) });
});
afterAll(cleanupTrees);

describe('Le2025Dataset nat8b (fixture)', () => {
  it('stimuli: parsed stems, (motif, CI with None last, variant) order, CI bounds from song-birds.csv', () => {
    expect(ds.stimMeta.map((m) => m.name)).toEqual(['ep_nat8mk0_GB_g1_snr-7', 'ep_nat8mk0_G_g2', 'ep_nat8mk0_C', 'ep_nat8mk0_CM', 'ep_nat8mk1_N_g1']);
    expect(ds.stimMeta[0]).toEqual({
      name: 'ep_nat8mk0_GB_g1_snr-7', motif: 'nat8mk0', criticalInterval: 1, variant: 'GB', syntax: 'natural', experiment: 'nat8b',
      sampleRateHz: 48000, durationS: 0.2, ciOnsetS: 0.1, ciOffsetS: 0.15,
    });
    expect([ds.stimMeta[1].ciOnsetS, ds.stimMeta[1].ciOffsetS]).toEqual([0.3, 0.36]);
    expect(ds.stimMeta[2]).toMatchObject({ criticalInterval: null, variant: 'C', ciOnsetS: NaN, ciOffsetS: NaN });
    expect(ds.stimMeta[4]).toMatchObject({ motif: 'nat8mk1', criticalInterval: 1, ciOnsetS: 0.05, ciOffsetS: 0.08, durationS: 0.1 });
    expect(ds.stims.map((s) => s.shape)).toEqual([[1, 50, 40], [1, 50, 40], [1, 50, 40], [1, 50, 40], [1, 50, 20]]);
    expect(warnings.some((w) => w.includes('ep_bad.wav'))).toBe(true);
    expect(ds.F).toBe(50);
    expect(ds.behavioralState).toBe('anesthetized');
  });

  it('spectrogram: log1p of the gammatone-gram; a 2 kHz tone peaks in the band nearest 2 kHz; silence is 0', () => {
    const cf = erbCentreFrequencies(1000, 8000, 50);
    let best = 0;
    for (let k = 1; k < 50; k++) if (Math.abs(cf[k] - LE_TONE_HZ) < Math.abs(cf[best] - LE_TONE_HZ)) best = k;
    const frame = 20;
    const col = Array.from({ length: 50 }, (_, k) => ds.stims[2].data[k * 40 + frame]);
    expect(col.indexOf(Math.max(...col))).toBe(best);
    expect(Array.from(ds.stims[3].data).every((v) => v === 0)).toBe(true);
  });

  it('units: stimtrial binning ⌊t / 0.005⌋ within [0, T), empty trials as zero rows, sentinels, metadata', () => {
    expect(ds.nrnMeta.map((m) => m.cellId)).toEqual(['C43_1_1_c5', 'C44_2_1_c1']);
    expect(warnings.some((w) => w.includes('D9_1_1_c2.pprox: no trials matched any known stimulus'))).toBe(true);
    const r = ds.responses;
    // C: 0.001 → 0, 0.0123 → 2, −0.2 dropped, 0.0049 → 0, 0.005 → 1, 0.1999 → 39, 0.2 → 40 ≥ T dropped.
    expect(r[2][0].shape).toEqual([2, 40]);
    expect(row(r[2][0], 0)).toEqual(counts(40, { 0: 2, 1: 1, 2: 1, 39: 1 }));
    expect(row(r[2][0], 1)).toEqual(counts(40, { 0: 1 }));
    // CM via a plain-string stimulus ('stims/ep_nat8mk0_CM.wav' → its stem): 0.0125 → 2; then an empty trial.
    expect(row(r[3][0], 0)).toEqual(counts(40, { 2: 1 }));
    expect(row(r[3][0], 1)).toEqual(counts(40, {}));
    expect(row(r[4][1], 0)).toEqual(counts(20, { 10: 1, 19: 1 }));
    expect([r[0][0], r[0][1], r[1][0], r[1][1], r[2][1], r[3][1], r[4][0]].every(isSentinel)).toBe(true);
    expect(ds.nrnMeta[0]).toMatchObject({
      animalId: 'C43', animalUuid: 'uuid-file', cohort: 3, experiment: 'nat8b', area: 'NCM', hemisphere: 'L', familiarMotifs: [], sex: 'F', ageDays: 375,
      pproxFile: 'C43_1_1_c5.pprox',
    });
    expect(ds.nrnMeta[1]).toMatchObject({ animalUuid: 'uuid-c44', area: 'unknown', hemisphere: 'R', sex: 'M', ageDays: null });
  });

  it('reliability (Sahani–Linden over the real cells, length-weighted), by hand', () => {
    // C43: C rows y1 = {0:2,1:1,2:1,39:1}, y2 = {0:1}; CM rows {2:1}, {} (T 40 each, R 2).
    // C: var(y1) = 6.375/39, var(y2) = 0.975/39 → TP = 7.35/78; var(ψ) = 2.775/39 → SP = 1.875/39, NP = 1.8/39.
    // CM: TP = 0.975/78, var(ψ) = 0.24375/39 → SP = 0, NP = 0.4875/39. Weights equal (T 40).
    const sp = 0.9375 / 39, np = 1.14375 / 39;
    expect(ds.nrnMeta[0].signalPower as number).toBeCloseTo(sp, 6);
    expect(ds.nrnMeta[0].noisePower as number).toBeCloseTo(np, 6);
    expect(ds.nrnMeta[0].snr as number).toBeCloseTo(sp / np, 5);
    // C44 has one repeat only: nothing qualifies → NaN.
    expect(Number.isNaN(ds.nrnMeta[1].snr)).toBe(true);
    expect(Object.keys(new Le2025Dataset({ path, computeReliability: false }).nrnMeta[0])).not.toContain('snr');
  });

  it('options: keepAreas, smoothing at 5 ms (kernel [0, .5, 1, .5, 0]), selectors', () => {
    expect(new Le2025Dataset({ path, keepAreas: ['NCM'] }).nrnMeta.map((m) => m.cellId)).toEqual(['C43_1_1_c5']);
    const sm = new Le2025Dataset({ path });
    // C43 × CM row 0 has one spike in bin 2 → bins 1, 2, 3 = .5, 1, .5.
    expect(row(sm.responses[3][0], 0).slice(0, 5)).toEqual([0, 0.5, 1, 0.5, 0]);
    expect(sm.selectVariant('GB')).toEqual([0]);
    expect(sm.selectMotif('nat8mk1')).toEqual([4]);
    expect(sm.selectCriticalInterval(null)).toEqual([2, 3]);
    expect(sm.selectRestorationQuartet('nat8mk0', 1)).toEqual([0, 2]); // GB (CI 1) and C
    expect(sm.selectRestorationQuartet('nat8mk0', 2, ['G', 'CM'])).toEqual([1, 3]);
    expect(sm.iterableStims()).toEqual([3]); // G_g2 holds sentinels only, so iteration skips it
  });

  it('waveform mode: the wav from t = 0, locked to T · hop; responses unchanged', () => {
    const w = new Le2025Dataset({ path, smooth: false, returnWaveform: true, computeReliability: false });
    expect(w.hop).toBe(240);
    expect(w.stims.map((s) => s.shape)).toEqual([[1, 9600], [1, 9600], [1, 9600], [1, 9600], [1, 4800]]);
    const x = (i: number) => Math.round(0.5 * Math.sin((2 * Math.PI * LE_TONE_HZ * i) / 48000) * 32768) / 32768;
    for (const i of [3, 77, 9599]) expect(w.stims[2].data[i]).toBeCloseTo(x(i), 7);
    expect(Array.from(w.responses[2][0].data)).toEqual(Array.from(ds.responses[2][0].data));
    const w24 = new Le2025Dataset({ path, returnWaveform: true, audioFs: 24000, computeReliability: false });
    expect(w24.stims[4].shape).toEqual([1, 20 * 120]);
  });

  it('load(): folder, MemorySource, registry entry', async () => {
    for (const other of [
      await Le2025Dataset.load({ path, smooth: false }),
      await Le2025Dataset.load({ source: new MemorySource(le2025Files()), smooth: false }),
      await le2025Entry.load({ path, smooth: false }),
    ]) {
      expect(other.nrnMeta.map((m) => m.cellId)).toEqual(['C43_1_1_c5', 'C44_2_1_c1']);
      expect(Array.from(other.stims[0].data)).toEqual(Array.from(ds.stims[0].data));
      expect(Array.from(other.responses[2][0].data)).toEqual(Array.from(ds.responses[2][0].data));
    }
  });
});

describe('Le2025Dataset nat8a and synth8b', () => {
  it('nat8a: legacy pprox (ms, stim_on), verbose conditions, familiarity, table before file fields', () => {
    const w: string[] = [];
    const a = new Le2025Dataset({ path, experiment: 'nat8a', smooth: false, onWarning: (m) => w.push(m) });
    expect(a.stimMeta.map((m) => [m.name, m.variant, m.criticalInterval, m.ciOnsetS])).toEqual([
      ['B189_gapnoise1', 'GB', 1, 0.1], ['B189_continuous', 'C', null, NaN],
    ]);
    expect(a.stims[0].shape).toEqual([1, 50, 40]);
    // continuous: rel 0, 4.9, 5, −10, 199.9 ms → bins 0, 0, 1, (dropped), 39; gapnoise1: 10 ms → 2.
    expect(row(a.responses[1][0], 0)).toEqual(counts(40, { 0: 2, 1: 1, 39: 1 }));
    expect(row(a.responses[0][0], 0)).toEqual(counts(40, { 2: 1 }));
    expect(a.nrnMeta[0]).toMatchObject({
      cellId: 'A1_3_c1', animalId: 'A1', animalUuid: 'uuid-a1', cohort: 1, experiment: 'nat8a', area: 'L2a', hemisphere: 'L',
      familiarMotifs: ['B189'], sex: 'M', ageDays: 200, pproxFile: 'A1_3_c1.pprox',
    });
    expect(w.some((m) => m.includes('nat8a-beta-responses'))).toBe(true);
    expect(w.some((m) => m.includes("unknown nat8a condition 'weird'"))).toBe(true);
  });

  it("synth8b: string CIs ('2a'), hop round-half-away(220.5) = 221, scrambled syntax", () => {
    const s = new Le2025Dataset({ path, experiment: 'synth8b', smooth: false });
    expect(s.stimMeta.map((m) => [m.name, m.criticalInterval, m.syntax])).toEqual([['ep_syn0_GB_g2a', '2a', 'scrambled'], ['ep_syn0_C', null, 'scrambled']]);
    expect(s.stims[0].shape).toEqual([1, 50, 40]);
    expect(Number.isNaN(s.stimMeta[0].ciOnsetS)).toBe(true);
    expect(row(s.responses[0][0], 0)).toEqual(counts(40, { 1: 1 })); // 0.0051 / 0.005 → 1
  });
});

describe('Le2025Dataset errors', () => {
  it('unknown experiment, no path, no units', async () => {
    expect(() => new Le2025Dataset({ path, experiment: 'nat9' })).toThrow(new ValueError("experiment must be one of nat8a, nat8b, synth8b, got 'nat9'"));
    expect(() => new Le2025Dataset({})).toThrow(ValueError);
    expect(() => new Le2025Dataset({ path, keepAreas: ['HVC'] })).toThrow(DatasetValidationError);
    const noStims = Object.fromEntries(Object.entries(le2025Files()).filter(([k]) => !k.startsWith('nat8b-stimuli/ep_')));
    await expect(Le2025Dataset.load({ source: new MemorySource(noStims) })).rejects.toThrow('memory:nat8b-stimuli: no parseable .wav files');
    const badJson = { ...le2025Files(), 'nat8b-responses/C43_1_1_c5.pprox': new TextEncoder().encode('{"pprox": [') };
    await expect(Le2025Dataset.load({ source: new MemorySource(badJson) })).rejects.toThrow('memory:nat8b-responses/C43_1_1_c5.pprox');
  });
});

describe('Le2025Dataset.load({ download: true }) against a loopback figshare', () => {
  it('API lookup, zip download, unpack, then the build; idempotent; API errors', async () => {
    const serveDir = mkdtempSync(join(tmpdir(), 'deepstrf-figshare-'));
    const base = mkdtempSync(join(tmpdir(), 'deepstrf-le-cache-'));
    const zip = zipSync(Object.fromEntries(Object.entries(le2025Files()).map(([k, v]) => [`zebf-auditory-restoration-1/${k}`, v])));
    writeFileSync(join(serveDir, 'release.zip'), zip);
    const server = await startServer(serveDir);
    try {
      const api = `${server.url}/v2`;
      server.faults.set('v2/articles/29203457', {
        body: new TextEncoder().encode(JSON.stringify({ files: [{ name: 'zebf-auditory-restoration-1.zip', download_url: `${server.url}/release.zip`, size: zip.length }] })),
        contentType: 'application/json',
      });
      const got = await Le2025Dataset.load({ path: base, download: true, figshareApi: api, smooth: false, computeReliability: false });
      expect(got.path).toBe(join(base, 'zebf-auditory-restoration-1'));
      expect(got.nrnMeta.map((m) => m.cellId)).toEqual(['C43_1_1_c5', 'C44_2_1_c1']);
      expect(server.requests.map((r) => r.path)).toEqual(['v2/articles/29203457', 'release.zip']);
      await Le2025Dataset.load({ path: base, download: true, figshareApi: api, smooth: false });
      expect(server.requests).toHaveLength(2); // the unpacked folder is the anchor: no request at all
      const other = mkdtempSync(join(tmpdir(), 'deepstrf-le-cache-'));
      server.faults.set('v2/articles/29203457', { body: new TextEncoder().encode(JSON.stringify({ files: [{ name: 'a.zip', download_url: 'x' }, { name: 'b.zip', download_url: 'y' }] })), contentType: 'application/json' });
      await expect(Le2025Dataset.load({ path: other, download: true, figshareApi: api })).rejects.toThrow(/expected exactly one file, found 2: a\.zip, b\.zip/);
      server.faults.set('v2/articles/29203457', { status: 404 });
      await expect(Le2025Dataset.load({ path: other, download: true, figshareApi: api })).rejects.toThrow(DownloadError);
      rmSync(other, { recursive: true, force: true });
    } finally {
      await server.close();
      rmSync(serveDir, { recursive: true, force: true });
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('Le2025Dataset fuzz', () => {
  it('seeded mutations of a pprox file and a metadata CSV give a dataset or a typed error only', async () => {
    let seed = 2025;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const mutate = (b: Uint8Array, alphabet: Uint8Array) => {
      const c = b.slice();
      for (let j = 0; j < 4; j++) c[Math.floor(rand() * c.length)] = alphabet[Math.floor(rand() * alphabet.length)];
      return c;
    };
    const files = le2025Files();
    const alphabet = new TextEncoder().encode('{}[]:,"0123456789.-eNa \n_');
    let built = 0;
    for (let k = 0; k < 40; k++) {
      const target = k % 2 ? 'nat8b-responses/C43_1_1_c5.pprox' : 'metadata/recordings.csv';
      const source = new MemorySource({ ...files, [target]: mutate(files[target], alphabet) });
      try {
        await Le2025Dataset.load({ source, smooth: false, computeReliability: false });
        built++;
      } catch (e) {
        expect(e instanceof FormatError || e instanceof ValueError || e instanceof DatasetValidationError).toBe(true);
      }
    }
    expect(built).toBeGreaterThan(0);
  });
});

describe('le2025Entry (the CLI)', () => {
  it('load and describe take the download folder, holding zebf-auditory-restoration-1/', async () => {
    const base = writeTree(Object.fromEntries(Object.entries(le2025Files()).map(([k, v]) => [`zebf-auditory-restoration-1/${k}`, v])), 'le-entry');
    const ds = await le2025Entry.load({ path: base, smooth: false, computeReliability: false });
    expect(ds.getN()).toBe(2);
    const d = await le2025Entry.describe!(base, { verify: false });
    expect(d.complete).toBe(true);
    expect(d.rows.find(([k]) => k === 'neurons')?.[1]).toBe('2');
    expect(d.rows.find(([k]) => k === 'missing pairs')?.[1]).toBe('7 of 10'); // 3 real cells of 5 × 2
    const empty = await le2025Entry.describe!(writeTree({ 'x.txt': new Uint8Array(1) }, 'le-empty'), { verify: false });
    expect(empty.complete).toBe(false);
  });
});

// NS1Dataset on the real release: counts, metadata, responses against an independent count of
// the spike structs, both stimulus modes, smoothing, the single-unit subset, neuron quality.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DatasetValidationError, FormatError, MemorySource, NS1Dataset, NS1_WAV_NAMES, decodeWav, hanningSmooth, neuralCollate, readMat, resample,
} from '../../../src/index.js';
import type { MatStruct } from '../../../src/index.js';
import { findNs1 } from '../../helpers/ns1-data.js';
import { num, writeMat } from '../../io/helpers/mat-writer.js';
import { releaseFiles } from './ns1-release.js';

const { dir } = findNs1('NS1Dataset tests');

describe.skipIf(!dir)('NS1Dataset (real release)', () => {
  let raw: NS1Dataset;
  beforeAll(() => {
    raw = new NS1Dataset({ path: dir!, smooth: false });
  }, 120_000);

  it('119 units × 20 sounds, spectrogram stimuli (1, 34, 999), responses (20, 999), no sentinel', () => {
    expect(raw.getN()).toBe(119);
    expect(raw.getS()).toBe(20);
    expect(raw.F).toBe(34); // DNet's X_nfht has 34 bands too, when the folder has test_data_5ms.mat
    expect(raw.hop).toBeNull();
    expect(raw.audioFs).toBeNull();
    expect(raw.hearingRangeHz).toEqual([200, 40000]);
    for (const st of raw.stims) expect(st.shape).toEqual([1, 34, 999]);
    for (const row of raw.responses) for (const r of row) expect(r.shape).toEqual([20, 999]);
    expect(Array.from(raw.nrnMasks.data).every((v) => v === 1)).toBe(true);
    expect(raw.length).toBe(20);
  });

  it('metadata: stimulus names, types and files; neuron keys in camelCase', () => {
    expect(raw.stimMeta.map((m) => m.name)).toEqual(Array.from({ length: 20 }, (_, i) => `nat${String(i + 1).padStart(2, '0')}`));
    const types = raw.stimMeta.map((m) => m.type);
    expect([types[0], types[19], types[3], types[6], types[8], types[11], types[1]]).toEqual([
      'water_sounds', 'water_sounds', 'ferret_vocalization', 'insects_buzzing', 'human_speech', 'human_speech', 'unknown',
    ]);
    expect(raw.stimMeta[12].file).toBe(`spikesandwav/SH.En.C/${NS1_WAV_NAMES[12]}`);
    expect(NS1_WAV_NAMES.slice(0, 2)).toEqual(['source.1.sound.0.snr.0.token.0.fw.2.frozen.1', 'source.1.sound.0.snr.0.token.0.fw.2.frozen.2']);
    expect(NS1_WAV_NAMES[12]).toBe('source.2.sound.0.snr.0.token.0.fw.1.frozen.1');
    expect(Object.keys(raw.nrnMeta[0]).sort()).toEqual(['area', 'cellId', 'depthUm', 'electrodeNumber', 'nElectrodes', 'noiseRatio', 'singleN', 'singleT', 'singleUnit'].sort());
    expect(raw.nrnMeta.every((m) => m.area === 'A1')).toBe(true);
    const single = raw.nrnMeta.map((m) => m.singleT);
    expect([single.filter((s) => s === 'Yes').length, single.filter((s) => s === 'Maybe').length, single.filter((s) => s === 'No').length]).toEqual([60, 16, 43]);
    expect(String(raw.nrnMeta[0].cellId)).not.toMatch(/\.mat$/);
  });

  it('responses equal an independent count from the spike structs (5 ms bins, ms-rounded, coincident spikes once)', () => {
    const meta = readMat(readFileSync(join(dir!, 'MetadataSHEnCneurons.mat')), 'meta');
    const units = (meta.neuron as MatStruct).elements;
    for (const n of [0, 17, 58, 118]) {
      const path = (units[n].path as { text: string }).text;
      const data = readMat(readFileSync(join(dir!, 'spikesandwav', path)), path).data as MatStruct;
      const sets = data.elements[0].set as MatStruct;
      for (const s of [0, 7, 19]) {
        const reps = (sets.elements[s].repeats as MatStruct).elements;
        let expectedTotal = 0;
        reps.forEach((rep) => {
          // independent rule: Set of rounded ms in [0, 4995), half to even via a different formula
          const ms = new Set<number>();
          const times = (rep.t as { data: ArrayLike<number> }).data;
          for (let k = 0; k < times.length; k++) {
            const x = Number(times[k]);
            const r = Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x);
            if (r >= 0 && r < 4995) ms.add(r);
          }
          expectedTotal += ms.size;
        });
        const cell = raw.responses[s][n];
        expect(cell.shape[0]).toBe(reps.length);
        let total = 0;
        for (const v of cell.data) total += v;
        expect(total).toBe(expectedTotal);
      }
    }
  });

  it('smooth (default) equals hanningSmooth(21 ms) of the raw responses', () => {
    const sm = new NS1Dataset({ path: dir!, singleUnitsOnly: true });
    const rawSingle = new NS1Dataset({ path: dir!, singleUnitsOnly: true, smooth: false });
    const expected = hanningSmooth(rawSingle.responses[5][3], 21, 5);
    const got = sm.responses[5][3].data;
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected.data[i], 5);
  }, 120_000);

  it('singleUnitsOnly keeps the 73 units of the authors\' filter', () => {
    const ds = new NS1Dataset({ path: dir!, singleUnitsOnly: true, smooth: false });
    expect(ds.getN()).toBe(73);
    expect(ds.nrnMeta.every((m) => (m.singleT === 'Yes' || m.singleT === 'Maybe') && (m.depthUm as number) >= 0 && m.singleUnit === true)).toBe(true);
    // the same 73 everywhere: the metadata flag on the full dataset, the static predicate
    const flagged = raw.nrnMeta.filter((m) => m.singleUnit === true).map((m) => m.cellId);
    expect(flagged).toEqual(ds.nrnMeta.map((m) => m.cellId));
    expect(raw.nrnMeta.filter((m) => NS1Dataset.isSingleUnit(m)).length).toBe(73);
    expect([NS1Dataset.isSingleUnit({ singleT: 'Yes', depthUm: 0 }), NS1Dataset.isSingleUnit({ singleT: 'Maybe', depthUm: -1 }), NS1Dataset.isSingleUnit({ singleT: 'No', depthUm: 300 })])
      .toEqual([true, false, false]);
    const byId = new Map(raw.nrnMeta.map((m, n) => [m.cellId, n]));
    const n = byId.get(ds.nrnMeta[10].cellId)!;
    expect(ds.responses[4][10].data).toEqual(raw.responses[4][n].data);
  }, 120_000);

  it('waveform mode: 48 kHz, hop 240, (1, 999·240) stimuli, identical responses; 16 kHz → (1, 999·80)', () => {
    const wave = new NS1Dataset({ path: dir!, smooth: false, returnWaveform: true });
    expect([wave.audioFs, wave.hop, wave.returnWaveform]).toEqual([48000, 240, true]);
    expect(wave.hearingRangeHz).toEqual([200, 40000]);
    for (const st of wave.stims) expect(st.shape).toEqual([1, 999 * 240]);
    for (let s = 0; s < 20; s++) for (let n = 0; n < 119; n += 13) expect(wave.responses[s][n].data).toEqual(raw.responses[s][n].data);
    // collate in waveform mode (test_ns1_waveform 6)
    const b = neuralCollate([0, 1, 2, 3].map((i) => wave.get(i)));
    expect(b.stims.shape).toEqual([4, 1, 999 * 240]);
    expect(b.responses.shape).toEqual([4, 119, 20, 999]);
    expect(b.validMask.shape).toEqual([4, 119, 20, 999]);
    expect(b.stims.data.some(Number.isNaN)).toBe(false);
    const w16 = new NS1Dataset({ path: dir!, smooth: false, returnWaveform: true, audioFs: 16000, singleUnitsOnly: true });
    expect(w16.stims[0].shape).toEqual([1, 999 * 80]);
    expect(w16.hop).toBe(80);
    // Sound 1 through torchaudio's float32 kernel by default (as deepSTRF resamples its float32
    // waveforms); the exact kernel on request. The two differ by up to 6.6e-4 (torchaudio's own gap).
    const x = decodeWav(readFileSync(join(dir!, 'spikesandwav/SH.En.C', NS1_WAV_NAMES[0]))).data.data as Float32Array;
    const f32 = resample(x, 48828, 48000, { kernelDtype: 'float32' }).subarray(0, 999 * 240);
    expect(wave.stims[0].data).toEqual(f32);
    const exact = new NS1Dataset({ path: dir!, smooth: false, returnWaveform: true, resampleKernel: 'float64', singleUnitsOnly: true });
    expect(exact.stims[0].data).toEqual(resample(x, 48828, 48000, { kernelDtype: 'float64' }).subarray(0, 999 * 240));
    let gap = 0;
    for (let i = 0; i < f32.length; i++) gap = Math.max(gap, Math.abs(f32[i] - exact.stims[0].data[i]));
    expect(gap).toBeGreaterThan(6.5e-4);
  }, 180_000);

  it('computeNeuronQuality on all 119 units: finite CCmax in (0, 1] for most, medians reported', () => {
    const q = raw.computeNeuronQuality();
    const single = raw.nrnMeta.map((m, n) => ((m.singleT === 'Yes' || m.singleT === 'Maybe') && (m.depthUm as number) >= 0 ? n : -1)).filter((n) => n >= 0);
    const med = (xs: number[]) => { const v = xs.filter(Number.isFinite).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
    const cc = single.map((n) => q.ccmax.data[n]);
    const snr = single.map((n) => q.snr.data[n]);
    console.log(`NS1 single units (73): median CCmax ${med(cc).toFixed(3)}, median SNR ${med(snr).toFixed(3)}; finite CCmax ${cc.filter(Number.isFinite).length}/73`);
    expect(cc.filter(Number.isFinite).length).toBeGreaterThan(50);
    for (const c of cc) if (Number.isFinite(c)) expect(c).toBeGreaterThan(0), expect(c).toBeLessThanOrEqual(1 + 1e-9);
    expect(raw.nrnMeta[single[0]].ccmax).toBe(q.ccmax.data[single[0]]);
  }, 120_000);

  it('the Rahman split', () => {
    expect(NS1Dataset.rahmanSplit()).toEqual({ trainVal: [0, 1, 2, 4, 5, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18], test: [3, 6, 9, 19] });
  });

  it('NS1Dataset.load reads the folder asynchronously and builds the same dataset', async () => {
    const a = await NS1Dataset.load({ path: dir!, smooth: false, singleUnitsOnly: true });
    const b = new NS1Dataset({ path: dir!, smooth: false, singleUnitsOnly: true });
    expect(a.getN()).toBe(73);
    expect(a.responses[19][72].data).toEqual(b.responses[19][72].data);
    expect(a.stims[3].data).toEqual(b.stims[3].data);
  }, 120_000);

  it('missing files: a typed error naming the file; with allowPartial a unit without spike file is skipped with a warning; the _1.mat twin is used', async () => {
    const files = releaseFiles(dir!);
    const wav7 = 'spikesandwav/SH.En.C/source.1.sound.0.snr.0.token.0.fw.2.frozen.7';
    const noWav = new Map(files);
    noWav.delete(wav7);
    const e = await NS1Dataset.load({ source: new MemorySource(noWav), singleUnitsOnly: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FormatError);
    expect((e as Error).message.startsWith(`memory:${wav7}: file not found`)).toBe(true);
    expect((e as FormatError).file).toBe(`memory:${wav7}`);
    const meta = readMat(readFileSync(join(dir!, 'MetadataSHEnCneurons.mat')), 'meta');
    const p0 = `spikesandwav/${(((meta.neuron as MatStruct).elements[0].path) as { text: string }).text}`;
    const p1 = `spikesandwav/${(((meta.neuron as MatStruct).elements[1].path) as { text: string }).text}`;
    const damaged = new Map(files);
    damaged.delete(p0); // no file, no twin → skipped only with allowPartial
    damaged.set(p1.replace(/\.mat$/, '_1.mat'), damaged.get(p1)!); // served under the _1.mat name instead
    damaged.delete(p1);
    await expect(NS1Dataset.load({ source: new MemorySource(damaged), smooth: false })).rejects.toThrow(`memory:${p0}: file not found`);
    const warnings: string[] = [];
    const ds = await NS1Dataset.load({ source: new MemorySource(damaged), smooth: false, allowPartial: true, onWarning: (w) => warnings.push(w) });
    expect(ds.getN()).toBe(118);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBe(`NS1: allowPartial: skipped 1 damaged or missing file of memory:: ${p0} (file not found)`);
    expect(ds.responses[2][0].data).toEqual(raw.responses[2][1].data);
  }, 180_000);

  it("spectrogram 'auto' / 'dnet': the reference's X_nfht (20, F, 1, T) from test_data_5ms.mat, column-major", async () => {
    const F = 3, T = 999;
    const values: number[] = new Array(20 * F * T);
    for (let n = 0; n < 20; n++) for (let f = 0; f < F; f++) for (let t = 0; t < T; t++) values[n + 20 * (f + F * t)] = n * 10000 + f * 1000 + t * 0.5;
    const dnet = writeMat([['X_nfht', num('double', [20, F, 1, T], values)], ['y_nt', num('double', [2, 2], [0, 0, 0, 0])]]);
    const files = releaseFiles(dir!);
    files.delete('test_data_5ms.mat'); // tests pass whether or not the folder has the DNet file
    const withDnet = new MemorySource(new Map([...files, ['test_data_5ms.mat', dnet]]));
    const ds = await NS1Dataset.load({ source: withDnet, singleUnitsOnly: true, smooth: false });
    expect(ds.spectrogramSource).toBe('dnet');
    expect(ds.F).toBe(3);
    expect(ds.stims[7].shape).toEqual([1, 3, 999]);
    expect(ds.stims[7].data[2 * 999 + 10]).toBe(7 * 10000 + 2 * 1000 + 5); // (n 7, f 2, t 10)
    expect((await NS1Dataset.load({ source: withDnet, singleUnitsOnly: true, spectrogram: 'causal-mel' })).F).toBe(34);
    const without = new MemorySource(files);
    expect((await NS1Dataset.load({ source: without, singleUnitsOnly: true, smooth: false })).spectrogramSource).toBe('causal-mel');
    await expect(NS1Dataset.load({ source: without, singleUnitsOnly: true, spectrogram: 'dnet' })).rejects.toThrow(/^memory:test_data_5ms\.mat: file not found/);
    const bad = writeMat([['X_nfht', num('double', [19, 2, 1, 4], new Array(152).fill(0))]]);
    await expect(NS1Dataset.load({ source: new MemorySource(new Map([...files, ['test_data_5ms.mat', bad]])), singleUnitsOnly: true }))
      .rejects.toThrow(/test_data_5ms\.mat: X_nfht has shape \[19, 2, 1, 4\], expected \(20, F, 1, T\)/);
  }, 180_000);

  it('bad options: dtMs other than 5, download in the constructor', () => {
    expect(() => new NS1Dataset({ path: dir!, dtMs: 10 })).toThrow(DatasetValidationError);
    expect(() => new NS1Dataset({ path: dir!, download: true })).toThrow(/NS1Dataset\.load/);
    expect(() => new NS1Dataset({ path: dir!, returnWaveform: true, audioFs: 44100 })).toThrow(/not an integer number of samples/);
  });
});

// CRCNSAA4Dataset on a tiny release in the real layout (test/helpers/zoo/aa4.ts): HDF5 units,
// sort types, stimulus registration by md5, dropped trials and units, per-wav rates, both modes;
// the synchronous constructor and load() run the same build and must give identical datasets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRCNSAA4Dataset, DatasetValidationError, FormatError, ValueError, aa4Entry, aa4Manifest, isSentinel, MemorySource } from '../../../src/index.js';

import { aa4Files } from '../../helpers/zoo/aa4.js';
import { buildH5 } from '../../io/helpers/h5-writer.js';
import { counts, row, text } from '../../helpers/zoo/theunissen.js';
import { cleanupTrees, writeTree } from '../../helpers/zoo/theunissen-tree.js';

const ANIMALS = ['GreBlu9508M', 'YelBlu6903F'];
let files: Record<string, Uint8Array>;
let path: string;
let ds: CRCNSAA4Dataset;
let sync: CRCNSAA4Dataset;
beforeAll(async () => {
  files = await aa4Files();
  path = writeTree(files, 'aa4');
  ds = await CRCNSAA4Dataset.load({ path, animals: ANIMALS, smooth: false });
  sync = new CRCNSAA4Dataset({ path, animals: ANIMALS, smooth: false });
});
afterAll(cleanupTrees);

/** Asserts two datasets hold the same metadata, stimuli and responses (NaN sentinels equal). */
function expectSame(a: CRCNSAA4Dataset, b: CRCNSAA4Dataset): void {
  expect(a.nrnMeta).toEqual(b.nrnMeta);
  expect(a.stimMeta).toEqual(b.stimMeta);
  expect(a.stims.map((s) => s.shape)).toEqual(b.stims.map((s) => s.shape));
  a.stims.forEach((s, i) => expect(Array.from(s.data)).toEqual(Array.from(b.stims[i].data)));
  a.responses.forEach((row, i) => row.forEach((r, n) => {
    expect(r.shape).toEqual(b.responses[i][n].shape);
    expect(Array.from(r.data)).toEqual(Array.from(b.responses[i][n].data));
  }));
}

describe.each([
  ['load()', () => ds],
  ['new CRCNSAA4Dataset({ path })', () => sync],
])('CRCNSAA4Dataset (fixture release) via %s', (_, get) => {
  let ds: CRCNSAA4Dataset;
  beforeAll(() => {
    ds = get();
  });

  it('units: noise skipped, singl → single, attributes, sub-sort, a unit with nothing recorded dropped', () => {
    expect(ds.nrnMeta).toEqual([
      { cellId: 'Site1_L1400R1400_e10_s0_ss1', animalId: 'GreBlu9508M', sex: 'M', site: 'Site1', electrode: 10, ldepth: 1400, rdepth: 1400, sortType: 'single', sortId: 0, subsortId: 1 },
      { cellId: 'Site2_L1500R1600_e3_s1_ss2', animalId: 'GreBlu9508M', sex: 'M', site: 'Site2', electrode: 3, ldepth: 1500, rdepth: 1600, sortType: 'single', sortId: 1, subsortId: 2 },
      { cellId: 'Site1_e1_s0', animalId: 'YelBlu6903F', sex: 'F', site: '', electrode: 0, ldepth: NaN, rdepth: NaN, sortType: 'single', sortId: 0, subsortId: null },
    ]);
    expect(ds.animals).toEqual(ANIMALS);
    expect(ds.hearingRangeHz).toEqual([250, 8000]);
  });

  it('stimuli: md5 order of first registration; missing wavs skipped; unheard mmm kept', () => {
    expect(ds.stimMeta).toEqual([
      { name: 'abc', type: 'call', class: 'Te', durationS: 0.1 },
      { name: 'def', type: 'song', class: 'So', durationS: 0.1 },
      { name: 'jkl', type: 'song', class: 'So', durationS: NaN },
      { name: 'mmm', type: 'mlnoise', class: 'Ri', durationS: 0.5 },
    ]);
    // 32 kHz: T = 1 + 3200 // 32 = 101; 24 414 Hz: hop 24, T = 1 + 2441 // 24 = 102; the stereo
    // 16 kHz wav gives one spectrogram per channel (no downmix, as the reference).
    expect(ds.stims.map((s) => s.shape)).toEqual([[1, 32, 101], [1, 32, 102], [2, 32, 101], [1, 32, 102]]);
  });

  it('responses: seconds → ms, negatives and empty trials dropped, crop to T, sentinels', () => {
    const r = ds.responses;
    // abc × unit 0: trial 0 → 2.5 ms, 3.1 ms → bins 2, 3 (200 ms cropped); trial 1 dropped; trial 10 → 50.
    expect(r[0][0].shape).toEqual([2, 101]);
    expect(row(r[0][0], 0)).toEqual(counts(101, { 2: 1, 3: 1 }));
    expect(row(r[0][0], 1)).toEqual(counts(101, { 50: 1 }));
    expect(row(r[0][1], 0)).toEqual(counts(101, { 10: 1 }));
    expect(row(r[0][2], 0)).toEqual(counts(101, { 90: 1 })); // T from GreBlu's wav, not YelBlu's 51
    expect(row(r[1][0], 0)).toEqual(counts(102, { 1: 2 }));
    expect(row(r[2][1], 0)).toEqual(counts(101, { 20: 1 }));
    expect([r[1][1], r[1][2], r[2][0], r[2][2], r[3][0], r[3][1], r[3][2]].every(isSentinel)).toBe(true);
  });

});

describe('CRCNSAA4Dataset: constructor and load()', () => {
  it('give identical datasets, in spectrogram and waveform mode, smoothed or not', async () => {
    expectSame(sync, ds);
    const o = { path, animals: ANIMALS, returnWaveform: true, audioFs: 16000 } as const;
    expectSame(new CRCNSAA4Dataset(o), await CRCNSAA4Dataset.load(o));
    expectSame(new CRCNSAA4Dataset({ path, animals: ['GreBlu9508M'], stimuli: ['song'] }), await CRCNSAA4Dataset.load({ path, animals: ['GreBlu9508M'], stimuli: ['song'] }));
  });

  it('stimuli filter, animal subset, waveform mode (resample, then downmix)', async () => {
    const calls = await CRCNSAA4Dataset.load({ path, animals: ANIMALS, stimuli: ['call'], smooth: false });
    expect(calls.stimMeta.map((m) => m.name)).toEqual(['abc']);
    expect(calls.nrnMeta.map((m) => m.cellId)).toEqual(['Site1_L1400R1400_e10_s0_ss1', 'Site2_L1500R1600_e3_s1_ss2', 'Site1_e1_s0']);
    expect([...calls.stimTypes]).toEqual(['call']);
    // YelBlu6903F alone: abc is registered from its own wav (T = 1 + 1600 // 32 = 51), so the spike
    // at 90 ms is cropped, the trial is all zeros, nothing is recorded and no unit is left.
    await expect(CRCNSAA4Dataset.load({ path, animals: ['YelBlu6903F'], smooth: false })).rejects.toThrow('nNeurons must be an integer > 0, got 0');
    const w = await CRCNSAA4Dataset.load({ path, animals: ANIMALS, smooth: false, returnWaveform: true, audioFs: 16000 });
    expect(w.hop).toBe(16);
    expect(w.stims.map((s) => s.shape)).toEqual([[1, 101 * 16], [1, 102 * 16], [1, 101 * 16], [1, 102 * 16]]);
    // jkl is native 16 kHz: no resampling; mono = (left + right) / 2 = tone / 2, then 16 zeros.
    const x = (i: number) => Math.round(0.5 * Math.sin((2 * Math.PI * 500 * i) / 16000) * 32768) / 32768 / 2;
    for (const i of [1, 5, 333, 1599]) expect(w.stims[2].data[i]).toBeCloseTo(x(i), 7);
    expect(Array.from(w.stims[2].data.subarray(1600))).toEqual(new Array(16).fill(0));
    expect(Array.from(w.responses[0][0].data)).toEqual(Array.from(ds.responses[0][0].data));
    const w24 = await CRCNSAA4Dataset.load({ path, animals: ANIMALS, returnWaveform: true });
    expect(w24.audioFs).toBe(24000);
    expect(w24.stims[0].shape).toEqual([1, 101 * 24]);
  });

  it('MemorySource and the registry entry give the same dataset; smoothing', async () => {
    const m = await CRCNSAA4Dataset.load({ source: new MemorySource(files), animals: ANIMALS, smooth: false });
    expect(m.nrnMeta).toEqual(ds.nrnMeta);
    expect(Array.from(m.stims[1].data)).toEqual(Array.from(ds.stims[1].data));
    const e = await aa4Entry.load({ path, animals: ANIMALS });
    // unit 0 × def: 2 spikes in bin 1; the 21-tap kernel's centre w[10] = 1 → 2.
    expect(e.responses[1][0].data[1]).toBeCloseTo(2, 5);
  });

  it('manifest: one archive per requested bird, plus CRCNSCode', () => {
    expect(aa4Manifest(['GreBlu9508M']).files.map((f) => [f.path, f.url, f.anchor])).toEqual([
      ['GreBlu9508M.tar.gz', 'https://download.crcns.org/aa-4/GreBlu9508M.tar.gz', 'GreBlu9508M'],
      ['CRCNSCode.tar.gz', 'https://download.crcns.org/aa-4/CRCNSCode.tar.gz', 'CRCNSCode'],
    ]);
    expect(aa4Entry.manifest({})?.files).toHaveLength(7);
  });
});

describe('CRCNSAA4Dataset errors', () => {
  it('unknown bird → ValueError; a missing bird names its folder; download needs load()', async () => {
    const unknown = new ValueError("unknown AA4 animal 'Robin' (expected one of BlaBro09xxF, GreBlu9508M, LblBlu2028M, WhiBlu5396M, WhiWhi4522M, YelBlu6903F)");
    await expect(CRCNSAA4Dataset.load({ path, animals: ['Robin'] })).rejects.toThrow(unknown);
    expect(() => new CRCNSAA4Dataset({ path, animals: ['Robin'] })).toThrow(unknown);
    // default animals: all six, and BlaBro09xxF is not in the fixture
    await expect(CRCNSAA4Dataset.load({ path })).rejects.toThrow(`${path}/BlaBro09xxF/wavfiles: folder not found`);
    expect(() => new CRCNSAA4Dataset({ path })).toThrow(`${path}/BlaBro09xxF/wavfiles: folder not found`);
    expect(() => new CRCNSAA4Dataset({ path, download: true })).toThrow(DatasetValidationError);
  });

  it('a unit file with a feature the reader does not support names the file and the feature', async () => {
    const soft = await buildH5((f) => {
      f.create_attribute('sortType', 'single');
      f.create_group('Call');
      f.create_soft_link('/Call', 'Link');
    });
    const bad = { ...files, 'YelBlu6903F/Site0_e1_s0.h5': soft };
    const msg = /YelBlu6903F\/Site0_e1_s0\.h5 @ byte \d+: group \/: member "Link" is a soft link, which is not supported/;
    await expect(CRCNSAA4Dataset.load({ source: new MemorySource(bad), animals: ANIMALS })).rejects.toThrow(msg);
    expect(() => new CRCNSAA4Dataset({ path: writeTree(bad, 'aa4-soft'), animals: ANIMALS })).toThrow(msg);
  });

  it('a damaged unit file names the file', async () => {
    const bad = { ...files, 'YelBlu6903F/Site0_e1_s0.h5': text('not hdf5') };
    await expect(CRCNSAA4Dataset.load({ source: new MemorySource(bad), animals: ANIMALS })).rejects.toThrow(FormatError);
    await expect(CRCNSAA4Dataset.load({ source: new MemorySource(bad), animals: ANIMALS })).rejects.toThrow('memory:YelBlu6903F/Site0_e1_s0.h5');
    const dir = writeTree(bad, 'aa4-bad');
    expect(() => new CRCNSAA4Dataset({ path: dir, animals: ANIMALS })).toThrow(new FormatError(`${dir}/YelBlu6903F/Site0_e1_s0.h5`, 'expected the HDF5 signature \\x89HDF\\r\\n\\x1a\\n (not an HDF5 file)', 0));
  });
});

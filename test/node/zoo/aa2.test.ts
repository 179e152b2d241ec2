// CRCNSAA2Dataset on a tiny release in the real layout (test/helpers/zoo/aa2.ts): CSV metadata,
// area expansion and orders, the animal list from cell_stim_classes.csv (first row = header),
// the removal loop's skip, stimulus discovery order, sentinels, both modes, typed errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRCNSAA2Dataset, DatasetValidationError, FormatError, ValueError, aa2Entry, isSentinel, MemorySource } from '../../../src/index.js';

import { aa2Files } from '../../helpers/zoo/aa2.js';
import { counts, row, text } from '../../helpers/zoo/theunissen.js';
import { cleanupTrees, writeTree } from '../../helpers/zoo/theunissen-tree.js';

const tree = (files = aa2Files()) => writeTree(files, 'aa2');
afterAll(cleanupTrees);
const ids = (ds: CRCNSAA2Dataset) => ds.nrnMeta.map((m) => `${m.cellId}:${m.area}`);

describe('CRCNSAA2Dataset (fixture release)', () => {
  let path: string;
  let ds: CRCNSAA2Dataset;
  beforeAll(() => {
    path = tree();
    ds = new CRCNSAA2Dataset({ path, smooth: false });
  });

  it('cells: Field_L expands to L…L3 with fine labels; c7 (header row) dropped; removal loop skips the next cell', () => {
    // Before removal: c4_2:L, c1_1_A:L2a, c2_3:mld, c5_1:OV, c6_1:OV, c3_4:None. c4_2 removed (c1_1_A
    // not checked), c5_1 removed → c6_1 skipped, so it stays although it has no requested type.
    expect(ids(ds)).toEqual(['c1_1_A:L2a', 'c2_3:mld', 'c6_1:OV', 'c3_4:None']);
    expect(ds.nrnMeta[0]).toEqual({ cellId: 'c1_1_A', animalId: 'c1', area: 'L2a', cellSeq: 1, rig: 'A' });
    expect(ds.nrnMeta[1]).toEqual({ cellId: 'c2_3', animalId: 'c2', area: 'mld', cellSeq: 3, rig: null });
    expect(ds.species).toBe('zebra finch');
    expect(ds.hearingRangeHz).toEqual([250, 8000]);
  });

  it("stimuli: types in the requested order, each in first-encounter order; s5 dropped; metadata from stim_data.csv", () => {
    expect(ds.stimMeta).toEqual([
      { name: 's1.wav', type: 'conspecific', sampleRate: 32000, nSamples: 3200, durationS: 0.1 },
      { name: 's3.wav', type: 'flatrip', sampleRate: null, nSamples: null, durationS: null },
      { name: 's2.wav', type: 'songrip', sampleRate: 32000, nSamples: 2000, durationS: 0.0625 },
    ]);
    expect(ds.stims.map((s) => s.shape)).toEqual([[1, 32, 101], [1, 32, 51], [1, 32, 63]]);
  });

  it('responses: floor bins, coincident spikes, sentinels', () => {
    const r = ds.responses;
    // c1_1_A / s1: "1.0 2.5 " → bins 1, 2; "3.0 " → bin 3.
    expect(r[0][0].shape).toEqual([2, 101]);
    expect(row(r[0][0], 0)).toEqual(counts(101, { 1: 1, 2: 1 }));
    expect(row(r[0][0], 1)).toEqual(counts(101, { 3: 1 }));
    // c3_4 / s3: bin 10 of 51; c2_3 / s2: 0.5 and 0.7 share bin 0.
    expect(row(r[1][3], 0)).toEqual(counts(51, { 10: 1 }));
    expect(row(r[2][1], 0)).toEqual(counts(63, { 0: 2 }));
    expect(Array.from(ds.nrnMasks.data)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    expect([r[0][2], r[1][2], r[2][2]].every(isSentinel)).toBe(true); // c6_1 heard nothing
  });

  it("areas: 'all' has its own order; sub-areas; animals; stimuli", () => {
    const all = new CRCNSAA2Dataset({ path, smooth: false, areas: 'all' });
    // Field_L, OV, CM, mld, None: c4_2, c1_1_A, c5_1, c6_1, c2_3, c3_4 → c4_2 out (skip c1_1_A),
    // c5_1 out (skip c6_1).
    expect(ids(all)).toEqual(['c1_1_A:L2a', 'c6_1:OV', 'c2_3:mld', 'c3_4:None']);
    expect(ids(new CRCNSAA2Dataset({ path, smooth: false, areas: ['None', 'L2a'] }))).toEqual(['c3_4:None', 'c1_1_A:L2a']);
    const c7 = new CRCNSAA2Dataset({ path, smooth: false, animals: ['c7'], areas: ['CM'] });
    expect(ids(c7)).toEqual(['c7_1:CM']);
    expect(row(c7.responses[0][0], 0)).toEqual(counts(101, { 5: 1 }));
    const song = new CRCNSAA2Dataset({ path, smooth: false, stimuli: ['songrip', 'conspecific'] });
    expect(song.stimMeta.map((m) => m.name)).toEqual(['s2.wav', 's1.wav']);
    // c3_4 has only flatrip: removed; c6_1 still skipped after c5_1.
    expect(ids(song)).toEqual(['c1_1_A:L2a', 'c2_3:mld', 'c6_1:OV']);
  });

  it('waveform mode and dtMs', () => {
    const w = new CRCNSAA2Dataset({ path, smooth: false, returnWaveform: true, audioFs: 16000 });
    expect(w.hop).toBe(16);
    expect(w.stims.map((s) => s.shape)).toEqual([[1, 101 * 16], [1, 51 * 16], [1, 63 * 16]]);
    const d2 = new CRCNSAA2Dataset({ path, smooth: false, dtMs: 2 });
    expect(d2.stims[0].shape).toEqual([1, 32, 51]);
    expect(row(d2.responses[0][0], 0)).toEqual(counts(51, { 0: 1, 1: 1 })); // 1.0 → 0, 2.5 → 1
    const sm = new CRCNSAA2Dataset({ path });
    // c2_3 / s2: 2 spikes in bin 0; the 21-tap Hann kernel's centre tap w[10] = 1 → bin 0 = 2.
    expect(sm.responses[2][1].data[0]).toBeCloseTo(2, 5);
  });

  it('load(): folder, MemorySource and the registry entry agree with the constructor', async () => {
    for (const other of [
      await CRCNSAA2Dataset.load({ path, smooth: false }),
      await CRCNSAA2Dataset.load({ source: new MemorySource(aa2Files()), smooth: false }),
      await aa2Entry.load({ path, smooth: false }),
    ]) {
      expect(ids(other as CRCNSAA2Dataset)).toEqual(ids(ds));
      expect(other.stimMeta).toEqual(ds.stimMeta);
      expect(Array.from(other.responses[0][0].data)).toEqual(Array.from(ds.responses[0][0].data));
      expect(Array.from(other.stims[2].data)).toEqual(Array.from(ds.stims[2].data));
    }
    expect(aa2Entry.manifest({})?.files.map((f) => [f.path, f.url, f.archive, f.anchor])).toEqual([
      ['crcns-aa2-docs.tar.gz', 'https://download.crcns.org/aa-2/crcns-aa2-docs.tar.gz', 'tar.gz', 'stim_data.csv'],
      ['crcns-aa2-all_cells.tar.gz', 'https://download.crcns.org/aa-2/crcns-aa2-all_cells.tar.gz', 'tar.gz', 'all_cells'],
      ['crcns-aa2-all_stims.tar.gz', 'https://download.crcns.org/aa-2/crcns-aa2-all_stims.tar.gz', 'tar.gz', 'all_stims'],
    ]);
  });
});

describe('CRCNSAA2Dataset errors', () => {
  it('unknown area or type → ValueError', () => {
    const path = tree();
    expect(() => new CRCNSAA2Dataset({ path, areas: ['HVC'] })).toThrow(ValueError);
    expect(() => new CRCNSAA2Dataset({ path, areas: ['HVC'] })).toThrow("unknown area 'HVC'");
    expect(() => new CRCNSAA2Dataset({ path, stimuli: ['bengalese'] })).toThrow("unknown stimulus type 'bengalese'");
    expect(() => new CRCNSAA2Dataset({ path, areas: ['OV'] })).toThrow(DatasetValidationError); // c6_1 only, heard nothing
  });

  it('damaged files name the file', () => {
    const p1 = tree({ ...aa2Files(), 'cell_regions.csv': text('c1_1_A,x,HVC\n') });
    expect(() => new CRCNSAA2Dataset({ path: p1 })).toThrow(new FormatError(`${p1}/cell_regions.csv`, "row 1: unknown region label 'HVC' (expected one of L, L1, L2a, L2b, L3, mld, OV, CM, None)"));
    const p2 = tree({ ...aa2Files(), 'stim_data.csv': text('wav,rate,bits,n,class\n') });
    expect(() => new CRCNSAA2Dataset({ path: p2 })).toThrow(`${p2}/stim_data.csv: row 1: expected a sample rate`);
    const noStims = Object.fromEntries(Object.entries(aa2Files()).filter(([k]) => k !== 'all_stims/s3.wav'));
    const p3 = tree(noStims);
    expect(() => new CRCNSAA2Dataset({ path: p3 })).toThrow(`${p3}/all_stims/s3.wav: file not found`);
    const p4 = tree({ ...aa2Files(), 'all_cells/c2_3/songrip/stim1': new Uint8Array(0) });
    expect(() => new CRCNSAA2Dataset({ path: p4 })).toThrow(`${p4}/all_cells/c2_3/songrip/stim1: empty stim file`);
    const p5 = tree({ ...aa2Files(), 'cell_regions.csv': text('c1_1_A,x,L2a\nc9_1,x,mld\n') });
    expect(() => new CRCNSAA2Dataset({ path: p5, animals: ['c1', 'c9'] })).toThrow(`${p5}/all_cells/c9_1: folder not found`);
    const noCsv = Object.fromEntries(Object.entries(aa2Files()).filter(([k]) => k !== 'stim_data.csv'));
    const p6 = tree(noCsv);
    expect(() => new CRCNSAA2Dataset({ path: p6 })).toThrow(`${p6}/stim_data.csv: file not found`);
  });
});

describe('CRCNSAA2Dataset fuzz', () => {
  it('seeded mutations of the CSVs give a dataset or a typed error only', async () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const files = aa2Files();
    const alphabet = new TextEncoder().encode(',"\n \rLmOVCN0123456789_.x');
    let built = 0;
    for (let k = 0; k < 45; k++) {
      const target = ['cell_regions.csv', 'stim_data.csv', 'cell_stim_classes.csv'][k % 3];
      const b = files[target].slice();
      for (let j = 0; j < 3; j++) b[Math.floor(rand() * b.length)] = alphabet[Math.floor(rand() * alphabet.length)];
      try {
        await CRCNSAA2Dataset.load({ source: new MemorySource({ ...files, [target]: b }), smooth: false });
        built++;
      } catch (e) {
        expect(e instanceof FormatError || e instanceof ValueError || e instanceof DatasetValidationError).toBe(true);
      }
    }
    expect(built).toBeGreaterThan(0);
  });
});

// CRCNSAA1Dataset on a tiny release in the real layout (test/helpers/zoo/aa1.ts): selection,
// spike parsing and binning, sentinels, dropped stimuli, both modes, the spectrogram against a
// naive DFT, smoothing, typed errors. Expected values are worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRCNSAA1Dataset, DatasetValidationError, FormatError, ValueError, aa1Entry, encodeWav, isSentinel, MemorySource } from '../../../src/index.js';

import { AA1_A_SAMPLES, AA1_TONE_HZ, aa1Files } from '../../helpers/zoo/aa1.js';
import { counts, naiveMelFrame, row, text, toneSamples } from '../../helpers/zoo/theunissen.js';
import { cleanupTrees, writeTree } from '../../helpers/zoo/theunissen-tree.js';

const tree = (files = aa1Files()) => writeTree(files, 'aa1');
afterAll(cleanupTrees);

describe('CRCNSAA1Dataset (fixture release)', () => {
  let path: string;
  let ds: CRCNSAA1Dataset;
  beforeAll(() => {
    path = tree();
    ds = new CRCNSAA1Dataset({ path, smooth: false });
  });

  it('keeps cells with a requested stimulus folder, in area then name order; metadata from the names', () => {
    // MLd qq4_1 has only an `other/` folder → removed.
    expect(ds.getN()).toBe(4);
    expect(ds.nrnMeta).toEqual([
      { cellId: 'x1_1_A', animalId: 'x1', area: 'Field_L', cellSeq: 1, rig: 'A' },
      { cellId: 'yy2_3', animalId: 'yy2', area: 'Field_L', cellSeq: 3, rig: null },
      { cellId: 'weird_x', animalId: 'weird', area: 'MLd', cellSeq: null, rig: null },
      { cellId: 'zz3_2_B', animalId: 'zz3', area: 'MLd', cellSeq: 2, rig: 'B' },
    ]);
    expect(ds.species).toBe('zebra finch');
    expect(ds.behavioralState).toBe('anesthetized');
    expect(ds.hearingRangeHz).toEqual([250, 8000]);
    expect(ds.F).toBe(32);
    expect(ds.audioFs).toBeNull();
  });

  it('drops c.wav (nobody heard it); stimulus metadata from the wavs', () => {
    expect(ds.stimMeta).toEqual([
      { name: 'a.wav', type: 'conspecific', sampleRate: 32000, nSamples: 3200, durationS: 0.1 },
      { name: 'b.wav', type: 'flatrip', sampleRate: 32000, nSamples: 2000, durationS: 0.0625 },
    ]);
    // T = 1 + floor(N / 32): 101 and 63 frames.
    expect(ds.stims[0].shape).toEqual([1, 32, 101]);
    expect(ds.stims[1].shape).toEqual([1, 32, 63]);
  });

  it('spike files: negatives dropped, floor binning, last token dropped, empty trial, padding and cropping to T', () => {
    const r = ds.responses;
    // x1_1_A / a: lines "-5.0 3.2 7.9 ", "12.0 ", "" → bins {3, 7}, {12}, {} → (3, 101).
    expect(r[0][0].shape).toEqual([3, 101]);
    expect(row(r[0][0], 0)).toEqual(counts(101, { 3: 1, 7: 1 }));
    expect(row(r[0][0], 1)).toEqual(counts(101, { 12: 1 }));
    expect(row(r[0][0], 2)).toEqual(counts(101, {}));
    // yy2_3 has no conspecific folder; x1_1_A no flatrip folder → sentinels.
    expect(isSentinel(r[0][1])).toBe(true);
    expect(isSentinel(r[1][0])).toBe(true);
    // weird_x / a: "1.0 " → bin 1.
    expect(row(r[0][2], 0)).toEqual(counts(101, { 1: 1 }));
    // zz3_2_B / a: 0.0 and 0.999 share bin 0 (count 2); 100.99 → bin 100 (length 101 = T).
    expect(r[0][3].shape).toEqual([1, 101]);
    expect(row(r[0][3], 0)).toEqual(counts(101, { 0: 2, 100: 1 }));
    // yy2_3 / b: stim10 sorts before stim2 → spike10: "2.5 2.9 150.0 " → bin 2 twice, 150 cropped
    // (T = 63); "1.0 4.0" has no trailing space, so its last spike is dropped → bin 1 only.
    expect(r[1][1].shape).toEqual([2, 63]);
    expect(row(r[1][1], 0)).toEqual(counts(63, { 2: 2 }));
    expect(row(r[1][1], 1)).toEqual(counts(63, { 1: 1 }));
    expect(isSentinel(r[1][2])).toBe(true);
    expect(isSentinel(r[1][3])).toBe(true);
    expect(Array.from(ds.nrnMasks.data)).toEqual([1, 0, 1, 1, 0, 1, 0, 0]);
  });

  it('spectrogram: cube root of the torchaudio mel power (naive DFT of frame 50)', () => {
    const raw = new CRCNSAA1Dataset({ path, smooth: false, compression: 'none' });
    const x = toneSamples(AA1_A_SAMPLES, 32000, AA1_TONE_HZ);
    const want = naiveMelFrame(x, 50 * 32, 320, 32000, 32);
    const got = Array.from({ length: 32 }, (_, m) => raw.stims[0].data[m * 101 + 50]);
    const peak = Math.max(...want);
    want.forEach((w, m) => expect(Math.abs(got[m] - w)).toBeLessThan(1e-4 * peak + 1e-6));
    const cubic = ds.stims[0].data, log1p = new CRCNSAA1Dataset({ path, smooth: false, compression: 'log1p' }).stims[0].data;
    const other = new CRCNSAA1Dataset({ path, smooth: false, compression: 'db' }).stims[0].data;
    for (const i of [0, 50, 7 * 101 + 50, 31 * 101 + 100]) {
      expect(cubic[i]).toBeCloseTo(Math.cbrt(raw.stims[0].data[i]), 5);
      expect(log1p[i]).toBeCloseTo(Math.log1p(raw.stims[0].data[i]), 5);
      expect(other[i]).toBe(raw.stims[0].data[i]); // an unknown compression means none
    }
    expect(Array.from(ds.stims[1].data).every((v) => v === 0)).toBe(true); // silence
  });

  it('dtMs = 2: hop 64, n_fft max(round(10/2·64), 64) = 320, T = 1 + 3200 // 64 = 51, bins ⌊t/2⌋', () => {
    const d2 = new CRCNSAA1Dataset({ path, smooth: false, dtMs: 2 });
    expect(d2.stims[0].shape).toEqual([1, 32, 51]);
    expect(row(d2.responses[0][0], 0)).toEqual(counts(51, { 1: 1, 3: 1 })); // 3.2 → 1, 7.9 → 3
    expect(row(d2.responses[0][3], 0)).toEqual(counts(51, { 0: 2, 50: 1 }));
    expect(d2.stims[1].shape).toEqual([1, 32, 32]); // 1 + 2000 // 64
  });

  it('dtMs = 0.1: Python float floor division (1.0 // 0.1 = 9, not 10)', () => {
    const d = new CRCNSAA1Dataset({ path, smooth: false, dtMs: 0.1, windowMs: 1 });
    // hop int(0.1·32) = 3, T = 1 + 3200 // 3 = 1067; weird_x's spike at 1.0 ms lands in bin 9.
    expect(d.stims[0].shape[2]).toBe(1067);
    expect(row(d.responses[0][2], 0).indexOf(1)).toBe(9);
  });

  it('smoothing (default): 21-bin Hann kernel, unnormalised', () => {
    const sm = new CRCNSAA1Dataset({ path });
    // x1_1_A / a row 0 has spikes at bins 3 and 7; at bin 5 the kernel taps 8 and 12 hit them:
    // w[k] = 0.5 − 0.5·cos(2πk/20) → w[8] + w[12] = 1 − cos(0.8π).
    expect(sm.responses[0][0].data[5]).toBeCloseTo(1 - Math.cos(0.8 * Math.PI), 5);
    expect(isSentinel(sm.responses[0][1])).toBe(true);
  });

  it('filters: areas, stimuli, animals', () => {
    expect(new CRCNSAA1Dataset({ path, smooth: false, areas: 'all' }).nrnMeta.map((m) => m.cellId)).toEqual(['x1_1_A', 'yy2_3', 'weird_x', 'zz3_2_B']);
    const mld = new CRCNSAA1Dataset({ path, smooth: false, areas: ['MLd', 'Field_L'] });
    expect(mld.nrnMeta.map((m) => `${m.cellId}:${m.area}`)).toEqual(['weird_x:MLd', 'zz3_2_B:MLd', 'x1_1_A:Field_L', 'yy2_3:Field_L']);
    const flat = new CRCNSAA1Dataset({ path, smooth: false, stimuli: ['flatrip'] });
    expect(flat.nrnMeta.map((m) => m.cellId)).toEqual(['yy2_3']);
    expect(flat.stimMeta.map((m) => m.name)).toEqual(['b.wav']);
    const order = new CRCNSAA1Dataset({ path, smooth: false, stimuli: ['flatrip', 'conspecific'] });
    expect(order.stimMeta.map((m) => m.name)).toEqual(['b.wav', 'a.wav']);
    const zz = new CRCNSAA1Dataset({ path, smooth: false, animals: ['zz3'] });
    expect(zz.nrnMeta.map((m) => m.cellId)).toEqual(['zz3_2_B']);
    expect(zz.stimMeta.map((m) => m.name)).toEqual(['a.wav']); // nobody left heard b.wav
    expect(() => new CRCNSAA1Dataset({ path, areas: ['MLd'], stimuli: ['flatrip'] })).toThrow(DatasetValidationError);
  });

  it('waveform mode: the wav locked to T · hop samples; responses unchanged', () => {
    const w = new CRCNSAA1Dataset({ path, smooth: false, returnWaveform: true });
    expect(w.audioFs).toBe(32000);
    expect(w.hop).toBe(32);
    expect(w.F).toBe(32);
    expect(w.stims[0].shape).toEqual([1, 101 * 32]);
    const x = toneSamples(AA1_A_SAMPLES, 32000, AA1_TONE_HZ);
    for (const i of [1, 7, 999, 3199]) expect(w.stims[0].data[i]).toBeCloseTo(x[i], 6);
    expect(Array.from(w.stims[0].data.subarray(3200))).toEqual(new Array(32).fill(0));
    expect(w.stims[1].shape).toEqual([1, 63 * 32]); // 2016 samples of a 2000-sample wav
    expect(w.responses[0][0].data).toEqual(new CRCNSAA1Dataset({ path, smooth: false }).responses[0][0].data);
    const w16 = new CRCNSAA1Dataset({ path, smooth: false, returnWaveform: true, audioFs: 16000 });
    expect(w16.hop).toBe(16);
    expect(w16.stims[0].shape).toEqual([1, 101 * 16]);
    // 1 kHz at 16 kHz: sample i ≈ 0.5·sin(2π·i/16) away from the edges.
    for (const i of [400, 401, 805]) expect(w16.stims[0].data[i]).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * i) / 16), 2);
  });

  it('load(): from the folder and from a MemorySource give the constructor\'s values', async () => {
    const a = await CRCNSAA1Dataset.load({ path, smooth: false });
    const b = await CRCNSAA1Dataset.load({ source: new MemorySource(aa1Files()), smooth: false });
    const c = await aa1Entry.load({ path, smooth: false });
    for (const other of [a, b, c]) {
      expect(other).toBeInstanceOf(CRCNSAA1Dataset);
      expect(other.nrnMeta).toEqual(ds.nrnMeta);
      expect(other.stimMeta).toEqual(ds.stimMeta);
      expect(Array.from(other.stims[0].data)).toEqual(Array.from(ds.stims[0].data));
      expect(Array.from(other.responses[1][1].data)).toEqual(Array.from(ds.responses[1][1].data));
    }
    expect(b.path).toBe('memory:');
  });

  it('registry entry', () => {
    expect(aa1Entry.name).toBe('aa1');
    expect(aa1Entry.className).toBe('CRCNSAA1Dataset');
    expect(aa1Entry.cacheFolder).toBe('AA1');
    expect(aa1Entry.accountNeeded).toBe(true);
    const m = aa1Entry.manifest({});
    expect(m?.files.map((f) => [f.path, f.url, f.archive, f.anchor])).toEqual([['crcns-aa1.zip', 'https://download.crcns.org/aa-1/crcns-aa1.zip', 'zip', 'Field_L_cells']]);
  });
});

describe('CRCNSAA1Dataset errors', () => {
  it('unknown area or stimulus type → ValueError naming it', () => {
    const path = tree();
    expect(() => new CRCNSAA1Dataset({ path, areas: ['HVC'] })).toThrow(new ValueError("unknown area 'HVC' (expected one of 'Field_L', 'MLd')"));
    expect(() => new CRCNSAA1Dataset({ path, stimuli: ['songrip'] })).toThrow(new ValueError("unknown stimulus type 'songrip' (expected one of 'conspecific', 'flatrip')"));
  });

  it('download in the synchronous constructor → DatasetValidationError', () => {
    expect(() => new CRCNSAA1Dataset({ path: tree(), download: true })).toThrow(/async factory/);
  });

  it('damaged files are FormatErrors naming the file', async () => {
    const dbl = { ...aa1Files(), 'MLd_cells/zz3_2_B/conspecific/spike1': text('1.0  2.0 \n') };
    const p1 = tree(dbl);
    expect(() => new CRCNSAA1Dataset({ path: p1 })).toThrow(FormatError);
    expect(() => new CRCNSAA1Dataset({ path: p1 })).toThrow(`${p1}/MLd_cells/zz3_2_B/conspecific/spike1: line 1, token 2: '' is not a number`);
    await expect(CRCNSAA1Dataset.load({ source: new MemorySource(dbl) })).rejects.toThrow("memory:MLd_cells/zz3_2_B/conspecific/spike1: line 1, token 2: '' is not a number");
    const rate = { ...aa1Files(), 'all_stims/flatrip/b.wav': encodeWav(new Float32Array(2000), 44100) };
    const p2 = tree(rate);
    expect(() => new CRCNSAA1Dataset({ path: p2 })).toThrow(`${p2}/all_stims/flatrip/b.wav: sample rate 44100 Hz, expected 32000 Hz`);
    const badWav = { ...aa1Files(), 'all_stims/flatrip/b.wav': text('not a wav') };
    expect(() => new CRCNSAA1Dataset({ path: tree(badWav) })).toThrow(/all_stims\/flatrip\/b\.wav.*RIFF/);
    const noMld = Object.fromEntries(Object.entries(aa1Files()).filter(([k]) => !k.startsWith('MLd_cells')));
    const p3 = tree(noMld);
    expect(() => new CRCNSAA1Dataset({ path: p3 })).toThrow(`${p3}/MLd_cells: folder not found`);
    expect(new CRCNSAA1Dataset({ path: p3, areas: ['Field_L'], smooth: false }).getN()).toBe(2);
    const badNum = { ...aa1Files(), 'MLd_cells/zz3_2_B/conspecific/stim0x': text('a.wav\n') };
    expect(() => new CRCNSAA1Dataset({ path: tree(badNum) })).toThrow(/stim0x: the file number '0x' after the first 4 characters is not an integer/);
    const empty = { ...aa1Files(), 'MLd_cells/zz3_2_B/conspecific/spike1': new Uint8Array(0) };
    expect(() => new CRCNSAA1Dataset({ path: tree(empty) })).toThrow(/spike1: no trial lines/);
  });

  it('spike-file fuzz: seeded mutations give a dataset or a typed error only', async () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const base = text('-5.0 3.2 7.9 \n12.0 \n\n');
    const alphabet = text(' \n\r.-e0123456789naif_x');
    let built = 0;
    for (let k = 0; k < 60; k++) {
      const b = base.slice();
      for (let j = 0; j < 3; j++) b[Math.floor(rand() * b.length)] = alphabet[Math.floor(rand() * alphabet.length)];
      const source = new MemorySource({ ...aa1Files(), 'Field_L_cells/x1_1_A/conspecific/spike1': b });
      try {
        await CRCNSAA1Dataset.load({ source, smooth: false });
        built++;
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
      }
    }
    expect(built).toBeGreaterThan(0);
  });
});

describe('aa1Entry.describe (deepstrf info)', () => {
  it('anchors present → the dataset counted; absent → incomplete', async () => {
    const d = await aa1Entry.describe!(tree(), { verify: false });
    expect(d.complete).toBe(true);
    expect(Object.fromEntries(d.rows)).toMatchObject({ neurons: '4', stimuli: '2, bins of 1 ms', repeats: '1–3 per (stimulus, neuron)', 'missing pairs': '4 of 8' });
    const noMld = Object.fromEntries(Object.entries(aa1Files()).filter(([k]) => !k.startsWith('MLd_cells')));
    const d2 = await aa1Entry.describe!(tree(noMld), { verify: false });
    expect(d2.complete).toBe(false);
    expect(d2.data.missing).toEqual(['MLd_cells']);
  });
});

// CRCNSAA5Dataset on a tiny prepared cache (test/helpers/zoo/aa5-fixture.ts). Every expected value
// below is worked out by hand from the rules in docs/zoo/aa5.md: bin b = floor((t + 0.5)·1000/dt),
// kept 0 ≤ b < T; playback flags with Python truthiness; groups sorted by trial id.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AA5_SITES, CRCNSAA5Dataset, FormatError, SourceFileError, ValueError, aa5Entry, aa5StimInfo, encodeWav, isSentinel, parseAA5Site, type Tensor,
} from '../../../src/index.js';
import { MemorySource } from '../../../src/sources/memory.js';
import { CALL, RIPPLE, SFILT, SITE_A, SITE_B, SONG, aa5Files, pyJson } from '../../helpers/zoo/aa5-fixture.js';

const T = 1000;
/** A (R, T) row set from sparse bins: rows[r] = { bin: count }. */
function dense(rows: Array<Record<number, number>>, len = T): number[][] {
  return rows.map((r) => {
    const out = new Array<number>(len).fill(0);
    for (const [b, v] of Object.entries(r)) out[Number(b)] = v;
    return out;
  });
}
const rowsOf = (t: Tensor): number[][] => {
  const [R, L] = t.shape;
  return Array.from({ length: R }, (_, r) => Array.from(t.data.subarray(r * L, (r + 1) * L)));
};
const mem = (files = aa5Files()) => new MemorySource(files);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aa5-'));
  for (const [p, b] of Object.entries(aa5Files())) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), b);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CRCNSAA5Dataset: responses', () => {
  let ds: CRCNSAA5Dataset;
  beforeAll(async () => {
    ds = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true });
  });

  it('sites in bird order, units with a kept group, stimuli ordered by class then name', () => {
    expect(ds.sites).toEqual([SITE_A, SITE_B]);
    expect(ds.stimMeta.map((m) => m.name)).toEqual([CALL, SONG, SFILT, RIPPLE]);
    expect(ds.nrnMeta.map((m) => m.cellId)).toEqual([`${SITE_A}_e1-c2`, `${SITE_A}_e3-c12`, `${SITE_B}_e7-c3`]);
    expect([ds.T, ds.onsetBin, ds.F, ds.audioFs, ds.hop]).toEqual([1000, 100, 32, 25000, 125]);
  });

  it('binning: window edges, coincident spikes, rows sorted by trial id', () => {
    // Trial 2: −0.5 → bin 0; 0.0, 0.0, 0.002 → bin 100; 4.4999 → 999; 4.5 → dropped.
    // Trial 3: 0.125 → 125; −0.625 and 4.625 outside. Trial 7: 1.0 twice → bin 300.
    expect(rowsOf(ds.responses[0][0])).toEqual(dense([{ 0: 1, 100: 3, 999: 1 }, { 125: 1 }, { 300: 2 }]));
    expect(ds.trialIds[0][0]).toEqual([2, 3, 7]);
    expect(rowsOf(ds.responses[0][1])).toEqual(dense([{}]));
    expect(ds.trialIds[0][1]).toEqual([2]);
    expect(rowsOf(ds.responses[2][1])).toEqual(dense([{ 100: 1 }]));
    expect(rowsOf(ds.responses[3][2])).toEqual(dense([{ 200: 1 }, { 200: 1, 250: 1 }]));
    expect(ds.trialIds[3][2]).toEqual([10, 12]);
  });

  it('dropped trials (misaligned, next-playback overlap) and missing pairs are sentinels', () => {
    // Song: A-u0 has trial 4 (kept), A-u1 only trial 1 (next playback after 3 s: dropped).
    expect(rowsOf(ds.responses[1][0])).toEqual(dense([{}]));
    expect(isSentinel(ds.responses[1][1])).toBe(true);
    expect(ds.trialIds[1][1]).toEqual([]);
    for (const [s, n] of [[0, 2], [2, 0], [2, 2], [3, 0], [3, 1]]) expect(isSentinel(ds.responses[s][n])).toBe(true);
    expect(ds.responses[0][2]).toBe(ds.responses[2][0]); // one shared sentinel
    expect(Array.from(ds.nrnMasks.data)).toEqual([1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1]);
  });

  it('playback flags with Python truthiness', () => {
    const pb = ds.playbackMeta[SITE_A];
    expect(pb.map((p) => p.trial)).toEqual([0, 1, 2, 3, 4, 6, 7]); // trial 5 (unknown class) is not kept
    const flags = pb.map((p) => [p.misaligned, p.nextPlaybackOverlap, p.dropped]);
    expect(flags).toEqual([
      [true, false, true], // peak 0.5 / second 0.1 = 5 > 1.5 and |100| > 25
      [false, true, true], // second NaN: not confident; next onset 3 s < 4.5
      [false, false, false], // 0.5 / 0.4 = 1.25: not confident
      [false, false, false], // peak 0.1 ≤ 0.2
      [false, false, false], // second null → 1e-3: confident, but |−20| ≤ 25
      [false, false, false], // peak NaN; next onset exactly 4.5 is no overlap
      [false, false, false], // second 0 → 1e-3: confident; offset null → 0
    ]);
    expect(pb[0].callType).toBe('Te');
    expect(pb[0].micOffsetMs).toBe(100);
    expect(pb[0].nextOnsetS).toBe(8);
    expect(Number.isNaN(pb[1].micSecond)).toBe(true);
  });

  it('neuron metadata: site grammar, unit fields, auditory effect size, trial counts', () => {
    const [a0, a1, b0] = ds.nrnMeta;
    expect(a0).toMatchObject({
      animalId: 'ZF4F', sex: 'F', site: SITE_A, depthTurns: 2, depthUm: 500, recordingDate: '190611',
      electrode: 1, cluster: 2, sortId: 1, spikeSnr: 6, rateThreshold: null, kdeBw: null, nTrials: 4,
    });
    expect(a1).toMatchObject({ electrode: 3, cluster: 12, rateThreshold: 2.5, nTrials: 2 });
    expect(b0).toMatchObject({ animalId: 'ZF6M', sex: 'M', depthTurns: 9.5, depthUm: 2375, recordingDate: '190805', nTrials: 3 });
    expect((a0.spikeShape as number[]).length).toBe(40);
    // dz per record of A-u0 (all records, dropped and unknown-class ones too): 0, 4, 2, 2, 0, −2 → z = 1/√(22/6).
    expect(a0.auditoryZ).toBeCloseTo(Math.sqrt(3 / 11), 12);
    // A-u1: 2, 0, 2 → mean 4/3, std 2√2/3 → √2. B-u0: all 0 → NaN.
    expect(a1.auditoryZ).toBeCloseTo(Math.SQRT2, 12);
    expect(Number.isNaN(b0.auditoryZ)).toBe(true);
  });
});

describe('CRCNSAA5Dataset: options', () => {
  it('smooth (default): 21 ms Hanning [0, .5, 1, .5, 0], un-normalised', async () => {
    const ds = await CRCNSAA5Dataset.load({ source: mem(), returnWaveform: true });
    expect(rowsOf(ds.responses[0][0])[0]).toEqual(dense([{ 0: 1, 1: 0.5, 99: 1.5, 100: 3, 101: 1.5, 998: 0.5, 999: 1 }])[0]);
  });

  it('minTrials: groups with fewer records are missing, units without a group dropped', async () => {
    const ds = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true, minTrials: 2 });
    expect(ds.nrnMeta.map((m) => m.cellId)).toEqual([`${SITE_A}_e1-c2`, `${SITE_B}_e7-c3`]);
    expect(ds.nrnMeta.map((m) => m.nTrials)).toEqual([3, 2]);
    expect(ds.getS()).toBe(4);
    expect(isSentinel(ds.responses[1][0])).toBe(true);
    expect(ds.responses[3][1].shape).toEqual([2, T]);
  });

  it('dropMisaligned / dropNextPlaybackOverlap false keep those trials; misalignTolMs moves the threshold', async () => {
    const keep = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true, dropMisaligned: false, dropNextPlaybackOverlap: false });
    expect(keep.trialIds[0][0]).toEqual([0, 2, 3, 7]);
    expect(rowsOf(keep.responses[0][0])[0]).toEqual(dense([{ 150: 1 }])[0]); // 0.25 s → bin 150
    expect(keep.trialIds[1][1]).toEqual([1]);
    expect(keep.playbackMeta[SITE_A][0]).toMatchObject({ misaligned: true, dropped: false });
    const tight = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true, misalignTolMs: 10 });
    expect(isSentinel(tight.responses[1][0])).toBe(true); // trial 4: |−20| > 10
    const loose = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true, misalignTolMs: 150 });
    expect(loose.trialIds[0][0]).toEqual([0, 2, 3, 7]);
  });

  it('animals, sites and stimuli filters', async () => {
    const b = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true, animals: 'ZF6M' });
    expect(b.sites).toEqual([SITE_B]);
    expect(b.stimMeta.map((m) => m.name)).toEqual([SONG, RIPPLE]);
    const order = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true, animals: ['ZF6M', 'ZF4F'] });
    expect(order.sites).toEqual([SITE_B, SITE_A]);
    const site = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true, sites: [SITE_A] });
    expect(site.sites).toEqual([SITE_A]);
    const calls = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true, stimuli: ['call', 'ripple'] });
    expect(calls.stimMeta.map((m) => m.name)).toEqual([CALL, RIPPLE]);
    expect(calls.playbackMeta[SITE_A].map((p) => p.trial)).toEqual([0, 2, 3, 7]);
    expect(calls.nrnMeta.map((m) => m.nTrials)).toEqual([3, 1, 2]);
    expect(calls.stimTypes).toEqual(['call', 'ripple']);
  });

  it('dtMs = 10: T = 500, onset bin 50, hop 250', async () => {
    const ds = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true, dtMs: 10 });
    expect([ds.T, ds.onsetBin, ds.hop]).toEqual([500, 50, 250]);
    // 0.002 → floor(50.2) = 50; 4.4999 → floor(499.99) = 499.
    expect(rowsOf(ds.responses[0][0])[0]).toEqual(dense([{ 0: 1, 50: 3, 499: 1 }], 500)[0]);
    expect(ds.stims[0].shape).toEqual([1, 500 * 250]);
  });

  it('selectCallType / selectStimClass', async () => {
    const ds = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true });
    expect(ds.selectCallType('So')).toEqual([1, 2]);
    expect(ds.selectStimClass('ripple')).toEqual([3]);
  });
});

describe('CRCNSAA5Dataset: stimuli', () => {
  it('metadata from the name and the samples', async () => {
    const ds = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true });
    const [call, song, sfilt, ripple] = ds.stimMeta;
    expect(call).toMatchObject({
      stimClass: 'call', vocalizer: 'AbcDef0001', vocalizerCode: 'MAF', vocalizerSex: 'M', vocalizerAge: 'adult',
      callType: 'Te', rendition: '1-1', songId: null, rippleId: null, nativeFs: 25000, soundOnsetS: 0,
    });
    expect(call.soundOffsetS).toBeCloseTo(12749 / 25000 - 0.5, 12);
    expect(call.durationS).toBeCloseTo(12749 / 25000 - 0.5, 12);
    expect(call.levelDb).toBeCloseTo(20 * Math.log10(1000 / 32768 + 1e-12), 5);
    expect(song).toMatchObject({ stimClass: 'song', callType: 'So', songId: 1, nativeFs: 32000, soundOnsetS: 0, vocalizer: null });
    expect(song.soundOffsetS).toBeCloseTo(16099 / 32000 - 0.5, 12);
    expect(song.levelDb).toBeCloseTo(20 * Math.log10(1000 / 32768 + 1e-12), 5);
    expect(sfilt).toMatchObject({ stimClass: 'song_sfilt', songId: 2, soundOnsetS: -0.5 });
    expect(sfilt.levelDb).toBeCloseTo(20 * Math.log10(0.25), 5);
    expect(ripple).toMatchObject({ stimClass: 'ripple', rippleId: 3 });
    expect(ripple.soundOnsetS).toBeCloseTo(50 / 25000 - 0.5, 12);
  });

  it('waveforms: release value / 32768, integer_pcm quirk, padded to T·hop', async () => {
    const ds = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true });
    for (const st of ds.stims) expect(st.shape).toEqual([1, 125000]);
    const call = ds.stims[0].data;
    expect(call[12499]).toBe(0);
    expect(call[12500]).toBe(1000 / 32768);
    expect(call[12749]).toBe(1000 / 32768);
    expect(call[12750]).toBe(0);
    // Float WAV flagged integer_pcm: ×32768 then /32768 → the stored 0.25.
    expect(Array.from(ds.stims[2].data.subarray(0, 101))).toEqual([...new Array(100).fill(0.25), 0]);
    // PCM16 without integer_pcm in the index (default true): 2000 / 32768.
    expect(ds.stims[3].data[50]).toBe(2000 / 32768);
    // The 32 kHz song is resampled to 25 kHz: its burst lands around onset 12 500.
    const song = ds.stims[1].data;
    let peak = 0;
    for (let i = 1; i < song.length; i++) if (Math.abs(song[i]) > Math.abs(song[peak])) peak = i;
    expect(peak).toBeGreaterThanOrEqual(12490);
    expect(peak).toBeLessThan(12590);
  });

  it('audioFs 32 000: the float song (integer_pcm false) is its value / 32768, hop 160', async () => {
    const ds = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, returnWaveform: true, audioFs: 32000 });
    expect(ds.hop).toBe(160);
    const song = ds.stims[1].data;
    expect(song.length).toBe(160000);
    expect([song[15999], song[16000], song[16001], song[16099], song[16100]]).toEqual([0, 1000 / 32768, -1000 / 32768, -1000 / 32768, 0]);
  });

  it('spectrogram mode: (1, nMels, T), causal frames, cubic mel power of an independent DFT', async () => {
    const ds = await CRCNSAA5Dataset.load({ source: mem(), smooth: false });
    expect(ds.returnWaveform).toBe(false);
    expect(ds.audioFs).toBe(25000); // set in both modes, as the reference
    for (const st of ds.stims) expect(st.shape).toEqual([1, 32, T]);
    const x = ds.stims[0].data;
    // Frame t covers samples [(t+1)·125 − 250, (t+1)·125): frames ≤ 99 end before the call.
    for (let f = 0; f < 32; f++) for (let t = 0; t <= 99; t++) expect(x[f * T + t]).toBe(0);
    // Frame 101 = samples 12 500 … 12 749: a constant 1000/32768 under a periodic Hann window.
    const expected = independentMelFrame(new Float64Array(250).fill(1000 / 32768), 25000, 32);
    for (let f = 0; f < 32; f++) {
      const want = Math.cbrt(expected[f]);
      expect(Math.abs(x[f * T + 101] - want)).toBeLessThanOrEqual(1e-4 * Math.max(1, want));
    }
    const log1p = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, compression: 'log1p', nMels: 16 });
    expect(log1p.F).toBe(16);
    const e16 = independentMelFrame(new Float64Array(250).fill(1000 / 32768), 25000, 16);
    for (let f = 0; f < 16; f++) expect(log1p.stims[0].data[f * T + 101]).toBeCloseTo(Math.log1p(e16[f]), 5);
    const none = await CRCNSAA5Dataset.load({ source: mem(), smooth: false, compression: 'none' });
    const top = Math.max(...expected);
    for (let f = 0; f < 32; f++) expect(Math.abs(none.stims[0].data[f * T + 101] - expected[f])).toBeLessThanOrEqual(1e-4 * top);
  });
});

/** One torchaudio MelSpectrogram frame (periodic Hann, power 2, HTK, f_max = sr//2), by direct DFT. */
function independentMelFrame(frame: Float64Array, sr: number, nMels: number): Float64Array {
  const n = frame.length;
  const nF = Math.floor(n / 2) + 1;
  const P = new Float64Array(nF);
  for (let k = 0; k < nF; k++) {
    let re = 0, im = 0;
    for (let i = 0; i < n; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
      re += frame[i] * w * Math.cos((2 * Math.PI * k * i) / n);
      im -= frame[i] * w * Math.sin((2 * Math.PI * k * i) / n);
    }
    P[k] = re * re + im * im;
  }
  const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
  const hz = (m: number) => 700 * (10 ** (m / 2595) - 1);
  const fMax = Math.floor(sr / 2);
  const pts = Array.from({ length: nMels + 2 }, (_, i) => hz((mel(fMax) * i) / (nMels + 1)));
  const out = new Float64Array(nMels);
  for (let m = 0; m < nMels; m++) {
    for (let k = 0; k < nF; k++) {
      const f = (fMax * k) / (nF - 1);
      const w = Math.max(0, Math.min((f - pts[m]) / (pts[m + 1] - pts[m]), (pts[m + 2] - f) / (pts[m + 2] - pts[m + 1])));
      out[m] += w * P[k];
    }
  }
  return out;
}

describe('CRCNSAA5Dataset: entry points', () => {
  it('new CRCNSAA5Dataset({ path }) (sync), load({ path }) and load({ source }) agree', async () => {
    const a = new CRCNSAA5Dataset({ path: dir, smooth: false, returnWaveform: true });
    const b = await CRCNSAA5Dataset.load({ path: dir, smooth: false, returnWaveform: true });
    const c = await aa5Entry.load({ source: mem(), smooth: false, returnWaveform: true }) as CRCNSAA5Dataset;
    for (const d of [b, c]) {
      expect(d.nrnMeta).toEqual(a.nrnMeta);
      expect(d.trialIds).toEqual(a.trialIds);
      for (let s = 0; s < a.getS(); s++) for (let n = 0; n < a.getN(); n++) expect(Array.from(d.responses[s][n].data)).toEqual(Array.from(a.responses[s][n].data));
    }
    expect(a.path).toBe(dir);
    expect(aa5Entry).toMatchObject({ name: 'aa5', className: 'CRCNSAA5Dataset', accountNeeded: true, cacheFolder: 'AA5' });
  });

  it('the entry describes a cache: prepared sites per bird, then neurons, stimuli, repeats', async () => {
    const d = await aa5Entry.describe!(dir, { verify: false });
    expect(d.complete).toBe(true);
    const rows = Object.fromEntries(d.rows);
    expect(rows['prepared sites']).toBe('2 of 50 (ZF4F 1/14, ZF5M 0/17, ZF6M 1/9, ZF7F 0/10)');
    expect(rows.neurons).toBe('3 sorted units');
    // Real cells: A-u0 call (3), A-u1 call (1), A-u0 song (1), B song (1), A-u1 sfilt (1), B ripple (2).
    expect(rows.repeats).toBe('1–3 kept trials per (stimulus, unit), median 1');
    expect(d.data).toMatchObject({ neurons: 3, stimuli: 4, repeats: [1, 1, 3], preparedSites: [SITE_A, SITE_B] });
    const empty = mkdtempSync(join(tmpdir(), 'aa5-empty-'));
    try {
      const e = await aa5Entry.describe!(empty, { verify: false });
      expect(e.complete).toBe(false);
      expect(Object.fromEntries(e.rows).status).toMatch(/^no prepared site/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('CRCNSAA5Dataset: errors', () => {
  const opts = { source: mem(), returnWaveform: true } as const;
  it('unknown bird or stimulus class → ValueError naming it', async () => {
    await expect(CRCNSAA5Dataset.load({ ...opts, animals: ['ZF9X'] })).rejects.toThrow(new ValueError('CRCNSAA5Dataset: unknown bird(s) ZF9X (known: ZF4F, ZF5M, ZF6M, ZF7F)'));
    await expect(CRCNSAA5Dataset.load({ ...opts, animals: ['ZF9X'] })).rejects.toBeInstanceOf(ValueError);
    expect(() => new CRCNSAA5Dataset({ path: dir, stimuli: ['calls'] })).toThrow(ValueError);
    expect(() => new CRCNSAA5Dataset({ path: dir, stimuli: ['calls'] })).toThrow(/unknown stimulus class\(es\) calls/);
  });
  it('dtMs must divide 5000 ms; audioFs · dtMs / 1000 must be an integer', async () => {
    await expect(CRCNSAA5Dataset.load({ ...opts, dtMs: 3 })).rejects.toThrow(/dtMs = 3 must divide the 5000 ms window/);
    await expect(CRCNSAA5Dataset.load({ ...opts, dtMs: 3 })).rejects.toBeInstanceOf(ValueError);
    await expect(CRCNSAA5Dataset.load({ ...opts, dtMs: 5, audioFs: 44100 })).rejects.toThrow(/220\.5 is not an integer number of samples/);
    await expect(CRCNSAA5Dataset.load({ ...opts, dtMs: 0 })).rejects.toThrow(ValueError);
  });
  it('no prepared site → FormatError; an unknown site name selects nothing', async () => {
    await expect(CRCNSAA5Dataset.load({ ...opts, sites: ['ZF4F_9t_000000_000000'] })).rejects.toThrow(FormatError);
    await expect(CRCNSAA5Dataset.load({ ...opts, animals: 'ZF5M' })).rejects.toThrow(/no prepared AA5 site found/);
  });
  it('unknown compression → ValueError in spectrogram mode only (as the reference)', async () => {
    await expect(CRCNSAA5Dataset.load({ source: mem(), compression: 'log' })).rejects.toThrow(/unknown compression 'log' \(expected 'cubic', 'log1p' or 'none'\)/);
    expect(() => new CRCNSAA5Dataset({ path: dir, compression: 'log' })).toThrow(ValueError);
    await expect(CRCNSAA5Dataset.load({ ...opts, compression: 'log' })).resolves.toBeInstanceOf(CRCNSAA5Dataset);
  });
  it('rawPath and download: ValueError in the synchronous constructor and on a read-only source', async () => {
    expect(() => new CRCNSAA5Dataset({ path: dir, rawPath: '/raw' })).toThrow(/rawPath prepares the cache asynchronously: use `await CRCNSAA5Dataset.load/);
    expect(() => new CRCNSAA5Dataset({ path: dir, download: true })).toThrow(ValueError);
    await expect(CRCNSAA5Dataset.load({ source: mem(), download: true })).rejects.toThrow(new ValueError('CRCNSAA5Dataset.load: rawPath / download need a writable cache (a folder path or a WritableSource)'));
  });
  it('broken cache files → FormatError naming the file', async () => {
    const files = aa5Files();
    delete files[`stimuli/${CALL}`];
    await expect(CRCNSAA5Dataset.load({ ...opts, source: mem(files) })).rejects.toThrow(new RegExp(`stimuli/${CALL}: file not found`));
    const f2 = aa5Files();
    f2[`ZF6M/${SITE_B}/units.json`] = pyJson({ not: 'a list' });
    await expect(CRCNSAA5Dataset.load({ ...opts, source: mem(f2) })).rejects.toThrow(`ZF6M/${SITE_B}/units.json: expected a JSON array of objects`);
    const f3 = aa5Files();
    f3[`ZF6M/${SITE_B}/units.json`] = pyJson([]);
    await expect(CRCNSAA5Dataset.load({ ...opts, source: mem(f3) })).rejects.toThrow(/record 0: unit 0 is not an index of units.json \(0 units\)/);
    const f4 = aa5Files();
    f4['stimuli/index.json'] = pyJson({});
    await expect(CRCNSAA5Dataset.load({ ...opts, source: mem(f4) })).rejects.toThrow(`stimuli/index.json: no entry for stimulus ${CALL}`);
  });
});

describe('CRCNSAA5Dataset: integrity (docs/zoo/README.md)', () => {
  const load = (files: Record<string, Uint8Array>, extra: Record<string, unknown> = {}) =>
    CRCNSAA5Dataset.load({ source: mem(files), smooth: false, returnWaveform: true, ...extra });

  it('a site missing a file is an error naming it; allowPartial skips that site and says so', async () => {
    const files = aa5Files();
    delete files[`ZF6M/${SITE_B}/spikes.npz`];
    const e = await load(files).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SourceFileError);
    expect((e as SourceFileError).path).toBe(`ZF6M/${SITE_B}/spikes.npz`);
    expect((e as Error).message).toMatch(/file not found; the AA5 release is damaged or incomplete .* or pass allowPartial: true/);
    const warnings: string[] = [];
    const ds = await load(files, { allowPartial: true, onWarning: (m: string) => warnings.push(m) });
    expect(ds.sites).toEqual([SITE_A]);
    expect(ds.stimMeta.map((m) => m.name)).toEqual([CALL, SONG, SFILT]); // the ripple was only played at site B
    expect(warnings).toEqual([`AA5: allowPartial: skipped 1 damaged or missing file of memory:: ZF6M/${SITE_B}/spikes.npz (file not found)`]);
  });

  it('stimuli: missing WAV fatal even with allowPartial; frames, rate and finite samples checked against index.json', async () => {
    const f1 = aa5Files();
    delete f1[`stimuli/${RIPPLE}`];
    await expect(load(f1, { allowPartial: true })).rejects.toThrow(/stimuli\/randripple3\.wav: file not found; AA5 cannot be built without it, even with allowPartial/);
    const f2 = aa5Files();
    f2['stimuli/index.json'] = pyJson({ ...JSON.parse(new TextDecoder().decode(f2['stimuli/index.json'])), [SFILT]: { fs: 25000, n_samples: 99 } });
    await expect(load(f2)).rejects.toThrow(`memory:stimuli/${SFILT}: data chunk holds 100 frames, stimuli/index.json says 99`);
    const f3 = aa5Files();
    f3['stimuli/index.json'] = pyJson({ ...JSON.parse(new TextDecoder().decode(f3['stimuli/index.json'])), [SFILT]: { fs: 32000 } });
    await expect(load(f3)).rejects.toThrow(`memory:stimuli/${SFILT} @ byte 24: header sample rate is 25000 Hz, stimuli/index.json says 32000`);
    const f4 = aa5Files();
    const nan = new Float32Array(100).fill(0.25);
    nan[7] = NaN;
    f4[`stimuli/${SFILT}`] = encodeWav(nan, 25000, { format: 'float32' });
    await expect(load(f4)).rejects.toThrow(`memory:stimuli/${SFILT}: sample 7 is NaN: stimuli must be finite`);
  });

  it('with sites given, no folder listing is needed (HTTP sources cannot list)', async () => {
    const src = mem();
    src.list = async () => {
      throw new Error('no listing');
    };
    const ds = await CRCNSAA5Dataset.load({ source: src, smooth: false, returnWaveform: true, sites: [SITE_B, SITE_A, SITE_A] });
    expect(ds.sites).toEqual([SITE_A, SITE_B]);
    expect(ds.getN()).toBe(3);
  });
});

describe('AA5 names', () => {
  it('site grammar: every release site parses; depth "_5" is half a turn; the t is optional', () => {
    for (const s of Object.keys(AA5_SITES)) expect(parseAA5Site(s).bird).toBe(s.slice(0, 4));
    expect(parseAA5Site('ZF4F_6_5_190618_110932')).toEqual({ bird: 'ZF4F', depthTurns: 6.5, depthUm: 1625, date: '190618', time: '110932' });
    expect(parseAA5Site('ZF5M_11_5t_190705_102710')).toEqual({ bird: 'ZF5M', depthTurns: 11.5, depthUm: 2875, date: '190705', time: '102710' });
    expect(parseAA5Site('ZF7F_12t_190806_115742').depthUm).toBe(3000);
    for (const bad of ['ZF4X_2t_190611_160843', 'ZF4F_2_7t_190611_160843', 'ZF4F_2t_19061_160843', 'ZF4F_2t_190611_160843_x', 'zf4f_2t_190611_160843']) {
      expect(() => parseAA5Site(bad)).toThrow(ValueError);
    }
  });

  it('stimulus classes from file names', () => {
    expect(aa5StimInfo('WhiBlu5396_FCC_DC_3-1_fs25k.wav')).toMatchObject({ stimClass: 'call', vocalizerSex: 'F', vocalizerAge: 'chick', callType: 'DC', rendition: '3-1', vocalizer: 'WhiBlu5396' });
    expect(aa5StimInfo('WhiBlu5396_UXX_Be_1_fs25k.wav')).toMatchObject({ stimClass: 'call', vocalizerSex: null, vocalizerAge: null, callType: 'Be' });
    expect(aa5StimInfo('stim7_tfilt.wav')).toMatchObject({ stimClass: 'song_tfilt', songId: 7, callType: 'So' });
    expect(aa5StimInfo('randripple10.wav')).toMatchObject({ stimClass: 'ripple', rippleId: 10, callType: null });
    for (const unknown of ['WhiBlu5396_FCC_DC_3_1_fs25k.wav', 'WhiBl5396_FCC_DC_3-1_fs25k.wav', 'WhiBlu5396_fcc_DC_3-1_fs25k.wav', 'stim7_xfilt.wav', 'stim.wav', 'randripple.wav', 'x.wav']) {
      expect(aa5StimInfo(unknown).stimClass).toBe('unknown');
    }
  });
});

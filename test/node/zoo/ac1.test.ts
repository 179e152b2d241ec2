// CRCNSAC1Dataset on tiny releases in the real layout (test/helpers/zoo/ac1-fixture.ts). Expected
// values come from the spec's rules applied by hand to the fixture's traces: a -60 mV baseline
// with pulses narrower than half the 100 ms median window detrends to exactly the pulses.
import { mkdtempSync, rmSync, existsSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError, CRCNSAC1Dataset, DatasetValidationError, MemorySource, SourceFileError, ValueError, isSentinel, type Tensor,
} from '../../../src/index.js';
import { ac1Files, SEG_LEN, SPIKES, writeTree, zipFolder } from '../../helpers/zoo/ac1-fixture.js';
import { startCrcnsServer } from '../download/crcns-server.js';

const quiet = { onWarning: () => {} };
const tmps: string[] = [];
afterEach(() => {
  while (tmps.length) rmSync(tmps.pop()!, { recursive: true, force: true });
});
function folder(files: Record<string, Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deepstrf-ac1-'));
  tmps.push(dir);
  writeTree(dir, files);
  return dir;
}
const rows = (t: Tensor): number[][] => {
  const [R, T] = t.shape;
  return Array.from({ length: R }, (_, r) => Array.from(t.data.subarray(r * T, (r + 1) * T) as Float32Array));
};
const pulses = (T: number, bins: number[], v = 10): number[] => Array.from({ length: T }, (_, t) => (bins.includes(t) ? v : 0));
const expectClose = (got: number[][], want: number[][], digits = 4) => {
  expect(got.length).toBe(want.length);
  got.forEach((row, r) => {
    expect(row.length).toBe(want[r].length);
    row.forEach((v, t) => expect(v).toBeCloseTo(want[r][t], digits));
  });
};

describe('CRCNSAC1Dataset: the full fixture (both experimenters, both sites)', () => {
  const warnings: string[] = [];
  const path = mkdtempSync(join(tmpdir(), 'deepstrf-ac1-'));
  writeTree(path, ac1Files());
  afterAll(() => rmSync(path, { recursive: true, force: true }));
  const ds = new CRCNSAC1Dataset({ path, onWarning: (m) => warnings.push(m) });

  it('registers stimuli in first-seen order (Wehr first), deduplicated by key, with camelCase metadata', () => {
    expect(ds.getS()).toBe(4);
    expect(ds.stimMeta).toEqual([
      { experimenter: 'wehr', category: 'fragments', idx: 1, description: 'frag A', durationS: 0.2 },
      { experimenter: 'wehr', category: 'fragments', idx: 3, description: 'frag B', durationS: 0.1 },
      // Sequence 1 "1 3" → class1/1.mat + class1/2.mat; the MGB cell's "Sequence 7: 1 2" resolves to the same files.
      { experimenter: 'asari', category: 'class1', classN: 1, segments: [1, 3], segmentFiles: ['class1/1.mat', 'class1/2.mat'], sequence: 1, description: 'Sequence 1: 1 3', durationS: 0.15 },
      // A backslash path loads but makes the category 'mixed'.
      { experimenter: 'asari', category: 'mixed', classN: 1, segments: [1, 2], segmentFiles: ['class1/1.mat', 'class1\\2.mat'], sequence: 2, description: 'Sequence 2: 1 2', durationS: 0.1 },
    ]);
  });

  it('builds one neuron per session; wehrCellIdx is the index among all sorted sessions', () => {
    expect(ds.nrnMeta).toEqual([
      { experimenter: 'wehr', session: '0205-mw-001', animalId: 'mw', penetration: 1, date: '0205', site: 'A1', recordingType: 'whole-cell', species: 'rat', signalType: 'subthresh', wehrCellIdx: 0 },
      { experimenter: 'wehr', session: '0206-mw-002', animalId: 'mw', penetration: 2, date: '0206', site: 'A1', recordingType: 'whole-cell', species: 'rat', signalType: 'subthresh', wehrCellIdx: 2 },
      // Site and type from the first file with a stimulus map (r1), not r2's 'thalamus' / 'cell attached'.
      { experimenter: 'asari', session: '20050101-ha1-001', animalId: 'ha1', penetration: 1, date: '20050101', site: 'A1', recordingType: 'whole-cell', species: 'rat', signalType: 'subthresh' },
      { experimenter: 'asari', session: '20050202-ha2-x', animalId: 'ha2', penetration: 'x', date: '20050202', site: 'MGB', recordingType: 'cell-attached', species: 'rat', signalType: 'spikes' },
    ]);
    expect(ds.signalType).toBe('mixed');
  });

  it('gates repeats: t4 (+180 mV) range, r2 (40 mV plateau) step, t5 (other pattern) xcorr; 11 kept', () => {
    expect(ds.rejectionCounter).toEqual({ range: 1, step: 1, xcorr: 1, kept: 11 });
    expect(ds.droppedCellsEmpty).toBe(0);
  });

  it('Wehr frag A: trials t1–t3 kept, cropped to the shortest response (t2 is clipped at 780 samples = 39 bins)', () => {
    // T_dur = round(200/5) = 40, T_spec = ceil(4410/round(110.25)) = 41, T_resp = 39.
    expect(ds.stims[0].shape).toEqual([1, 53, 39]);
    expectClose(rows(ds.responses[0][0]), [0, 1, 2].map(() => pulses(39, [5, 15, 25])));
  });

  it('Wehr frag B: 2 repeats (no cross-trial test below 3), T = 20', () => {
    expect(ds.stims[1].shape).toEqual([1, 53, 20]);
    expectClose(rows(ds.responses[1][1]), [0, 1].map(() => pulses(20, [5])));
  });

  it('Asari sequence 1: repeats from two files grouped by segment paths; T = min(30, T_spec 20, 30) = 20', () => {
    expect(ds.stims[2].shape).toEqual([1, 53, 20]);
    expectClose(rows(ds.responses[2][2]), [0, 1, 2].map(() => pulses(20, [2, 9])));
    expectClose(rows(ds.responses[3][2]), [pulses(20, [2, 9])]);
  });

  it('the cell-attached cell: spikes → 0/1 train → Hann(210) "same" convolution, 50-sample means', () => {
    const M = 210, start = Math.floor((M - 1) / 2);
    const hann = (k: number) => (k >= 0 && k < M ? 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (M - 1)) : 0);
    const psth = Array.from({ length: 1200 }, (_, o) => SPIKES.reduce((a, i) => a + hann(o - i + start), 0));
    const bins = Array.from({ length: 20 }, (_, b) => psth.slice(50 * b, 50 * b + 50).reduce((a, v) => a + v, 0) / 50);
    expectClose(rows(ds.responses[2][3]), [bins, bins], 5);
  });

  it('missing pairs share one (1, 1) NaN sentinel', () => {
    const missing = [[0, 1], [0, 2], [0, 3], [1, 0], [1, 2], [1, 3], [2, 0], [2, 1], [3, 0], [3, 1], [3, 3]];
    for (const [s, n] of missing) expect(isSentinel(ds.responses[s][n])).toBe(true);
    expect(ds.responses[0][1]).toBe(ds.responses[3][3]);
    expect(Array.from(ds.nrnMasks.data)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0]);
  });

  it('spectrogram: 20·log10|Σ w[n]·x[n]·e^(−2πi f n/sf)| + 1e−12 of the centred frame (frag B, frame 3, band 10)', () => {
    const sf = 8000, hop = 40, W = 80, k = 10, i = 3;
    const f = 100 * 2 ** (k / 6);
    const x = (j: number) => (j >= 0 && j < 800 ? Math.sin((2 * Math.PI * 500 * j) / sf) : 0);
    let re = 0, im = 0;
    for (let n = 0; n < W; n++) {
      const w = 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (W - 1));
      const v = w * x(i * hop + n - W / 2);
      re += v * Math.cos((-2 * Math.PI * f * n) / sf);
      im += v * Math.sin((-2 * Math.PI * f * n) / sf);
    }
    const s = ds.stims[1];
    expect(s.data[k * 20 + i]).toBeCloseTo(20 * Math.log10(Math.hypot(re, im) + 1e-12), 3);
  });

  it('attributes: F 53, rat hearing range, settings, warnings for the broken file and the unknown segment', () => {
    expect(ds.F).toBe(53);
    expect(ds.hearingRangeHz).toEqual([250, 76000]);
    expect(ds.audioFs).toBeNull();
    expect([ds.fmin, ds.fmax, ds.binsPerOctave, ds.windowMs, ds.detrendMedMs, ds.detrendGaussMs]).toEqual([100, 45000, 6, 10, 100, 10]);
    expect(ds.gating).toEqual({ absMvMax: 150, stepMv: 30, maxStepFrac: 0.005, minXcorr: 0.05 });
    expect(warnings.some((w) => w.includes('t7.mat'))).toBe(true);
    expect(warnings.some((w) => w.includes("'Sequence 3: 1 9' uses segment 9"))).toBe(true);
    expect(warnings.some((w) => w.includes("signalType is 'mixed'"))).toBe(true);
  });

  it('F = 49 with fmax 25 600', () => {
    const w = new CRCNSAC1Dataset({ path: ds.path, experimenter: 'wehr', fmax: 25600, ...quiet });
    expect(w.F).toBe(49);
    expect(w.stims[0].shape).toEqual([1, 49, 39]);
  });
});

describe('CRCNSAC1Dataset: options', () => {
  const files = ac1Files();

  it('experimenter and sites select cells; the stimulus metadata is the first hearer\'s', () => {
    const mgb = new CRCNSAC1Dataset({ path: folder(files), sites: 'MGB', ...quiet });
    expect(mgb.nrnMeta.map((m) => m.session)).toEqual(['20050202-ha2-x']);
    expect(mgb.signalType).toBe('spikes');
    expect(mgb.stimMeta).toHaveLength(1);
    expect(mgb.stimMeta[0]).toMatchObject({ sequence: 7, description: 'Sequence 7: 1 2', segments: [1, 2], durationS: 0.12 });
    // Alone, its T is min(T_dur 24, T_spec 20, T_resp 24) = 20.
    expect(mgb.responses[0][0].shape).toEqual([2, 20]);
    const wehr = new CRCNSAC1Dataset({ path: mgb.path, experimenter: ['wehr'], ...quiet });
    expect(wehr.nrnMeta.map((m) => m.session)).toEqual(['0205-mw-001', '0206-mw-002']);
    expect(wehr.signalType).toBe('subthresh');
  });

  it('Wehr with sites MGB only loads nothing and fails validation', () => {
    expect(() => new CRCNSAC1Dataset({ path: folder(files), experimenter: 'wehr', sites: ['MGB'], ...quiet })).toThrow(DatasetValidationError);
  });

  it('unknown experimenter or site: ValueError naming it', () => {
    expect(() => new CRCNSAC1Dataset({ path: 'x', experimenter: 'bob' as 'wehr' })).toThrow(ValueError);
    expect(() => new CRCNSAC1Dataset({ path: 'x', experimenter: 'bob' as 'wehr' })).toThrow(/unknown experimenter "bob"/);
    expect(() => new CRCNSAC1Dataset({ path: 'x', sites: ['A1', 'IC' as 'A1'] })).toThrow(/unknown site "IC"/);
  });

  it('gating thresholds are options; the step test uses the upper median of an even 5 ms window', () => {
    // t4's +180 mV pulse spans 20 samples; the 20-sample median (rank 10 of [i−10, i+10)) is 180 for
    // i in [240, 260]: 21 of 800 samples = 0.02625 step fraction.
    const path = folder(files);
    const at = (gating: object) => new CRCNSAC1Dataset({ path, experimenter: 'wehr', gating, ...quiet });
    expect(at({ absMvMax: 200, maxStepFrac: 0.0262 }).rejectionCounter).toEqual({ range: 0, step: 1, xcorr: 1, kept: 5 });
    // Past the step test, t4 (disjoint from the others' median) fails the cross-trial test like t5.
    expect(at({ absMvMax: 200, maxStepFrac: 0.0263 }).rejectionCounter).toEqual({ range: 0, step: 0, xcorr: 2, kept: 5 });
    const all = at({ absMvMax: 200, maxStepFrac: 0.0263, minXcorr: -1 });
    expect(all.rejectionCounter).toEqual({ range: 0, step: 0, xcorr: 0, kept: 7 });
    expectClose(rows(all.responses[0][0]), [...[0, 1, 2].map(() => pulses(39, [5, 15, 25])), pulses(39, [12], 180), pulses(39, [10, 20, 30])]);
  });

  it('waveform mode at the segments\' own rate: the ramped segments concatenated, cropped to T·hop', () => {
    const ds = new CRCNSAC1Dataset({ path: folder(files), experimenter: 'asari', returnWaveform: true, audioFs: 1000, ...quiet });
    expect(ds.audioFs).toBe(1000);
    expect(ds.hop).toBe(5);
    // n = round(5·1000/1000) = 5; ramp(k) = sin²(π/2·k/5) = sin²(18°·k).
    const ramp = [0, 0.0954915028, 0.3454915028, 0.6545084972, 0.9045084972];
    const seg = (v: number) => Array.from({ length: SEG_LEN }, (_, i) => v * (i < 5 ? ramp[i] : i >= SEG_LEN - 5 ? ramp[SEG_LEN - 1 - i] : 1));
    const want = [...seg(1), ...seg(2)];
    expect(ds.stims[0].shape).toEqual([1, 100]);
    Array.from(ds.stims[0].data).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    expect(ds.responses[0][0].shape).toEqual([3, 20]);
  });

  it('waveform mode at 96 kHz: (1, T·480), responses as in spectrogram mode', () => {
    const path = folder(files);
    const w = new CRCNSAC1Dataset({ path, returnWaveform: true, ...quiet });
    const s = new CRCNSAC1Dataset({ path, ...quiet });
    expect(w.stims.map((x) => x.shape)).toEqual([[1, 39 * 480], [1, 20 * 480], [1, 20 * 480], [1, 20 * 480]]);
    expect(w.responses.map((r) => r.map((c) => c.shape))).toEqual(s.responses.map((r) => r.map((c) => c.shape)));
    expect(Array.from(w.responses[0][0].data)).toEqual(Array.from(s.responses[0][0].data));
  });

  it('audioFs 44 100 at 5 ms is not an integer hop: DatasetValidationError', () => {
    expect(() => new CRCNSAC1Dataset({ path: 'x', returnWaveform: true, audioFs: 44100 })).toThrow(DatasetValidationError);
    expect(() => new CRCNSAC1Dataset({ path: 'x', returnWaveform: true, audioFs: 44100 })).toThrow(/220.5, must be a positive integer number of samples/);
  });

  it('segments more than 1 Hz apart are refused; 0.5 Hz apart load', () => {
    expect(() => new CRCNSAC1Dataset({ path: folder(ac1Files({ seg2Fs: 1002 })), experimenter: 'asari', ...quiet })).toThrow(ValueError);
    expect(() => new CRCNSAC1Dataset({ path: folder(ac1Files({ seg2Fs: 1002 })), experimenter: 'asari', ...quiet })).toThrow(/mixes sampling rates \(class1\/1.mat: 1000 Hz, class1\/2.mat: 1002 Hz\)/);
    expect(new CRCNSAC1Dataset({ path: folder(ac1Files({ seg2Fs: 1000.5 })), experimenter: 'asari', ...quiet }).getS()).toBe(2);
  });

  it('download: true in the constructor asks for load(); load() logs in to CRCNS, fetches the three zips, unpacks them, builds; a second load fetches nothing', async () => {
    expect(() => new CRCNSAC1Dataset({ path: 'x', download: true })).toThrow(/needs the async factory/);
    const server = await startCrcnsServer('rat', 'cheese');
    try {
      let zipped = ac1Files();
      for (const f of ['crcns-ac1', 'crcns-ac1-asari-results-1', 'crcns-ac1-asari-results-2']) zipped = zipFolder(zipped, f);
      for (const [name, bytes] of Object.entries(zipped)) if (name.endsWith('.zip')) server.files.set(`ac-1/${name}`, bytes);
      const path = folder({});
      const crcnsServer = { loginUrl: server.loginUrl, downloadBase: server.downloadBase };
      const ds = await CRCNSAC1Dataset.load({ path, download: true, username: 'rat', password: 'cheese', crcnsServer, ...quiet });
      const direct = new CRCNSAC1Dataset({ path: folder(ac1Files()), ...quiet });
      expect([ds.getN(), ds.getS()]).toEqual([direct.getN(), direct.getS()]);
      expect(ds.nrnMeta).toEqual(direct.nrnMeta);
      const fetched = server.requests.filter((r) => r.path.includes('/ac-1/')).length;
      await CRCNSAC1Dataset.load({ path, download: true, username: 'rat', password: 'cheese', crcnsServer, ...quiet });
      expect(server.requests.filter((r) => r.path.includes('/ac-1/')).length).toBe(fetched);
      await expect(CRCNSAC1Dataset.load({ path: folder({}), download: true, username: 'rat', password: 'nope', crcnsServer })).rejects.toThrow(AuthenticationError);
    } finally {
      await server.close();
    }
  });
});

describe('CRCNSAC1Dataset: sources and lazy extraction', () => {
  it('load() from a folder and from a MemorySource build what the constructor builds', async () => {
    const files = ac1Files();
    const sync = new CRCNSAC1Dataset({ path: folder(files), ...quiet });
    for (const ds of [await CRCNSAC1Dataset.load({ path: sync.path, ...quiet }), await CRCNSAC1Dataset.load({ source: new MemorySource(files), ...quiet })]) {
      expect(ds.stimMeta).toEqual(sync.stimMeta);
      expect(ds.nrnMeta).toEqual(sync.nrnMeta);
      expect(ds.rejectionCounter).toEqual(sync.rejectionCounter);
      ds.stims.forEach((s, i) => expect(Array.from(s.data)).toEqual(Array.from(sync.stims[i].data)));
      ds.responses.forEach((r, s) => r.forEach((c, n) => {
        expect(c.shape).toEqual(sync.responses[s][n].shape);
        expect(Array.from(c.data)).toEqual(Array.from(sync.responses[s][n].data));
      }));
    }
  });

  it('a missing anchor without its zip names both', () => {
    const files = ac1Files();
    delete files['crcns-ac1/wehr/Summary.mat'];
    const path = folder(files);
    let err: unknown;
    try {
      new CRCNSAC1Dataset({ path, ...quiet });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SourceFileError);
    expect((err as Error).message).toContain(join(path, 'crcns-ac1/wehr/Summary.mat').replace(/\\/g, '/'));
    expect((err as Error).message).toContain('crcns-ac1.zip');
  });

  it('a zipped archive: the constructor asks for load(), which extracts it into its folder, then both build', async () => {
    const files = ac1Files();
    const path = folder(zipFolder(files, 'crcns-ac1-asari-results-2'));
    expect(existsSync(join(path, 'crcns-ac1-asari-results-2'))).toBe(false);
    expect(() => new CRCNSAC1Dataset({ path, ...quiet })).toThrow(/not extracted yet.*crcns-ac1-asari-results-2.zip/);
    const ds = await CRCNSAC1Dataset.load({ path, ...quiet });
    expect(existsSync(join(path, 'crcns-ac1-asari-results-2/asari-results-2/20050202-ha2-x/s1.mat'))).toBe(true);
    expect(ds.nrnMeta.map((m) => m.session)).toEqual(['0205-mw-001', '0206-mw-002', '20050101-ha1-001', '20050202-ha2-x']);
    expect(new CRCNSAC1Dataset({ path, ...quiet }).getN()).toBe(4);
  });

  it('an archive whose zip lacks the anchor folder is an error naming the zip', async () => {
    const files = ac1Files();
    for (const p of Object.keys(files)) if (p.startsWith('crcns-ac1-asari-results-2/')) delete files[p];
    files['crcns-ac1-asari-results-2/other/x.txt'] = new Uint8Array([1]);
    const path = folder(zipFolder(files, 'crcns-ac1-asari-results-2'));
    await expect(CRCNSAC1Dataset.load({ path, ...quiet })).rejects.toThrow(/crcns-ac1-asari-results-2.zip.*extracted, but crcns-ac1-asari-results-2\/asari-results-2 is not in it/);
  });

  it('files removed after the check are reported by name', () => {
    const files = ac1Files();
    const path = folder(files);
    unlinkSync(join(path, 'crcns-ac1/asari/Stimuli/class1/2.mat'));
    expect(() => new CRCNSAC1Dataset({ path, experimenter: 'asari', ...quiet })).toThrow(/class1\/2.mat/);
  });
});

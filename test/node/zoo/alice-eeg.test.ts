// AliceEEGDataset on a tiny release in the real layout (test/helpers/zoo/alice.ts); expected
// values worked out by hand from the spec (docs/zoo/alice-eeg.md).
import { describe, expect, it } from 'vitest';
import {
  AliceEEGDataset, DatasetValidationError, ValueError, aliceEegEntry, aliceEegManifest, mneFilter, mneResample, readFiffRaw,
} from '../../../src/index.js';
import { MemorySource } from '../../../src/sources/memory.js';
import { WAV_N, aliceFiles, stored, wavSample } from '../../helpers/zoo/alice.js';
import { writeAliceFolder } from '../../helpers/zoo/alice-folder.js';

const root = writeAliceFolder();
const f = Math.fround;
const k1 = f(1) * f(1e-6), k2 = f(2) * f(1e-6);
const row = (t: { data: ArrayLike<number> }) => Array.from(t.data);
const isSentinel = (t: { shape: readonly number[]; data: ArrayLike<number> }) => t.shape.join() === '1,1' && Number.isNaN(t.data[0]);

describe('AliceEEGDataset, no filter, dt 2 ms (EEG kept at 500 Hz)', () => {
  const ds = new AliceEEGDataset({ path: root, dtMs: 2, hpFreqHz: null });
  // Gaussian backend at 44.1 kHz: hop round(88.2) = 88, T = 1 + ⌊4410/88⌋ = 51.
  const T = 51;

  it('subjects across shards (eeg.1 overrides eeg.0; a folder without a FIFF file is no subject), EEG channels only', () => {
    expect(ds.subjects).toEqual(['S01', 'S02', 'S04']);
    expect(ds.nrnMeta.map((m) => `${m.subject}:${m.channelId}`)).toEqual(['S01:1', 'S01:2', 'S01:3', 'S02:1', 'S02:3', 'S02:4', 'S04:1', 'S04:2', 'S04:3']);
    expect(ds.nrnMeta[0]).toEqual({ channelId: '1', subject: 'S01', area: 'EEG', xyz: [f(0.01), f(0.02), f(0.03)] });
    expect(ds.nrnMeta[3].xyz).toBe(null); // S02 has no digitisation: no montage
    expect([ds.species, ds.behavioralState, ds.F, ds.hearingRangeHz]).toEqual(['human', 'passive-listening', 8, [20, 20000]]);
  });

  it('stimuli: 12 segments sorted by number, (1, 8, 51), metadata', () => {
    expect(ds.stimMeta.map((m) => m.name)).toEqual(Array.from({ length: 12 }, (_, k) => `${k + 1}.wav`));
    expect(ds.stimMeta[0]).toEqual({ name: '1.wav', type: 'alice_chapter1', sampleRate: 44100, nSamples: WAV_N, durationS: 0.1 });
    expect(ds.stims[0].shape).toEqual([1, 8, T]);
  });

  it('segment k starts at round(onset·fs); volts = stored·range·cal; BAD windows NaN; bad channel → sentinel; NaN tail', () => {
    // Segment 1 (onset 0.1 s → sample 50) covers samples 50…100; BAD_blink [0.2, 0.21) s = samples [100, 105).
    const s1 = row(ds.responses[0][0]);
    expect(s1.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, t) => f(stored(0, 50 + t) * k1)));
    expect(s1[50]).toBeNaN();
    const s2 = row(ds.responses[1][2]); // channel '3' (range 2), onset 0.2 → sample 100
    expect(s2.slice(0, 5).every(Number.isNaN)).toBe(true);
    expect(s2.slice(5)).toEqual(Array.from({ length: T - 5 }, (_, t) => f(stored(2, 105 + t) * k2)));
    expect(isSentinel(ds.responses[0][1]) && isSentinel(ds.responses[11][1])).toBe(true);
    // Segment 12 starts at 780 of 800 samples: 20 values, then NaN.
    const s12 = row(ds.responses[11][0]);
    expect(s12.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, t) => f(stored(0, 780 + t) * k1)));
    expect(s12.slice(20).every(Number.isNaN)).toBe(true);
    // A negative-duration BAD annotation masks nothing (max(duration, 0) = 0).
    expect(row(ds.responses[8][0]).every(Number.isFinite)).toBe(true);
  });

  it('first_samp ≠ 0 without orig_time shifts every onset by first_samp/sfreq (MNE), as the reference', () => {
    // S04: first_samp 50 → +0.1 s: segment 1 starts at sample 100; BAD at [150, 155).
    const s1 = row(ds.responses[0][6]);
    expect(s1.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, t) => f(stored(0, 100 + t) * k1)));
    expect(s1[50]).toBeNaN(); // sample 150: the shifted BAD window
    const s2 = row(ds.responses[1][6]);
    expect(s2.slice(0, 5).every(Number.isNaN) && Number.isFinite(s2[5])).toBe(true);
  });

  it("treatSubjectsAs 'repeats': union of channels, subjects as rows, NaN where missing", () => {
    const rep = new AliceEEGDataset({ path: root, dtMs: 2, hpFreqHz: null, treatSubjectsAs: 'repeats' });
    expect(rep.nrnMeta.map((m) => m.channelId)).toEqual(['1', '2', '3', '4']);
    expect(rep.nrnMeta[1]).toEqual({ channelId: '2', subject: null, area: 'EEG', xyz: [f(0.04), f(0.05), f(0.06)] });
    expect(rep.nrnMeta[3].xyz).toBe(null);
    const ch2 = rep.responses[0][1];
    expect(ch2.shape).toEqual([3, T]);
    expect(row(ch2).slice(0, 2 * T).every(Number.isNaN)).toBe(true); // S01 bad, S02 lacks it
    expect(row(ch2).slice(2 * T, 3 * T - 1)).toEqual(Array.from({ length: T - 1 }, (_, t) => f(stored(1, 100 + t) * k1)));
    // Channel '4' exists in S02 only (dau16, its third channel).
    expect(row(rep.responses[0][3]).slice(T, 2 * T - 1)).toEqual(Array.from({ length: T - 1 }, (_, t) => f(stored(2, 50 + t) * k1)));
  });
});

describe('AliceEEGDataset defaults (1 Hz high-pass, 100 Hz)', () => {
  it('EEG = MNE filter then MNE resample of the raw volts, cut at round(onset·100)', async () => {
    const ds = await AliceEEGDataset.load({ source: new MemorySource(aliceFiles()), subjects: ['S01'] });
    expect(ds.stims[0].shape).toEqual([1, 8, 11]); // hop 441: 1 + ⌊4410/441⌋
    const raw = readFiffRaw(aliceFiles()['eeg.0/eeg/S01/S01_alice-raw.fif'], 'S01', { picks: (c) => c.kind === 2 });
    mneFilter(raw.data, 3, 800, 500, 1, null);
    const { data, n } = mneResample(raw.data, 3, 800, 500, 100);
    expect(n).toBe(160);
    const s1 = row(ds.responses[0][0]); // start round(0.1·100) = 10; BAD column 20 → t = 10
    for (let t = 0; t < 10; t++) expect(s1[t]).toBe(f(data[10 + t]));
    expect(s1[10]).toBeNaN();
    expect(row(ds.responses[3][2])).toEqual(Array.from({ length: 11 }, (_, t) => f(data[2 * n + 40 + t])));
  });

  it('waveform mode at 44.1 kHz: the segment padded to T·441; heeris backend shape', () => {
    const w = new AliceEEGDataset({ path: root, subjects: ['S02'], returnWaveform: true });
    expect(w.stims[2].shape).toEqual([1, 11 * 441]);
    expect(w.stims[2].data[100]).toBe(f(wavSample(2, 100)));
    expect(w.stims[2].data[4500]).toBe(0);
    expect(w.hop).toBe(441);
    // gtgram: window round-half-away(1102.5) = 1103, hop 441 → 1 + ⌊(4410 − 1103)/441⌋ = 8 frames.
    const h = new AliceEEGDataset({ path: root, subjects: ['S02'], specBackend: 'heeris' });
    expect(h.stims[0].shape).toEqual([1, 8, 8]);
  });

  it('a truncated FIFF file or a missing segment is a FormatError naming the file', async () => {
    const files = aliceFiles();
    const good = files['eeg.2/eeg/S04/S04_alice-raw.fif'];
    files['eeg.2/eeg/S04/S04_alice-raw.fif'] = good.subarray(0, good.length - 100);
    await expect(AliceEEGDataset.load({ source: new MemorySource(files) })).rejects.toThrow(/eeg\.2\/eeg\/S04\/S04_alice-raw\.fif @ byte \d+/);
    delete files['stimuli/7.wav'];
    await expect(AliceEEGDataset.load({ source: new MemorySource(files) })).rejects.toThrow(/expected 12 WAV files/);
  });

  it('typed errors, manifest and entry', () => {
    expect(() => new AliceEEGDataset({ path: root, treatSubjectsAs: 'both' as never })).toThrow(ValueError);
    expect(() => new AliceEEGDataset({ path: root, specBackend: 'x' as never })).toThrow(/specBackend must be 'gaussian' or 'heeris'/);
    expect(() => new AliceEEGDataset({ path: root, subjects: ['S09'] })).toThrow(/subjects S09 not found; available: S01, S02, S04/);
    expect(() => new AliceEEGDataset({ path: `${root}/none` })).toThrow(DatasetValidationError);
    const m = aliceEegManifest();
    expect(m.files.map((x) => [x.path, x.extractTo])).toEqual([['eeg.0.zip', 'eeg.0'], ['eeg.1.zip', 'eeg.1'], ['eeg.2.zip', 'eeg.2'], ['stimuli.zip', '']]);
    expect(m.files[0].url).toBe('https://drum.lib.umd.edu/bitstreams/264ca110-f7f4-4fd5-9b00-896102b841ad/download');
    expect(aliceEegEntry.cacheFolder).toBe('Alice_EEG');
  });
});

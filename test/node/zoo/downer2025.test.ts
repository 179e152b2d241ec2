// Downer2025Dataset on a tiny release in the real layout (test/helpers/zoo/downer.ts); every
// expected number below is worked out by hand from the spec (docs/zoo/downer2025.md).
import { describe, expect, it } from 'vitest';
import {
  DatasetValidationError, Downer2025Dataset, FormatError, ValueError, downer2025Entry, downer2025Manifest, kaldiFbank,
  parseDownerChannelFile, resample,
} from '../../../src/index.js';
import { MemorySource } from '../../../src/sources/memory.js';
import { MVOC_FS, SPEECH, downerFiles, mvocMono, speechSample } from '../../helpers/zoo/downer.js';
import { writeDownerFolder } from '../../helpers/zoo/downer-folder.js';

const root = writeDownerFolder();
const counts = (t: { shape: readonly number[]; data: ArrayLike<number> }) => {
  const out: Record<string, number> = {};
  Array.from(t.data).forEach((v, i) => { if (v !== 0) out[`${Math.floor(i / t.shape[1])},${i % t.shape[1]}`] = v; });
  return out;
};
const isSentinel = (t: { shape: readonly number[]; data: ArrayLike<number> }) => t.shape.join() === '1,1' && Number.isNaN(t.data[0]);

describe('Downer2025Dataset (TIMIT)', () => {
  const ds = new Downer2025Dataset({ path: root, smooth: false });

  it('enumerates channels: sorted sessions and files, bad session skipped, metadata from the YAML and the area table', () => {
    expect(ds.nrnMeta.map((m) => m.cellId)).toEqual(['b_180413_Ch1', 'b_180413_Ch1p', 'c_180627_Ch2s2']);
    expect(ds.nrnMeta[1]).toEqual({
      cellId: 'b_180413_Ch1p', sessionId: '180413', animalId: 'b', hemisphere: 'RH', areaGroup: 'non-primary', area: 'AL',
      channel: 1, channelSuffix: 'p', nChannelsInSession: 3, coordX: 0.4, coordY: -0.4, recordingType: 'multi-unit',
    });
    expect(ds.nrnMeta[2]).toMatchObject({ animalId: 'c', areaGroup: 'core', area: 'A1', channel: 2, channelSuffix: 's2', nChannelsInSession: 1, coordX: null, coordY: null });
    expect(ds.species).toBe('squirrel monkey');
  });

  it('stimuli: speech-only TIMIT, T = round(duration·1000/dt) with halves to even, split by repeat counts', () => {
    expect(ds.stimMeta.map((m) => [m.name, m.stimId, m.nSamples, m.split, m.nRepsCanonical])).toEqual([
      ['fadg0_si1279', 1, 1600, 'test', 2], ['mcpm0_sa1', 2, 2000, 'estimation', 1], ['fdrw0_sx23', 3, 1160, 'estimation', 1],
    ]);
    expect(ds.stimMeta[2].durationS).toBe(1160 / 16000);
    expect(ds.stims.map((s) => s.shape)).toEqual([[1, 80, 20], [1, 80, 25], [1, 80, 14]]);
  });

  it('spectrogram: Kaldi fbank of speech·2^15 (hanning, 80 bins, 0–8 kHz, 5 ms), z-scored per band, zero-padded', () => {
    const speech = Float32Array.from({ length: SPEECH[0] }, (_, i) => speechSample(0, i) * 32768);
    const fb = kaldiFbank(speech, { numMelBins: 80, windowType: 'hanning', frameShift: 5, lowFreq: 0, highFreq: 8000 });
    const frames = 1 + Math.floor((1600 - 400) / 80); // 16, then zero padding to 20
    expect(fb.shape[0]).toBe(frames);
    const s = ds.stims[0].data;
    for (const f of [0, 40, 79]) {
      const band = Array.from({ length: frames }, (_, t) => fb.data[t * 80 + f]);
      const mean = band.reduce((a, b) => a + b, 0) / frames;
      const sd = Math.sqrt(band.reduce((a, b) => a + (b - mean) ** 2, 0) / frames);
      for (let t = 0; t < frames; t++) expect(s[f * 20 + t]).toBeCloseTo((band[t] - mean) / sd, 4);
      for (let t = frames; t < 20; t++) expect(s[f * 20 + t]).toBe(0);
    }
  });

  it('responses: counts per 5 ms bin from each onset, rows in trial order; sentinels where a session never played a sentence', () => {
    // Ch1, sentence 1 (onsets 1.0 and 5.0 s; 0.999 is before, 1.1 at the end of the 0.1 s window).
    expect(ds.responses[0][0].shape).toEqual([2, 20]);
    expect(counts(ds.responses[0][0])).toEqual({ '0,0': 1, '0,2': 1, '0,19': 1, '1,0': 1, '1,10': 1 });
    // Sentence 2 (onset 3.0): Ch1 3.0075 → bin 1; Ch1p 3.02 → bin 4 (Ch1p's own trial struct is not used).
    expect(counts(ds.responses[1][0])).toEqual({ '0,1': 1 });
    expect(counts(ds.responses[1][1])).toEqual({ '0,4': 1 });
    expect(isSentinel(ds.responses[2][0]) && isSentinel(ds.responses[2][1])).toBe(true);
    // Session 180627 played only sentence 3 (onset 2.0, T 14 → window 0.07 s).
    expect(counts(ds.responses[2][2])).toEqual({ '0,0': 1, '0,12': 1, '0,13': 1 });
    expect(isSentinel(ds.responses[0][2]) && isSentinel(ds.responses[1][2])).toBe(true);
  });

  it('smoothing (default): 21 ms Hann at 5 ms = kernel [0, .5, 1, .5, 0]', () => {
    const sm = new Downer2025Dataset({ path: root });
    expect(Array.from(sm.responses[1][1].data.slice(2, 7))).toEqual([0, 0.5, 1, 0.5, 0]);
  });

  it('filters: areas (primary = core, fine areas), animals, sessions; the test split follows the loaded sessions', () => {
    const core = new Downer2025Dataset({ path: root, areas: ['primary'], smooth: false });
    expect(core.nrnMeta.map((m) => m.cellId)).toEqual(['c_180627_Ch2s2']);
    expect(core.stimMeta.map((m) => m.split)).toEqual(['estimation', 'estimation', 'estimation']);
    expect(new Downer2025Dataset({ path: root, areas: ['AL'] }).nNeurons).toBe(2);
    expect(new Downer2025Dataset({ path: root, animals: ['c'] }).nrnMeta[0].cellId).toBe('c_180627_Ch2s2');
    expect(new Downer2025Dataset({ path: root, sessions: [180413] }).nNeurons).toBe(2);
    const test = new Downer2025Dataset({ path: root, subset: 'test', smooth: false });
    expect(test.stimMeta.map((m) => m.stimId)).toEqual([1]);
    expect(() => new Downer2025Dataset({ path: root, areas: ['ML'] })).toThrow(/no channel .* passes the session \/ animal \/ area filters/);
  });

  it('dt 20 ms: 10 ms fbank frames averaged in pairs (remainder dropped), 20 ms response bins', () => {
    const d = new Downer2025Dataset({ path: root, dtMs: 20, specZscore: false, smooth: false });
    expect(d.stims.map((s) => s.shape[2])).toEqual([5, 6, 4]); // round(100/20), round(125/20) = 6, round(72.5/20) = 4
    const speech = Float32Array.from({ length: SPEECH[0] }, (_, i) => speechSample(0, i) * 32768);
    const fb = kaldiFbank(speech, { numMelBins: 80, windowType: 'hanning', frameShift: 10, lowFreq: 0, highFreq: 8000 });
    expect(fb.shape[0]).toBe(8); // 1 + ⌊(1600 − 400)/160⌋ → 4 pooled frames, then one zero
    for (const f of [3, 50]) {
      for (let t = 0; t < 4; t++) expect(d.stims[0].data[f * 5 + t]).toBeCloseTo((fb.data[2 * t * 80 + f] + fb.data[(2 * t + 1) * 80 + f]) / 2, 5);
      expect(d.stims[0].data[f * 5 + 4]).toBe(0);
    }
    // Ch1, sentence 1: 1.0025 and 1.0125 → bin 0, 1.0999 → bin 4; 5.0 → 0, 5.0525 → 2.
    expect(counts(d.responses[0][0])).toEqual({ '0,0': 2, '0,4': 1, '1,0': 1, '1,2': 1 });
  });

  it('waveform mode: the speech samples themselves at 16 kHz, T·hop long', () => {
    const w = new Downer2025Dataset({ path: root, returnWaveform: true, smooth: false });
    expect(w.stims[0].shape).toEqual([1, 20 * 80]);
    for (const i of [0, 1, 777, 1599]) expect(w.stims[0].data[i]).toBe(speechSample(0, i));
    expect(w.stims[2].shape).toEqual([1, 14 * 80]); // 1160 samples cropped to 1120
  });

  it('bad options and a missing release give typed errors', () => {
    expect(() => new Downer2025Dataset({ path: root, stimuli: 'speech' as never })).toThrow(ValueError);
    expect(() => new Downer2025Dataset({ path: root, dtMs: 15 })).toThrow(/dtMs above 10 must be a multiple of 10/);
    expect(() => new Downer2025Dataset({ path: `${root}/nope` })).toThrow(DatasetValidationError);
    expect(() => new Downer2025Dataset({ path: `${root}/nope` })).toThrow(/sessions not found; download .*download: true/);
  });
});

describe('Downer2025Dataset (mVocs)', () => {
  it('entries per sorted voc id: shortest slot, earliest onset, mono snippet; test = slots = mVocs repeats', async () => {
    const ds = await Downer2025Dataset.load({ path: root, stimuli: 'mvocs', returnWaveform: true, audioFs: MVOC_FS, smooth: false });
    expect(ds.stimMeta.map((m) => [m.name, m.stimId, m.durationS, m.nRepsInWav, m.split, m.nSamples])).toEqual([
      ['mvoc_003', 3, 0.25 - 0.1, 2, 'test', 6150], ['mvoc_007', 7, 0.35 - 0.25, 2, 'test', 4100], ['mvoc_009', 9, 24600 / 41000 - 0.5, 1, 'estimation', 4100],
    ]);
    // voc 3: frames [4100, 4100 + 6150); T = 30 bins of 205 samples.
    expect(ds.stims[0].shape).toEqual([1, 30 * 205]);
    for (const i of [0, 3000, 6149]) expect(ds.stims[0].data[i]).toBeCloseTo(mvocMono(4100 + i), 6);
    // voc 7 played at 7.0 s in session 180413 (spike 7.001 → bin 0); nothing else.
    expect(counts(ds.responses[1][0])).toEqual({ '0,0': 1 });
    expect(isSentinel(ds.responses[0][0]) && isSentinel(ds.responses[1][2]) && isSentinel(ds.responses[2][1])).toBe(true);
  });

  it('spectrogram mode resamples 41 → 16 kHz before the fbank', () => {
    const ds = new Downer2025Dataset({ path: root, stimuli: 'mvocs' });
    expect(ds.stims.map((s) => s.shape)).toEqual([[1, 80, 30], [1, 80, 20], [1, 80, 20]]);
    // voc 3: its mono snippet, torchaudio-resampled (float32 kernel) to 16 kHz, ×2^15, fbank, z-score.
    const snippet = Float32Array.from({ length: 6150 }, (_, i) => mvocMono(4100 + i));
    const x16 = resample(snippet, 41000, 16000, { kernelDtype: 'float32' }).map((v) => v * 32768);
    const fb = kaldiFbank(x16, { numMelBins: 80, windowType: 'hanning', frameShift: 5, lowFreq: 0, highFreq: 8000 });
    const frames = fb.shape[0]; // 1 + ⌊(2400 − 400)/80⌋ = 26
    expect(frames).toBe(26);
    for (const f of [10, 60]) {
      const band = Array.from({ length: frames }, (_, t) => fb.data[t * 80 + f]);
      const mean = band.reduce((a, b) => a + b, 0) / frames;
      const sd = Math.max(Math.sqrt(band.reduce((a, b) => a + (b - mean) ** 2, 0) / frames), 1e-9);
      for (const t of [0, 13, 25]) expect(ds.stims[0].data[f * 30 + t]).toBeCloseTo((band[t] - mean) / sd, 4);
      expect(ds.stims[0].data[f * 30 + 29]).toBe(0);
    }
    expect(ds.audioFs).toBe(null);
    expect(ds.spectrogramFs).toBe(16000);
  });
});

describe('Downer2025Dataset.load and the registry', () => {
  it('builds the same dataset from a MemorySource', async () => {
    const a = await Downer2025Dataset.load({ source: new MemorySource(downerFiles()), smooth: false });
    const b = new Downer2025Dataset({ path: root, smooth: false });
    expect(a.nrnMeta).toEqual(b.nrnMeta);
    expect(Array.from(a.responses[0][0].data)).toEqual(Array.from(b.responses[0][0].data));
    expect(Array.from(a.stims[1].data)).toEqual(Array.from(b.stims[1].data));
  });

  it('a damaged file is a FormatError naming it; download with a source is refused', async () => {
    const files = downerFiles();
    files['sessions/180413/b_180413_Ch1p_MUspk.mat'] = files['sessions/180413/b_180413_Ch1p_MUspk.mat'].subarray(0, 300);
    await expect(Downer2025Dataset.load({ source: new MemorySource(files) })).rejects.toThrow(FormatError);
    await expect(Downer2025Dataset.load({ source: new MemorySource(files) })).rejects.toThrow(/sessions\/180413\/b_180413_Ch1p_MUspk\.mat/);
    delete files['sessions_metadata.yml'];
    await expect(Downer2025Dataset.load({ source: new MemorySource(files) })).rejects.toThrow(/sessions_metadata\.yml/);
    await expect(Downer2025Dataset.load({ source: new MemorySource(files), download: true })).rejects.toThrow(ValueError);
  });

  it('channel file grammar, manifest and entry', () => {
    expect(parseDownerChannelFile('b_180413_Ch12ps2_MUspk.mat')).toEqual({ animal: 'b', session: '180413', channel: 12, suffix: 'ps2' });
    expect(parseDownerChannelFile('b_180413_Ch1-p_MUspk.mat')).toBe(null);
    expect(parseDownerChannelFile('b_180413_Ch_MUspk.mat')).toBe(null);
    expect(parseDownerChannelFile('b_180413_TRIALINFO.mat')).toBe(null);
    expect(parseDownerChannelFile('b_Ch1_MUspk.mat')).toBe(null);
    expect(downer2025Manifest().files[0]).toMatchObject({
      path: 'auditory_cortex_data.zip', url: 'https://zenodo.org/records/16175377/files/auditory_cortex_data.zip/content', archive: 'zip', anchor: 'auditory_cortex_data/sessions',
    });
    expect(downer2025Entry.className).toBe('Downer2025Dataset');
  });
});

// A tiny Alice EEG release in the real layout (docs/zoo/alice-eeg.md): FIFF files for S01, S02
// (in eeg.0 a broken copy, overridden by eeg.1) and S04, a subject folder without a file, and 12
// short WAV segments at 44.1 kHz (isomorphic; alice-folder.ts writes it to disk in Node). Stored
// sample i of channel c (0-based among all channels) is (c + 1)·1000 + i; expected values are
// worked out in test/node/zoo/alice-eeg.test.ts.
import { encodeWav } from '../../../src/index.js';
import { writeRawFiff, type FiffChannelSpec } from '../../io/helpers/fiff-writer.js';

export const EEG_FS = 500;
export const EEG_N = 800;
/** Segment onsets (s): 0.1·k for k = 1…11, and 1.56 for segment 12 (its tail runs past the data). */
export const ONSETS = [...Array.from({ length: 11 }, (_, k) => 0.1 * (k + 1)), 1.56];
/** WAV segments: 4410 samples (0.1 s) each at 44.1 kHz, a tone whose frequency grows with k. */
export const WAV_N = 4410;
export const wavSample = (k: number, i: number) => 0.5 * Math.sin((2 * Math.PI * 300 * (k + 1) * i) / 44100);

export const stored = (c: number, i: number) => (c + 1) * 1000 + i;

function values(nch: number, from: number, to: number): number[] {
  const v: number[] = [];
  for (let i = from; i < to; i++) for (let c = 0; c < nch; c++) v.push(stored(c, i));
  return v;
}

const annotations = {
  onset: [...ONSETS, 0.2, 0.9, 0.05, 0.3, 0.4],
  duration: [...ONSETS.map(() => 0), 0.01, -1, 0, 0, 0],
  description: [...ONSETS.map((_, k) => String(k + 1)), 'BAD_blink', 'bad_neg', 'boundary', '13', '0'],
};

export const S01_CHANNELS: FiffChannelSpec[] = [
  { name: '1', cal: 1e-6, loc: [0.01, 0.02, 0.03] }, { name: '2', cal: 1e-6, loc: [0.04, 0.05, 0.06] },
  { name: '3', cal: 1e-6, range: 2, loc: [0.07, 0.08, 0.09] }, { name: 'STI 014', kind: 3 },
];

/** Relative path → bytes of the fixture release. */
export function aliceFiles(): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  files['eeg.0/eeg/S01/S01_alice-raw.fif'] = writeRawFiff({
    sfreq: EEG_FS, channels: S01_CHANNELS, bads: ['2'], dig: [{ kind: 3, ident: 1, r: [0, 0, 0.1] }], firstSample: 0,
    buffers: [{ type: 'float32', values: values(4, 0, 400) }, { type: 'float32', values: values(4, 400, EEG_N) }], annotations,
  });
  files['eeg.0/eeg/S02/S02_alice-raw.fif'] = new TextEncoder().encode('overridden by eeg.1: never read');
  files['eeg.1/eeg/S02/S02_alice-raw.fif'] = writeRawFiff({
    sfreq: EEG_FS, channels: [{ name: '1', cal: 1e-6 }, { name: '3', cal: 1e-6 }, { name: '4', cal: 1e-6 }],
    buffers: [{ type: 'dau16', values: values(3, 0, EEG_N) }], annotations, directory: true,
  });
  files['eeg.2/eeg/S03/readme.txt'] = new TextEncoder().encode('no FIFF file: not a subject');
  // S04: first_samp 50 and no orig_time → MNE adds 0.1 s to every onset.
  files['eeg.2/eeg/S04/S04_alice-raw.fif'] = writeRawFiff({
    sfreq: EEG_FS, channels: [{ name: '1', cal: 1e-6 }, { name: '2', cal: 1e-6 }, { name: '3', cal: 1e-6 }], firstSample: 50,
    buffers: [{ type: 'int32', values: values(3, 0, EEG_N) }], annotations,
  });
  for (let k = 0; k < 12; k++) {
    files[`stimuli/${k + 1}.wav`] = encodeWav(Float32Array.from({ length: WAV_N }, (_, i) => wavSample(k, i)), 44100, { format: 'float32' });
  }
  files['stimuli/AliceChapterOne-EEG.csv'] = new TextEncoder().encode('Word,onset\n');
  return files;
}

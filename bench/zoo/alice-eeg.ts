// Alice EEG build time on a synthetic release at the real per-subject size: 61 EEG channels +
// 3 others at 500 Hz for 744 s (float32 buffers), 12 stimuli of 62 s at 44.1 kHz, and `subjects`
// subjects (33 in the release; the default 1 keeps the bench small — the build is linear in it).
// Baseline, same process: reading every FIFF file and decoding every WAV.
import { AliceEEGDataset, decodeWav, encodeWav, readFiffRaw } from '../../src/index.js';
import { MemorySource } from '../../src/sources/memory.js';
import { writeRawFiff } from '../../test/io/helpers/fiff-writer.js';

const FS = 500, SECONDS = 744, EEG = 61;

function release(subjects: number): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const n = FS * SECONDS, nch = EEG + 3;
  const channels = [...Array.from({ length: EEG }, (_, c) => ({ name: String(c + 1), cal: 1e-6, loc: [0.01 * c, 0, 0.05] })),
    { name: 'EOG', kind: 202 }, { name: 'ECG', kind: 402 }, { name: 'STI', kind: 3 }];
  const seg = SECONDS / 12;
  const annotations = {
    onset: [...Array.from({ length: 12 }, (_, k) => 1 + k * seg), 100, 400],
    duration: [...Array(12).fill(0), 2, 1.5],
    description: [...Array.from({ length: 12 }, (_, k) => String(k + 1)), 'BAD_blink', 'BAD_move'],
  };
  for (let s = 1; s <= subjects; s++) {
    const buffers = [];
    for (let i0 = 0; i0 < n; i0 += 10000) {
      const values: number[] = [];
      for (let i = i0; i < Math.min(n, i0 + 10000); i++) for (let c = 0; c < nch; c++) values.push(20 * Math.sin(i * 0.01 * (1 + c / 64)) + ((i * 7 + c) % 13));
      buffers.push({ type: 'float32' as const, values });
    }
    const name = `S${String(s).padStart(2, '0')}`;
    files[`eeg.${s % 3}/eeg/${name}/${name}_alice-raw.fif`] = writeRawFiff({ sfreq: FS, channels, bads: ['7'], dig: [{ kind: 3, ident: 1, r: [0, 0, 0.1] }], buffers, annotations });
  }
  for (let k = 0; k < 12; k++) {
    const len = Math.round(seg * 44100);
    files[`stimuli/${k + 1}.wav`] = encodeWav(Float32Array.from({ length: len }, (_, i) => 0.3 * Math.sin(i * 0.05 * (1 + k / 12))), 44100);
  }
  return files;
}

/**
 * Builds the synthetic release through `AliceEEGDataset.load` (defaults: 1 Hz high-pass,
 * 100 Hz, Gaussian ERB stimuli) and times it against reading the same files.
 * @example
 * ```ts
 * const r = await aliceEegBuildTime(1); // r.ratio = build / read floor
 * ```
 */
export async function aliceEegBuildTime(subjects = 1): Promise<{ subjects: number; buildMs: number; readMs: number; ratio: number; projectedFullMs: number }> {
  const files = release(subjects);
  let t = performance.now();
  for (const [path, bytes] of Object.entries(files)) {
    if (path.endsWith('.fif')) readFiffRaw(bytes, path);
    else decodeWav(bytes, { name: path });
  }
  const readMs = performance.now() - t;
  t = performance.now();
  const ds = await AliceEEGDataset.load({ source: new MemorySource(files) });
  const buildMs = performance.now() - t;
  if (ds.nNeurons !== subjects * EEG) throw new Error(`bench build has ${ds.nNeurons} channels`);
  return { subjects, buildMs, readMs, ratio: buildMs / readMs, projectedFullMs: (buildMs * 33) / subjects };
}

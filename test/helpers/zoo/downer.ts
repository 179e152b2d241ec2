// A tiny Downer 2025 release in the real layout (docs/zoo/downer2025.md): sessions_metadata.yml,
// per-channel MAT v5 files (`trial`, `spike` with an events matrix), a TRIALINFO decoy, the
// TIMIT `sentdet` file (0.5 s of non-zero junk around each sentence, so trimming shows), the
// mVocs code file and a stereo 41 kHz WAV (isomorphic; downer-folder.ts writes it to disk in Node).
// The expected values are written out by hand in test/node/zoo/downer2025.test.ts.
import { encodeWav } from '../../../src/index.js';
import { num, str, struct1, structArr, writeMat, type Spec } from '../../io/helpers/mat-writer.js';

export const YAML = `# squirrel monkey sessions (fine areas only in comments, as upstream)
c_RH_sessions: [180627]
b_RH_sessions:
  - 180413   # AL
f_RH_sessions: []
c_LH_sessions: []
area_wise_sessions:
  core: [180627]
  non-primary: [180413]
session_coordinates:
  180413: [0.4, -0.4]
bad_sessions: ['190101']
stim_wise_num_repeats: {timit: 2, mVocs: 2}
`;

const row = (v: number[]) => num('double', [1, v.length], v);
const trial = (stimon: number[], timit: number[], mvoc: number[]): Spec =>
  struct1({ stimon: row(stimon), timitStimcode: num('int32', [1, timit.length], timit), mVocStimcode: num('int32', [1, mvoc.length], mvoc) });
const spike = (times: number[]): Spec =>
  struct1({ events: num('double', [64, 8], Array.from({ length: 512 }, (_, i) => i % 7)), spktimes: num('double', [times.length, 1], times) });
const channel = (t: Spec, times: number[], compress: boolean) => writeMat([['trial', t], ['spike', spike(times)]], { compress });

/** Speech lengths (samples at 16 kHz): 0.1 s, 0.125 s and 0.0725 s (T = 14.5 → 14 bins at 5 ms). */
export const SPEECH = [1600, 2000, 1160];
/** Speech sample i of sentence k (the padding holds 0.25 instead, to show the trim). */
export const speechSample = (k: number, i: number) => Math.fround(0.1 * Math.sin(0.3 * i * (k + 1)) + 0.01 * k);

function sentdet(): Spec {
  const names = ['fadg0_si1279', 'mcpm0_sa1', 'fdrw0_sx23'];
  return structArr([1, 3], ['name', 'sentId', 'sound', 'soundf', 'duration', 'befaft', 'aud'], SPEECH.map((n, k) => {
    const sound = [...Array(8000).fill(0.25), ...Array.from({ length: n }, (_, i) => speechSample(k, i)), ...Array(8000).fill(0.25)];
    return {
      name: str(names[k]), sentId: num('double', [1, 1], [k + 1]), sound: num('single', [sound.length, 1], sound),
      soundf: num('double', [1, 1], [16000]), duration: num('double', [1, 1], [sound.length / 16000]),
      befaft: row([0.5, 0.5]), aud: num('double', [4, 4], Array(16).fill(1)),
    };
  }));
}

/** mVocs WAV: 0.6 s stereo at 41 kHz; left = i/24600, right = 0.5 (mono = their mean). */
export const MVOC_FS = 41000;
export const mvocMono = (i: number) => (Math.round(Math.fround(i / 24600) * 32768) / 32768 + 0.5) / 2;

/** Relative path → bytes of the whole fixture release. */
export function downerFiles(): Record<string, Uint8Array> {
  const enc = new TextEncoder();
  const wav = new Float32Array(2 * 24600);
  for (let i = 0; i < 24600; i++) { wav[i] = i / 24600; wav[24600 + i] = 0.5; }
  return {
    'sessions_metadata.yml': enc.encode(YAML),
    'sessions/180413/b_180413_Ch1-p_MUspk.mat': enc.encode('not a channel file name: never read'),
    'sessions/180413/b_180413_Ch1_MUspk.mat': channel(trial([1.0, 3.0, 5.0, 7.0], [1, 2, 1, 0], [0, 0, 0, 7]),
      [0.999, 1.0025, 1.0125, 1.0999, 1.1, 3.0075, 5.0, 5.0525, 7.001], true),
    // A different trial struct: the loader reads trials from the first channel file only.
    'sessions/180413/b_180413_Ch1p_MUspk.mat': channel(trial([100], [3], [0]), [3.02], false),
    'sessions/180413/b_180413_TRIALINFO.mat': writeMat([['x', row([1])]]),
    'sessions/180627/c_180627_Ch2s2_MUspk.mat': channel(trial([2.0], [3], [0]), [2.0, 2.0625, 2.069, 2.0725], false),
    'sessions/190101/b_190101_Ch1_MUspk.mat': enc.encode('bad session: never read'),
    'stimuli/out_sentence_details_timit_all_loudness.mat': writeMat([['sentdet', sentdet()]], { compress: true }),
    'stimuli/SqMoPhys_MVOCStimcodes.mat': writeMat([
      ['mVocsStimCodes', num('double', [5, 1], [7, 3, 7, 3, 9])],
      ['mVocsStimOnTimes', num('double', [5, 1], [0, 0.1, 0.25, 0.35, 0.5])],
    ]),
    'stimuli/MonkVocs_15Blocks.wav': encodeWav({ dtype: 'float32', shape: [2, 24600], data: wav }, MVOC_FS),
  };
}

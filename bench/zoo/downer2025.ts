// Downer 2025 build time on a synthetic release with the real stimulus counts (499 TIMIT
// sentences, 50 sessions, 599 trials each: every sentence once plus 10 test sentences 10 more
// times) and `channels` multi-unit files (the release has 1718; the default 100 keeps the bench
// within a shared machine's memory — the per-channel part of the build scales linearly).
// Baseline, same process: parsing every file the build reads (readMat, whole structs).
import { Downer2025Dataset, readMat } from '../../src/index.js';
import { MemorySource } from '../../src/sources/memory.js';
import { num, str, struct1, structArr, writeMat } from '../../test/io/helpers/mat-writer.js';

const SENTENCES = 499, SESSIONS = 50, SPEECH_S = 1.5, TRIAL_S = 3, RATE_HZ = 20;

function release(channels: number): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const ids = Array.from({ length: SESSIONS }, (_, i) => String(180400 + i));
  const enc = new TextEncoder();
  files['sessions_metadata.yml'] = enc.encode(`b_RH_sessions: [${ids.join(', ')}]\narea_wise_sessions: {core: [${ids.join(', ')}], non-primary: []}\n` +
    'session_coordinates: {}\nbad_sessions: []\nstim_wise_num_repeats: {timit: 11, mVocs: 15}\n');
  const codes = [...Array.from({ length: SENTENCES }, (_, i) => i + 1), ...Array.from({ length: 100 }, (_, i) => 1 + (i % 10) * 7)];
  const stimon = codes.map((_, i) => 1 + i * TRIAL_S);
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const nSpikes = Math.round(RATE_HZ * (stimon[stimon.length - 1] + TRIAL_S));
  const perSession = Math.ceil(channels / SESSIONS);
  let made = 0;
  for (const id of ids) {
    for (let c = 1; c <= perSession && made < channels; c++, made++) {
      const spikes = Array.from({ length: nSpikes }, () => rnd() * (nSpikes / RATE_HZ)).sort((a, b) => a - b);
      files[`sessions/${id}/b_${id}_Ch${c}_MUspk.mat`] = writeMat([
        ['trial', struct1({ stimon: num('double', [1, codes.length], stimon), timitStimcode: num('double', [1, codes.length], codes), mVocStimcode: num('double', [1, codes.length], codes.map(() => 0)) })],
        ['spike', struct1({ events: num('double', [200, 8], Array(1600).fill(1)), spktimes: num('double', [nSpikes, 1], spikes) })],
      ], { compress: true });
    }
  }
  const n = Math.round(SPEECH_S * 16000) + 16000;
  files['stimuli/out_sentence_details_timit_all_loudness.mat'] = writeMat([['sentdet', structArr([1, SENTENCES], ['name', 'sentId', 'sound', 'soundf', 'befaft'],
    Array.from({ length: SENTENCES }, (_, k) => ({
      name: str(`s${k}`), sentId: num('double', [1, 1], [k + 1]), soundf: num('double', [1, 1], [16000]), befaft: num('double', [1, 2], [0.5, 0.5]),
      sound: num('single', [n, 1], Array.from({ length: n }, (_, i) => (i < 8000 || i >= n - 8000 ? 0 : 0.1 * Math.sin(i * (0.01 + k * 1e-4)) + 0.01 * (rnd() - 0.5)))),
    })))]]);
  return files;
}

/**
 * Builds the synthetic release through `Downer2025Dataset.load` and times it against parsing
 * the same files. Returns the figures (ms) and the ratio.
 * @example
 * ```ts
 * const r = await downer2025BuildTime(100); // r.ratio = build / parse floor
 * ```
 */
export async function downer2025BuildTime(channels = 100): Promise<{ channels: number; buildMs: number; parseMs: number; ratio: number; projectedFullMs: number }> {
  const files = release(channels);
  const source = new MemorySource(files);
  let t = performance.now();
  for (const [path, bytes] of Object.entries(files)) if (path.endsWith('.mat')) readMat(bytes, path);
  const parseMs = performance.now() - t;
  t = performance.now();
  const ds = await Downer2025Dataset.load({ source });
  const buildMs = performance.now() - t;
  if (ds.nNeurons !== channels || ds.stims.length !== SENTENCES) throw new Error(`bench build has ${ds.nNeurons} channels and ${ds.stims.length} stimuli`);
  // The stimulus part does not grow with channels: time it alone with one channel.
  const one = new MemorySource(release(1));
  t = performance.now();
  await Downer2025Dataset.load({ source: one });
  const stimMs = performance.now() - t;
  const perChannel = (buildMs - stimMs) / Math.max(1, channels - 1);
  return { channels, buildMs, parseMs, ratio: buildMs / parseMs, projectedFullMs: stimMs + perChannel * 1717 };
}

// A tiny CRCNS-AA5 prepared cache in the layout `prepare_aa5` writes (stimuli/index.json + WAVs;
// per site manifest.json, units.json, playbacks.json with bare NaN tokens, spikes.npz written
// like np.savez_compressed). Every branch of the loader is exercised; the expected values are in
// test/node/zoo/aa5.test.ts, worked out by hand from the rules in docs/zoo/aa5.md.
import { zipSync } from 'fflate';
import { encodeWav, writeNpy } from '../../../src/index.js';

export const SITE_A = 'ZF4F_2t_190611_160843';
export const SITE_B = 'ZF6M_9_5t_190805_102553';
export const CALL = 'AbcDef0001_MAF_Te_1-1_fs25k.wav';
export const SONG = 'stim1.wav';
export const SFILT = 'stim2_sfilt.wav';
export const RIPPLE = 'randripple3.wav';
export const WEIRD = 'weird.wav';

/** JSON as Python's json module writes it: NaN as a bare token. */
export function pyJson(v: unknown): Uint8Array {
  const text = JSON.stringify(v, (_k, x) => (typeof x === 'number' && Number.isNaN(x) ? '__NaN__' : x), 1).replace(/"__NaN__"/g, 'NaN');
  return new TextEncoder().encode(text);
}

/** np.savez_compressed: a zip of deflated .npy members. */
export function savezCompressed(arrays: Record<string, Int32Array | BigInt64Array | Float64Array>): Uint8Array {
  const members: Record<string, Uint8Array> = {};
  for (const [k, data] of Object.entries(arrays)) members[`${k}.npy`] = writeNpy({ shape: [data.length], data });
  return zipSync(members, { level: 6 });
}

/** One trial record: unit index, trial id, spike times (s re. onset). */
export type Rec = [unit: number, trial: number, times: number[]];

export function spikesNpz(recs: Rec[]): Uint8Array {
  const times: number[] = [];
  const start: bigint[] = [];
  const stop: bigint[] = [];
  for (const [, , t] of recs) {
    start.push(BigInt(times.length));
    times.push(...t);
    stop.push(BigInt(times.length));
  }
  return savezCompressed({
    unit: Int32Array.from(recs.map((r) => r[0])), trial: Int32Array.from(recs.map((r) => r[1])),
    start: BigInt64Array.from(start), stop: BigInt64Array.from(stop), spike_times: Float64Array.from(times),
  });
}

export function unit(site: string, bird: string, e: number, c: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cell_id: `${site}_e${e}-c${c}`, file: `goodPlayback-e${e}-c${c}.pkl`, bird, site, electrode: e, cluster: c, sort: 1,
    spike_snr: 6.0, rate_threshold: null, kde_bw: null, n_stim: 2,
    spike_shape: Array.from({ length: 40 }, (_, i) => i / 4), spike_std: Array.from({ length: 40 }, () => 0.5), ...extra,
  };
}

/** A 25 kHz call: zeros except 1000 (int16 units) at samples 12500–12749 (0 … 10 ms after onset). */
export function callSamples(): Float32Array {
  const x = new Float32Array(13000);
  for (let i = 12500; i < 12750; i++) x[i] = 1000 / 32768;
  return x;
}

/** A 32 kHz float song in int16 units: +1000 / −1000 alternating over samples 16000–16099. */
export function songSamples(): Float32Array {
  const x = new Float32Array(16200);
  for (let i = 16000; i < 16100; i++) x[i] = i % 2 ? -1000 : 1000;
  return x;
}

/** The whole cache as path → bytes. */
export function aa5Files(): Record<string, Uint8Array> {
  const sfilt = new Float32Array(100).fill(0.25); // float WAV flagged integer_pcm: kept as is
  const ripple = new Float32Array(200);
  ripple[50] = 2000 / 32768;
  const files: Record<string, Uint8Array> = {
    'stimuli/index.json': pyJson({
      [CALL]: { fs: 25000, n_samples: 13000, sha1: 'a', t_start_s: -0.5, integer_pcm: true },
      [SONG]: { fs: 32000, n_samples: 16200, sha1: 'b', t_start_s: -0.5, integer_pcm: false },
      [SFILT]: { fs: 25000, n_samples: 100, sha1: 'c', t_start_s: -0.5, integer_pcm: true },
      [RIPPLE]: { fs: 25000, n_samples: 200, sha1: 'd', t_start_s: -0.5 },
      [WEIRD]: { fs: 25000, n_samples: 10, sha1: 'e', t_start_s: -0.5, integer_pcm: true },
    }),
    [`stimuli/${CALL}`]: encodeWav(callSamples(), 25000, { format: 'pcm16' }),
    [`stimuli/${SONG}`]: encodeWav(songSamples(), 32000, { format: 'float32' }),
    [`stimuli/${SFILT}`]: encodeWav(sfilt, 25000, { format: 'float32' }),
    [`stimuli/${RIPPLE}`]: encodeWav(ripple, 25000, { format: 'pcm16' }),
    [`stimuli/${WEIRD}`]: encodeWav(new Float32Array(10), 25000, { format: 'pcm16' }),

    [`ZF4F/${SITE_A}/manifest.json`]: pyJson({ cache_version: 1, site: SITE_A, bird: 'ZF4F' }),
    [`ZF4F/${SITE_A}/units.json`]: pyJson([unit(SITE_A, 'ZF4F', 1, 2), unit(SITE_A, 'ZF4F', 3, 12, { rate_threshold: 2.5 }), unit(SITE_A, 'ZF4F', 5, 1)]),
    [`ZF4F/${SITE_A}/playbacks.json`]: pyJson([
      { trial: 0, file: CALL, call_type: 'Te', start_time: 10.0, mic_peak: 0.5, mic_second: 0.1, mic_offset_ms: 100.0, next_onset_s: 8.0 },
      { trial: 1, file: SONG, call_type: 'So', start_time: 18.0, mic_peak: 0.9, mic_second: NaN, mic_offset_ms: 0, next_onset_s: 3.0 },
      { trial: 2, file: CALL, call_type: 'Te', start_time: 21.0, mic_peak: 0.5, mic_second: 0.4, mic_offset_ms: 100.0, next_onset_s: 8.0 },
      { trial: 3, file: CALL, call_type: 'Te', start_time: 29.0, mic_peak: 0.1, mic_second: 0.01, mic_offset_ms: 300.0 },
      { trial: 4, file: SONG, call_type: 'So', start_time: 40.0, mic_peak: 0.5, mic_second: null, mic_offset_ms: -20.0, next_onset_s: 6.0 },
      { trial: 5, file: WEIRD, call_type: null, start_time: 46.0, next_onset_s: 6.0 },
      { trial: 6, file: SFILT, call_type: 'So', start_time: 52.0, mic_peak: NaN, mic_offset_ms: 500.0, next_onset_s: 4.5 },
      { trial: 7, file: CALL, call_type: 'Te', start_time: 57.0, mic_peak: 0.3, mic_second: 0, mic_offset_ms: null, next_onset_s: 9.0 },
    ]),
    [`ZF4F/${SITE_A}/spikes.npz`]: spikesNpz([
      [0, 7, [1.0, 1.0]],
      [0, 2, [-0.5, 0.0, 0.0, 0.002, 4.4999, 4.5]],
      [0, 3, [0.125, -0.625, 4.625]],
      [0, 0, [0.25]],
      [0, 4, []],
      [0, 5, [-0.25]],
      [1, 6, [0.0]],
      [1, 2, []],
      [1, 1, [0.25]],
    ]),
    // An interrupted preparation (no manifest) and the preparer's temporary folder: both ignored.
    [`ZF4F/ZF4F_3t_190613_150928/units.json`]: pyJson([]),
    [`ZF4F/.ZF4F_4t_190614_094759.tmp/manifest.json`]: pyJson({ cache_version: 1 }),

    [`ZF6M/${SITE_B}/manifest.json`]: pyJson({ cache_version: 1, site: SITE_B, bird: 'ZF6M' }),
    [`ZF6M/${SITE_B}/units.json`]: pyJson([unit(SITE_B, 'ZF6M', 7, 3)]),
    [`ZF6M/${SITE_B}/playbacks.json`]: pyJson([
      { trial: 10, file: RIPPLE, start_time: 5.0, next_onset_s: 7.0 },
      { trial: 11, file: SONG, start_time: 12.0, next_onset_s: 7.0 },
      { trial: 12, file: RIPPLE, start_time: 19.0 },
    ]),
    [`ZF6M/${SITE_B}/spikes.npz`]: spikesNpz([
      [0, 12, [0.5, 0.75]],
      [0, 10, [0.5]],
      [0, 11, []],
    ]),
  };
  return files;
}

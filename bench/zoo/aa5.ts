// CRCNS-AA5 build from a prepared cache at a real site's scale: ZF4F has 224 units over 14 sites
// (≈ 16 units per site); 180 stimuli (110 calls at 25 kHz, 60 songs and filtered songs and 10
// ripples at 32 kHz, each stored over the full 5 s window); ≈ 3 trials per (stimulus, unit) of
// ≈ 20 spikes each. Baseline (same run): reading every file of the fixture back from disk.
// `AA5_BENCH_UNITS=224` scales the units (memory grows ≈ 2 MB per unit at 5 ms).
// Run: `node --import tsx bench/zoo/aa5.ts`, or through a zoo bench runner importing benchAA5.
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';
import { CRCNSAA5Dataset } from '../../src/zoo/crcns-aa5.js';
import { encodeWav } from '../../src/audio/wav.js';
import { writeNpy } from '../../src/io/npy.js';
import { Rng } from '../../src/util/random.js';
import { medianMs } from './aa1.js';

const SITE = 'ZF4F_2t_190611_160843';
const CALL_TYPES = ['Be', 'LT', 'Th', 'Di', 'Ag', 'Wh', 'Ne', 'Te', 'DC', 'So'];
const enc = (s: string) => new TextEncoder().encode(s);

/** The 180 stimulus file names of the release's naming scheme. */
function stimNames(): string[] {
  const calls = Array.from({ length: 110 }, (_, i) => `BirdAb${String(1000 + i)}_MAF_${CALL_TYPES[i % 10]}_${i}-1_fs25k.wav`);
  const songs = Array.from({ length: 20 }, (_, i) => [`stim${i}.wav`, `stim${i}_sfilt.wav`, `stim${i}_tfilt.wav`]).flat();
  return [...calls, ...songs, ...Array.from({ length: 10 }, (_, i) => `randripple${i}.wav`)];
}

/** The prepared cache of one site with `units` units, as path → bytes. */
export function aa5BenchFixture(units: number, seed = 5): Map<string, Uint8Array> {
  const rng = new Rng(seed);
  const files = new Map<string, Uint8Array>();
  const index: Record<string, unknown> = {};
  for (const name of stimNames()) {
    const fs = name.endsWith('fs25k.wav') ? 25000 : 32000;
    const x = new Float32Array(5 * fs);
    const on = fs / 2, len = Math.floor(fs * (0.2 + 0.8 * rng.next()));
    for (let i = on; i < on + len; i++) x[i] = Math.round((rng.next() - 0.5) * 8000) / 32768;
    files.set(`stimuli/${name}`, encodeWav(x, fs, { format: 'pcm16' }));
    index[name] = { fs, n_samples: x.length, sha1: '0', t_start_s: -0.5, integer_pcm: true };
  }
  files.set('stimuli/index.json', enc(JSON.stringify(index)));
  const names = stimNames();
  const playbacks: unknown[] = [];
  let trial = 0;
  const unitOf: number[] = [], trialOf: number[] = [], start: bigint[] = [], stop: bigint[] = [], times: number[] = [];
  for (const file of names) {
    for (let r = 0; r < 3; r++, trial++) {
      playbacks.push({ trial, file, start_time: trial * 6, mic_peak: 0.6, mic_second: NaN, mic_offset_ms: rng.next() * 10, next_onset_s: 6 });
      for (let u = 0; u < units; u++) {
        unitOf.push(u);
        trialOf.push(trial);
        start.push(BigInt(times.length));
        const n = 10 + rng.int(20);
        for (let k = 0; k < n; k++) times.push(rng.next() * 5 - 0.5);
        stop.push(BigInt(times.length));
      }
    }
  }
  const unitsJson = Array.from({ length: units }, (_, u) => ({
    cell_id: `${SITE}_e${u % 16}-c${u}`, bird: 'ZF4F', site: SITE, electrode: u % 16, cluster: u, sort: 1, spike_snr: 5,
    rate_threshold: null, kde_bw: 0.01, n_stim: 180, spike_shape: new Array(40).fill(0.1), spike_std: new Array(40).fill(0.01),
  }));
  const dir = `ZF4F/${SITE}`;
  files.set(`${dir}/manifest.json`, enc('{"cache_version": 1}'));
  files.set(`${dir}/units.json`, enc(JSON.stringify(unitsJson)));
  // JSON.stringify writes the NaN mic_second as null: put back Python's bare NaN token.
  files.set(`${dir}/playbacks.json`, enc(JSON.stringify(playbacks).replace(/null/g, 'NaN')));
  files.set(`${dir}/spikes.npz`, zipSync({
    'unit.npy': writeNpy({ shape: [unitOf.length], data: Int32Array.from(unitOf) }),
    'trial.npy': writeNpy({ shape: [trialOf.length], data: Int32Array.from(trialOf) }),
    'start.npy': writeNpy({ shape: [start.length], data: BigInt64Array.from(start) }),
    'stop.npy': writeNpy({ shape: [stop.length], data: BigInt64Array.from(stop) }),
    'spike_times.npy': writeNpy({ shape: [times.length], data: Float64Array.from(times) }),
  }, { level: 6 }));
  return files;
}

/** Builds the fixture in both modes and prints the times against the read-back baseline. */
export function benchAA5(): void {
  const units = Number(process.env.AA5_BENCH_UNITS ?? 16);
  const files = aa5BenchFixture(units);
  const dir = mkdtempSync(join(tmpdir(), 'deepstrf-bench-aa5-'));
  try {
    let bytes = 0;
    for (const [rel, b] of files) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), b);
      bytes += b.length;
    }
    const readAll = () => {
      const walk = (d: string): void => {
        for (const n of readdirSync(d)) (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : readFileSync(join(d, n)));
      };
      walk(dir);
    };
    readAll();
    const base = medianMs(3, readAll);
    const wave = medianMs(3, () => new CRCNSAA5Dataset({ path: dir, returnWaveform: true }));
    const spec = medianMs(1, () => new CRCNSAA5Dataset({ path: dir }));
    const ds = new CRCNSAA5Dataset({ path: dir, returnWaveform: true });
    console.log(`AA5, one site at real scale: ${ds.getN()} units × ${ds.getS()} stimuli × 3 trials × ${ds.T} bins, fixture ${(bytes / 1e6).toFixed(1)} MB`);
    console.log(`  baseline: read every fixture file ${base.toFixed(0)} ms`);
    console.log(`  waveform mode build    ${wave.toFixed(0)} ms = ${(wave / base).toFixed(1)} × baseline`);
    console.log(`  spectrogram mode build ${spec.toFixed(0)} ms = ${(spec / base).toFixed(1)} × baseline`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchAA5();

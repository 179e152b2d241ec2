// CRCNS AA1 build from a fixture at the real release's scale: 100 cells (50 Field L + 50 MLd),
// 30 sounds (10 conspecific + 20 flat ripples, 2 s at 32 kHz), 10 trials of ~20 spikes per
// (cell, sound). Baseline: reading every file of the fixture back from disk (same run).
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CRCNSAA1Dataset } from '../../src/zoo/crcns-aa1.js';
import { encodeWav } from '../../src/audio/wav.js';
import { Rng } from '../../src/util/random.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** Writes a file tree into a fresh temp folder; returns the folder. */
export function writeTree(files: Map<string, Uint8Array>, tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `deepstrf-bench-${tag}-`));
  for (const [rel, bytes] of files) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), bytes);
  }
  return dir;
}

/** Milliseconds to read every file under `dir` (the baseline: the bytes a build must at least read). */
export function readAllMs(dir: string): { ms: number; bytes: number } {
  const t = performance.now();
  let bytes = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else bytes += readFileSync(p).length;
    }
  };
  walk(dir);
  return { ms: performance.now() - t, bytes };
}

/** Median of `reps` timings of `f`. */
export function medianMs(reps: number, f: () => unknown): number {
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    xs.push(performance.now() - t);
  }
  return xs.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

/** A spike file of `trials` lines of ~`spikes` times in [−200, durMs) ms, AA1's text format. */
export function spikeText(rng: Rng, trials: number, spikes: number, durMs: number): Uint8Array {
  let s = '';
  for (let r = 0; r < trials; r++) {
    const n = spikes + rng.int(5);
    for (let k = 0; k < n; k++) s += `${(rng.next() * (durMs + 200) - 200).toFixed(1)} `;
    s += '\n';
  }
  return enc(s);
}

/** White-noise 16-bit WAV. */
export function noiseWav(rng: Rng, n: number, fs: number): Uint8Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.2 * (rng.next() - 0.5);
  return encodeWav(x, fs);
}

export function benchAA1(): void {
  const rng = new Rng(7);
  const files = new Map<string, Uint8Array>();
  const sounds: Array<[string, string]> = [];
  for (let i = 0; i < 30; i++) {
    const type = i < 10 ? 'conspecific' : 'flatrip';
    const name = `s${String(i).padStart(2, '0')}.wav`;
    sounds.push([type, name]);
    files.set(`all_stims/${type}/${name}`, noiseWav(rng, 64000, 32000));
  }
  for (const area of ['Field_L', 'MLd']) {
    for (let c = 0; c < 50; c++) {
      const cell = `${area === 'MLd' ? 'ml' : 'fl'}${c}_${c + 1}_A`;
      const k = { conspecific: 0, flatrip: 0 };
      for (const [type, name] of sounds) {
        const n = ++k[type as 'conspecific' | 'flatrip'];
        files.set(`${area}_cells/${cell}/${type}/stim${n}`, enc(`${name}\n`));
        files.set(`${area}_cells/${cell}/${type}/spike${n}`, spikeText(rng, 10, 20, 2000));
      }
    }
  }
  const dir = writeTree(files, 'aa1');
  try {
    readAllMs(dir); // warm the page cache
    const base = Math.min(...Array.from({ length: 3 }, () => readAllMs(dir).ms));
    const { bytes } = readAllMs(dir);
    const spec = medianMs(3, () => new CRCNSAA1Dataset({ path: dir }));
    const wave = medianMs(3, () => new CRCNSAA1Dataset({ path: dir, returnWaveform: true }));
    console.log(`AA1 (100 cells × 30 sounds × 10 trials, ${(bytes / 1e6).toFixed(1)} MB in ${files.size} files)`);
    console.log(`  read every file: ${base.toFixed(1)} ms (baseline)`);
    console.log(`  build, spectrogram mode: ${spec.toFixed(0)} ms = ${(spec / base).toFixed(1)} × baseline`);
    console.log(`  build, waveform mode:    ${wave.toFixed(0)} ms = ${(wave / base).toFixed(1)} × baseline`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

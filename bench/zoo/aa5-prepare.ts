// CRCNS-AA5 preparation costs: reading one unit file through the pickle VM (the full-window
// pandas fixture test/fixtures/aa5/goodPlayback-e7-c7.pkl.gz, 1.25 MB of pickles) against copying
// its bytes, and one playback's mic alignment check (5 s at 25 kHz) against one mel spectrogram of
// the same signal (the check computes two, plus the correlations): the fixture's 0.1 s call and a
// song-length playback (4 s of sound at 32 kHz, resampled first), the costliest kind in a release.
// Run: `node --import tsx bench/zoo/aa5-prepare.ts`, or `npm run bench -- zoo` (DEEPSTRF_BENCH_ZOO=aa5-prepare).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readAA5UnitFile } from '../../src/zoo/aa5-unit-pickle.js';
import { aa5MicAlignment } from '../../src/zoo/aa5-mic.js';
import { melSpectrogram } from '../../src/spectral/mel.js';
import { resamplePoly } from '../../src/signal/resample-poly.js';
import { Rng } from '../../src/util/random.js';
import { medianMs as median } from './aa1.js';


/** A 5 s window holding 4 s of song-like sound at 32 kHz, and a 25 kHz mic with it 31.08 ms late plus noise. */
function songPlayback(): { stim: Float64Array; mic: Float64Array } {
  const rng = new Rng(7);
  const stim = new Float64Array(160000);
  for (let i = 16000; i < 144000; i++) stim[i] = Math.round(3000 * Math.sin(i / 7) * Math.sin(i / 3000)) + rng.int(200);
  const at25 = resamplePoly(stim, 25, 32);
  const mic = new Float64Array(125000);
  for (let t = 0; t < mic.length; t++) mic[t] = (t >= 777 ? 0.3 * at25[t - 777] : 0) + rng.int(300) - 150;
  return { stim, mic };
}

/** Prints the unit-file read and the mic check against their baselines. */
export function benchAA5Prepare(): void {
  const file = join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/aa5/goodPlayback-e7-c7.pkl.gz');
  const bytes = new Uint8Array(gunzipSync(readFileSync(file)));
  const site = 'ZF5M_3t_190101_120000';
  const copy = median(9, () => bytes.slice());
  const read = median(9, () => readAA5UnitFile(bytes, 'goodPlayback-e7-c7.pkl', site));
  const row = readAA5UnitFile(bytes, 'goodPlayback-e7-c7.pkl', site).rows[0];
  const mic = row.mic(0);
  const mel = median(5, () => melSpectrogram(Float32Array.from(row.wav), { sampleRate: 25000, nFft: 512, winLength: 250, hop: 125, nMels: 48, fMin: 250, fMax: 10000 }));
  const check = median(5, () => aa5MicAlignment(row.wav, row.fs, mic));
  const song = songPlayback();
  const songCheck = median(5, () => aa5MicAlignment(song.stim, 32000, song.mic));
  console.log(`AA5 preparation, one unit file of ${(bytes.length / 1e6).toFixed(2)} MB (2 trials of 5 s):`);
  console.log(`  baseline: copy its bytes ${copy.toFixed(2)} ms; read it (3 pickles → records) ${read.toFixed(2)} ms = ${(read / copy).toFixed(1)} × baseline`);
  console.log(`  baseline: one 48-band mel of 5 s ${mel.toFixed(1)} ms; mic alignment check ${check.toFixed(1)} ms = ${(check / mel).toFixed(1)} × baseline (0.1 s call)`);
  console.log(`  same baseline: mic alignment check of a song-length playback ${songCheck.toFixed(1)} ms = ${(songCheck / mel).toFixed(1)} × baseline`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchAA5Prepare();

/**
 * Espejo releases in the real layout (docs/zoo/espejo.md): VMN with a point-process site
 * (`.resp.h5` + `.stim.h5`, wrapped in a folder) and a rasterized site (`.resp.csv` +
 * `.stim.csv`) sharing a cell; a one-site NAT release with a `nat_waveforms/` cache.
 */
import { encodeWav } from '../../../src/index.js';
import { epochCsv, json, rasterCsv, text, tgz, writeH5 } from './nems.js';

export const VMN_SITE1_EPOCHS: Array<[number, number, string]> = [
  [0, 20, 'TRIAL'], [0, 4, 'STIM_x'], [4, 8, 'STIM_x'], [8, 12, 'STIM_x'], [12, 16, 'STIM_y'], [16, 20, 'STIM_q'],
];
export const VMN_SITE2_EPOCHS: Array<[number, number, string]> = [
  [0, 4, 'STIM_x'], [4, 8, 'STIM_x'], [8, 12, 'STIM_z'], [12, 16, 'STIM_z'], [16, 20, 'STIM_q'], [0, 20, 'TRIAL'],
];
/** Point-process spikes of abc001a-c1 at site 1: offsets inside each epoch (bin = floor(offset / 0.01)). */
export const SITE1_OFFSETS = [0, 0.015, 0.255, 3.995, 4]; // bins 0, 1, 25, 399, none (= end)
export const vmnSite1Spikes = (): number[] => [
  ...[0, 4, 8].flatMap((s) => SITE1_OFFSETS.map((o) => s + o)),
  12.505, 15.5, // STIM_y: bin 50, bin 350 (cropped: its cochleagram is 300 wide)
  17, // STIM_q at site 1 (never used: no cochleagram there)
];
/** Site 2 raster (2000 × 2): column 0 = abd002b-a2, column 1 = abc001a-c1. */
export const vmnRaster = (t: number, c: number): number => (c === 0 ? (t >= 1200 && t < 1250 ? NaN : t % 3) : t % 5 === 0 ? 1 : 0);
export const vmnStimCsv = (t: number, f: number): number => f + t / 1000;
export const vmnStimH5 = (f: number, t: number): number => f * 1000 + t;

export async function vmnFiles(): Promise<Record<string, Uint8Array>> {
  const grid = (T: number, C: number, f: (t: number, c: number) => number) => Array.from({ length: T }, (_, t) => Array.from({ length: C }, (_, c) => f(t, c)));
  const stimH5 = (F: number, T: number) => ({ data: Array.from({ length: F * T }, (_, i) => vmnStimH5(Math.floor(i / T), i % T)), shape: [F, T], chunks: [F, 64] });
  const site1 = {
    'abc001a/abc001a.meta.json': json({ stimfmt: 'envelope', rasterfs: 100, batch: 1 }),
    'abc001a/abc001a.resp.json': json({ fs: 100, chans: ['abc001a-c1'], recording: 'abc001a', segments: [[0, 2000]] }),
    'abc001a/abc001a.resp.h5': await writeH5({ 'abc001a-c1': { data: vmnSite1Spikes(), chunks: [4] } }),
    'abc001a/abc001a.stim.h5': await writeH5({ STIM_x: stimH5(2, 400), STIM_y: stimH5(2, 300) }),
    'abc001a/abc001a.resp.epoch.csv': epochCsv(VMN_SITE1_EPOCHS),
  };
  const site2 = {
    'abd002b.meta.json': json({ stimfmt: 'envelope' }),
    'abd002b.resp.json': json({ fs: 100, chans: ['abd002b-a2', 'abc001a-c1'], recording: 'abd002b', segments: [[0, 1000], [1000, 2000]] }),
    'abd002b.resp.csv': rasterCsv(grid(2000, 2, vmnRaster)),
    'abd002b.stim.csv': rasterCsv(grid(2000, 2, vmnStimCsv)),
    'abd002b.resp.epoch.csv': epochCsv(VMN_SITE2_EPOCHS, ['end', 'name', 'start']),
  };
  return {
    'A1_voc_mod_noise/VMN/abc001a_x.tgz': tgz(site1),
    'A1_voc_mod_noise/VMN/abd002b_y.tar.gz': tgz(site2),
    'A1_voc_mod_noise/VMN/README.txt': text('not an archive'),
  };
}

export const natSound = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i % 64) / 128);

export async function natFiles(): Promise<Record<string, Uint8Array>> {
  const site = {
    'AMT003c.meta.json': json({ stimfmt: 'ozgf' }),
    'AMT003c.resp.json': json({ fs: 100, chans: ['AMT003c-11-1'], recording: 'AMT003c', segments: [[0, 200]] }),
    'AMT003c.resp.h5': await writeH5({ 'AMT003c-11-1': { data: [0.505, 1.005] } }),
    'AMT003c.stim.h5': await writeH5({ 'STIM_cat 1, b.wav': { data: Array.from({ length: 18 * 100 }, (_, i) => i / 1800), shape: [18, 100], chunks: [18, 100] } }),
    'AMT003c.resp.epoch.csv': epochCsv([[0, 1, 'STIM_cat 1, b.wav'], [1, 2, 'STIM_cat 1, b.wav']]),
  };
  return {
    'A1_natural_sounds/NAT/AMT003c_h.tgz': tgz(site),
    'nat_waveforms/cat 1, b.wav': encodeWav(natSound(800), 1000, { format: 'float32' }),
  };
}

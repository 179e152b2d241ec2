/**
 * A NAT4 release in the real layout (docs/zoo/nat4.md), small: the population recording
 * `A1_NAT4_ozgf.fs100.ch18.tgz` (wrapped in a folder `x/`), two per-site archives, the auditory
 * flags and a `wav/` folder. The signal values are formulas the tests recompute.
 */
import { encodeWav } from '../../../src/index.js';
import { epochCsv, json, rasterCsv, text, tgz, writeH5 } from './nems.js';

export const NAT4_T_TOTAL = 750; // 7.5 s at 100 Hz
export const NAT4_CHANS = ['ABC001a-01-1', 'ABC001a-02-1', 'XYZ-9'];
/** Population epochs: val sound twice (already averaged in the real release), three est sounds (one quoted). */
export const NAT4_EPOCHS: Array<[number, number, string]> = [
  [0, 0.25, 'PreStimSilence'], [0, 1.5, 'STIM_00cat_a.wav'], [0, 1.5, 'TRIAL'],
  [1.5, 3.0, 'STIM_00cat_a.wav'],
  [3.0, 3.25, 'PreStimSilence'], [3.0, 4.5, 'STIM_cat_b.wav'],
  [4.5, 6.0, 'STIM_cat_c.wav'],
  [6.0, 7.5, 'STIM_cat_d, x.wav'],
];
/** Population response rate of cell n at sample t (NaN stretches in cell 1). */
export const nat4Resp = (t: number, n: number): number =>
  n === 0 ? t % 7 : n === 1 ? (t >= 450 && t < 600) || (t >= 310 && t < 320) ? NaN : (t * 3) % 11 : (2 * t) / 750;
export const nat4Stim = (t: number, f: number): number => (t + f) / 100;

/** Spike times (s) per site and cell. */
export function nat4SiteSpikes(): Record<string, Record<string, number[]>> {
  const a1: number[] = [];
  const a2: number[] = [];
  for (let r = 0; r < 20; r++) {
    a1.push(2 * r + 0.0105);
    if (r < 10) a1.push(2 * r + 1.4995);
    a2.push(2 * r + 0.5);
  }
  a1.push(-0.5, 1.7, 45); // before the recording, between epochs, past its end
  // DEF002b epochs start at exact halves of a ms (62.5, 187.5 → 62, 188 half to even); spikes in the
  // middle of samples a + 9 and a + 10 (bins 0 and 1; rounding halves up would put both in bin 0).
  const d = Array.from({ length: 20 }, (_, r) => {
    const a = 2000 * r + (r % 2 === 0 ? 62 : 188);
    return [(a + 9.5) / 1000, (a + 10.5) / 1000];
  }).flat();
  return { ABC001a: { 'ABC001a-01-1': a1, 'ABC001a-02-1': a2 }, DEF002b: { 'DEF002b-01-1': [0.1], 'ABC001a-02-1': d } };
}

export async function nat4Files(options: { wav?: boolean; extracted?: boolean } = {}): Promise<Record<string, Uint8Array>> {
  const rows = (w: number, f: (t: number, c: number) => number) => Array.from({ length: NAT4_T_TOTAL }, (_, t) => Array.from({ length: w }, (_, c) => f(t, c)));
  const pop = {
    'x/x.meta.json': json({}),
    'x/x.resp.json': json({ name: 'resp', chans: NAT4_CHANS, fs: 100, segments: [[0, NAT4_T_TOTAL]] }),
    'x/x.resp.csv': rasterCsv(rows(3, nat4Resp)),
    'x/x.stim.csv': rasterCsv(rows(18, nat4Stim)),
    'x/x.resp.epoch.csv': epochCsv(NAT4_EPOCHS, ['name', 'start', 'end']),
  };
  const spikes = nat4SiteSpikes();
  const siteA = {
    'ABC001a/ABC001a.meta.json': json({}),
    'ABC001a/ABC001a.resp.json': json({ chans: ['ABC001a-01-1', 'ABC001a-02-1'], fs: 1000, segments: [[0, 40000]] }),
    'ABC001a/ABC001a.resp.h5': await writeH5(Object.fromEntries(Object.entries(spikes.ABC001a).map(([k, v]) => [k, { data: v, chunks: [8] }]))),
    'ABC001a/ABC001a.resp.epoch.csv': epochCsv(Array.from({ length: 20 }, (_, r): [number, number, string] => [2 * r, 2 * r + 1.5, 'STIM_00cat_a.wav'])),
  };
  const siteD = {
    'DEF002b.meta.json': json({}),
    'DEF002b.resp.json': json({ chans: ['DEF002b-01-1', 'ABC001a-02-1'], fs: 1000, segments: [[0, 40000]] }),
    'DEF002b.resp.h5': await writeH5(Object.fromEntries(Object.entries(spikes.DEF002b).map(([k, v]) => [k, { data: v }]))),
    'DEF002b.resp.epoch.csv': epochCsv(Array.from({ length: 20 }, (_, r): [number, number, string] => [defStart(r), defStart(r) + 1.5, 'STIM_00cat_a.wav'])),
  };
  const files: Record<string, Uint8Array> = {
    'A1_pred_correlation.csv': text('cellid,sig_auditory,r_test\nABC001a-01-1,True,0.5\nABC001a-02-1,False,0.1\n'),
    'A1_single_sites/ABC001a.tgz': tgz(siteA),
    'A1_single_sites/DEF002b.tgz': tgz(siteD),
  };
  if (options.extracted) for (const [k, v] of Object.entries(pop)) files[`A1_NAT4_ozgf.fs100.ch18/${k}`] = v;
  else files['A1_NAT4_ozgf.fs100.ch18.tgz'] = tgz(pop);
  if (options.wav) {
    for (const [name, n] of [['cat_b.wav', 1400], ['Cat_C.wav', 10], ['cat_d, x.wav', 1000], ['00cat_a.wav', 1300]] as const) {
      files[`wav/${name}`] = encodeWav(nat4Sound(n), 1000, { format: 'float32' });
    }
  }
  return files;
}

/** The test sounds: n samples, value (i + 1) / 4096 (exact in float32). */
export const nat4Sound = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i + 1) / 4096);

/** DEF002b epoch starts: 2r + 0.0625 (even r) or 2r + 0.1875 (odd r) seconds, exact in binary. */
export const defStart = (r: number): number => 2 * r + (r % 2 === 0 ? 0.0625 : 0.1875);

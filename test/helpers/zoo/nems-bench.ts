/**
 * David-lab releases at (or scaled from) the real counts, for bench/zoo/{nat4,espejo,wingert2026}.ts.
 * Values are cheap deterministic patterns; what matters is the number and size of files.
 */
import { epochCsv, json, rasterCsv, text, tgz, writeH5 } from './nems.js';

const rng = (seed: number) => () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

/** NAT4 A1: 849 cells in 30 sites, 18 val sounds × 20 repeats; `estSounds` estimation sounds (575 in the release). */
export async function nat4BenchFiles(estSounds: number): Promise<Record<string, Uint8Array>> {
  const N = 849;
  const chans = Array.from({ length: N }, (_, n) => `ABC${String(Math.floor(n / 29)).padStart(3, '0')}a-${String(n % 29).padStart(2, '0')}-1`);
  const names = [...Array.from({ length: 18 }, (_, i) => `STIM_00cat_${i}.wav`), ...Array.from({ length: estSounds }, (_, i) => `STIM_cat_${i}.wav`)];
  const T = names.length * 150;
  const r = rng(1);
  const resp = Array.from({ length: T }, () => Array.from({ length: N }, () => (r() < 0.9 ? 0 : Math.floor(r() * 5))));
  const stim = Array.from({ length: T }, (_, t) => Array.from({ length: 18 }, (_, f) => ((t * 7 + f * 13) % 100) / 10));
  const epochs: Array<[number, number, string]> = names.flatMap((n, i): Array<[number, number, string]> => [[i * 1.5, i * 1.5 + 0.25, 'PreStimSilence'], [i * 1.5, (i + 1) * 1.5, n]]);
  const files: Record<string, Uint8Array> = {
    'A1_pred_correlation.csv': text(['cellid,sig_auditory', ...chans.map((c, i) => `${c},${i % 9 === 0 ? 'False' : 'True'}`)].join('\n')),
    'A1_NAT4_ozgf.fs100.ch18.tgz': tgz({
      'x/x.meta.json': json({}),
      'x/x.resp.json': json({ chans, fs: 100, segments: [[0, T]] }),
      'x/x.resp.csv': rasterCsv(resp),
      'x/x.stim.csv': rasterCsv(stim),
      'x/x.resp.epoch.csv': epochCsv(epochs),
    }),
  };
  for (let s = 0; s < 30; s++) {
    const site = `ABC${String(s).padStart(3, '0')}a`;
    const cells = chans.filter((c) => c.startsWith(site));
    const ep: Array<[number, number, string]> = [];
    for (let rep = 0; rep < 20; rep++) for (let v = 0; v < 18; v++) ep.push([(rep * 18 + v) * 1.5, (rep * 18 + v + 1) * 1.5, names[v]]);
    const dur = 20 * 18 * 1.5;
    const spikes = Object.fromEntries(cells.map((c) => [c, { data: Array.from({ length: 2000 }, () => r() * dur).sort((a, b) => a - b), chunks: [1024] }]));
    files[`A1_single_sites/${site}.tgz`] = tgz({
      [`${site}/${site}.resp.json`]: json({ chans: cells, fs: 1000, segments: [[0, dur * 1000]] }),
      [`${site}/${site}.resp.h5`]: await writeH5(spikes),
      [`${site}/${site}.resp.epoch.csv`]: epochCsv(ep),
      [`${site}/${site}.meta.json`]: json({}),
    });
  }
  return files;
}

/** Espejo VMN: 103 sites, 2 cells each, 75 names (35 test × 10 repeats at their site, 40 estimation × 1). */
export async function espejoBenchFiles(): Promise<Record<string, Uint8Array>> {
  const r = rng(2);
  const files: Record<string, Uint8Array> = {};
  for (let s = 0; s < 103; s++) {
    const site = `vmn${String(s).padStart(3, '0')}a`;
    const names = Array.from({ length: 8 }, (_, k) => `STIM_n${(s * 5 + k) % 75}`);
    const ep: Array<[number, number, string]> = [];
    let t = 0;
    names.forEach((n, k) => {
      for (let rep = 0; rep < (k < 3 ? 10 : 1); rep++, t += 4) ep.push([t, t + 4, n]);
    });
    const cells = [`${site}-a1`, `${site}-b2`];
    const stim = Object.fromEntries([...new Set(names)].map((n) => [n, { data: Array.from({ length: 800 }, (_, i) => (i % 97) / 97), shape: [2, 400], chunks: [2, 400] }]));
    files[`A1_voc_mod_noise/VMN/${site}_h.tgz`] = tgz({
      [`${site}/${site}.meta.json`]: json({ stimfmt: 'envelope' }),
      [`${site}/${site}.resp.json`]: json({ fs: 100, chans: cells, recording: site, segments: [[0, t * 100]] }),
      [`${site}/${site}.resp.h5`]: await writeH5(Object.fromEntries(cells.map((c) => [c, { data: Array.from({ length: 600 }, () => r() * t).sort((a, b) => a - b), chunks: [600] }]))),
      [`${site}/${site}.stim.h5`]: await writeH5(stim),
      [`${site}/${site}.resp.epoch.csv`]: epochCsv(ep),
    });
  }
  return files;
}

/** Wingert 2026: `sites` sessions (68 in the release) of 46 cells, 100 est + 6 val stimuli (R 10), T 2000, F 32. */
export async function wingertBenchFiles(sites: number): Promise<Record<string, Uint8Array>> {
  const r = rng(3);
  const rows = ['cellid,siteid,area,layer,depth,narrow,celltype,sw,goodpred'];
  const files: Record<string, Uint8Array> = {};
  for (let s = 0; s < sites; s++) {
    const site = `WNG${String(s).padStart(3, '0')}a`;
    const cells = Array.from({ length: 46 }, (_, n) => `${site}-${String(n).padStart(3, '0')}-1`);
    cells.forEach((c, n) => rows.push(`${c},${site},${n % 2 ? 'A1' : 'PEG'},56,${n * 10},False,RS,0.3,True`));
    const names = [...Array.from({ length: 100 }, (_, k) => `STIM_seq${String(s * 100 + k).padStart(4, '0')}.wav`), ...Array.from({ length: 6 }, (_, k) => `STIM_00seq${k}.wav`)];
    const ep: Array<[number, number, string]> = [];
    let t = 0;
    names.forEach((n, k) => {
      for (let rep = 0; rep < (k >= 100 ? 10 : 1); rep++, t += 20) ep.push([t, t + 20, n]);
    });
    const band = Float64Array.from({ length: 32 * 2000 }, (_, i) => ((i * 31) % 1000) / 100);
    const stim = Object.fromEntries(names.map((n) => [n, { data: band, shape: [32, 2000], chunks: [32, 500] }]));
    files[`recordings/${site}_x.tgz`] = tgz({
      [`${site}/${site}.meta.json`]: json({ siteid: site }),
      [`${site}/${site}.resp.json`]: json({ chans: cells, fs: 100, segments: [[0, t * 100]] }),
      [`${site}/${site}.resp.h5`]: await writeH5(Object.fromEntries(cells.map((c) => [c, { data: Array.from({ length: 3000 }, () => r() * t).sort((a, b) => a - b), chunks: [1024] }]))),
      [`${site}/${site}.stim.h5`]: await writeH5(stim),
      [`${site}/${site}.resp.epoch.csv`]: epochCsv(ep),
    });
  }
  files['cell_list.csv'] = text(rows.join('\n') + '\n');
  return files;
}

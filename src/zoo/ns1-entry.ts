/**
 * The registry entry of {@link NS1Dataset}: the authors' OSF release plus the DNet spectrogram,
 * and what `deepstrf info ns1` says about a folder (checked against the release's file list;
 * when complete, the dataset's neurons, stimuli, repeats and quality).
 * @module
 */
import { platform } from '#platform';
import { defaultCacheDir } from '../download/cache.js';
import { ns1Manifest, NS1_DNET } from '../download/manifests/ns1.js';
import { NS1_RELEASE_FILES } from '../download/manifests/ns1-files.js';
import { NS1Dataset, type NS1LoadOptions } from './ns1.js';
import type { DatasetDescription, DatasetEntry } from './registry.js';
import { checkFolder, folderRows } from './describe-folder.js';

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

/** `deepstrf info ns1`: the folder against the release's file list; when complete, the dataset's contents and quality. */
async function describeNs1(path: string, options: { verify: boolean }): Promise<DatasetDescription> {
  const c = await checkFolder(NS1_RELEASE_FILES, path, options);
  const intact = (f: { path: string }) => !c.missing.includes(f.path) && !c.damaged.includes(f.path);
  const units = NS1_RELEASE_FILES.filter((f) => f.path.endsWith('.data.mat'));
  const sounds = NS1_RELEASE_FILES.filter((f) => f.path.startsWith('spikesandwav/SH.En.C/'));
  const meta = 'MetadataSHEnCneurons.mat';
  const spectrogram = await (await platform.openWritableSource(path)).stat(NS1_DNET.path);
  const complete = c.missing.length === 0 && c.damaged.length === 0;
  const { head, tail } = folderRows(path, c, options);
  const rows: Array<[string, string]> = [
    ...head,
    ['metadata', c.missing.includes(meta) ? 'missing' : c.damaged.includes(meta) ? 'damaged' : meta],
    ['unit spike files', `${units.filter(intact).length} of ${units.length}`],
    ['stimulus sounds', `${sounds.filter(intact).length} of ${sounds.length}`],
    ['DNet spectrogram', spectrogram ? `${NS1_DNET.path} (${mb(spectrogram.size)})` : `${NS1_DNET.path} absent (optional: deepstrf computes the cochleagram from the sounds)`],
    ...tail,
    ['status', complete ? 'complete' : 'incomplete: run `deepstrf download ns1`'],
  ];
  let contents: Record<string, unknown> | undefined;
  if (complete) {
    const t0 = platform.now();
    const ds = await NS1Dataset.load({ path, smooth: false });
    const buildMs = platform.now() - t0;
    const q = ds.computeNeuronQuality();
    const reps = ds.responses.flat().map((r) => r.shape[0]);
    const single = ds.nrnMeta.map((m, n) => (NS1Dataset.isSingleUnit(m) ? n : -1)).filter((n) => n >= 0);
    const median = (xs: number[]) => {
      const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
      return v.length ? v[Math.floor(v.length / 2)] : Number.NaN;
    };
    const all = Array.from({ length: ds.getN() }, (_, n) => n);
    const pick = (t: { data: Float64Array }, idx: number[]) => idx.map((n) => t.data[n]);
    contents = {
      neurons: ds.getN(), singleUnits: single.length, stimuli: ds.getS(), repeats: [Math.min(...reps), Math.max(...reps)],
      bins: ds.stims[0].shape[2], dtMs: ds.dtMs, buildMs: Math.round(buildMs),
      medianCCmax: { all: median(pick(q.ccmax, all)), singleUnits: median(pick(q.ccmax, single)) },
      medianSnr: { all: median(pick(q.snr, all)), singleUnits: median(pick(q.snr, single)) },
    };
    const f3 = (x: number) => x.toFixed(3);
    rows.push(
      ['neurons', `${ds.getN()} (${single.length} single units at known depth)`],
      ['stimuli', `${ds.getS()} natural sounds, ${ds.stims[0].shape[2]} bins of ${ds.dtMs} ms`],
      ['repeats', reps.every((r) => r === reps[0]) ? `${reps[0]} per cell` : `${Math.min(...reps)}–${Math.max(...reps)} per cell`],
      ['quality', `median CCmax ${f3(median(pick(q.ccmax, all)))} (single units ${f3(median(pick(q.ccmax, single)))}), ` +
        `median SNR ${f3(median(pick(q.snr, all)))} (single units ${f3(median(pick(q.snr, single)))}), unsmoothed responses`],
      ['built in', `${Math.round(buildMs)} ms`],
    );
  }
  return {
    rows,
    complete,
    data: {
      ...contents,
      dataset: 'NS1', folder: path, ...c,
      units: { present: units.filter(intact).length, expected: units.length }, sounds: { present: sounds.filter(intact).length, expected: sounds.length },
      spectrogram: spectrogram !== null, verified: options.verify, complete,
    },
  };
}

/**
 * `ns1`: ferret A1 responses to 20 natural sounds (Harper et al. 2016; Rahman et al. 2019/2020).
 * @example
 * ```ts
 * const ns1 = await ns1Entry.load({ path: '/data/NS1', singleUnitsOnly: true });
 * (await ns1Entry.describe('/data/NS1', { verify: false })).complete;
 * ```
 */
export const ns1Entry: DatasetEntry = {
  name: 'ns1',
  className: 'NS1Dataset',
  description: 'NS1 natural sounds, ferret A1 (Harper et al. 2016; OSF ayw2p + DNet)',
  species: 'ferret (anaesthetised)',
  area: 'A1, 119 single + multi units, 20 natural sounds x 20 repeats',
  size: '104 MB (+ 5 MB DNet spectrogram)',
  licence: 'not stated by the authors (OSF project ayw2p)',
  citation: 'Harper et al. 2016, PLoS Comput Biol; Rahman et al. 2019, PLoS Comput Biol',
  accountNeeded: false,
  cacheFolder: 'NS1',
  flags: [
    { name: 'no-spectrogram', option: 'minimal', kind: 'boolean', commands: ['download'], help: 'ns1: skip the DNet spectrogram file (the cochleagram is then computed from the sounds)' },
  ],
  manifest: (o) => ns1Manifest({ mirror: o.mirror, spectrogram: o.minimal !== true }),
  load: (o) => NS1Dataset.load(o as NS1LoadOptions),
  describe: (path, o) => describeNs1(path ?? defaultCacheDir('NS1'), { verify: o.verify }),
  // The main job trains on the single units, as the API's `singleUnitsOnly` defines them.
  mainJob: () => ({ load: { singleUnitsOnly: true } }),
};

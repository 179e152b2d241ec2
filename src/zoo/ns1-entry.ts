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
import { hashStoredFile } from '../download/verify.js';
import { NS1Dataset, type NS1LoadOptions } from './ns1.js';
import type { DatasetDescription, DatasetEntry } from './registry.js';

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

/** `deepstrf info ns1`: the folder against the release's file list; when complete, the dataset's contents and quality. */
async function describeNs1(path: string, options: { verify: boolean }): Promise<DatasetDescription> {
  const store = await platform.openWritableSource(path);
  const missing: string[] = [];
  const wrong: string[] = [];
  let present = 0;
  let bytes = 0;
  const expectedBytes = NS1_RELEASE_FILES.reduce((s, f) => s + (f.size ?? 0), 0);
  for (const f of NS1_RELEASE_FILES) {
    const st = await store.stat(f.path);
    if (!st || st.kind !== 'file') {
      missing.push(f.path);
      continue;
    }
    const ok = st.size === f.size && (!options.verify || (await hashStoredFile(store, f.path, st.size)) === f.sha256);
    if (ok) {
      present++;
      bytes += st.size;
    } else wrong.push(f.path);
  }
  const units = NS1_RELEASE_FILES.filter((f) => f.path.endsWith('.data.mat'));
  const unitsPresent = units.filter((f) => !missing.includes(f.path) && !wrong.includes(f.path)).length;
  const sounds = NS1_RELEASE_FILES.filter((f) => f.path.startsWith('spikesandwav/SH.En.C/'));
  const soundsPresent = sounds.filter((f) => !missing.includes(f.path) && !wrong.includes(f.path)).length;
  const spectrogram = await store.stat(NS1_DNET.path);
  const complete = missing.length === 0 && wrong.length === 0;
  const rows: Array<[string, string]> = [
    ['folder', path],
    ['release files', `${present} of ${NS1_RELEASE_FILES.length} present (${mb(bytes)} of ${mb(expectedBytes)})${options.verify ? ', SHA-256 verified' : ', sizes checked'}`],
    ['metadata', missing.includes('MetadataSHEnCneurons.mat') ? 'missing' : wrong.includes('MetadataSHEnCneurons.mat') ? 'damaged' : 'MetadataSHEnCneurons.mat'],
    ['unit spike files', `${unitsPresent} of ${units.length}`],
    ['stimulus sounds', `${soundsPresent} of ${sounds.length}`],
    ['DNet spectrogram', spectrogram ? `${NS1_DNET.path} (${mb(spectrogram.size)})` : `${NS1_DNET.path} absent (optional: deepstrf computes the cochleagram from the sounds)`],
  ];
  if (missing.length) rows.push(['missing', `${missing.length}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`]);
  if (wrong.length) rows.push(['damaged', `${wrong.length}: ${wrong.slice(0, 5).join(', ')}${wrong.length > 5 ? ', …' : ''}`]);
  rows.push(['status', complete ? 'complete' : 'incomplete: run `deepstrf download ns1`']);
  let contents: Record<string, unknown> | undefined;
  if (complete) {
    const t0 = platform.now();
    const ds = await NS1Dataset.load({ path, smooth: false });
    const buildMs = platform.now() - t0;
    const q = ds.computeNeuronQuality();
    const reps = ds.responses.flat().map((r) => r.shape[0]);
    const single = ds.nrnMeta.map((m, n) => ((m.singleT === 'Yes' || m.singleT === 'Maybe') && (m.depthUm as number) >= 0 ? n : -1)).filter((n) => n >= 0);
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
      dataset: 'NS1', folder: path, files: NS1_RELEASE_FILES.length, present, bytes, expectedBytes,
      units: { present: unitsPresent, expected: units.length }, sounds: { present: soundsPresent, expected: sounds.length },
      spectrogram: spectrogram !== null, missing, damaged: wrong, verified: options.verify, complete,
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

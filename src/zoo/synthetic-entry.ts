/**
 * The registry entry of the embedded {@link SyntheticDataset}: generated in memory from a seed,
 * nothing to download, no folder.
 * @module
 */
import { ValueError } from '../errors.js';
import { isSentinel } from '../memory/sentinel.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';
import { SyntheticDataset, type SyntheticDatasetOptions } from './synthetic.js';

const seedOf = (o: Readonly<Record<string, unknown>>): number => (o.seed as number | undefined) ?? 0;

/** Builds the dataset; folder and download options do not apply to generated data. */
async function loadSynthetic(options: ZooLoadOptions & Record<string, unknown>): Promise<SyntheticDataset> {
  const { path, source, download, onProgress, mirror, signal, ...rest } = options;
  const given = Object.entries({ path, source, download, onProgress, mirror }).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (given.length) throw new ValueError(`synthetic: option(s) ${given.join(', ')} do not apply: the dataset is generated in memory from its seed`);
  signal?.throwIfAborted();
  return new SyntheticDataset(rest as SyntheticDatasetOptions);
}

/**
 * `synthetic`: the embedded default dataset (`deepstrf run synthetic`, `npm start`).
 * @example
 * ```ts
 * const ds = await synthEntry.load({ seed: 3 }); // a SyntheticDataset
 * ```
 */
export const synthEntry: DatasetEntry = {
  name: 'synthetic',
  className: 'SyntheticDataset',
  description: 'embedded generated dataset with known STRFs (no download)',
  species: 'simulated',
  area: 'simulated A1 and PEG, single + multi units',
  size: 'embedded',
  licence: 'MIT (part of deepstrf)',
  citation: 'deepstrf (this package)',
  accountNeeded: false,
  cacheFolder: null,
  flags: [
    { name: 'seed', option: 'seed', kind: 'integer', commands: ['run', 'fit', 'info', 'export'], help: 'synthetic: dataset seed (default 0)' },
    { name: 'area', option: 'area', kind: 'string', metavar: 'NAME', commands: ['run', 'fit'], help: 'synthetic: select the neurons of this area (default A1; "all" for every neuron)' },
  ],
  manifest: () => null,
  load: loadSynthetic,
  async describe(_path, options) {
    const seed = seedOf(options);
    const ds = new SyntheticDataset({ seed });
    const reps = ds.responses.flat().filter((r) => !isSentinel(r)).map((r) => r.shape[0]);
    const bins = ds.stims.map((s) => s.shape[2]);
    const areas = [...new Set(ds.nrnMeta.map((m) => String(m.area)))];
    const perArea = areas.map((a) => `${ds.nrnMeta.filter((m) => m.area === a).length} ${a}`).join(', ');
    return {
      complete: true,
      rows: [
        ['source', `generated in memory (seed ${seed}); nothing to download`],
        ['neurons', `${ds.getN()} (${perArea})`],
        ['stimuli', `${ds.getS()} spectrograms of ${ds.F} bands, ${Math.min(...bins)}–${Math.max(...bins)} bins of ${ds.dtMs} ms`],
        ['repeats', `${Math.min(...reps)}–${Math.max(...reps)} per recorded cell`],
        ['status', 'complete'],
      ],
      data: { dataset: 'synthetic', seed, neurons: ds.getN(), stimuli: ds.getS(), bands: ds.F, bins: [Math.min(...bins), Math.max(...bins)], dtMs: ds.dtMs, complete: true },
    };
  },
  mainJob: (o) => {
    const area = (o.area as string | undefined) ?? 'A1';
    return { load: { seed: seedOf(o) }, population: area === 'all' ? undefined : ['area', area] };
  },
};

/**
 * The registry entry of {@link CRCNSAA5Dataset}, and what `deepstrf info aa5` says about a
 * prepared cache: the sites prepared (of the release's 50), the stimulus store, and when the
 * cache is usable, the dataset's neurons, stimuli, repeats and quality. Its download fetches
 * the raw site archives one at a time and prepares each (`downloadAA5`, docs/zoo/aa5.md), so the
 * entry has no download manifest.
 * @module
 */
import { platform } from '#platform';
import { defaultCacheDir } from '../download/cache.js';
import { isSentinel } from '../memory/sentinel.js';
import { CRCNSAA5Dataset, type CRCNSAA5LoadOptions } from './crcns-aa5.js';
import { AA5_BIRDS, AA5_SITES, parseAA5Site } from './aa5-sites.js';
import { isAA5SitePrepared } from './aa5-download.js';
import { aa5DownloadProgress, downloadAA5 } from './aa5-download-prepare.js';
import type { DatasetDescription, DatasetEntry } from './registry.js';

const median = (xs: number[]) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : Number.NaN;
};

/** `deepstrf info aa5`: prepared sites per bird, the stimulus index, then the built dataset. */
async function describeAA5(path: string): Promise<DatasetDescription> {
  const store = await platform.openWritableSource(path);
  const prepared: string[] = [];
  for (const site of Object.keys(AA5_SITES)) if (await isAA5SitePrepared(store, site)) prepared.push(site);
  const index = (await store.stat('stimuli/index.json'))?.kind === 'file';
  const perBird = AA5_BIRDS.map((b) => {
    const all = Object.keys(AA5_SITES).filter((s) => parseAA5Site(s).bird === b);
    return `${b} ${prepared.filter((s) => s.startsWith(`${b}_`)).length}/${all.length}`;
  });
  const complete = index && prepared.length > 0;
  const rows: Array<[string, string]> = [
    ['folder', path],
    ['prepared sites', `${prepared.length} of ${Object.keys(AA5_SITES).length} (${perBird.join(', ')})`],
    ['stimulus index', index ? 'stimuli/index.json' : 'missing'],
  ];
  let contents: Record<string, unknown> = {};
  if (complete) {
    const t0 = platform.now();
    const ds = await CRCNSAA5Dataset.load({ path, smooth: false, sites: prepared });
    const buildMs = Math.round(platform.now() - t0);
    const q = ds.computeNeuronQuality();
    const reps = ds.responses.flat().filter((r) => !isSentinel(r)).map((r) => r.shape[0]);
    const f3 = (x: number) => x.toFixed(3);
    contents = {
      neurons: ds.getN(), stimuli: ds.getS(), repeats: [Math.min(...reps), median(reps), Math.max(...reps)], bins: ds.T, dtMs: ds.dtMs,
      medianCCmax: median(Array.from(q.ccmax.data)), medianSnr: median(Array.from(q.snr.data)), buildMs,
    };
    rows.push(
      ['neurons', `${ds.getN()} sorted units`],
      ['stimuli', `${ds.getS()} (${[...new Set(ds.stimMeta.map((m) => m.stimClass))].join(', ')}), ${ds.T} bins of ${ds.dtMs} ms`],
      ['repeats', `${Math.min(...reps)}–${Math.max(...reps)} kept trials per (stimulus, unit), median ${median(reps)}`],
      ['quality', `median CCmax ${f3(contents.medianCCmax as number)}, median SNR ${f3(contents.medianSnr as number)}, unsmoothed responses`],
      ['built in', `${buildMs} ms`],
    );
  }
  rows.push(['status', complete ? 'usable' : 'no prepared site: run `deepstrf download aa5` or prepareAA5 on the raw archives (docs/zoo/aa5.md)']);
  return { rows, complete, data: { ...contents, dataset: 'AA5', folder: path, preparedSites: prepared, stimulusIndex: index, complete } };
}

/**
 * `aa5`: CRCNS-AA5, awake freely behaving zebra finches (Robotka, Gahr & Theunissen).
 * @example
 * ```ts
 * const ds = await aa5Entry.load({ path: '/data/AA5', animals: ['ZF6M'] });
 * (await aa5Entry.describe!('/data/AA5', { verify: false })).rows;
 * ```
 */
export const aa5Entry: DatasetEntry = {
  name: 'aa5',
  className: 'CRCNSAA5Dataset',
  description: 'CRCNS-AA5: awake freely-behaving zebra finch auditory pallium, calls/songs/ripples (prepared cache)',
  species: 'zebra finch (awake, freely behaving)',
  area: 'auditory pallium (Field L, CLM, NCM, CMM), sorted single + multi units, up to 180 stimuli',
  size: '≈163 GB raw (50 site archives); ≈90 MB prepared cache',
  licence: 'CRCNS data sharing terms (free account)',
  citation: 'Robotka H, Gahr M, Theunissen FE, CRCNS aa-5, doi:10.6080/K0TT4P5Q',
  accountNeeded: true,
  cacheFolder: 'AA5',
  manifest: () => null,
  download: async (path, o) => {
    const sites = await downloadAA5(path, { signal: o.signal, ...aa5DownloadProgress(o.onProgress) });
    return `${sites.length} site(s) prepared in ${path} (archives deleted after preparing)`;
  },
  load: (o) => CRCNSAA5Dataset.load(o as CRCNSAA5LoadOptions),
  describe: (path) => describeAA5(path ?? defaultCacheDir('AA5')),
};

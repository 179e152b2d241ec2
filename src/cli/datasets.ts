/**
 * The datasets the CLI knows: how to build a dataset's download manifest and how to describe
 * what is in its folder. `ns1` describes the cache folder against the release's file list and,
 * when the release is complete, builds the dataset to report neurons, stimuli, repeats and quality.
 * @module
 */
import { platform } from '#platform';
import type { DatasetManifest } from '../download/manifest.js';
import { ns1Manifest, NS1_DNET } from '../download/manifests/ns1.js';
import { NS1_RELEASE_FILES } from '../download/manifests/ns1-files.js';
import { hashStoredFile } from '../download/verify.js';
import { NS1Dataset } from '../zoo/ns1.js';

/** Options that shape a dataset's download. */
export interface ManifestOptions {
  /** Mirror base URL (dataset-specific meaning). */
  mirror?: string;
  /** Skip optional extras (for NS1: the DNet spectrogram). */
  minimal?: boolean;
}

/** A described dataset: ordered `[label, value]` rows for people, and a JSON-able object. */
export interface DatasetDescription {
  readonly rows: ReadonlyArray<readonly [string, string]>;
  readonly data: Readonly<Record<string, unknown>>;
  /** True when the folder holds the complete dataset. */
  readonly complete: boolean;
}

/** One CLI dataset. */
export interface CliDataset {
  /** Cache sub-folder name (download.md §1). */
  readonly cacheName: string;
  /** One-line description for `deepstrf --help`. */
  readonly title: string;
  manifest(options: ManifestOptions): DatasetManifest;
  describe(path: string, options: { verify: boolean }): Promise<DatasetDescription>;
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

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
      dataset: 'NS1', folder: path, files: NS1_RELEASE_FILES.length, present, bytes, expectedBytes,
      units: { present: unitsPresent, expected: units.length }, sounds: { present: soundsPresent, expected: sounds.length },
      spectrogram: spectrogram !== null, missing, damaged: wrong, verified: options.verify, complete,
    },
  };
}

/**
 * The CLI's dataset registry, by lower-case name.
 * @example
 * ```ts
 * const ns1 = CLI_DATASETS.ns1;
 * (await ns1.describe('/data/NS1', { verify: false })).rows;
 * ```
 */
export const CLI_DATASETS: Readonly<Record<string, CliDataset>> = {
  ns1: {
    cacheName: 'NS1',
    title: 'NS1 natural sounds, ferret A1 (Harper et al. 2016; OSF ayw2p + DNet)',
    manifest: (o) => ns1Manifest({ mirror: o.mirror, spectrogram: !o.minimal }),
    describe: describeNs1,
  },
};

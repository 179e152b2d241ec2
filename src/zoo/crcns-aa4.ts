/**
 * `CRCNSAA4Dataset`: zebra finch auditory pallium single and multi units of six birds (Elie &
 * Theunissen; CRCNS `aa-4`), songs, calls and ripple noise; one HDF5 file per unit, one folder of
 * wavs per bird. Layout, processing and quirks: docs/zoo/aa4.md.
 * @module
 */
import { FormatError, ValueError } from '../errors.js';
import type { Meta } from '../contract/types.js';
import type { Tensor } from '../tensor.js';
import { CrcnsZebraFinchDataset, zebraFinchLoad } from './crcns-zebra-finch.js';
import { zooBuildSync } from './zoo-build.js';
import type { BuiltData } from '../contract/types.js';
import { openHdf5Sync, type H5AttrValue, type H5SyncGroup } from '../io/hdf5-sync.js';
import { decodeWav } from '../audio/wav.js';
import { resample } from '../audio/resample.js';
import { cropOrPad, toMono } from '../audio/waveform.js';
import { defaultHeap } from '../memory/heap.js';
import { missingCell } from '../memory/sentinel.js';
import { roundHalfEven } from '../util/round.js';
import { fileLabel, fs, runAsync, runSync, type Build } from '../sources/build.js';
import { defaultCacheDir } from '../download/cache.js';
import type { DatasetManifest } from '../download/manifest.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';
import {
  binTrials, describeRelease, downloadCrcnsArchives, listSorted, melNfft, melStimulus, pyFloat, resolveTheunissen,
  type CrcnsArchive, type CrcnsServerOptions, type ResolvedTheunissen, type TheunissenOptions,
} from './theunissen.js';

/** The six birds of the release (last letter = sex). @example `new CRCNSAA4Dataset({ animals: [AA4_ANIMAL_IDS[0]] })` */
export const AA4_ANIMAL_IDS = ['BlaBro09xxF', 'GreBlu9508M', 'LblBlu2028M', 'WhiBlu5396M', 'WhiWhi4522M', 'YelBlu6903F'] as const;
/** Stimulus types (the `stim_type` attribute), default order. @example `new CRCNSAA4Dataset({ stimuli: ['call'] })` */
export const AA4_STIM_TYPES = ['song', 'call', 'mlnoise'] as const;
/** Cache sub-folder of AA4. @example `defaultCacheDir(AA4_CACHE_NAME)` */
export const AA4_CACHE_NAME = 'AA4';
/** Root groups of a unit file that are not stimulus classes. */
const META_GROUPS = new Set(['class_info', 'extra_info']);
/** Online sort types whose units are skipped. */
const SKIPPED_SORTS = new Set(['tdt', 'noise']);

/**
 * Options of {@link CRCNSAA4Dataset} (the reference's keyword arguments, camelCase).
 * @example
 * ```ts
 * const o: CRCNSAA4Options = { path: '/data/AA4', animals: ['GreBlu9508M'], stimuli: ['call'], returnWaveform: true };
 * ```
 */
export interface CRCNSAA4Options extends TheunissenOptions {
  /** Birds, in neuron order: `'all'` (default, {@link AA4_ANIMAL_IDS}) or a list of them; another id → `ValueError`. */
  animals?: readonly string[] | 'all';
  /** `stim_type` values to keep (default `['song', 'call', 'mlnoise']`). */
  stimuli?: readonly string[];
}

const BUILT = Symbol('built');
const HINT = 'download it with `deepstrf download aa4` or `CRCNSAA4Dataset.load({ download: true })`';

/** A string attribute as the reference's `_decode_attr`: text, the first element of an array, else its text form. */
function attrText(v: H5AttrValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return String(v);
}

/** A numeric attribute (a scalar or the first element of an array); `fallback` when absent. */
function attrNumber(v: H5AttrValue | undefined, fallback: number, file: string, what: string): number {
  if (v === undefined) return fallback;
  const x = typeof v === 'number' || typeof v === 'string' ? v : v[0];
  if (x === undefined) throw new FormatError(file, `attribute ${what} is an empty array, expected a number`);
  const n = typeof x === 'string' ? pyFloat(x) : x;
  if (n === null) throw new FormatError(file, `attribute ${what} is not a number (${JSON.stringify(x)})`);
  return n;
}

/** Sub-groups of `g`, sorted by name (datasets among them are ignored). */
const groupsOf = (g: H5SyncGroup): Array<[string, H5SyncGroup]> => g.names.filter((n) => g.kind(n) === 'group').map((n) => [n, g.group(n)]);

/** Spike times (s) of a trial group's `spike_times` dataset. */
function spikeTimes(trial: H5SyncGroup, file: string): Float64Array {
  if (!trial.names.includes('spike_times')) throw new FormatError(file, `${trial.path}/spike_times is missing, expected a dataset of spike times`);
  if (trial.kind('spike_times') !== 'dataset') throw new FormatError(file, `${trial.path}/spike_times is a group, expected a dataset of spike times`);
  return trial.dataset('spike_times').data;
}

interface StimAudio {
  spec: Tensor<'float32'>;
  wave: Tensor<'float32'> | null;
}

/** Spectrogram (and waveform) of every wav of one bird, by file stem (`stim85`). */
function* animalSounds(root: string, animal: string, r: ResolvedTheunissen): Build<Map<string, StimAudio>> {
  const dir = `${animal}/wavfiles`;
  const names = (yield* listSorted(dir, root, 'any', HINT)).filter((n) => n.endsWith('.wav'));
  const hopW = roundHalfEven((r.audioFs * r.dtMs) / 1000);
  const out = new Map<string, StimAudio>();
  for (const name of names) {
    const file = fileLabel(root, `${dir}/${name}`);
    const wav = decodeWav(yield* fs.read(`${dir}/${name}`), { name: file });
    const sr = wav.sampleRate;
    const hop = Math.max(1, Math.trunc((sr * r.dtMs) / 1000));
    const spec = melStimulus(wav.data, sr, { hop, nFft: melNfft(r.windowMs, r.dtMs, hop), nMels: r.nMels, compression: r.compression }, file);
    let wave: Tensor<'float32'> | null = null;
    if (r.returnWaveform) {
      const resampled = sr === r.audioFs ? wav.data : resample(wav.data, sr, r.audioFs);
      wave = cropOrPad(toMono(resampled), spec.shape[spec.shape.length - 1] * hopW);
    }
    out.set(name.slice(0, -'.wav'.length), { spec, wave });
  }
  return out;
}

/**
 * The AA4 build (docs/zoo/aa4.md, "Processing"), run by the constructor ({@link runSync}) and by
 * `load` ({@link runAsync}); unit files are read by the synchronous HDF5 reader, one at a time.
 */
function* buildAA4(o: CRCNSAA4Options, r: ResolvedTheunissen, root: string): Build<BuiltData> {
  const animals = o.animals === undefined || o.animals === 'all' ? [...AA4_ANIMAL_IDS] : [...o.animals];
  for (const a of animals) {
    if (!(AA4_ANIMAL_IDS as readonly string[]).includes(a)) throw new ValueError(`unknown AA4 animal '${a}' (expected one of ${AA4_ANIMAL_IDS.join(', ')})`);
  }
  const types = new Set(o.stimuli ?? AA4_STIM_TYPES);
  const sounds = new Map<string, Map<string, StimAudio>>();
  for (const a of animals) sounds.set(a, yield* animalSounds(root, a, r));

  const order: string[] = [];
  const stims = new Map<string, { meta: Meta; audio: StimAudio }>();
  const units: Array<{ meta: Meta; responses: Map<string, Tensor> }> = [];
  for (const animal of animals) {
    const names = (yield* listSorted(animal, root, 'file', HINT)).filter((n) => n.endsWith('.h5'));
    for (const name of names) {
      const rel = `${animal}/${name}`;
      const file = fileLabel(root, rel);
      const h5 = openHdf5Sync(yield* fs.read(rel), file);
      let sortType = attrText(h5.attrs.sortType);
      if (SKIPPED_SORTS.has(sortType)) continue;
      if (sortType === 'singl') sortType = 'single';
      const cellId = name.slice(0, -'.h5'.length);
      const sub = /_ss(\d+)$/.exec(cellId);
      const meta: Meta = {
        cellId, animalId: animal, sex: animal.slice(-1), site: attrText(h5.attrs.site),
        electrode: Math.trunc(attrNumber(h5.attrs.electrode, 0, file, 'electrode')),
        ldepth: attrNumber(h5.attrs.ldepth, Number.NaN, file, 'ldepth'), rdepth: attrNumber(h5.attrs.rdepth, Number.NaN, file, 'rdepth'),
        sortType, sortId: Math.trunc(attrNumber(h5.attrs.sortid, 0, file, 'sortid')), subsortId: sub ? Number.parseInt(sub[1], 10) : null,
      };
      const responses = new Map<string, Tensor>();
      for (const [cls, clsGroup] of groupsOf(h5)) {
        if (META_GROUPS.has(cls)) continue;
        for (const [key, stimGroup] of groupsOf(clsGroup)) {
          const stimType = attrText(stimGroup.attrs.stim_type);
          if (!types.has(stimType)) continue;
          const md5 = attrText(stimGroup.attrs.stim_md5);
          if (!stims.has(md5)) {
            const audio = sounds.get(animal)?.get(`stim${key}`);
            if (!audio) continue; // no wav for this bird: the stimulus is skipped (and stays unregistered)
            order.push(md5);
            stims.set(md5, {
              audio,
              meta: { name: md5, type: stimType, class: attrText(stimGroup.attrs.stim_class), durationS: attrNumber(stimGroup.attrs.stim_duration, Number.NaN, file, `${stimGroup.path}/stim_duration`) },
            });
          }
          const spec = (stims.get(md5) as { audio: StimAudio }).audio.spec;
          const T = spec.shape[spec.shape.length - 1];
          const trials: number[][] = [];
          for (const [, trial] of groupsOf(stimGroup)) {
            const times = spikeTimes(trial, file);
            const ms: number[] = [];
            for (let i = 0; i < times.length; i++) {
              const t = times[i];
              if (!(t >= 0)) continue;
              if (!Number.isFinite(t)) throw new FormatError(file, `${trial.path}/spike_times holds a non-finite time`);
              ms.push(t * 1000);
            }
            if (ms.length > 0) trials.push(ms);
          }
          if (trials.length === 0) continue;
          const counts = binTrials(trials, r.dtMs, T);
          if (counts.data.every((v) => v === 0)) continue;
          responses.set(md5, counts);
        }
      }
      if (responses.size > 0) units.push({ meta, responses });
    }
  }
  const sentinel = missingCell(defaultHeap());
  return {
    stims: order.map((m) => {
      const a = (stims.get(m) as { audio: StimAudio }).audio;
      return r.returnWaveform ? (a.wave as Tensor<'float32'>) : a.spec;
    }),
    responses: order.map((m) => units.map((u) => u.responses.get(m) ?? sentinel)),
    stimMeta: order.map((m) => (stims.get(m) as { meta: Meta }).meta),
    nrnMeta: units.map((u) => u.meta),
  };
}

/**
 * The CRCNS AA4 download: one tar.gz per bird (hundreds of MB each; content already under
 * `<bird>/`), each skipped when its folder exists, plus the small `CRCNSCode.tar.gz` (anchor
 * `CRCNSCode/`). The URLs need a CRCNS login.
 * @example
 * ```ts
 * aa4Manifest(['GreBlu9508M']).files.map((f) => f.path); // ['GreBlu9508M.tar.gz', 'CRCNSCode.tar.gz']
 * ```
 */
export function aa4Manifest(animals: readonly string[] = AA4_ANIMAL_IDS): DatasetManifest {
  return {
    name: AA4_CACHE_NAME,
    files: aa4Archives(animals).map(({ remote, anchor }) => ({
      path: remote.slice(remote.indexOf('/') + 1), url: `https://download.crcns.org/${remote}`, archive: 'tar.gz' as const, extractTo: '', anchor,
    })),
  };
}

/**
 * The AA4 archives of `animals` (each unpacks into `<animal>/`, its anchor) plus `CRCNSCode.tar.gz`.
 * @example
 * ```ts
 * await downloadCrcnsArchives('/data/AA4', aa4Archives(['GreBlu9508M']));
 * ```
 */
export function aa4Archives(animals: readonly string[] = AA4_ANIMAL_IDS): CrcnsArchive[] {
  for (const a of animals) {
    if (!(AA4_ANIMAL_IDS as readonly string[]).includes(a)) throw new ValueError(`unknown AA4 animal '${a}' (expected one of ${AA4_ANIMAL_IDS.join(', ')})`);
  }
  return [...animals, 'CRCNSCode'].map((stem) => ({ remote: `aa-4/${stem}.tar.gz`, anchor: stem, extract: {} }));
}

/**
 * CRCNS AA4: zebra finch auditory pallium (Field L, CLM, CMM, NCM), 1401 units of six birds;
 * songs, calls and ripple noise; 1 ms bins at each wav's own rate.
 * @example
 * ```ts
 * const aa4 = await CRCNSAA4Dataset.load({ path: '/data/AA4', animals: ['GreBlu9508M'] });
 * aa4.nrnMeta[0].sortType; // 'single' or 'multi'
 * ```
 */
export class CRCNSAA4Dataset extends CrcnsZebraFinchDataset {
  /** The birds loaded. */
  readonly animals: readonly string[];
  /** The stimulus types kept. */
  readonly stimTypes: ReadonlySet<string>;

  /**
   * Builds synchronously from a Node folder (`path`, default the cache folder); `download: true`
   * needs {@link CRCNSAA4Dataset.load}.
   * @example
   * ```ts
   * const aa4 = new CRCNSAA4Dataset({ path: '/data/AA4', animals: ['GreBlu9508M'] });
   * ```
   */
  constructor(options: CRCNSAA4Options & { [BUILT]?: BuiltData } = {}) {
    const path = options.path ?? defaultCacheDir(AA4_CACHE_NAME);
    const r = resolveTheunissen(options, 24000);
    super(path, r, options[BUILT] ?? zooBuildSync('CRCNSAA4Dataset', options, path, () => buildAA4(options, r, path)));
    this.animals = options.animals === undefined || options.animals === 'all' ? [...AA4_ANIMAL_IDS] : [...options.animals];
    this.stimTypes = new Set(options.stimuli ?? AA4_STIM_TYPES);
  }

  /**
   * Builds AA4 from any file source (Node folder, OPFS, memory), after an optional download of
   * the requested birds only.
   * @example
   * ```ts
   * const ds = await CRCNSAA4Dataset.load({ path: '/data/AA4', stimuli: ['call'], returnWaveform: true });
   * ```
   */
  static async load(options: CRCNSAA4Options & ZooLoadOptions & CrcnsServerOptions = {}): Promise<CRCNSAA4Dataset> {
    const r = resolveTheunissen(options, 24000);
    const { path, built } = await zebraFinchLoad(options, AA4_CACHE_NAME, aa4Archives(options.animals === undefined || options.animals === 'all' ? AA4_ANIMAL_IDS : options.animals), (root) => buildAA4(options, r, root));
    return new CRCNSAA4Dataset({ ...options, path, download: false, [BUILT]: built });
  }
}

/**
 * The AA4 registry entry.
 * @example
 * ```ts
 * const ds = await aa4Entry.load({ path: '/data/AA4', animals: ['GreBlu9508M'] });
 * ```
 */
export const aa4Entry: DatasetEntry = {
  name: 'aa4',
  className: 'CRCNSAA4Dataset',
  description: 'CRCNS AA4: zebra finch auditory pallium units of 6 birds, songs, calls and ripples (Elie & Theunissen)',
  species: 'zebra finch',
  area: 'Field L, CLM, CMM, NCM (no per-unit area); single + multi units',
  size: '1-2 GB',
  licence: 'CRCNS terms of use (free account)',
  citation: 'Elie J. E., Theunissen F. E. (2015). Meaning in the avian auditory cortex: neural representation of communication calls. CRCNS.org. doi:10.6080/K00C4T06',
  accountNeeded: true,
  cacheFolder: AA4_CACHE_NAME,
  manifest: () => aa4Manifest(),
  download: (path, o) => downloadCrcnsArchives(path, aa4Archives(), { onProgress: o.onProgress, signal: o.signal }),
  load: (options) => CRCNSAA4Dataset.load(options as CRCNSAA4Options & ZooLoadOptions),
  describe: (path) => {
    const p = path ?? defaultCacheDir(AA4_CACHE_NAME);
    return describeRelease(p, [...AA4_ANIMAL_IDS], 'aa4', () => CRCNSAA4Dataset.load({ path: p, smooth: false }));
  },
};

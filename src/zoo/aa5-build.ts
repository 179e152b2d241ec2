/**
 * The CRCNS-AA5 build: one pass over the prepared cache (sites, their playbacks, the stimuli,
 * then each site's units and spikes), run synchronously by `new CRCNSAA5Dataset({ path })` and
 * asynchronously by `CRCNSAA5Dataset.load`. Every file is parsed once; the cache's files are
 * checked before any is parsed (docs/zoo/README.md, docs/zoo/aa5.md).
 * @module
 */
import type { Tensor } from '../tensor.js';
import type { Meta } from '../contract/types.js';
import { defaultHeap } from '../memory/heap.js';
import { missingCell } from '../memory/sentinel.js';
import { parseJson, type JsonValue } from '../io/json.js';
import { readNpz } from '../io/npy.js';
import { fs, parsing, SourceFileError, type Build } from '../sources/build.js';
import { checkRelease, enforceRelease, type ExpectedFile, type PartialUseOptions } from './integrity.js';
import { AA5_STIM_CLASSES, parseAA5Site } from './aa5-sites.js';
import { aa5StimInfo, loadAA5Stim, type AA5StimSettings } from './aa5-stimuli.js';
import { aa5PlaybackFlags, aa5PlaybackMeta, aa5SiteResponses, type AA5PlaybackRules, type AA5Spikes } from './aa5-responses.js';

/** The resolved options a build runs with (see `resolve` in src/zoo/crcns-aa5.ts). @example `runSync(buildAA5(settings), source)` */
export interface AA5Settings extends AA5StimSettings, AA5PlaybackRules, PartialUseOptions {
  animals: string[];
  sites: readonly string[] | null;
  stimuli: string[];
  dtMs: number;
  minTrials: number;
}

/** What the build returns: everything the constructor assigns. @example `const { stims, responses, trialIds } = runSync(buildAA5(settings), source)` */
export interface AA5Built {
  stims: Tensor[];
  stimMeta: Meta[];
  responses: Tensor[][];
  nrnMeta: Meta[];
  trialIds: number[][][];
  playbackMeta: Record<string, Meta[]>;
  sites: string[];
}

const HINT = 'prepare the cache with `prepareAA5` or `deepstrf download aa5`; see docs/zoo/aa5.md';
const INDEX = 'stimuli/index.json';
const SITE_FILES = ['playbacks.json', 'units.json', 'spikes.npz'] as const;

function asArray(v: JsonValue, root: string, path: string): Array<Record<string, JsonValue>> {
  if (!Array.isArray(v) || v.some((e) => e === null || typeof e !== 'object' || Array.isArray(e))) throw new SourceFileError(root, path, 'expected a JSON array of objects');
  return v as Array<Record<string, JsonValue>>;
}

function spikesOf(bytes: Uint8Array, root: string, path: string, nUnits: number): AA5Spikes {
  const bad = (msg: string) => new SourceFileError(root, path, msg);
  const z = readNpz(bytes, path, { int64AsNumber: true });
  const get = (k: string) => {
    const a = z[k];
    if (!a || a.shape.length !== 1) throw bad(`member ${k}.npy is ${a ? `of shape (${a.shape.join(', ')})` : 'missing'}, expected a 1-D array`);
    return a.data as ArrayLike<number>;
  };
  const sp = { unit: get('unit'), trial: get('trial'), start: get('start'), stop: get('stop'), spikeTimes: get('spike_times') };
  const n = sp.unit.length;
  if (sp.trial.length !== n || sp.start.length !== n || sp.stop.length !== n) {
    throw bad(`unit, trial, start and stop must have one entry per trial record, got ${n}, ${sp.trial.length}, ${sp.start.length}, ${sp.stop.length}`);
  }
  for (let r = 0; r < n; r++) {
    if (!(sp.start[r] >= 0 && sp.start[r] <= sp.stop[r] && sp.stop[r] <= sp.spikeTimes.length)) {
      throw bad(`record ${r}: spike slice [${sp.start[r]}, ${sp.stop[r]}) is outside spike_times (length ${sp.spikeTimes.length})`);
    }
    if (!(sp.unit[r] >= 0 && sp.unit[r] < nUnits)) throw bad(`record ${r}: unit ${sp.unit[r]} is not an index of units.json (${nUnits} units)`);
  }
  return sp;
}

/** Site folders of a bird holding a manifest: listed, or (HTTP sources cannot list) the sites asked for. */
function* sitesOf(bird: string, wanted: readonly string[] | null): Build<string[]> {
  const names = wanted
    ? [...new Set(wanted)].sort()
    : (yield* fs.list(bird)).filter((e) => e.kind === 'directory' && !e.name.startsWith('.')).map((e) => e.name).sort();
  const out: string[] = [];
  for (const site of names) if ((yield* fs.stat(`${bird}/${site}/manifest.json`))?.kind === 'file') out.push(site);
  return out;
}

/**
 * Builds CRCNS-AA5 from the prepared cache.
 * @example
 * ```ts
 * const built = runSync(buildAA5(settings), platform.folderSource('/data/AA5'));
 * ```
 */
export function* buildAA5(o: AA5Settings): Build<AA5Built> {
  const root = yield* fs.root();
  // Sites: per bird (given order), the sorted folders holding a manifest.json.
  let sites: Array<{ bird: string; site: string }> = [];
  for (const bird of o.animals) for (const site of yield* sitesOf(bird, o.sites)) sites.push({ bird, site });
  if (sites.length === 0) {
    throw new SourceFileError(root, o.animals.join(', '), `no prepared AA5 site found${o.sites ? ` among ${o.sites.join(', ')}` : ''} (expected <bird>/<site>/manifest.json; ${HINT})`);
  }
  // Every file of the sites, before any is parsed; allowPartial skips a damaged site whole.
  const check = yield* checkRelease([{ path: INDEX }, ...sites.flatMap(({ bird, site }) => SITE_FILES.map((f): ExpectedFile => ({ path: `${bird}/${site}/${f}` })))]);
  const skipped = enforceRelease(check, { dataset: 'AA5', root, allowPartial: o.allowPartial, onWarning: o.onWarning, hint: HINT, skippable: (p) => p !== INDEX });
  sites = sites.filter(({ bird, site }) => SITE_FILES.every((f) => !skipped.has(`${bird}/${site}/${f}`)));
  if (sites.length === 0) throw new SourceFileError(root, o.animals.join(', '), `allowPartial: no intact AA5 site left (${HINT})`);

  // Kept playbacks per site and the stimulus set, ordered by (class, file name).
  const jsonAt = function* (path: string): Build<JsonValue> {
    const bytes = yield* fs.read(path);
    return parsing(root, path, () => parseJson(bytes, path));
  };
  const playbacks = new Map<string, Array<Record<string, JsonValue>>>();
  const files = new Set<string>();
  for (const { bird, site } of sites) {
    const path = `${bird}/${site}/playbacks.json`;
    const kept = asArray(yield* jsonAt(path), root, path).filter((pb) => o.stimuli.includes(aa5StimInfo(String(pb.file)).stimClass as string));
    kept.forEach((pb) => files.add(String(pb.file)));
    playbacks.set(site, kept);
  }
  const classRank = (f: string) => AA5_STIM_CLASSES.indexOf(aa5StimInfo(f).stimClass as string);
  const stimFiles = [...files].sort((a, b) => classRank(a) - classRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const stimIndex = new Map(stimFiles.map((f, s) => [f, s]));

  // Stimuli, each checked against its index entry.
  const index = yield* jsonAt(INDEX);
  if (index === null || typeof index !== 'object' || Array.isArray(index)) throw new SourceFileError(root, INDEX, 'expected a JSON object (file → entry)');
  const stimCheck = yield* checkRelease(stimFiles.map((f) => ({ path: `stimuli/${f}` })));
  enforceRelease(stimCheck, { dataset: 'AA5', root, allowPartial: o.allowPartial, hint: HINT, skippable: () => false });
  const stims: Tensor[] = [];
  const stimMeta: Meta[] = [];
  for (const file of stimFiles) {
    const entry = Object.hasOwn(index, file) ? index[file] : undefined;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new SourceFileError(root, INDEX, `no entry for stimulus ${file}`);
    const path = `stimuli/${file}`;
    const bytes = yield* fs.read(path);
    const { stim, meta } = parsing(root, path, () => loadAA5Stim(bytes, file, entry, o, root));
    stims.push(stim);
    stimMeta.push(meta);
  }

  // Responses, site by site.
  const columns: Array<Map<number, Tensor>> = [];
  const trialCols: Array<Map<number, number[]>> = [];
  const nrnMeta: Meta[] = [];
  const playbackMeta: Record<string, Meta[]> = {};
  for (const { bird, site } of sites) {
    const info = parsing(root, `${bird}/${site}`, () => parseAA5Site(site));
    const unitsPath = `${bird}/${site}/units.json`;
    const units = asArray(yield* jsonAt(unitsPath), root, unitsPath);
    const npz = `${bird}/${site}/spikes.npz`;
    const npzBytes = yield* fs.read(npz);
    const sp = parsing(root, npz, () => spikesOf(npzBytes, root, npz, units.length));
    const stimOfTrial = new Map<number, number>();
    playbackMeta[site] = (playbacks.get(site) ?? []).map((pb) => {
      const flags = aa5PlaybackFlags(pb, o);
      if (!flags.dropped) stimOfTrial.set(Number(pb.trial), stimIndex.get(String(pb.file)) as number);
      return aa5PlaybackMeta(pb, flags);
    });
    for (const u of aa5SiteResponses(sp, units.length, stimOfTrial, o)) {
      const m = units[u.unit];
      const animal = typeof m.bird === 'string' ? m.bird : info.bird;
      columns.push(new Map([...u.groups].map(([s, g]) => [s, g.counts])));
      trialCols.push(new Map([...u.groups].map(([s, g]) => [s, g.trials])));
      nrnMeta.push({
        cellId: m.cell_id ?? null, animalId: animal, sex: animal.slice(-1), site, depthTurns: info.depthTurns,
        depthUm: info.depthUm, recordingDate: info.date, electrode: m.electrode ?? null, cluster: m.cluster ?? null,
        sortId: m.sort ?? null, spikeSnr: m.spike_snr ?? null, rateThreshold: m.rate_threshold ?? null,
        kdeBw: m.kde_bw ?? null, auditoryZ: u.auditoryZ, nTrials: u.nTrials, spikeShape: m.spike_shape ?? null,
        spikeStd: m.spike_std ?? null,
      });
    }
  }
  const sentinel = missingCell(defaultHeap());
  return {
    stims, stimMeta, nrnMeta, playbackMeta, sites: sites.map((s) => s.site),
    responses: stimFiles.map((_, s) => columns.map((c) => c.get(s) ?? sentinel)),
    trialIds: stimFiles.map((_, s) => trialCols.map((c) => c.get(s) ?? [])),
  };
}

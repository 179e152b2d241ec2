/**
 * CRCNS-AA5 raw release → prepared cache, without Python (`prepare_aa5` / `prepare_site` of the
 * reference): each site's unit pickles (in `<site>.tar.gz`, streamed member by member, or in an
 * extracted `<site>/PlaybackPkl/` folder) become `<bird>/<site>/units.json`, `playbacks.json`,
 * `spikes.npz` and `manifest.json` (written last) plus the shared `stimuli/` store. Works on any
 * `FileSource` / `WritableSource` (a Node folder, OPFS). See docs/zoo/aa5.md.
 * @module
 */
import { platform } from '#platform';
import { FormatError, ValueError } from '../errors.js';
import { parseJson } from '../io/json.js';
import { writeNpz } from '../io/npy.js';
import { pyJsonDumps, type PyJson } from '../io/py-json.js';
import { PickleDataError } from '../io/pickle.js';
import { tarEvents, tarStream } from '../sources/tar.js';
import type { FileSource, WritableSource } from '../sources/types.js';
import { AA5_SITES, AA5_WINDOW_S, parseAA5Site } from './aa5-sites.js';
import { aa5SiteSelection, isAA5SitePrepared } from './aa5-download.js';
import { readAA5UnitFile } from './aa5-unit-pickle.js';
import { aa5MicAlignment } from './aa5-mic.js';
import { aa5IndexEntry, encodeAA5Stimulus, type AA5StimulusIndex } from './aa5-stimulus-store.js';

/** Version of the cache layout (`manifest.json` `cache_version`). @example `AA5_CACHE_VERSION // 1` */
export const AA5_CACHE_VERSION = 1;
/** The deepstrf version recorded in each manifest (`deepstrf_version`). @example `AA5_PREPARER_VERSION // '0.1.0'` */
export const AA5_PREPARER_VERSION = '0.1.0';

/** Progress of a site's preparation (after each unit file). @example `{ site: 'ZF4F_2t_190611_160843', units: 3, playbacks: 120 }` */
export interface AA5PrepareProgress {
  site: string;
  units: number;
  playbacks: number;
}

/** Options of {@link prepareAA5Site}. @example `{ overwrite: true, progress: (p) => console.log(p.units) }` */
export interface AA5PrepareSiteOptions {
  /**
   * Measure each playback's cage-mic alignment before discarding the recording (`mic_offset_ms`,
   * `mic_peak`, `mic_second`, `mic_pre_peak_db`, `mic_post_peak_db`; src/zoo/aa5-mic.ts). A
   * playback whose check fails is reported through `onWarning` and stored without them.
   * Default true.
   */
  micAlignmentCheck?: boolean;
  /** Rebuild a site already prepared. Default false. */
  overwrite?: boolean;
  /** Called after each unit file. */
  progress?: (p: AA5PrepareProgress) => void;
  /** Receives notes (a stimulus that differs between sites; a skipped archive). */
  onWarning?: (message: string) => void;
}

/** Options of {@link prepareAA5}. @example `{ birds: ['ZF7F'], deleteSources: true }` */
export interface AA5PrepareOptions extends AA5PrepareSiteOptions {
  /** Sites to prepare (release names; unknown → ValueError). Default: every site found. */
  sites?: readonly string[] | null;
  /** Birds to prepare. Default: all. */
  birds?: readonly string[] | null;
  /** Delete each source (archive or extracted folder) once its site is prepared. Default false. */
  deleteSources?: boolean;
}

const SITE = /^(ZF\d[MF])_(\d+(?:_5)?)t?_(\d{6})_(\d{6})$/;
const INDEX = 'stimuli/index.json';
const SITE_FILES = ['units.json', 'playbacks.json', 'spikes.npz', 'manifest.json'] as const;
const enc = new TextEncoder();
const join = (a: string, b: string) => (a === '' ? b : `${a}/${b}`);
const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Python's `datetime.now().isoformat(timespec="seconds")` (local time, no zone). */
function isoNow(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `stimuli/index.json` as stored, its known fields typed as the preparer writes them. */
async function readIndex(dest: WritableSource): Promise<AA5StimulusIndex> {
  if ((await dest.stat(INDEX))?.kind !== 'file') return {};
  const raw = parseJson(await dest.read(INDEX), INDEX);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new FormatError(INDEX, 'expected a JSON object (file → entry)');
  const out: AA5StimulusIndex = {};
  for (const [file, e] of Object.entries(raw)) {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new FormatError(INDEX, `entry '${file}' is not an object`);
    const entry: { [k: string]: PyJson } = {};
    for (const [k, v] of Object.entries(e)) entry[k] = (k === 'fs' || k === 'n_samples') && typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : (v as PyJson);
    out[file] = entry;
  }
  return out;
}

/** The unit files of a source, one at a time: archive members (streamed) or `PlaybackPkl/goodPlayback-*.pkl`, sorted. */
async function* unitFiles(src: FileSource, path: string, kind: 'file' | 'directory', size: number): AsyncGenerator<{ name: string; bytes: Uint8Array }> {
  if (kind === 'directory') {
    const dir = join(path, 'PlaybackPkl');
    const names = (await src.list(dir)).filter((e) => e.kind === 'file' && e.name.startsWith('goodPlayback-') && e.name.endsWith('.pkl')).map((e) => e.name).sort();
    for (const name of names) yield { name, bytes: await src.read(join(dir, name)) };
    return;
  }
  let cur: { name: string; bytes: Uint8Array; at: number } | null = null;
  for await (const ev of tarEvents(await tarStream(src, path, size), path)) {
    if (ev.type === 'entry') {
      const name = base(ev.entry.name);
      cur = ev.entry.kind === 'file' && name.endsWith('.pkl') && !name.startsWith('._') ? { name, bytes: new Uint8Array(ev.entry.size), at: 0 } : null;
    } else if (ev.type === 'data' && cur) {
      cur.bytes.set(ev.bytes, cur.at);
      cur.at += ev.bytes.length;
    } else if (ev.type === 'end' && cur) {
      yield { name: cur.name, bytes: cur.bytes };
      cur = null;
    }
  }
}

/**
 * Prepares ONE site (`prepare_site`): `sourcePath` in `src` is `<…>/<site>.tar.gz` or an extracted
 * `<…>/<site>/` folder holding `PlaybackPkl/`. Writes into `<bird>/.<site>.tmp/` of `dest`, moves
 * the files into `<bird>/<site>/` with `manifest.json` last; a site already prepared is left alone
 * unless `overwrite`. Stimuli go to `dest/stimuli/` once (first copy kept; a differing copy is
 * reported through `onWarning`). Returns `<bird>/<site>`.
 * @throws ValueError (site name), FormatError (a pickle, a stimulus name, an archive)
 * @example
 * ```ts
 * await prepareAA5Site(rawFolder, '_archives/ZF4F/ZF4F_4t_190614_094759.tar.gz', cache);
 * ```
 */
export async function prepareAA5Site(src: FileSource, sourcePath: string, dest: WritableSource, o: AA5PrepareSiteOptions = {}): Promise<string> {
  const name = base(sourcePath);
  const site = name.endsWith('.tar.gz') ? name.slice(0, -7) : name;
  const info = parseAA5Site(site);
  const out = `${info.bird}/${site}`;
  if (!o.overwrite && (await isAA5SitePrepared(dest, site))) return out;
  const stat = await src.stat(sourcePath);
  if (!stat) throw new ValueError(`prepareAA5Site: ${sourcePath} does not exist in ${src.root}`);
  const index = await readIndex(dest);
  const micCheck = o.micAlignmentCheck ?? true;
  const tmp = `${info.bird}/.${site}.tmp`;
  await dest.remove(tmp);
  await dest.mkdir(tmp);

  const units: PyJson[] = [];
  const playbacks = new Map<number, { [key: string]: PyJson }>();
  const rec = { unit: [] as number[], trial: [] as number[], start: [] as number[], stop: [] as number[] };
  const spikes: Float64Array[] = [];
  let nSpikes = 0;
  for await (const { name: file, bytes } of unitFiles(src, sourcePath, stat.kind, stat.size)) {
    const u = readAA5UnitFile(bytes, file, site);
    const uIdx = units.length;
    units.push(u.unit);
    for (const row of u.rows) {
      let sha1: string;
      try {
        const s = encodeAA5Stimulus(row.wav, row.fs);
        sha1 = s.sha1;
        const have = index[row.file];
        if (have) {
          if (have.sha1 !== sha1) o.onWarning?.(`CRCNS-AA5: stimulus '${row.file}' differs between sites (sha1 ${String(have.sha1).slice(0, 8)} vs ${sha1.slice(0, 8)}); keeping the first copy`);
        } else {
          await dest.writeFile(`stimuli/${row.file}`, s.bytes);
          index[row.file] = aa5IndexEntry(row.fs, row.wav.length, sha1, s.integerPcm);
        }
      } catch (e) {
        if (e instanceof PickleDataError) throw new FormatError(file, `stimulus '${row.file}': ${e.message}`);
        throw e;
      }
      for (const [k, { trial, spikes: sp }] of row.trials.entries()) {
        rec.unit.push(uIdx);
        rec.trial.push(trial);
        rec.start.push(nSpikes);
        nSpikes += sp.length;
        rec.stop.push(nSpikes);
        spikes.push(sp);
        if (!playbacks.has(trial)) {
          const a = u.absTimes(trial);
          const pb: { [key: string]: PyJson } = {
            trial: BigInt(trial), file: row.file, call_type: row.callType, relation_short: row.relationShort, stim_sha1: sha1,
            start_time: a ? a.startTime : null, duration: a ? a.duration : null,
          };
          if (micCheck) {
            try {
              Object.assign(pb, aa5MicAlignment(row.wav, row.fs, row.mic(k)));
            } catch (e) {
              o.onWarning?.(`CRCNS-AA5 mic alignment failed for ${site} trial ${trial}: ${(e as Error).message}`);
            }
          }
          playbacks.set(trial, pb);
        }
      }
    }
    o.progress?.({ site, units: units.length, playbacks: playbacks.size });
  }

  // Time to the next playback onset, in onset order (ties by trial id).
  const starts = [...playbacks.entries()].filter(([, pb]) => pb.start_time !== null)
    .map(([t, pb]) => [pb.start_time as number, t] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 0; i + 1 < starts.length; i++) (playbacks.get(starts[i][1]) as { [key: string]: PyJson }).next_onset_s = starts[i + 1][0] - starts[i][0];

  const json = (v: PyJson) => enc.encode(pyJsonDumps(v, 1));
  const flat = new Float64Array(nSpikes);
  spikes.reduce((at, sp) => (flat.set(sp, at), at + sp.length), 0);
  await dest.writeFile(`${tmp}/units.json`, json(units));
  await dest.writeFile(`${tmp}/playbacks.json`, json([...playbacks.keys()].sort((a, b) => a - b).map((t) => playbacks.get(t) as PyJson)));
  await dest.writeFile(`${tmp}/spikes.npz`, writeNpz({
    unit: { shape: [rec.unit.length], data: Int32Array.from(rec.unit) },
    trial: { shape: [rec.trial.length], data: Int32Array.from(rec.trial) },
    start: { shape: [rec.start.length], data: BigInt64Array.from(rec.start, BigInt) },
    stop: { shape: [rec.stop.length], data: BigInt64Array.from(rec.stop, BigInt) },
    spike_times: { shape: [nSpikes], data: flat },
  }));
  await dest.writeFile(INDEX, json(index));
  await dest.writeFile(`${tmp}/manifest.json`, json({
    cache_version: BigInt(AA5_CACHE_VERSION), deepstrf_version: AA5_PREPARER_VERSION, site,
    bird: info.bird, depth_turns: info.depthTurns, depth_um: info.depthUm, date: info.date, time: info.time,
    source: name, source_bytes: stat.kind === 'file' ? BigInt(stat.size) : null,
    n_units: BigInt(units.length), n_playbacks: BigInt(playbacks.size), n_trial_records: BigInt(rec.unit.length),
    window_s: [...AA5_WINDOW_S], mic_alignment_check: micCheck, created: isoNow(),
  }));
  await dest.remove(out);
  for (const f of SITE_FILES) await dest.rename(`${tmp}/${f}`, `${out}/${f}`);
  await dest.remove(tmp);
  return out;
}

/** Python's ordering of paths (by components). */
const byParts = (a: string, b: string) => {
  const pa = a.split('/'), pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  return pa.length - pb.length;
};

/**
 * The site sources under `root` of `src` (any depth): `<site>.tar.gz` files (not `._`-prefixed;
 * the last in path order wins) and `PlaybackPkl` folders whose parent is named like a site (only
 * for sites without an archive). Site name → path.
 * @example
 * ```ts
 * await findAA5Sources(folder); // Map { 'ZF4F_4t_190614_094759' => '_archives/ZF4F/ZF4F_4t_190614_094759.tar.gz' }
 * ```
 */
export async function findAA5Sources(src: FileSource, root = ''): Promise<Map<string, string>> {
  const archives: string[] = [];
  const folders: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 64) return;
    for (const e of await src.list(dir)) {
      const p = join(dir, e.name);
      if (e.kind === 'file' && e.name.endsWith('.tar.gz') && !e.name.startsWith('._') && SITE.test(e.name.slice(0, -7))) archives.push(p);
      if (e.kind === 'directory') {
        if (e.name === 'PlaybackPkl' && SITE.test(base(dir))) folders.push(dir);
        await walk(p, depth + 1);
      }
    }
  };
  await walk(root, 0);
  const out = new Map<string, string>();
  for (const p of archives.sort(byParts)) out.set(base(p).slice(0, -7), p);
  for (const p of folders.sort(byParts)) if (!out.has(base(p))) out.set(base(p), p);
  return out;
}

/**
 * Prepares every CRCNS-AA5 site found under `src` into the cache `dest` (`prepare_aa5`): archives
 * and extracted folders at any depth, filtered by `sites` / `birds`; an archive of a release site
 * whose size differs from `AA5_SITES` is skipped with a warning; sites already prepared are
 * skipped (unless `overwrite`). Returns the sorted union of the sites prepared now and the
 * release sites already prepared in `dest`.
 * @throws ValueError (unknown site; deleteSources with a read-only `src`), FormatError (a damaged file)
 * @example
 * ```ts
 * const sites = await prepareAA5('/data/aa5-raw', '/data/AA5', { birds: ['ZF7F'] });
 * ```
 */
export async function prepareAA5(src: FileSource | string, dest: WritableSource | string, o: AA5PrepareOptions = {}): Promise<string[]> {
  const from = typeof src === 'string' ? await platform.openWritableSource(src) : src;
  const to = typeof dest === 'string' ? await platform.openWritableSource(dest) : dest;
  if (o.deleteSources && !('remove' in from)) throw new ValueError('prepareAA5: deleteSources needs a writable src (a folder path or a WritableSource)');
  aa5SiteSelection(o.sites, null); // unknown site names → ValueError (birds only filter, as the reference)
  let found = [...(await findAA5Sources(from)).entries()];
  if (o.sites) found = found.filter(([s]) => o.sites?.includes(s));
  if (o.birds) found = found.filter(([s]) => o.birds?.includes(parseAA5Site(s).bird));
  const done: string[] = [];
  for (const [site, path] of found) {
    const st = await from.stat(path);
    const expected = AA5_SITES[site];
    if (st?.kind === 'file' && expected !== undefined && st.size !== expected) {
      o.onWarning?.(`CRCNS-AA5: ${base(path)} is ${st.size} bytes, expected ${expected} — incomplete download? Skipping.`);
      continue;
    }
    const out = await prepareAA5Site(from, path, to, o);
    done.push(site);
    if (o.deleteSources && `${from.root}/${path}` !== `${to.root}/${out}`) await (from as WritableSource).remove(path);
  }
  const prepared: string[] = [];
  for (const s of Object.keys(AA5_SITES)) if (await isAA5SitePrepared(to, s)) prepared.push(s);
  return [...new Set([...done, ...prepared])].sort();
}

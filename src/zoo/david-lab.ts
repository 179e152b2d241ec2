/**
 * What the David-lab loaders (NAT4, Espejo, Wingert 2026; docs/zoo/nat4.md, espejo.md,
 * wingert2026.md) share: cell-id parsers, the `*_pred_correlation.csv` auditory flags, Python
 * truthiness of pandas cells, global NaN-ignoring min–max normalisation, the case-insensitive
 * `wav/` index and the waveform placement after a pre-stimulus silence.
 * @module
 */
import { platform } from '#platform';
import { decodeWav } from '../audio/wav.js';
import { prepareWaveform } from '../audio/waveform.js';
import { FormatError } from '../errors.js';
import { parseCsv, type CsvCell } from '../io/csv.js';
import { fs, type Build } from '../sources/build.js';
import type { EntryInfo, FileSource } from '../sources/types.js';
import { ZipSource } from '../sources/zip.js';
import { tensor, type Tensor } from '../tensor.js';
import type { DatasetManifest } from '../download/manifest.js';
import { folderRows } from './describe-folder.js';
import type { DatasetDescription } from './registry.js';

/** Species-wide hearing range of the ferret (Hz). @example `ds.hearingRangeHz // [200, 40000]` */
export const FERRET_HEARING_RANGE_HZ: readonly [number, number] = [200, 40000];

/**
 * Parts of a NAT4 cell id (`ARM029a-01-1`): `site` = text before the first `-` (null without
 * one); `animal`, `electrode`, `unitInElectrode` from the full match
 * `<3 letters><digits>[<lowercase>]-<digits>-<digits>`, else null.
 * @example
 * ```ts
 * parseNat4CellId('ARM029a-01-1'); // { site: 'ARM029a', animal: 'ARM', electrode: 1, unitInElectrode: 1 }
 * ```
 */
export function parseNat4CellId(id: string): { site: string | null; animal: string | null; electrode: number | null; unitInElectrode: number | null } {
  const site = id.includes('-') ? id.slice(0, id.indexOf('-')) : null;
  const m = /^([A-Za-z]{3})\d+[a-z]?-(\d+)-(\d+)$/.exec(id);
  return m ? { site, animal: m[1], electrode: Number(m[2]), unitInElectrode: Number(m[3]) } : { site, animal: null, electrode: null, unitInElectrode: null };
}

/**
 * Parts of an Espejo cell id: `AMT003c-11-1` (NAT) or `btn144a-c1` (VMN, no unit). `channel` and
 * `unit` stay text; `animalId` = the site's leading letters. Unparseable: `site` = text before
 * the first `-` (null without one), the rest null.
 * @example
 * ```ts
 * parseEspejoCellId('btn144a-c1'); // { site: 'btn144a', animalId: 'btn', channel: 'c1', unit: null }
 * ```
 */
export function parseEspejoCellId(id: string): { site: string | null; animalId: string | null; channel: string | null; unit: string | null } {
  const m = /^(([A-Za-z]+)\d+[A-Za-z]?)-([A-Za-z]*\d+)(?:-(\d+))?$/.exec(id);
  if (m) return { site: m[1], animalId: m[2], channel: m[3], unit: m[4] ?? null };
  return { site: id.includes('-') ? id.slice(0, id.indexOf('-')) : null, animalId: null, channel: null, unit: null };
}

/**
 * Parts of a Wingert 2026 cell id: `CLT027c-009-1` or, with a probe letter, `SLJ032a-A-003-1`:
 * `animal` = 3 leading letters, `electrode`, `unitInElectrode` integers; unparseable → all null.
 * @example
 * ```ts
 * parseWingertCellId('SLJ032a-B-154-1'); // { animal: 'SLJ', electrode: 154, unitInElectrode: 1 }
 * ```
 */
export function parseWingertCellId(id: string): { animal: string | null; electrode: number | null; unitInElectrode: number | null } {
  const m = /^([A-Za-z]{3})\d+[a-z]?-(?:[A-Za-z]-)?(\d+)-(\d+)$/.exec(id);
  return m ? { animal: m[1], electrode: Number(m[2]), unitInElectrode: Number(m[3]) } : { animal: null, electrode: null, unitInElectrode: null };
}

/** The session of a cell id: text before the first `-` (the whole id without one). @example `cellSession('CLT027c-009-1') // 'CLT027c'` */
export const cellSession = (id: string): string => (id.includes('-') ? id.slice(0, id.indexOf('-')) : id);

/**
 * Python `bool()` of a pandas cell: booleans as they are, numbers non-zero (NaN is true, as in
 * Python), text non-empty; a missing cell (pandas NaN) is therefore true.
 * @example
 * ```ts
 * pythonTruth('True'); // true
 * pythonTruth(0); // false
 * ```
 */
export function pythonTruth(c: CsvCell): boolean {
  if (c === null) return true;
  if (typeof c === 'boolean') return c;
  if (typeof c === 'number') return c !== 0;
  const l = c.trim().toLowerCase();
  if (l === 'true') return true;
  if (l === 'false') return false;
  return c.length > 0;
}

/**
 * `cellid → bool(sig_auditory)` from a `<area>_pred_correlation.csv` (pandas CSV with header).
 * @throws FormatError naming the file when a column is missing
 * @example
 * ```ts
 * readAuditoryFlags(bytes, 'A1_pred_correlation.csv').get('ARM029a-01-1'); // true
 * ```
 */
export function readAuditoryFlags(bytes: Uint8Array, file: string): Map<string, boolean> {
  const t = parseCsv(bytes, file, { inferTypes: true });
  const h = t.header ?? [];
  const ci = h.indexOf('cellid');
  const ai = h.indexOf('sig_auditory');
  if (ci < 0 || ai < 0) throw new FormatError(file, `expected columns "cellid" and "sig_auditory" (found ${h.join(', ')})`);
  return new Map(t.rows.map((r) => [String(r[ci]), pythonTruth(r[ai])]));
}

/**
 * In place: `(x − min)/(max − min)` over the whole array, min and max ignoring NaN (NaN stays
 * NaN); nothing when max ≤ min or there is no number (NEMS `normalize_sig`, global min–max).
 * @example
 * ```ts
 * const x = new Float64Array([2, NaN, 4]); minMaxNormalize(x); // [0, NaN, 1]
 * ```
 */
export function minMaxNormalize(x: Float64Array): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return;
  const r = hi - lo;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - lo) / r;
}

/**
 * Index of a folder's files by lower-cased name (some epoch names differ from the file name only
 * in letter case); empty when the folder is missing.
 * @example
 * ```ts
 * const wavs = yield* wavIndex('wav'); wavs.get('cat_a.wav'); // 'wav/Cat_A.wav'
 * ```
 */
export function* wavIndex(dir: string): Build<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of yield* fs.list(dir)) if (e.kind === 'file') out.set(e.name.toLowerCase(), `${dir}/${e.name}`);
  return out;
}

/**
 * A waveform stimulus: the sound (mono by channel mean, resampled to `audioFs`) copied into
 * zeros of `length` samples from index `pre` on, truncated at the end → `(1, length)`.
 * @example
 * ```ts
 * placeAfterSilence(wavBytes, 'wav/cat_a.wav', 44100, 150 * 441, 11025);
 * ```
 */
export function placeAfterSilence(bytes: Uint8Array, file: string, audioFs: number, length: number, pre: number): Tensor<'float32'> {
  const wav = decodeWav(bytes, { name: file });
  const w = prepareWaveform(wav.data, { fromFs: wav.sampleRate, toFs: audioFs });
  const out = new Float32Array(length);
  const n = Math.max(0, Math.min(w.data.length, length - pre));
  out.set(w.data.subarray(0, n), pre);
  return tensor('float32', [1, length], out);
}

/** `(1, 1)` NaN: a missing (stimulus, neuron) pair (the base class packs one shared sentinel). @example `row.push(missing())` */
export const missing = (): Tensor<'float32'> => tensor('float32', [1, 1], new Float32Array([Number.NaN]));

/** Key under which `load()` hands a finished build to the constructor. @example `new X({ ...o, [BUILT]: built })` */
export const BUILT: unique symbol = Symbol('deepstrf.built');

/**
 * First index of ascending `xs` whose value is ≥ `v` (spike times sorted once per cell, then each
 * epoch reads only its own spikes).
 * @example
 * ```ts
 * lowerBound(Float64Array.of(0.1, 0.5, 0.9), 0.5); // 1
 * ```
 */
export function lowerBound(xs: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A sorted copy of spike times (NaN last). @example `sortedTimes(Float64Array.of(2, 1)) // [1, 2]` */
export const sortedTimes = (t: Float64Array): Float64Array => Float64Array.from(t).sort();

/**
 * `deepstrf info` for a David-lab release: each manifest file present (an unpacked archive counts
 * when its anchor — a folder — exists), with the common folder rows.
 * @example
 * ```ts
 * const d = await describeRelease('nat4', nat4Manifest(), '/data/NAT4');
 * ```
 */
export async function describeRelease(name: string, manifest: DatasetManifest, path: string): Promise<DatasetDescription> {
  const store = await platform.openWritableSource(path);
  const missing: string[] = [];
  let present = 0;
  let bytes = 0;
  for (const f of manifest.files) {
    const p = f.archive && f.anchor !== undefined ? f.anchor : f.path;
    const st = await store.stat(p);
    if (!st) missing.push(p);
    else {
      present++;
      bytes += st.size;
    }
  }
  const c = { files: manifest.files.length, present, bytes, expectedBytes: 0, missing, damaged: [] };
  const complete = missing.length === 0;
  const { head, tail } = folderRows(path, c, { verify: false });
  return {
    complete,
    rows: [...head, ...tail, ['status', complete ? 'complete' : `incomplete: run \`deepstrf download ${name}\``]],
    data: { dataset: name, folder: path, ...c, complete },
  };
}

/**
 * `base` with the folder `folder` served from the members of `zipName` (a zip in `base` holding
 * `<folder>/…`, read by byte ranges through `ZipSource`, ZIP64 included) when the folder itself
 * is absent: the per-site archives are then read in place, never unpacked. `base` unchanged when
 * the folder exists or there is no zip.
 * @example
 * ```ts
 * const source = await withZippedFolder(await platform.openWritableSource(path), 'recordings', 'recordings.zip');
 * ```
 */
export async function withZippedFolder(base: FileSource, folder: string, zipName: string): Promise<FileSource> {
  if ((await base.stat(folder))?.kind === 'directory' || (await base.stat(zipName))?.kind !== 'file') return base;
  const zip = await ZipSource.open(base, zipName);
  const inside = (p: string): boolean => {
    const c = p.replace(/^\/+/, '');
    return c === folder || c.startsWith(`${folder}/`);
  };
  return {
    root: base.root,
    stat: (p: string): Promise<EntryInfo | null> => (inside(p) ? zip.stat(p) : base.stat(p)),
    read: (p: string, start?: number, end?: number) => (inside(p) ? zip.read(p, start, end) : base.read(p, start, end)),
    list: async (p: string) => {
      if (inside(p)) return zip.list(p);
      const own = await base.list(p);
      const clean = p.replace(/^\/+|\/+$/g, '');
      return clean === '' && !own.some((e) => e.name === folder) ? [...own, { name: folder, kind: 'directory' as const }] : own;
    },
  };
}

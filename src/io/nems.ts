/**
 * NEMS recordings (the David lab's format; see docs/zoo/nat4.md): a folder of
 * `<rec>.<signal>.<ext>` files — `.json` signal attributes (`chans`, `fs`, `segments`),
 * `.csv` rasterized signals (no header, `%.18e`, `nan`), `.h5` point-process / tiled signals
 * (one dataset per channel or stimulus), `.epoch.csv` epoch tables (`start,end,name`, read by
 * column name) — usually packed in a `.tgz`, possibly wrapped in one extra folder.
 *
 * Everything here runs inside a build generator (`src/sources/build.ts`): a {@link NemsDir} is a
 * folder of the build's source or of an archive already in memory, and reading yields file
 * requests only for the former. {@link readNemsRecording} runs it on any `FileSource`.
 * @module
 */
import { FormatError, ValueError } from '../errors.js';
import { fileLabel, fs, runAsync, type Build, type ListEntry } from '../sources/build.js';
import type { FileSource } from '../sources/types.js';
import { roundHalfEven } from '../util/round.js';
import { CsvMatrixReader, parseCsv, parseCsvMatrix, parseCsvNumber } from './csv.js';
import { parseJson } from './json.js';
import { openNemsH5, type NemsH5File } from './hdf5-sync.js';
import { scanTgz } from './nems-tgz.js';

/**
 * A folder a build reads from: the build's own source under a prefix, or files in memory.
 * @example
 * ```ts
 * const dir = sourceDir('A1_single_sites');
 * const names = (yield* dir.list('')).map((e) => e.name);
 * ```
 */
export interface NemsDir {
  /** Where it is, for messages. */
  readonly label: string;
  list(path: string): Build<ListEntry[]>;
  read(path: string): Build<Uint8Array>;
}

const join = (a: string, b: string): string => (a === '' ? b : b === '' ? a : `${a}/${b}`);

/**
 * A folder of the build's source (`''` = its root); `root` (the source's, from `fs.root()`)
 * prefixes the file names in messages.
 * @example
 * ```ts
 * const dir = sourceDir('recordings', yield* fs.root()); const bytes = yield* dir.read('TST001a_abc.tgz');
 * ```
 */
export function sourceDir(prefix: string, root = ''): NemsDir {
  return {
    label: fileLabel(root, prefix),
    list: (p) => fs.list(join(prefix, p)),
    read: (p) => fs.read(join(prefix, p)),
  };
}

/**
 * Files already in memory (an archive's members) as a folder; reading yields nothing.
 * @example
 * ```ts
 * const dir = memoryDir(readTgz(bytes, 'site.tgz'), 'site.tgz');
 * ```
 */
export function memoryDir(files: Map<string, Uint8Array>, label: string): NemsDir {
  return {
    label,
    *list(p) {
      const prefix = p === '' ? '' : `${p.replace(/\/+$/, '')}/`;
      const out = new Map<string, 'file' | 'directory'>();
      for (const k of files.keys()) {
        if (!k.startsWith(prefix)) continue;
        const rest = k.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (slash < 0) out.set(rest, 'file');
        else if (!out.has(rest.slice(0, slash))) out.set(rest.slice(0, slash), 'directory');
      }
      return [...out].map(([name, kind]) => ({ name, kind }));
    },
    *read(p) {
      const b = files.get(p);
      if (!b) throw new FormatError(`${label}/${p}`, 'no such member in the archive');
      return b;
    },
  };
}

/**
 * The folder holding a recording's files: `path` itself when it holds a `*.meta.json`, else its
 * single sub-folder (the one extra wrapper level NEMS archives may have), else `path`.
 * @example
 * ```ts
 * const rec = yield* locateRecording(memoryDir(readTgz(b, 's.tgz'), 's.tgz'));
 * rec.files; // ['s.meta.json', 's.resp.epoch.csv', 's.resp.h5', 's.resp.json', ...]
 * ```
 */
export function* locateRecording(dir: NemsDir, path = '', parsed: ReadonlyMap<string, NemsRaster> = new Map()): Build<NemsRecording> {
  const entries = yield* dir.list(path);
  let folder = path;
  let listing = entries;
  const dirs = entries.filter((e) => e.kind === 'directory');
  if (!entries.some((e) => e.kind === 'file' && e.name.endsWith('.meta.json')) && dirs.length === 1 && !entries.some((e) => e.kind === 'file' && /\.(json|csv|h5)$/.test(e.name))) {
    folder = join(path, dirs[0].name);
    listing = yield* dir.list(folder);
  }
  const files = listing.filter((e) => e.kind === 'file' && !e.name.startsWith('._')).map((e) => e.name).sort();
  return new NemsRecording(dir, folder, files, parsed);
}

/**
 * Opens a recording packed in a `.tgz` / `.tar.gz`, inflated in one pass: its rasterized signals
 * (`*.csv` but not `*.epoch.csv`) are parsed as they stream out (the NAT4 population CSV is
 * 1.9 GB of text), the other members kept in memory.
 * @example
 * ```ts
 * const rec = yield* openRecordingArchive(sourceDir('A1_single_sites'), 'ABC001a.tgz');
 * ```
 */
export function* openRecordingArchive(dir: NemsDir, path: string): Build<NemsRecording> {
  const bytes = yield* dir.read(path);
  const label = join(dir.label, path);
  const readers = new Map<string, CsvMatrixReader>();
  const files = scanTgz(bytes, label, (p) => {
    if (!p.endsWith('.csv') || p.endsWith('.epoch.csv')) return 'keep';
    const r = new CsvMatrixReader(`${label}/${p}`);
    readers.set(p, r);
    return (chunk) => {
      if (chunk) r.push(chunk);
    };
  });
  const parsed = new Map<string, NemsRaster>();
  for (const [p, r] of readers) {
    parsed.set(p, r.finish());
    files.set(p, new Uint8Array(0)); // listed; its content is the parsed matrix
  }
  return yield* locateRecording(memoryDir(files, label), '', parsed);
}

/**
 * A recording's folder: its file names and readers of its signals.
 * @example
 * ```ts
 * const attrs = yield* rec.attrs('resp');
 * const epochs = yield* rec.epochs('resp');
 * ```
 */
export class NemsRecording {
  constructor(
    readonly dir: NemsDir,
    readonly folder: string,
    readonly files: readonly string[],
    /** Rasterized signals already parsed while their archive was inflated, by path in `dir`. */
    private readonly parsed: ReadonlyMap<string, NemsRaster> = new Map(),
  ) {}

  /** Where the recording is, for messages. */
  get label(): string {
    return join(this.dir.label, this.folder);
  }

  /**
   * The one file whose name ends with `suffix` (e.g. `.resp.json`), `null` when none.
   * @throws FormatError when several match
   */
  find(suffix: string): string | null {
    const hits = this.files.filter((f) => f.endsWith(suffix) && !(suffix.endsWith('.csv') && !suffix.endsWith('.epoch.csv') && f.endsWith('.epoch.csv')));
    if (hits.length > 1) throw new FormatError(this.label, `expected one file ending in ${suffix}, found ${hits.length}: ${hits.join(', ')}`);
    return hits[0] ?? null;
  }

  /** Like {@link find}, but a missing file is a `FormatError`. */
  require(suffix: string): string {
    const f = this.find(suffix);
    if (f === null) throw new FormatError(this.label, `expected a file ending in ${suffix} (found ${this.files.join(', ') || 'no files'})`);
    return f;
  }

  /** `value` unless it is null (the signal file was absent): then the `FormatError` of {@link require}. */
  need<T>(value: T | null, suffix: string): T {
    if (value === null) this.require(suffix);
    return value as T;
  }

  /** Bytes of a file of the recording and its label. */
  *bytes(name: string): Build<{ bytes: Uint8Array; file: string }> {
    return { bytes: yield* this.dir.read(join(this.folder, name)), file: join(this.label, name) };
  }

  /** `<rec>.meta.json` as an object (`{}` when absent). */
  *meta(): Build<Record<string, unknown>> {
    const f = this.find('.meta.json');
    if (f === null) return {};
    const { bytes, file } = yield* this.bytes(f);
    const v = parseJson(bytes, file);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new FormatError(file, 'expected a JSON object');
    return v;
  }

  /** `<rec>.<signal>.json`. */
  *attrs(signal: string): Build<NemsSignalAttrs> {
    const { bytes, file } = yield* this.bytes(this.require(`.${signal}.json`));
    return parseSignalAttrs(bytes, file);
  }

  /** `<rec>.<signal>.epoch.csv`. */
  *epochs(signal: string): Build<NemsEpochs> {
    const { bytes, file } = yield* this.bytes(this.require(`.${signal}.epoch.csv`));
    return parseEpochs(bytes, file);
  }

  /** `<rec>.<signal>.csv` as a (T, C) matrix, `null` when absent. */
  *raster(signal: string): Build<NemsRaster | null> {
    const f = this.find(`.${signal}.csv`);
    if (f === null) return null;
    const done = this.parsed.get(join(this.folder, f));
    if (done) return done;
    const { bytes, file } = yield* this.bytes(f);
    return readRaster(bytes, file);
  }

  /** `<rec>.<signal>.h5` opened, `null` when absent. */
  *hdf5(signal: string): Build<NemsH5File | null> {
    const f = this.find(`.${signal}.h5`);
    if (f === null) return null;
    const { bytes, file } = yield* this.bytes(f);
    return openNemsH5(bytes, file);
  }
}

/**
 * The attributes of a signal the loaders use.
 * @example
 * ```ts
 * const a = parseSignalAttrs(bytes, 'x.resp.json'); a.chans; a.fs; a.length; // last segment end
 * ```
 */
export interface NemsSignalAttrs {
  readonly chans: string[];
  readonly fs: number;
  readonly segments: Array<[number, number]>;
  /** The `recording` key (site id), `null` when absent. */
  readonly recording: string | null;
  /** Total length in samples: the last segment's end (0 without segments). */
  readonly length: number;
}

/**
 * Parses `<rec>.<signal>.json` (Python JSON: `NaN` allowed).
 * @throws FormatError naming the file and the key that is missing or of the wrong type
 * @example
 * ```ts
 * parseSignalAttrs('{"chans":["a"],"fs":100,"segments":[[0,600]]}', 'x.resp.json').length; // 600
 * ```
 */
export function parseSignalAttrs(input: Uint8Array | string, file: string): NemsSignalAttrs {
  const v = parseJson(input, file);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new FormatError(file, 'expected a JSON object of signal attributes');
  const chans = v.chans;
  if (!Array.isArray(chans) || !chans.every((c) => typeof c === 'string')) throw new FormatError(file, 'expected "chans" to be a list of channel names');
  const fs = v.fs;
  if (typeof fs !== 'number' || !(fs > 0)) throw new FormatError(file, `expected "fs" to be a positive number, found ${JSON.stringify(fs)}`);
  const segs = v.segments ?? [];
  if (!Array.isArray(segs)) throw new FormatError(file, 'expected "segments" to be a list of [start, end] pairs');
  const segments = segs.map((s, i): [number, number] => {
    if (!Array.isArray(s) || s.length !== 2 || typeof s[0] !== 'number' || typeof s[1] !== 'number') {
      throw new FormatError(file, `expected segments[${i}] to be a [start, end] pair of numbers`);
    }
    return [s[0], s[1]];
  });
  const rec = v.recording;
  return { chans: chans as string[], fs, segments, recording: typeof rec === 'string' ? rec : null, length: segments.length ? segments[segments.length - 1][1] : 0 };
}

/**
 * An epoch table: one row per epoch (start and end in seconds, name), in file order.
 * @example
 * ```ts
 * const e = parseEpochs(bytes, 'x.resp.epoch.csv'); e.name[0]; e.start[0]; e.end[0];
 * ```
 */
export interface NemsEpochs {
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly name: string[];
}

/**
 * Parses a pandas epoch table by column name (`start`, `end`, `name`; other columns such as an
 * unnamed index are ignored; RFC 4180 quoting).
 * @throws FormatError naming the missing column or the row whose start/end is not a number
 * @example
 * ```ts
 * parseEpochs('name,start,end\n"a, b",0,1.5\n', 'e.csv').name; // ['a, b']
 * ```
 */
export function parseEpochs(input: Uint8Array | string, file: string): NemsEpochs {
  const t = parseCsv(input, file);
  const header = t.header ?? [];
  const col = (c: string) => {
    const i = header.indexOf(c);
    if (i < 0) throw new FormatError(file, `expected a "${c}" column in the header (found ${header.map((h) => JSON.stringify(h)).join(', ')})`);
    return i;
  };
  const [si, ei, ni] = [col('start'), col('end'), col('name')];
  const n = t.rows.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const name: string[] = [];
  t.rows.forEach((r, k) => {
    const s = parseCsvNumber(String(r[si]).trim());
    const e = parseCsvNumber(String(r[ei]).trim());
    if (s === null || e === null) throw new FormatError(file, `row ${k + 1}: expected numeric start and end, found ${JSON.stringify(r[si])}, ${JSON.stringify(r[ei])}`);
    start[k] = s;
    end[k] = e;
    name.push(String(r[ni]));
  });
  return { start, end, name };
}

/**
 * A rasterized signal: `data[t * cols + c]` (T rows = samples, one column per channel).
 * @example
 * ```ts
 * const r = readRaster(bytes, 'x.resp.csv'); r.rows; r.cols;
 * ```
 */
export interface NemsRaster {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * Parses a rasterized signal CSV (headerless, `%.18e`, `nan`); a 1-column file is (T, 1).
 * @throws FormatError for a non-numeric cell or a ragged row (file, line, column)
 * @example
 * ```ts
 * readRaster('1.0e+00,nan\n2.0e+00,3.0e+00\n', 'x.resp.csv'); // { rows: 2, cols: 2, data: [1, NaN, 2, 3] }
 * ```
 */
export function readRaster(input: Uint8Array | string, file: string): NemsRaster {
  return parseCsvMatrix(input, file);
}

/**
 * Unique epoch names matching `regex` at their start (Python `re.match`), first-seen order.
 * @example
 * ```ts
 * epochNamesMatching(epochs, '^STIM_00cat'); // validation sounds of NAT4
 * ```
 */
export function epochNamesMatching(epochs: NemsEpochs, regex: string | RegExp): string[] {
  const src = typeof regex === 'string' ? regex : regex.source;
  const re = new RegExp(src.startsWith('^') ? src : `^(?:${src})`);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const n of epochs.name) if (!seen.has(n) && re.test(n)) {
    seen.add(n);
    out.push(n);
  }
  return out;
}

/**
 * Sample bounds `[round(start·fs), round(end·fs))` of every epoch named `name` (half to even,
 * as NumPy), in table order.
 * @example
 * ```ts
 * epochBounds(epochs, 'STIM_cat_b.wav', 100); // [[150, 300]]
 * ```
 */
export function epochBounds(epochs: NemsEpochs, name: string, fs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < epochs.name.length; i++) {
    if (epochs.name[i] === name) out.push([roundHalfEven(epochs.start[i] * fs), roundHalfEven(epochs.end[i] * fs)]);
  }
  return out;
}

/**
 * An extracted epoch: `data[(r * C + c) * T + t]`, shape (R occurrences, C channels, T samples).
 * @example
 * ```ts
 * const x = extractEpoch(raster, epochs, 'STIM_00cat_a.wav', 100); x.shape; // [2, 2, 150]
 * ```
 */
export interface NemsEpochData {
  readonly shape: [number, number, number];
  readonly data: Float64Array;
}

/**
 * NEMS `extract_epoch`: for each occurrence of `name`, rows `[round(start·fs), round(end·fs))`
 * of the signal transposed to (channels, time), stacked → (R, C, T). Occurrences of different
 * lengths or reaching past the signal's end are NaN-padded to the longest (as NEMS does);
 * negative starts are clamped to 0.
 * @throws ValueError when no epoch has that name (the reference's KeyError)
 * @example
 * ```ts
 * const x = extractEpoch(raster, epochs, 'STIM_cat_b.wav', 100);
 * ```
 */
export function extractEpoch(raster: NemsRaster, epochs: NemsEpochs, name: string, fs: number): NemsEpochData {
  const bounds = epochBounds(epochs, name, fs);
  if (bounds.length === 0) throw new ValueError(`extractEpoch: no epoch named ${JSON.stringify(name)}`);
  const C = raster.cols;
  const T = Math.max(0, ...bounds.map(([a, b]) => b - a));
  const out = new Float64Array(bounds.length * C * T).fill(Number.NaN);
  bounds.forEach(([a, b], r) => {
    for (let t = Math.max(0, a); t < Math.min(b, raster.rows); t++) {
      const row = t * C;
      const dt = t - a;
      for (let c = 0; c < C; c++) out[(r * C + c) * T + dt] = raster.data[row + c];
    }
  });
  return { shape: [bounds.length, C, T], data: out };
}

/**
 * A recording read whole on any file source: its folder, file names, and the attributes,
 * epochs, raster and HDF5 signal of each requested signal that has them.
 * @example
 * ```ts
 * const rec = await readNemsRecording(new MemorySource(files), 'A1_single_sites/ABC001a.tgz', ['resp']);
 * rec.signals.resp.attrs?.chans;
 * ```
 */
export interface NemsRecordingData {
  readonly folder: string;
  readonly files: readonly string[];
  readonly signals: Record<string, NemsSignalData>;
}

/** One signal of {@link NemsRecordingData}. @example `rec.signals.resp.hdf5?.get('ABC001a-01-1')` */
export interface NemsSignalData {
  readonly attrs: NemsSignalAttrs | null;
  readonly epochs: NemsEpochs | null;
  readonly raster: NemsRaster | null;
  readonly hdf5: NemsH5File | null;
}

/**
 * Reads a recording from any `FileSource`: `path` is its folder or a `.tgz` / `.tar.gz` holding it.
 * @example
 * ```ts
 * const rec = await readNemsRecording(source, 'recordings/TST001a_abc.tgz', ['resp', 'stim']);
 * ```
 */
export async function readNemsRecording(source: FileSource, path: string, signals: readonly string[] = ['resp']): Promise<NemsRecordingData> {
  return runAsync(nemsRecordingBuild(path, signals), source);
}

function* nemsRecordingBuild(path: string, signals: readonly string[]): Build<NemsRecordingData> {
  const root = sourceDir('', yield* fs.root());
  const rec = /\.(tgz|tar\.gz|tar)$/.test(path) ? yield* openRecordingArchive(root, path) : yield* locateRecording(root, path);
  const out: Record<string, NemsSignalData> = {};
  for (const s of signals) {
    out[s] = {
      attrs: rec.find(`.${s}.json`) ? yield* rec.attrs(s) : null,
      epochs: rec.find(`.${s}.epoch.csv`) ? yield* rec.epochs(s) : null,
      raster: yield* rec.raster(s),
      hdf5: yield* rec.hdf5(s),
    };
  }
  return { folder: rec.label, files: rec.files, signals: out };
}

/**
 * Shared parts of the Theunissen-lab zebra-finch loaders (CRCNS AA1, AA2, AA4): Python's number
 * parsing and float floor division, the `stimN` / `spikeN` text formats, spike binning, the
 * torchaudio mel front-end with its compressions, and the time alignment of responses to a
 * spectrogram. The rules are those of docs/zoo/aa1.md (which the AA2 and AA4 pages refer to).
 * @module
 */
import { FormatError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { melSpectrogram } from '../spectral/mel.js';
import { compress } from '../spectral/compression.js';
import { floorDiv, roundHalfEven } from '../util/round.js';
import { fileLabel, fs, SourceFileError, type Build } from '../sources/build.js';
import { decodeWav } from '../audio/wav.js';
import { resample } from '../audio/resample.js';
import { cropOrPad } from '../audio/waveform.js';
import { defaultHeap } from '../memory/heap.js';
import { HeapTensor, NaNState } from '../memory/heap-tensor.js';
import { platform } from '#platform';
import { crcnsDownload, type CrcnsOptions } from '../download/crcns.js';
import { extractArchive, type ExtractOptions } from '../download/archive.js';
import type { DownloadProgress } from '../download/download.js';
import type { NeuralDataset } from '../contract/neural-dataset.js';
import type { DatasetDescription } from './registry.js';
import { isSentinel, missingCell } from '../memory/sentinel.js';

/** Zebra finch hearing range in Hz (informational). @example `ds.hearingRangeHz // [250, 8000]` */
export const ZEBRA_FINCH_HEARING_HZ: readonly [number, number] = [250, 8000];

/**
 * Python's `int(text)` for decimal text (surrounding whitespace and digit underscores allowed),
 * or `null` where Python raises.
 * @example
 * ```ts
 * pyInt(' 12 '); // 12
 * pyInt('1.txt'); // null
 * ```
 */
export function pyInt(text: string): number | null {
  const t = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) return null;
  return Number.parseInt(t.replace(/_/g, ''), 10);
}

const FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;
const FLOAT_PLAIN = /^-?\d+(\.\d*)?$/;
const FLOAT_FULL = /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?$/;

/**
 * Python's `float(text)`: decimal or exponent notation (digit underscores allowed), `inf`,
 * `infinity`, `nan` in any case, surrounding whitespace ignored; `null` where Python raises.
 * @example
 * ```ts
 * pyFloat('3.2'); // 3.2
 * pyFloat(''); // null (Python: ValueError)
 * ```
 */
export function pyFloat(text: string): number | null {
  if (FLOAT_PLAIN.test(text)) return Number(text);
  const t = text.trim();
  const special = FLOAT_SPECIAL.exec(t);
  if (special) {
    if (special[2].toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!FLOAT_FULL.test(t)) return null;
  return Number(t.replace(/_/g, ''));
}


/**
 * A text file's lines as Python's text mode gives them: universal newlines (`\r\n`, `\r` → `\n`),
 * each line keeping its `\n` (the last one may lack it). Invalid UTF-8 is a `FormatError`.
 * @example
 * ```ts
 * textLines(bytes('a \nb'), 'spike1'); // ['a \n', 'b']
 * ```
 */
export function textLines(bytes: Uint8Array, file: string): string[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FormatError(file, 'not valid UTF-8 text');
  }
  const parts = text.replace(/\r\n?/g, '\n').split('\n');
  const lines = parts.slice(0, -1).map((l) => `${l}\n`);
  const last = parts[parts.length - 1];
  if (last !== '') lines.push(last);
  return lines;
}

/**
 * The wav name a `stimN` file names: its first line minus its last character (the reference
 * assumes the line ends with a newline; a file without one loses the name's last character).
 * An empty file has no first line: a `FormatError` (the reference fails with IndexError).
 * @example
 * ```ts
 * stimFileName(bytes('a.wav\n'), 'stim1'); // 'a.wav'
 * ```
 */
export function stimFileName(bytes: Uint8Array, file: string): string {
  const first = textLines(bytes, file)[0];
  if (first === undefined) throw new FormatError(file, 'empty stim file (no first line naming a wav)');
  return first.slice(0, -1);
}

/**
 * Parsed cell folder name `<animal>_<seq>[_<rig>]`: animal (no underscore), integer sequence,
 * one upper-case rig letter. A name that does not match gives (text before the first `_`, null, null).
 * @example
 * ```ts
 * parseCellName('gg0304_4_B'); // { animal: 'gg0304', seq: 4, rig: 'B' }
 * parseCellName('odd_name_x'); // { animal: 'odd', seq: null, rig: null }
 * ```
 */
export function parseCellName(name: string): { animal: string; seq: number | null; rig: string | null } {
  const m = /^([^_]+)_(\d+)(?:_([A-Z]))?$/.exec(name);
  if (m) return { animal: m[1], seq: Number.parseInt(m[2], 10), rig: m[3] ?? null };
  return { animal: name.split('_')[0], seq: null, rig: null };
}

/**
 * Counts spike times (ms) into bins of `dtMs`: bin ⌊t / dt⌋ by Python float floor division,
 * length = largest bin + 1; coincident spikes add up; no spike gives one zero bin.
 * `timesMs` must hold finite non-negative times only.
 * @example
 * ```ts
 * timeBinning([3.2, 7.9, 3.9], 1); // Float32Array [0, 0, 0, 2, 0, 0, 0, 1]
 * ```
 */
export function timeBinning(timesMs: readonly number[], dtMs: number): Float32Array {
  const t = binTrials([timesMs], dtMs);
  return t.data.slice();
}

/**
 * Trials of spike times (ms, finite, ≥ 0) → `(R, T)` counts in the wasm heap: each trial binned
 * by {@link timeBinning}'s rule, right-padded with zeros to the longest trial, then padded or
 * cropped to `T` when given (the spectrogram length).
 * @example
 * ```ts
 * binTrials([[3.2, 7.9], [12], []], 1).shape; // [3, 13]
 * binTrials([[3.2, 7.9], [12], []], 1, 10).shape; // [3, 10] (bin 12 cropped)
 * ```
 */
export function binTrials(trials: ReadonlyArray<readonly number[]>, dtMs: number, T?: number): HeapTensor {
  const idx = trials.map((times) => times.map((t) => floorDiv(t, dtMs)));
  let natural = 1;
  for (const row of idx) for (const i of row) if (i + 1 > natural) natural = i + 1;
  const width = T ?? natural;
  const out = HeapTensor.allocate([trials.length, width]);
  out.nanState = NaNState.Clean;
  const d = out.data;
  idx.forEach((row, r) => {
    for (const i of row) if (i < width) d[r * width + i] += 1;
  });
  return out;
}

/**
 * A `spikeN` file: one line per trial, spike times in ms separated by single spaces, the last
 * space-separated token of every line dropped (normally the bare newline), times < 0 dropped,
 * then {@link binTrials} → `(R, T)`. A token that is not a number (e.g. the empty token of a
 * double space) or an infinite time is a `FormatError` naming the line.
 * @example
 * ```ts
 * parseSpikeFile(bytes('-5.0 3.2 7.9 \n12.0 \n\n'), 1, 'spike1').shape; // [3, 13]
 * ```
 */
export function parseSpikeFile(bytes: Uint8Array, dtMs: number, file: string, T?: number): HeapTensor {
  const lines = textLines(bytes, file);
  if (lines.length === 0) throw new FormatError(file, 'no trial lines (an empty spike file has nothing to stack)');
  const trials = lines.map((line, i) => {
    const tokens = line.split(' ');
    tokens.pop();
    const kept: number[] = [];
    tokens.forEach((tok, j) => {
      const t = pyFloat(tok);
      if (t === null) throw new FormatError(file, `line ${i + 1}, token ${j + 1}: '${tok}' is not a number`);
      if (t >= 0) {
        if (!Number.isFinite(t)) throw new FormatError(file, `line ${i + 1}, token ${j + 1}: spike time ${tok} is not finite`);
        kept.push(t);
      }
    });
    return kept;
  });
  return binTrials(trials, dtMs, T);
}

/** Settings of the Theunissen-lab mel front-end. @example `{ hop: 32, nFft: 320, nMels: 32, compression: 'cubic' }` */
export interface MelFrontEnd {
  /** STFT hop in samples. */
  hop: number;
  /** FFT size = window length in samples. */
  nFft: number;
  nMels: number;
  /** `'cubic'` x^(1/3), `'log1p'` ln(1 + x); any other value leaves the power spectrogram as is. */
  compression: string;
}

/**
 * `n_fft = max(int(round((windowMs / dtMs) · hop)), hop)` with Python's half-even round.
 * @example
 * ```ts
 * melNfft(10, 1, 32); // 320
 * ```
 */
export function melNfft(windowMs: number, dtMs: number, hop: number): number {
  return Math.max(Math.trunc(roundHalfEven((windowMs / dtMs) * hop)), hop);
}

/**
 * Frames of a centred STFT of `N` samples (torchaudio, `center=True`): 1 + ⌊(N + 2⌊nFft/2⌋ − nFft) / hop⌋.
 * @example
 * ```ts
 * centredFrames(3200, 320, 32); // 101
 * ```
 */
export function centredFrames(N: number, nFft: number, hop: number): number {
  return 1 + Math.floor((N + 2 * Math.floor(nFft / 2) - nFft) / hop);
}

/**
 * torchaudio `MelSpectrogram(sample_rate, n_fft, hop_length, n_mels)` with every other default
 * (periodic Hann, centred reflect-padded frames, power 2, HTK, no norm, f_max = ⌊sr/2⌋) of a
 * `(C, N)` waveform → `(C, nMels, T)` float32, then the compression. `file` names the sound in errors.
 * @example
 * ```ts
 * const spec = melStimulus(wav.data, 32000, { hop: 32, nFft: 320, nMels: 32, compression: 'cubic' }, 'a.wav');
 * ```
 */
export function melStimulus(wave: Tensor, sampleRate: number, m: MelFrontEnd, file: string): Tensor<'float32'> {
  const N = wave.shape[wave.shape.length - 1];
  if (N <= Math.floor(m.nFft / 2)) {
    throw new ValueError(`${file}: ${N} samples are too few for the centred STFT (reflect padding of ${Math.floor(m.nFft / 2)} needs more than that)`);
  }
  const spec = melSpectrogram(wave, { sampleRate, nFft: m.nFft, hop: m.hop, nMels: m.nMels });
  if (m.compression === 'cubic' || m.compression === 'log1p') compress(spec.data, m.compression);
  return spec;
}

/**
 * Reads a file the build cannot do without: a `FormatError` naming it when it is absent.
 * @example
 * ```ts
 * const bytes = yield* needFile('all_stims/a.wav', '/data/AA1', 'download the release first');
 * ```
 */
export function* needFile(rel: string, root: string, hint: string): Build<Uint8Array> {
  const st = yield* fs.stat(rel);
  if (st === null || st.kind !== 'file') throw new SourceFileError(root, rel, `file not found (${hint})`);
  return yield* fs.read(rel);
}

/**
 * Names in a folder the build cannot do without, sorted (Python's `sorted(os.listdir(...))`):
 * a `FormatError` naming it when it is absent. `kind` keeps only files or only folders.
 * @example
 * ```ts
 * const cells = yield* listSorted('Field_L_cells', root, 'directory', hint);
 * ```
 */
export function* listSorted(rel: string, root: string, kind: 'file' | 'directory' | 'any', hint: string): Build<string[]> {
  const st = yield* fs.stat(rel);
  if (st === null || st.kind !== 'directory') throw new SourceFileError(root, rel, `folder not found (${hint})`);
  const entries = yield* fs.list(rel);
  return entries.filter((e) => kind === 'any' || e.kind === kind).map((e) => e.name).sort();
}

/** One `stim*` file of a `<cell>/<type>/` folder, in scan order. @example `{ rel: 'c/conspecific/stim1', n: 1, wav: 'a.wav' }` */
export interface StimFileEntry {
  /** Path relative to the source root. */
  rel: string;
  /** `int(name[4:])`, or null when that is not an integer. */
  n: number | null;
  /** Its wav name, or the error reading it gives. */
  wav: string | FormatError;
}

/**
 * The `stim*` files of a `<cell>/<type>/` folder (names containing `stim`, sorted as strings:
 * `stim1, stim10, stim2`), each with its file number and the wav it names.
 * @example
 * ```ts
 * const index = yield* stimFolderIndex('Field_L_cells/x1_1_A/conspecific');
 * ```
 */
export function* stimFolderIndex(dir: string, root: string): Build<StimFileEntry[]> {
  const names = (yield* fs.list(dir)).filter((e) => e.kind === 'file' && e.name.includes('stim')).map((e) => e.name).sort();
  const out: StimFileEntry[] = [];
  for (const name of names) {
    const rel = `${dir}/${name}`;
    let wav: string | FormatError;
    try {
      wav = stimFileName(yield* fs.read(rel), fileLabel(root, rel));
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      wav = e;
    }
    out.push({ rel, n: pyInt(name.slice(4)), wav });
  }
  return out;
}

/**
 * The reference's scan for the spike file of `wav`: through the folder's `stim*` files in order,
 * each one's number `int(name[4:])` first (not an integer → `FormatError`), then its wav name
 * (empty file → `FormatError`); the first match gives `spike<N>`. `undefined` when none matches.
 * @example
 * ```ts
 * spikeFileFor(index, 'a.wav', '/data/AA1'); // 'Field_L_cells/x1_1_A/conspecific/spike1'
 * ```
 */
export function spikeFileFor(index: readonly StimFileEntry[], wav: string, root: string): string | undefined {
  for (const e of index) {
    if (e.n === null) {
      const name = e.rel.slice(e.rel.lastIndexOf('/') + 1);
      throw new SourceFileError(root, e.rel, `the file number '${name.slice(4)}' after the first 4 characters is not an integer`);
    }
    if (e.wav instanceof FormatError) throw e.wav;
    if (e.wav === wav) return `${e.rel.slice(0, e.rel.lastIndexOf('/'))}/spike${e.n}`;
  }
  return undefined;
}

/**
 * The response of one (stimulus, cell) pair: `spike<N>` parsed, aligned to `T` bins; `null` when
 * the spike file is absent (the caller writes the missing-pair sentinel).
 * @example
 * ```ts
 * const r = yield* readResponse('Field_L_cells/x/conspecific/spike1', root, 1, 101);
 * ```
 */
export function* readResponse(rel: string, root: string, dtMs: number, T: number): Build<Tensor<'float32'> | null> {
  const st = yield* fs.stat(rel);
  if (st === null || st.kind !== 'file') return null;
  return parseSpikeFile(yield* fs.read(rel), dtMs, fileLabel(root, rel), T);
}

/**
 * Options the Theunissen-lab loaders share (the reference's keyword arguments, camelCase).
 * @example
 * ```ts
 * const o: TheunissenOptions = { dtMs: 2, nMels: 48, compression: 'log1p', returnWaveform: true };
 * ```
 */
export interface TheunissenOptions {
  /** Folder holding the release (default: the dataset's cache folder). */
  path?: string;
  /** Response bin width in ms (default 1). */
  dtMs?: number;
  /** 21 ms Hanning smoothing of the responses (default true; ×10 gain at 1 ms, see docs/zoo/aa1.md). */
  smooth?: boolean;
  /** Mel bands (default 32). */
  nMels?: number;
  /** `'cubic'` (default), `'log1p'` or `'none'`; any other value means none, as in the reference. */
  compression?: string;
  /** STFT window in ms (default 10). */
  windowMs?: number;
  /** Waveform stimuli `(1, T·hop)` instead of spectrograms (default false). */
  returnWaveform?: boolean;
  /** Waveform sample rate in Hz (waveform mode). */
  audioFs?: number;
  /** Fetch the release first; only `await X.load({ download: true })` can (a constructor cannot wait). */
  download?: boolean;
  /** CRCNS account (else `$CRCNS_USERNAME`); used by the download only. */
  username?: string;
  /** CRCNS password (else `$CRCNS_PASSWORD`); used by the download only, never logged or stored. */
  password?: string;
}

/** {@link TheunissenOptions} with the defaults applied. @example `resolveTheunissen({ dtMs: 2 }, 32000).nMels // 32` */
export interface ResolvedTheunissen {
  dtMs: number;
  smooth: boolean;
  nMels: number;
  compression: string;
  windowMs: number;
  returnWaveform: boolean;
  audioFs: number;
}

/**
 * Applies the shared defaults (`audioFs` default differs per dataset) and checks the values a
 * spectrogram needs.
 * @example
 * ```ts
 * resolveTheunissen({}, 32000); // { dtMs: 1, smooth: true, nMels: 32, compression: 'cubic', windowMs: 10, returnWaveform: false, audioFs: 32000 }
 * ```
 */
export function resolveTheunissen(o: TheunissenOptions, defaultAudioFs: number): ResolvedTheunissen {
  const r = {
    dtMs: o.dtMs ?? 1, smooth: o.smooth ?? true, nMels: o.nMels ?? 32, compression: o.compression ?? 'cubic',
    windowMs: o.windowMs ?? 10, returnWaveform: o.returnWaveform ?? false, audioFs: o.audioFs ?? defaultAudioFs,
  };
  if (!(r.dtMs > 0) || !Number.isFinite(r.dtMs)) throw new ValueError(`dtMs must be a positive number, got ${r.dtMs}`);
  if (!Number.isInteger(r.nMels) || r.nMels < 1) throw new ValueError(`nMels must be a positive integer, got ${r.nMels}`);
  if (!(r.windowMs > 0) || !Number.isFinite(r.windowMs)) throw new ValueError(`windowMs must be a positive number, got ${r.windowMs}`);
  if (!(r.audioFs > 0)) throw new ValueError(`audioFs must be positive, got ${r.audioFs}`);
  return r;
}

/** Sample rate of the AA1 / AA2 sounds (the reference asserts it). @example `CRCNS_AA_FS === 32000` */
export const CRCNS_AA_FS = 32000;

/** A stimulus of the AA1 / AA2 loops: its wav name, type (the cells' sub-folder) and wav path. @example `{ name: 'a.wav', type: 'conspecific', wavRel: 'all_stims/conspecific/a.wav' }` */
export interface Crcns32kStim {
  name: string;
  type: string;
  wavRel: string;
}

/** What {@link buildCrcns32k} returns: the kept stimuli (those somebody heard), in input order. @example `b.kept.map((s) => list[s].name)` */
export interface Crcns32kBuilt {
  stims: Tensor[];
  responses: Tensor[][];
  /** Indices into the input stimulus list of the kept stimuli. */
  kept: number[];
  /** Samples of each kept stimulus's wav (at 32 kHz). */
  nSamples: number[];
}

/**
 * The AA1 / AA2 stimulus × cell loop. Per stimulus: the 32 kHz wav (another rate is an error),
 * T = frames of its centred mel spectrogram (hop = int(dt · 32)); per cell folder: no `<type>/`
 * sub-folder, no `stimN` naming the wav, or no `spikeN` → the `(1, 1)` NaN sentinel, else the
 * parsed spike file aligned to T. A stimulus nobody heard is dropped; the others get the mel
 * spectrogram `(C, F, T)` or the waveform resampled to `audioFs` and locked to T · hop samples.
 * `folders` caches each `<cell>/<type>` folder's {@link stimFolderIndex} (null: no such folder).
 * @example
 * ```ts
 * const b = yield* buildCrcns32k([{ name: 'a.wav', type: 'conspecific', wavRel: 'all_stims/conspecific/a.wav' }], ['Field_L_cells/x_1'], root, o, hint);
 * ```
 */
export function* buildCrcns32k(
  list: readonly Crcns32kStim[], cellDirs: readonly string[], root: string, o: ResolvedTheunissen, hint: string,
  folders: Map<string, StimFileEntry[] | null> = new Map(),
): Build<Crcns32kBuilt> {
  const hop = Math.trunc(o.dtMs * 32);
  if (hop < 1) throw new ValueError(`dtMs ${o.dtMs} gives a hop of int(dtMs · 32) = ${hop} samples; it must be at least 1`);
  const mel: MelFrontEnd = { hop, nFft: melNfft(o.windowMs, o.dtMs, hop), nMels: o.nMels, compression: o.compression };
  const hopW = roundHalfEven((o.audioFs * o.dtMs) / 1000);
  const sentinel = missingCell(defaultHeap());
  const out: Crcns32kBuilt = { stims: [], responses: [], kept: [], nSamples: [] };
  for (let s = 0; s < list.length; s++) {
    const { name, type, wavRel } = list[s];
    const file = fileLabel(root, wavRel);
    const wav = decodeWav(yield* needFile(wavRel, root, hint), { name: file });
    if (wav.sampleRate !== CRCNS_AA_FS) throw new FormatError(file, `sample rate ${wav.sampleRate} Hz, expected ${CRCNS_AA_FS} Hz`);
    const N = wav.totalFrames;
    if (N <= Math.floor(mel.nFft / 2)) {
      throw new ValueError(`${file}: ${N} samples are too few for the centred STFT (reflect padding of ${Math.floor(mel.nFft / 2)} needs more than that)`);
    }
    const T = centredFrames(N, mel.nFft, hop);
    const row: Tensor[] = [];
    let heard = false;
    for (const cell of cellDirs) {
      const dir = `${cell}/${type}`;
      let index = folders.get(dir);
      if (index === undefined) {
        const st = yield* fs.stat(dir);
        index = st?.kind === 'directory' ? yield* stimFolderIndex(dir, root) : null;
        folders.set(dir, index);
      }
      const rel = index ? spikeFileFor(index, name, root) : undefined;
      const r = rel === undefined ? null : yield* readResponse(rel, root, o.dtMs, T);
      if (r) heard = true;
      row.push(r ?? sentinel);
    }
    if (!heard) continue;
    out.kept.push(s);
    out.nSamples.push(N);
    out.responses.push(row);
    if (o.returnWaveform) {
      const wave = o.audioFs === CRCNS_AA_FS ? wav.data : resample(wav.data, CRCNS_AA_FS, o.audioFs);
      out.stims.push(cropOrPad(wave, T * hopW));
    } else {
      out.stims.push(melStimulus(wav.data, CRCNS_AA_FS, mel, file));
    }
  }
  return out;
}

/**
 * One CRCNS archive of a Theunissen-lab release: its path on download.crcns.org, the file or
 * folder whose presence means it is already unpacked, and how to unpack it.
 * @example
 * ```ts
 * const a: CrcnsArchive = { remote: 'aa-1/crcns-aa1.zip', anchor: 'Field_L_cells', extract: { stripRoot: true } };
 * ```
 */
export interface CrcnsArchive {
  remote: string;
  anchor: string;
  extract: Pick<ExtractOptions, 'stripRoot' | 'stripComponents' | 'into'>;
}

/** Options of {@link downloadCrcnsArchives}: the account, the servers (tests), progress, cancel. */
export type CrcnsArchiveOptions = Pick<CrcnsOptions, 'username' | 'password' | 'loginUrl' | 'downloadBase' | 'signal'> & {
  onProgress?: (p: DownloadProgress) => void;
};

/**
 * The reference's CRCNS download of a release: per archive, nothing when its anchor exists;
 * otherwise the archive is fetched into `path` under its base name (unless already there; through
 * the account's session, resumed after a dropped connection) and unpacked into `path`. Returns
 * one line saying what was done.
 * @example
 * ```ts
 * await downloadCrcnsArchives('/data/AA1', [{ remote: 'aa-1/crcns-aa1.zip', anchor: 'Field_L_cells', extract: { stripRoot: true } }]);
 * ```
 */
export async function downloadCrcnsArchives(path: string, archives: readonly CrcnsArchive[], o: CrcnsArchiveOptions = {}): Promise<string> {
  const store = await platform.openWritableSource(path);
  const todo: CrcnsArchive[] = [];
  for (const a of archives) if (!(await store.stat(a.anchor))) todo.push(a);
  for (let i = 0; i < todo.length; i++) {
    const { remote, extract } = todo[i];
    const name = remote.slice(remote.lastIndexOf('/') + 1);
    await crcnsDownload(store, remote, name, {
      username: o.username, password: o.password, loginUrl: o.loginUrl, downloadBase: o.downloadBase, signal: o.signal,
      onProgress: o.onProgress && ((p) => o.onProgress?.({ ...p, fileIndex: i, fileCount: todo.length, overallLoaded: p.loaded, overallTotal: p.total ?? 0 })),
    });
    o.signal?.throwIfAborted();
    await extractArchive(store, name, store, extract);
  }
  return `${todo.length} archive(s) fetched and unpacked, ${archives.length - todo.length} already present, in ${path}`;
}

/**
 * Load options of the CRCNS datasets besides the dataset's own: other CRCNS servers (tests, mirrors).
 * @example
 * ```ts
 * await CRCNSAA1Dataset.load({ download: true, crcnsServer: { loginUrl, downloadBase } });
 * ```
 */
export interface CrcnsServerOptions {
  crcnsServer?: Pick<CrcnsOptions, 'loginUrl' | 'downloadBase'>;
}

/**
 * `deepstrf info` for a release unpacked from archives (the zebra-finch datasets): the anchors
 * (files or folders) that mark each archive unpacked, and when all are there the dataset built
 * unsmoothed — neurons, stimuli, repeats, missing pairs, median CCmax and SNR, build time.
 * @example
 * ```ts
 * const d = await describeRelease('/data/AA1', ['Field_L_cells'], 'aa1', () => CRCNSAA1Dataset.load({ path: '/data/AA1', smooth: false }));
 * ```
 */
export async function describeRelease(path: string, anchors: readonly string[], name: string, build: () => Promise<NeuralDataset>): Promise<DatasetDescription> {
  const store = await platform.openWritableSource(path);
  const missing: string[] = [];
  for (const a of anchors) if (!(await store.stat(a))) missing.push(a);
  const complete = missing.length === 0;
  const rows: Array<[string, string]> = [
    ['folder', path],
    ['release', `${anchors.length - missing.length} of ${anchors.length} parts unpacked${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`],
  ];
  let contents: Record<string, unknown> = {};
  if (complete) {
    const t0 = platform.now();
    const ds = await build();
    const buildMs = Math.round(platform.now() - t0);
    const q = ds.computeNeuronQuality();
    const real = ds.responses.flat().filter((r) => !isSentinel(r));
    const reps = real.map((r) => r.shape[0]);
    const median = (xs: Float64Array) => {
      const v = Array.from(xs).filter(Number.isFinite).sort((a, b) => a - b);
      return v.length ? v[Math.floor(v.length / 2)] : Number.NaN;
    };
    const pairs = ds.getS() * ds.getN();
    contents = {
      neurons: ds.getN(), stimuli: ds.getS(), repeats: [Math.min(...reps), Math.max(...reps)], dtMs: ds.dtMs,
      missingPairs: pairs - real.length, medianCCmax: median(q.ccmax.data), medianSnr: median(q.snr.data), buildMs,
    };
    rows.push(
      ['neurons', String(ds.getN())],
      ['stimuli', `${ds.getS()}, bins of ${ds.dtMs} ms`],
      ['repeats', `${Math.min(...reps)}–${Math.max(...reps)} per (stimulus, neuron)`],
      ['missing pairs', `${pairs - real.length} of ${pairs}`],
      ['quality', `median CCmax ${median(q.ccmax.data).toFixed(3)}, median SNR ${median(q.snr.data).toFixed(3)}, unsmoothed responses`],
      ['built in', `${buildMs} ms`],
    );
  }
  rows.push(['status', complete ? 'complete' : `incomplete: run \`deepstrf download ${name}\``]);
  return { rows, complete, data: { dataset: name, folder: path, missing, complete, ...contents } };
}

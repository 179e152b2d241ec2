/**
 * FIFF (Neuromag / MNE `.fif`) raw-file reader: the big-endian tag stream, the directory (or a
 * sequential scan when there is none), the block tree, the measurement info (channels with
 * calibration, bad channels, digitisation, sampling rate, measurement date), the raw data buffers
 * (DAU_PACK16, int16, int32, float32, float64; first-sample and data-skip tags) and annotations.
 * Physical value = stored value × range × cal, as MNE's `get_data()`. Every malformed input ends
 * in a `FormatError` naming the file and the byte offset (fuzzed in test/io/fiff.fuzz.test.ts).
 * The layout is described in docs/zoo/alice-eeg.md.
 * @module
 */
import { FormatError } from '../errors.js';

/** Tag kinds and block kinds used here (FIFF constants, as in MNE's `FIFF`). @example `findFiffBlocks(root, FIFF.B_MEAS_INFO)` */
export const FIFF = Object.freeze({
  FILE_ID: 100, DIR_POINTER: 101, DIR: 102, BLOCK_START: 104, BLOCK_END: 105, NOP: 108,
  NCHAN: 200, SFREQ: 201, CH_INFO: 203, MEAS_DATE: 204, COMMENT: 206, FIRST_SAMPLE: 208, DIG_POINT: 213,
  LOWPASS: 219, HIGHPASS: 223, DATA_BUFFER: 300, DATA_SKIP: 301, MNE_CH_NAME_LIST: 3507,
  MNE_BASELINE_MIN: 3568, MNE_BASELINE_MAX: 3569,
  B_MEAS: 100, B_MEAS_INFO: 101, B_RAW_DATA: 102, B_ISOTRAK: 107, B_CONTINUOUS_DATA: 112, B_IAS_RAW_DATA: 119,
  B_MNE_BAD_CHANNELS: 359, B_MNE_ANNOTATIONS: 3810,
  T_INT: 3, T_FLOAT: 4, T_DOUBLE: 5, T_SHORT: 2, T_STRING: 10, T_DAU_PACK16: 16, T_CH_INFO: 30, T_DIR_ENTRY: 32, T_DIG_POINT: 33,
  CH_EEG: 2,
});

const MATRIX_DENSE = 0x40000000;
const MATRIX_MASK = 0xffff0000 | 0;
/** Bytes per value of the raw data buffer types. */
const BUFFER_BYTES: Record<number, number> = { 2: 2, 3: 4, 4: 4, 5: 8, 16: 2 };
/** Raw data larger than this (channels × samples × 8 bytes) is taken as corruption. */
const MAX_DATA_BYTES = 2 ** 32;

/** One tag of the file: its kind, type, payload size and the offset of its header. @example `root.tags.find((t) => t.kind === FIFF.NCHAN)` */
export interface FiffTag {
  readonly kind: number;
  readonly type: number;
  readonly size: number;
  readonly pos: number;
}

/** A block of the tree: its kind, its own tags (in order) and its sub-blocks. @example `readFiffTree(bytes).children[0].block // FIFF.B_MEAS` */
export interface FiffNode {
  readonly block: number;
  readonly tags: FiffTag[];
  readonly children: FiffNode[];
  /** Offset of the BLOCK_START tag (−1 for the root). */
  readonly pos: number;
}

/** A channel-info record (96 bytes). @example `raw.channels.filter((c) => c.kind === FIFF.CH_EEG).map((c) => c.name)` */
export interface FiffChannel {
  scanNo: number;
  logNo: number;
  /** 2 EEG, 3 stim, 202 EOG, 402 ECG, 502 misc, 1 MEG, … */
  kind: number;
  range: number;
  cal: number;
  coilType: number;
  /** 12 floats: for EEG the electrode position (m, head frame), then the reference position. */
  loc: Float32Array;
  unit: number;
  unitMul: number;
  name: string;
}

/** A digitisation point. @example `raw.dig.filter((d) => d.kind === 3).length // EEG points` */
export interface FiffDigPoint {
  /** 1 cardinal, 2 HPI, 3 EEG, 4 extra. */
  kind: number;
  ident: number;
  r: [number, number, number];
}

/** Annotations as stored (onsets in seconds, relative to the measurement start if `origTime` is set). @example `raw.annotations?.description.filter((d) => d.startsWith('BAD'))` */
export interface FiffAnnotations {
  onset: Float64Array;
  duration: Float64Array;
  description: string[];
  /** Seconds since the epoch, or null when the file stores no orig_time. */
  origTime: number | null;
}

/** A raw FIFF recording. @example `const { sfreq, nSamples, data } = readFiffRaw(bytes)` */
export interface FiffRaw {
  sfreq: number;
  channels: FiffChannel[];
  /** `info['bads']`. */
  bads: string[];
  dig: FiffDigPoint[];
  /** Seconds since the epoch, or null. */
  measDate: number | null;
  lowpass: number | null;
  highpass: number | null;
  /** Sample index of the first data sample from the measurement start (after a leading skip). */
  firstSamp: number;
  nSamples: number;
  /** Indices (into `channels`) of the rows of `data`: every channel unless `picks` was given. */
  picks: number[];
  /** Physical values (raw × range × cal), channel-major `(picks.length, nSamples)`. */
  data: Float64Array;
  annotations: FiffAnnotations | null;
}

/** Options of {@link readFiffRaw}. @example `readFiffRaw(bytes, name, { picks: (c) => c.kind === FIFF.CH_EEG })` */
export interface ReadFiffOptions {
  /** Which channels to decode, from their info (default all), e.g. EEG only: `(c) => c.kind === FIFF.CH_EEG`. */
  picks?: (channel: FiffChannel, index: number) => boolean;
}

/** Reads the header + payload views of one file. */
class Reader {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly file: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(offset: number, message: string): never {
    throw new FormatError(this.file, message, offset);
  }

  /** The tag header at `pos` (checked against the file size). */
  tagAt(pos: number): FiffTag & { next: number } {
    if (!Number.isInteger(pos) || pos < 0 || pos + 16 > this.bytes.length) this.fail(pos, `expected a 16-byte tag header, the file has ${this.bytes.length} bytes`);
    const v = this.view;
    const kind = v.getInt32(pos), type = v.getInt32(pos + 4), size = v.getInt32(pos + 8), next = v.getInt32(pos + 12);
    if (size < 0 || pos + 16 + size > this.bytes.length) this.fail(pos, `tag kind ${kind}: payload of ${size} bytes runs past the end of the file (${this.bytes.length} bytes)`);
    return { kind, type, size, pos, next };
  }

  int(t: FiffTag, what: string): number {
    if (t.type !== FIFF.T_INT) this.fail(t.pos, `${what}: expected an int32 tag, found type ${t.type}`);
    if (t.size < 4) this.fail(t.pos, `${what}: expected 4 bytes, found ${t.size}`);
    return this.view.getInt32(t.pos + 16);
  }

  float(t: FiffTag, what: string): number {
    const a = this.floats(t, what);
    if (a.length < 1) this.fail(t.pos, `${what}: expected a number, the tag is empty`);
    return a[0];
  }

  /** A float32/float64/int array (dense matrix coding allowed). */
  floats(t: FiffTag, what: string): Float64Array {
    let base = t.type, size = t.size;
    if ((t.type & MATRIX_MASK) !== 0) {
      if ((t.type & MATRIX_MASK) !== MATRIX_DENSE) this.fail(t.pos, `${what}: sparse matrices are not supported (type 0x${(t.type >>> 0).toString(16)})`);
      base = t.type & ~MATRIX_MASK;
      if (size < 4) this.fail(t.pos, `${what}: matrix tag too short for its dimension count`);
      const ndim = this.view.getInt32(t.pos + 16 + size - 4);
      if (ndim < 1 || ndim > 8 || 4 * (ndim + 1) > size) this.fail(t.pos, `${what}: bad matrix dimension count ${ndim}`);
      size -= 4 * (ndim + 1);
    }
    const width = base === FIFF.T_DOUBLE ? 8 : base === FIFF.T_FLOAT || base === FIFF.T_INT ? 4 : 0;
    if (width === 0) this.fail(t.pos, `${what}: expected float, double or int values, found type ${base}`);
    const n = Math.floor(size / width);
    const out = new Float64Array(n);
    const p = t.pos + 16;
    for (let i = 0; i < n; i++) {
      out[i] = base === FIFF.T_DOUBLE ? this.view.getFloat64(p + 8 * i) : base === FIFF.T_FLOAT ? this.view.getFloat32(p + 4 * i) : this.view.getInt32(p + 4 * i);
    }
    return out;
  }

  /** Latin-1 text with MNE's `&#nnn;` escapes decoded. */
  string(t: FiffTag, what: string): string {
    if (t.type !== FIFF.T_STRING) this.fail(t.pos, `${what}: expected a string tag, found type ${t.type}`);
    let s = '';
    for (let i = 0; i < t.size; i++) s += String.fromCharCode(this.bytes[t.pos + 16 + i]);
    return s.replace(/&#(\d{1,7});/g, (m, d: string) => (Number(d) <= 0x10ffff ? String.fromCodePoint(Number(d)) : m));
  }
}

/** Splits a `:`-joined name list where `;:` escapes a literal colon. @example `splitFiffNameList('a;:b:c') // ['a:b', 'c']` */
export function splitFiffNameList(s: string): string[] {
  if (s === '') return [];
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ';' && s[i + 1] === ':') { cur += ':'; i++; } else if (s[i] === ':') { out.push(cur); cur = ''; } else cur += s[i];
  }
  out.push(cur);
  return out;
}

/** Every tag of the file in order: from the directory when the file has one, else by walking. */
function listTags(r: Reader): FiffTag[] {
  const first = r.tagAt(0);
  if (first.kind !== FIFF.FILE_ID) r.fail(0, `not a FIFF file: the first tag is kind ${first.kind}, expected FILE_ID (100)`);
  const second = first.next === -1 ? null : r.tagAt(first.next > 0 ? first.next : 16 + first.size);
  if (second && second.kind === FIFF.DIR_POINTER) {
    const dirpos = r.int(second, 'DIR_POINTER');
    if (dirpos > 0) {
      const dir = r.tagAt(dirpos);
      if (dir.kind !== FIFF.DIR || dir.type !== FIFF.T_DIR_ENTRY) r.fail(dirpos, `DIR_POINTER points at a tag of kind ${dir.kind} type ${dir.type}, expected the directory (kind 102, type 32)`);
      const n = Math.floor(dir.size / 16);
      const tags: FiffTag[] = [];
      for (let i = 0; i < n; i++) {
        const e = dirpos + 16 + 16 * i;
        const kind = r.view.getInt32(e), pos = r.view.getInt32(e + 12);
        const t = r.tagAt(pos);
        if (t.kind !== kind) r.fail(e, `directory entry ${i} says kind ${kind} at byte ${pos}, the tag there is kind ${t.kind}`);
        tags.push({ kind: t.kind, type: t.type, size: t.size, pos });
      }
      return tags;
    }
  }
  const tags: FiffTag[] = [];
  let pos = 0;
  while (pos < r.bytes.length) {
    const t = r.tagAt(pos);
    tags.push({ kind: t.kind, type: t.type, size: t.size, pos });
    if (t.next === -1) break;
    const next = t.next === 0 ? pos + 16 + t.size : t.next;
    if (next <= pos) r.fail(pos + 12, `tag 'next' pointer ${t.next} does not move forward`);
    pos = next;
  }
  return tags;
}

/**
 * The block tree of a FIFF file (the root holds the top-level tags and blocks).
 * @example
 * ```ts
 * const root = readFiffTree(bytes, 'S01_alice-raw.fif');
 * findFiffBlocks(root, FIFF.B_MEAS_INFO).length; // 1
 * ```
 */
export function readFiffTree(bytes: Uint8Array, file = '<fiff>'): FiffNode {
  return buildTree(new Reader(bytes, file));
}

function buildTree(r: Reader): FiffNode {
  const root: FiffNode = { block: 999, tags: [], children: [], pos: -1 };
  const stack: FiffNode[] = [root];
  for (const t of listTags(r)) {
    if (t.kind === FIFF.BLOCK_START) {
      const node: FiffNode = { block: r.int(t, 'BLOCK_START'), tags: [], children: [], pos: t.pos };
      stack[stack.length - 1].children.push(node);
      stack.push(node);
    } else if (t.kind === FIFF.BLOCK_END) {
      if (stack.length === 1) r.fail(t.pos, 'BLOCK_END without a matching BLOCK_START');
      const open = stack.pop()!;
      if (t.size >= 4 && r.int(t, 'BLOCK_END') !== open.block) r.fail(t.pos, `BLOCK_END of block ${r.int(t, 'BLOCK_END')} closes block ${open.block}`);
    } else {
      stack[stack.length - 1].tags.push(t);
    }
  }
  if (stack.length > 1) r.fail(r.bytes.length, `file ends inside block ${stack[stack.length - 1].block} opened at byte ${stack[stack.length - 1].pos} (truncated?)`);
  return root;
}

/**
 * Every block of kind `block` under `node` (depth first, document order).
 * @example
 * ```ts
 * findFiffBlocks(root, FIFF.B_MNE_ANNOTATIONS);
 * ```
 */
export function findFiffBlocks(node: FiffNode, block: number): FiffNode[] {
  const out: FiffNode[] = [];
  const walk = (n: FiffNode) => {
    if (n.block === block && n.pos >= 0) out.push(n);
    n.children.forEach(walk);
  };
  walk(node);
  return out;
}

function dateOf(r: Reader, t: FiffTag, what: string): number | null {
  if (t.type === FIFF.T_DOUBLE) return r.float(t, what);
  if (t.size < 8) r.fail(t.pos, `${what}: expected 2 int32 (seconds, microseconds), found ${t.size} bytes`);
  const sec = r.view.getInt32(t.pos + 16), usec = r.view.getInt32(t.pos + 20);
  if (sec === 0 && usec === 2 ** 31 - 1) return null; // MNE's DATE_NONE
  return sec + usec / 1e6;
}

function channelOf(r: Reader, t: FiffTag): FiffChannel {
  if (t.type !== FIFF.T_CH_INFO || t.size < 96) r.fail(t.pos, `CH_INFO: expected a 96-byte channel-info struct (type 30), found type ${t.type} of ${t.size} bytes`);
  const v = r.view, p = t.pos + 16;
  const loc = new Float32Array(12);
  for (let i = 0; i < 12; i++) loc[i] = v.getFloat32(p + 24 + 4 * i);
  let name = '';
  for (let i = 0; i < 16; i++) {
    const c = r.bytes[p + 80 + i];
    if (c === 0) break;
    name += String.fromCharCode(c);
  }
  return {
    scanNo: v.getInt32(p), logNo: v.getInt32(p + 4), kind: v.getInt32(p + 8), range: v.getFloat32(p + 12), cal: v.getFloat32(p + 16),
    coilType: v.getInt32(p + 20), loc, unit: v.getInt32(p + 72), unitMul: v.getInt32(p + 76), name,
  };
}

/**
 * Reads a raw FIFF file (as MNE's `read_raw_fif(...).get_data()` plus info and annotations).
 * @param file named in error messages
 * @throws FormatError on malformed or truncated content, naming the byte offset
 * @example
 * ```ts
 * const raw = readFiffRaw(bytes, 'S01_alice-raw.fif');
 * raw.sfreq; // 500
 * raw.data.subarray(0, raw.nSamples); // channel 0, volts
 * ```
 */
export function readFiffRaw(bytes: Uint8Array, file = '<fiff>', options: ReadFiffOptions = {}): FiffRaw {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`readFiffRaw(${file}): expected a Uint8Array`);
  const r = new Reader(bytes, file);
  const root = buildTree(r);
  const info = findFiffBlocks(root, FIFF.B_MEAS_INFO)[0];
  if (!info) r.fail(0, 'no measurement info block (MEAS_INFO, 101)');
  let nchan = -1, sfreq = NaN, measDate: number | null = null, lowpass: number | null = null, highpass: number | null = null;
  const channels: FiffChannel[] = [];
  for (const t of info.tags) {
    if (t.kind === FIFF.NCHAN) nchan = r.int(t, 'NCHAN');
    else if (t.kind === FIFF.SFREQ) sfreq = r.float(t, 'SFREQ');
    else if (t.kind === FIFF.CH_INFO) channels.push(channelOf(r, t));
    else if (t.kind === FIFF.MEAS_DATE) measDate = dateOf(r, t, 'MEAS_DATE');
    else if (t.kind === FIFF.LOWPASS) lowpass = r.float(t, 'LOWPASS');
    else if (t.kind === FIFF.HIGHPASS) highpass = r.float(t, 'HIGHPASS');
  }
  if (nchan < 0) r.fail(info.pos, 'MEAS_INFO has no NCHAN tag');
  if (!(sfreq > 0) || !Number.isFinite(sfreq)) r.fail(info.pos, `MEAS_INFO has no valid SFREQ (got ${sfreq})`);
  if (channels.length !== nchan) r.fail(info.pos, `NCHAN is ${nchan} but MEAS_INFO holds ${channels.length} CH_INFO records`);
  const bads: string[] = [];
  for (const b of findFiffBlocks(info, FIFF.B_MNE_BAD_CHANNELS)) {
    for (const t of b.tags) if (t.kind === FIFF.MNE_CH_NAME_LIST) bads.push(...splitFiffNameList(r.string(t, 'bad channel list')));
  }
  const dig: FiffDigPoint[] = [];
  for (const b of findFiffBlocks(info, FIFF.B_ISOTRAK)) {
    for (const t of b.tags) {
      if (t.kind !== FIFF.DIG_POINT) continue;
      if (t.type !== FIFF.T_DIG_POINT || t.size < 20) r.fail(t.pos, `DIG_POINT: expected a 20-byte dig-point struct (type 33), found type ${t.type} of ${t.size} bytes`);
      const p = t.pos + 16;
      dig.push({ kind: r.view.getInt32(p), ident: r.view.getInt32(p + 4), r: [r.view.getFloat32(p + 8), r.view.getFloat32(p + 12), r.view.getFloat32(p + 16)] });
    }
  }
  const rawBlock = findFiffBlocks(root, FIFF.B_RAW_DATA)[0] ?? findFiffBlocks(root, FIFF.B_CONTINUOUS_DATA)[0] ?? findFiffBlocks(root, FIFF.B_IAS_RAW_DATA)[0];
  if (!rawBlock) r.fail(0, 'no raw data block (RAW_DATA 102, CONTINUOUS_DATA 112 or IAS_RAW_DATA 119)');
  const picks = channels.flatMap((c, i) => (!options.picks || options.picks(c, i) ? [i] : []));
  const { firstSamp, nSamples, data } = readBuffers(r, rawBlock, channels, picks);
  return {
    sfreq, channels, bads, dig, measDate, lowpass, highpass, firstSamp, nSamples, picks, data,
    annotations: readAnnotations(r, root),
  };
}

interface Segment { tag: FiffTag | null; nsamp: number }

function readBuffers(r: Reader, block: FiffNode, channels: FiffChannel[], picks: number[]): { firstSamp: number; nSamples: number; data: Float64Array } {
  const nchan = channels.length;
  const tags = block.tags;
  let k = 0;
  let firstSamp = 0, firstSkip = 0, nskip = 0;
  if (tags[k]?.kind === FIFF.FIRST_SAMPLE) firstSamp = r.int(tags[k++], 'FIRST_SAMPLE');
  if (tags[k]?.kind === FIFF.DATA_SKIP) firstSkip = r.int(tags[k++], 'DATA_SKIP');
  const segments: Segment[] = [];
  let total = 0;
  for (; k < tags.length; k++) {
    const t = tags[k];
    if (t.kind === FIFF.DATA_SKIP) nskip = r.int(t, 'DATA_SKIP');
    else if (t.kind === FIFF.DATA_BUFFER) {
      const width = BUFFER_BYTES[t.type];
      if (width === undefined) r.fail(t.pos, `DATA_BUFFER of type ${t.type} is not supported (int16, int32, float32, float64, DAU_PACK16)`);
      if (nchan === 0) r.fail(t.pos, 'DATA_BUFFER in a file with no channels');
      const nsamp = Math.floor(t.size / (width * nchan));
      if (firstSkip > 0) { firstSamp += nsamp * firstSkip; firstSkip = 0; }
      if (nskip > 0) { segments.push({ tag: null, nsamp: nskip * nsamp }); total += nskip * nsamp; nskip = 0; }
      segments.push({ tag: t, nsamp });
      total += nsamp;
      if (total * picks.length * 8 > MAX_DATA_BYTES) r.fail(t.pos, `raw data of ${total} samples × ${nchan} channels exceeds ${MAX_DATA_BYTES} bytes (corrupt DATA_SKIP?)`);
    }
  }
  const cals = picks.map((c) => channels[c].range * channels[c].cal);
  const data = new Float64Array(picks.length * total);
  let s0 = 0;
  for (const seg of segments) {
    const t = seg.tag;
    if (t) {
      const v = r.view, p = t.pos + 16;
      for (let s = 0; s < seg.nsamp; s++) {
        for (let q = 0; q < picks.length; q++) {
          const c = picks[q];
          const i = s * nchan + c;
          const raw = t.type === FIFF.T_FLOAT ? v.getFloat32(p + 4 * i) : t.type === FIFF.T_DOUBLE ? v.getFloat64(p + 8 * i)
            : t.type === FIFF.T_INT ? v.getInt32(p + 4 * i) : v.getInt16(p + 2 * i);
          data[q * total + s0 + s] = raw * cals[q];
        }
      }
    }
    s0 += seg.nsamp;
  }
  return { firstSamp, nSamples: total, data };
}

function readAnnotations(r: Reader, root: FiffNode): FiffAnnotations | null {
  const block = findFiffBlocks(root, FIFF.B_MNE_ANNOTATIONS)[0];
  if (!block) return null;
  let onset: Float64Array | null = null, ends: Float64Array | null = null, description: string[] = [], origTime: number | null = null;
  for (const t of block.tags) {
    if (t.kind === FIFF.MNE_BASELINE_MIN) onset = r.floats(t, 'annotation onsets');
    else if (t.kind === FIFF.MNE_BASELINE_MAX) ends = r.floats(t, 'annotation ends');
    else if (t.kind === FIFF.COMMENT) description = splitFiffNameList(r.string(t, 'annotation descriptions'));
    else if (t.kind === FIFF.MEAS_DATE) origTime = dateOf(r, t, 'annotation orig_time');
  }
  onset ??= new Float64Array(0);
  ends ??= new Float64Array(0);
  if (ends.length !== onset.length || description.length !== onset.length) {
    r.fail(block.pos, `annotations hold ${onset.length} onsets, ${ends.length} ends and ${description.length} descriptions`);
  }
  return { onset, duration: onset.map((o, i) => ends![i] - o), description, origTime };
}

/**
 * Annotation onsets as MNE attaches them to the raw data (seconds from the measurement start):
 * stored onsets when `origTime` equals the measurement date, + first_samp/sfreq when the file
 * has no `origTime`, shifted by `origTime − measDate` when both exist and differ.
 * @example
 * ```ts
 * const onsets = mneAnnotationOnsets(readFiffRaw(bytes));
 * ```
 */
export function mneAnnotationOnsets(raw: FiffRaw): Float64Array {
  const a = raw.annotations;
  if (!a) return new Float64Array(0);
  let shift = 0;
  if (a.origTime === null) shift = raw.firstSamp / raw.sfreq;
  else if (raw.measDate !== null && a.origTime !== raw.measDate) shift = a.origTime - raw.measDate;
  return a.onset.map((o) => o + shift);
}

// Writes small FIFF files following the format (big-endian tags; see src/io/fiff.ts and
// docs/zoo/alice-eeg.md): FILE_ID, DIR_POINTER, nested blocks, channel info, data buffers of
// any type, data skips, annotations, and optionally a directory at the end.
import { FIFF } from '../../../src/index.js';

export interface FiffChannelSpec { name: string; kind?: number; cal?: number; range?: number; loc?: number[]; unit?: number }
type Item = { kind: number; type: number; payload: Uint8Array };

const be = (n: number, f: (v: DataView) => void) => { const b = new Uint8Array(n); f(new DataView(b.buffer)); return b; };
// Array forms (no argument spreading: data buffers hold many values) and variadic shorthands.
const i32a = (v: readonly number[]) => be(4 * v.length, (d) => v.forEach((x, i) => d.setInt32(4 * i, x)));
const f32a = (v: readonly number[]) => be(4 * v.length, (d) => v.forEach((x, i) => d.setFloat32(4 * i, x)));
const f64a = (v: readonly number[]) => be(8 * v.length, (d) => v.forEach((x, i) => d.setFloat64(8 * i, x)));
const i16a = (v: readonly number[]) => be(2 * v.length, (d) => v.forEach((x, i) => d.setInt16(2 * i, x)));
export const i32 = (...v: number[]) => i32a(v);
export const f32 = (...v: number[]) => f32a(v);
export const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A 96-byte channel-info record. */
export function chInfo(c: FiffChannelSpec, index: number): Uint8Array {
  return be(96, (d) => {
    d.setInt32(0, index + 1); d.setInt32(4, index + 1); d.setInt32(8, c.kind ?? FIFF.CH_EEG);
    d.setFloat32(12, c.range ?? 1); d.setFloat32(16, c.cal ?? 1); d.setInt32(20, 1);
    (c.loc ?? []).forEach((x, i) => d.setFloat32(24 + 4 * i, x));
    d.setInt32(72, c.unit ?? 107); d.setInt32(76, 0);
    for (let i = 0; i < Math.min(16, c.name.length); i++) d.setUint8(80 + i, c.name.charCodeAt(i));
  });
}

/** Builds a FIFF file tag by tag. */
export class FiffWriter {
  items: Item[] = [];
  tag(kind: number, type: number, payload: Uint8Array): this { this.items.push({ kind, type, payload }); return this; }
  start(block: number): this { return this.tag(FIFF.BLOCK_START, FIFF.T_INT, i32(block)); }
  end(block: number): this { return this.tag(FIFF.BLOCK_END, FIFF.T_INT, i32(block)); }
  int(kind: number, v: number): this { return this.tag(kind, FIFF.T_INT, i32(v)); }
  float(kind: number, ...v: number[]): this { return this.tag(kind, FIFF.T_FLOAT, f32(...v)); }
  string(kind: number, s: string): this { return this.tag(kind, FIFF.T_STRING, latin1(s)); }

  /** The file: FILE_ID, DIR_POINTER (−1, or the directory's offset with `directory`), the tags, `next` = 0 except −1 on the last. */
  bytes(opts: { directory?: boolean } = {}): Uint8Array {
    const all: Item[] = [
      { kind: FIFF.FILE_ID, type: 31, payload: i32(1, 2, 3, 1000, 0) },
      { kind: FIFF.DIR_POINTER, type: FIFF.T_INT, payload: i32(-1) },
      ...this.items,
    ];
    const pos: number[] = [];
    let off = 0;
    for (const it of all) { pos.push(off); off += 16 + it.payload.length; }
    if (opts.directory) {
      const dir = new Uint8Array(16 * all.length);
      const d = new DataView(dir.buffer);
      all.forEach((it, i) => { d.setInt32(16 * i, it.kind); d.setInt32(16 * i + 4, it.type); d.setInt32(16 * i + 8, it.payload.length); d.setInt32(16 * i + 12, pos[i]); });
      all[1] = { ...all[1], payload: i32(off) };
      all.push({ kind: FIFF.DIR, type: FIFF.T_DIR_ENTRY, payload: dir });
      pos.push(off);
      off += 16 + dir.length;
    }
    const out = new Uint8Array(off);
    const v = new DataView(out.buffer);
    all.forEach((it, i) => {
      v.setInt32(pos[i], it.kind); v.setInt32(pos[i] + 4, it.type); v.setInt32(pos[i] + 8, it.payload.length);
      v.setInt32(pos[i] + 12, i === all.length - 1 ? -1 : 0);
      out.set(it.payload, pos[i] + 16);
    });
    return out;
  }
}

/** What {@link writeRawFiff} writes. */
export interface RawFiffSpec {
  sfreq: number;
  channels: FiffChannelSpec[];
  bads?: string[];
  /** Buffers: stored values sample-major (`nsamp × nchan`), a type, or a skip of n buffers. */
  buffers: Array<{ type: 'float32' | 'float64' | 'int16' | 'int32' | 'dau16'; values: number[] } | { skip: number }>;
  firstSample?: number;
  /** A DATA_SKIP right after FIRST_SAMPLE (a leading skip, applied to first_samp). */
  leadingSkip?: number;
  measDate?: [number, number];
  dig?: Array<{ kind: number; ident: number; r: [number, number, number] }>;
  annotations?: { onset: number[]; duration: number[]; description: string[]; origTime?: [number, number] };
  directory?: boolean;
  block?: number;
}

/** A raw FIFF file in MNE's layout (MEAS { MEAS_INFO { … }, RAW_DATA { … } }, then annotations). */
export function writeRawFiff(s: RawFiffSpec): Uint8Array {
  const w = new FiffWriter().start(FIFF.B_MEAS).start(FIFF.B_MEAS_INFO);
  if (s.measDate) w.tag(FIFF.MEAS_DATE, FIFF.T_INT, i32(...s.measDate));
  w.int(FIFF.NCHAN, s.channels.length).float(FIFF.SFREQ, s.sfreq);
  s.channels.forEach((c, i) => w.tag(FIFF.CH_INFO, FIFF.T_CH_INFO, chInfo(c, i)));
  if (s.dig) {
    w.start(FIFF.B_ISOTRAK);
    for (const d of s.dig) w.tag(FIFF.DIG_POINT, FIFF.T_DIG_POINT, new Uint8Array([...i32(d.kind, d.ident), ...f32(...d.r)]));
    w.end(FIFF.B_ISOTRAK);
  }
  if (s.bads && s.bads.length) w.start(FIFF.B_MNE_BAD_CHANNELS).string(FIFF.MNE_CH_NAME_LIST, s.bads.map((b) => b.replace(/:/g, ';:')).join(':')).end(FIFF.B_MNE_BAD_CHANNELS);
  w.end(FIFF.B_MEAS_INFO);
  const block = s.block ?? FIFF.B_RAW_DATA;
  w.start(block);
  if (s.firstSample !== undefined) w.int(FIFF.FIRST_SAMPLE, s.firstSample);
  if (s.leadingSkip !== undefined) w.int(FIFF.DATA_SKIP, s.leadingSkip);
  for (const b of s.buffers) {
    if ('skip' in b) { w.int(FIFF.DATA_SKIP, b.skip); continue; }
    const [type, payload] = b.type === 'float32' ? [4, f32a(b.values)] : b.type === 'float64' ? [5, f64a(b.values)]
      : b.type === 'int32' ? [3, i32a(b.values)] : [b.type === 'int16' ? 2 : 16, i16a(b.values)];
    w.tag(FIFF.DATA_BUFFER, type as number, payload as Uint8Array);
  }
  w.end(block).end(FIFF.B_MEAS);
  if (s.annotations) {
    const a = s.annotations;
    w.start(FIFF.B_MNE_ANNOTATIONS);
    w.tag(FIFF.MNE_BASELINE_MIN, FIFF.T_FLOAT, f32a(a.onset));
    w.tag(FIFF.MNE_BASELINE_MAX, FIFF.T_FLOAT, f32a(a.onset.map((o, i) => o + a.duration[i])));
    w.string(FIFF.COMMENT, a.description.map((d) => d.replace(/:/g, ';:')).join(':'));
    if (a.origTime) w.tag(FIFF.MEAS_DATE, FIFF.T_INT, i32(...a.origTime));
    w.end(FIFF.B_MNE_ANNOTATIONS);
  }
  return w.bytes({ directory: s.directory });
}

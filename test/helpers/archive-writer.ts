// Test helper: writes zip and tar archives byte by byte, independently of the readers under test
// (own bitwise CRC-32; Deflate and gzip from fflate). Isomorphic (no Node imports). A zip is laid
// out as segments (bytes, or runs of zeros) so a Node test can write a >4 GiB archive as a
// sparse file without holding it; `concatSegments` materialises small ones.
import { deflateSync } from 'fflate';

const enc = (s: string) => new TextEncoder().encode(s);

/** Bitwise CRC-32 (reflected 0xEDB88320): slow, obviously right, independent of src/util/crc32.ts. */
export function bitwiseCrc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A piece of an archive: literal bytes, or a run of zero bytes (a hole in a sparse file). */
export type Segment = { bytes: Uint8Array } | { zeros: number };

export interface ZipMemberSpec {
  /** A string (encoded as UTF-8, or as the given raw bytes when `rawName` is set). */
  name: string;
  /** Raw name bytes (e.g. CP437) written instead of the UTF-8 encoding of `name`. */
  rawName?: Uint8Array;
  data?: Uint8Array;
  /** Content of this many zero bytes (stored only; give `crc`). */
  zeros?: number;
  /** 0 stored (default), 8 Deflate. */
  method?: 0 | 8;
  /** Set general-purpose bit 11 (UTF-8 name). */
  utf8?: boolean;
  /** Write a data descriptor (bit 3): with its optional signature or without. */
  descriptor?: 'signed' | 'unsigned';
  /** 64-bit sizes in the data descriptor. */
  descriptor64?: boolean;
  /** ZIP64 extra fields: 'force' saturates all three 32-bit fields; default only those that overflow. */
  zip64?: 'force';
  /** Unix mode (written in the external attributes, host = Unix). */
  unixMode?: number;
  /** CRC written instead of the true one (to corrupt), or the CRC of `zeros`. */
  crc?: number;
  /** Overwrite the descriptor's CRC with this. */
  descriptorCrc?: number;
}

export interface ZipOptions {
  /** Write the ZIP64 end record and locator even when nothing overflows. */
  zip64End?: boolean;
  /** Bytes before the archive (a self-extractor stub). */
  prefix?: Uint8Array;
  /** Archive comment. */
  comment?: string;
}

const MAX32 = 0xffffffff;

class Bytes {
  private readonly a: number[] = [];
  u8(v: number) { this.a.push(v & 0xff); return this; }
  u16(v: number) { return this.u8(v).u8(v >>> 8); }
  u32(v: number) { return this.u16(v & 0xffff).u16(Math.floor(v / 0x10000)); }
  u64(v: number) { return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32)); }
  raw(b: Uint8Array) { for (const x of b) this.a.push(x); return this; }
  get length() { return this.a.length; }
  done() { return new Uint8Array(this.a); }
}

/** The segments of a zip archive holding `members`. */
export function zipSegments(members: ZipMemberSpec[], options: ZipOptions = {}): Segment[] {
  const segs: Segment[] = [];
  let pos = 0;
  const push = (s: Segment) => {
    segs.push(s);
    pos += 'bytes' in s ? s.bytes.length : s.zeros;
  };
  if (options.prefix) push({ bytes: options.prefix });
  const central: Uint8Array[] = [];
  for (const m of members) {
    const name = m.rawName ?? enc(m.name);
    const plain = m.data ?? new Uint8Array(0);
    const size = m.zeros ?? plain.length;
    const method = m.method ?? 0;
    const payload = method === 8 ? deflateSync(plain) : plain;
    const csize = m.zeros ?? payload.length;
    const crc = m.crc ?? bitwiseCrc32(plain);
    const offset = pos;
    const flags = (m.utf8 ? 0x800 : 0) | (m.descriptor ? 8 : 0);
    const force = m.zip64 === 'force';
    const big = (v: number) => force || v >= MAX32;
    const localZip64 = force || size >= MAX32 || csize >= MAX32;
    const local = new Bytes().u32(0x04034b50).u16(localZip64 ? 45 : 20).u16(flags).u16(method).u16(0).u16(0x21);
    const hide = m.descriptor !== undefined;
    local.u32(hide ? 0 : crc).u32(localZip64 ? MAX32 : hide ? 0 : csize).u32(localZip64 ? MAX32 : hide ? 0 : size);
    local.u16(name.length).u16(localZip64 ? 20 : 0).raw(name);
    if (localZip64) local.u16(1).u16(16).u64(hide ? 0 : size).u64(hide ? 0 : csize);
    push({ bytes: local.done() });
    push(m.zeros !== undefined ? { zeros: m.zeros } : { bytes: payload });
    if (m.descriptor) {
      const d = new Bytes();
      if (m.descriptor === 'signed') d.u32(0x08074b50);
      d.u32(m.descriptorCrc ?? crc);
      if (m.descriptor64) d.u64(csize).u64(size);
      else d.u32(csize).u32(size);
      push({ bytes: d.done() });
    }
    const extra = new Bytes();
    const fields: number[] = [];
    if (big(size)) fields.push(size);
    if (big(csize)) fields.push(csize);
    if (big(offset)) fields.push(offset);
    if (fields.length > 0) {
      extra.u16(1).u16(8 * fields.length);
      for (const f of fields) extra.u64(f);
    }
    const mode = m.unixMode ?? (m.name.endsWith('/') ? 0o40755 : 0o100644);
    const c = new Bytes().u32(0x02014b50).u16((3 << 8) | 45).u16(fields.length ? 45 : 20).u16(flags).u16(method).u16(0).u16(0x21);
    c.u32(crc).u32(big(csize) ? MAX32 : csize).u32(big(size) ? MAX32 : size);
    c.u16(name.length).u16(extra.length).u16(0).u16(0).u16(0).u32(((mode << 16) >>> 0) + (m.name.endsWith('/') ? 0x10 : 0));
    c.u32(big(offset) ? MAX32 : offset).raw(name).raw(extra.done());
    central.push(c.done());
  }
  const cdOffset = pos;
  let cdSize = 0;
  for (const c of central) push({ bytes: c }), (cdSize += c.length);
  const count = members.length;
  const need64 = options.zip64End || cdOffset >= MAX32 || cdSize >= MAX32 || count >= 0xffff;
  if (need64) {
    const z64At = pos;
    push({ bytes: new Bytes().u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0).u64(count).u64(count).u64(cdSize).u64(cdOffset).done() });
    push({ bytes: new Bytes().u32(0x07064b50).u32(0).u64(z64At).u32(1).done() });
  }
  const comment = enc(options.comment ?? '');
  const e = new Bytes().u32(0x06054b50).u16(0).u16(0);
  e.u16(need64 ? 0xffff : count).u16(need64 ? 0xffff : count).u32(need64 ? MAX32 : cdSize).u32(need64 ? MAX32 : cdOffset);
  e.u16(comment.length).raw(comment);
  push({ bytes: e.done() });
  return segs;
}

/** Segments as one array (zero runs materialised: small archives only). */
export function concatSegments(segs: Segment[]): Uint8Array {
  const n = segs.reduce((s, x) => s + ('bytes' in x ? x.bytes.length : x.zeros), 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const s of segs) {
    if ('bytes' in s) out.set(s.bytes, o), (o += s.bytes.length);
    else o += s.zeros;
  }
  return out;
}

/** A zip archive in memory. */
export const writeZip = (members: ZipMemberSpec[], options?: ZipOptions): Uint8Array => concatSegments(zipSegments(members, options));

export interface TarMemberSpec {
  name: string;
  data?: Uint8Array;
  /** Type flag: '0' file (default), '5' folder, '1' hard link, '2' symlink, others as given. */
  type?: string;
  link?: string;
  /** How a long name (or link) is stored: GNU `L`/`K` entries, or a PAX `x` header. Default: ustar prefix when it fits. */
  long?: 'gnu' | 'pax';
  /** Store the size in a PAX header and write 0 in the ustar field. */
  paxSize?: boolean;
  /** Write the size field in GNU base-256. */
  base256?: boolean;
}

export function tarHeader(name: string, type: string, size: number, options: { link?: string; prefix?: string; gnu?: boolean; base256?: boolean } = {}): Uint8Array {
  const h = new Uint8Array(512);
  const put = (s: string | Uint8Array, off: number, len: number) => h.set((typeof s === 'string' ? enc(s) : s).subarray(0, len), off);
  const oct = (v: number, off: number, len: number) => put(v.toString(8).padStart(len - 1, '0') + '\0', off, len);
  put(name, 0, 100);
  oct(0o644, 100, 8); oct(0, 108, 8); oct(0, 116, 8); oct(0, 136, 12);
  if (options.base256) {
    h[124] = 0x80;
    let v = size;
    for (let i = 135; i > 124; i--) (h[i] = v % 256), (v = Math.floor(v / 256));
  } else oct(size, 124, 12);
  put(type, 156, 1);
  put(options.link ?? '', 157, 100);
  if (options.gnu) put('ustar  \0', 257, 8);
  else (put('ustar\0', 257, 6), put('00', 263, 2), put(options.prefix ?? '', 345, 155));
  h.fill(32, 148, 156);
  let sum = 0;
  for (const x of h) sum += x;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

const padded = (d: Uint8Array) => {
  const out = new Uint8Array(Math.ceil(d.length / 512) * 512);
  out.set(d);
  return out;
};

/** One PAX record `"<len> key=value\n"` (the length counts itself). */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = enc(body).length;
  let len = bodyLen + 1;
  while (String(len).length + bodyLen !== len) len++;
  return `${len}${body}`;
}

/** A tar stream (ustar, with GNU or PAX long names as asked), ended by two zero blocks unless `end: false`. */
export function writeTar(members: TarMemberSpec[], options: { globalPax?: Record<string, string>; end?: boolean } = {}): Uint8Array {
  const blocks: Uint8Array[] = [];
  if (options.globalPax) {
    const body = enc(Object.entries(options.globalPax).map(([k, v]) => paxRecord(k, v)).join(''));
    blocks.push(tarHeader('pax_global_header', 'g', body.length), padded(body));
  }
  for (const m of members) {
    const type = m.type ?? '0';
    const data = type === '0' ? m.data ?? new Uint8Array(0) : new Uint8Array(0);
    let name = m.name;
    let link = m.link ?? '';
    let prefix = '';
    if (m.long === 'gnu') {
      if (enc(name).length > 100) {
        const b = enc(name + '\0');
        blocks.push(tarHeader('././@LongLink', 'L', b.length, { gnu: true }), padded(b));
        name = name.slice(0, 100);
      }
      if (enc(link).length > 100) {
        const b = enc(link + '\0');
        blocks.push(tarHeader('././@LongLink', 'K', b.length, { gnu: true }), padded(b));
        link = link.slice(0, 100);
      }
    } else if (m.long === 'pax' || m.paxSize) {
      let recs = '';
      if (m.long === 'pax') recs += paxRecord('path', name) + (link ? paxRecord('linkpath', link) : '');
      if (m.paxSize) recs += paxRecord('size', String(data.length));
      const b = enc(recs);
      blocks.push(tarHeader('PaxHeaders/x', 'x', b.length), padded(b));
      if (m.long === 'pax') (name = 'truncated-by-pax'), (link = link ? 'truncated-link' : '');
    } else if (enc(name).length > 100) {
      const slash = name.lastIndexOf('/', name.length - 2);
      prefix = name.slice(0, slash);
      name = name.slice(slash + 1);
    }
    blocks.push(tarHeader(name, type, m.paxSize ? 0 : data.length, { link, prefix, gnu: m.long === 'gnu', base256: m.base256 }), padded(data));
  }
  if (options.end !== false) blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((s, b) => s + b.length, 0));
  let o = 0;
  for (const b of blocks) out.set(b, o), (o += b.length);
  return out;
}

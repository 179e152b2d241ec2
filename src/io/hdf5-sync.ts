/**
 * A synchronous reader of HDF5 files, for the zoo's `new X({ path })` constructors that build
 * without awaiting (h5wasm's module only loads asynchronously; `src/io/hdf5.ts` reads any HDF5
 * file through it). It reads what h5py writes by default (superblock v0/v1, version 1 object
 * headers, symbol-table groups: NEMS `*.resp.h5`/`*.stim.h5`, CRCNS AA4 unit files) and what the
 * HDF5 library writes with its latest format settings, as h5wasm does (superblock v2/v3, version 2
 * object headers, compact link messages, and many links or attributes stored densely in a
 * fractal heap); attributes of numbers, fixed-length and variable-length strings (global heap);
 * numeric datasets stored compact, contiguous or chunked with a version 1 B-tree (deflate, shuffle
 * and Fletcher-32 filters). Anything else (layout v4 chunk indices, shared datatypes, soft links,
 * compound types, fractal heaps with freed space, ...) is refused with a `FormatError` naming the file
 * and the feature, and so is a dataset whose values are stored in another file (an External File
 * List): this reader reads only the file it is given.
 * @module
 */
import { unzlibSync } from 'fflate';
import { FormatError } from '../errors.js';
import { hdf5SignatureOffset, ONLY_THIS_FILE } from './hdf5.js';

/**
 * One dataset read as float64 (C order).
 * @example
 * ```ts
 * const d = h5.get('STIM_seq0001.wav'); d.shape; // [32, 2000]
 * ```
 */
export interface NemsH5Array {
  readonly shape: number[];
  readonly data: Float64Array;
}

/**
 * An opened file: the names of its root-level members (name order, as h5py's `keys()`) and a
 * reader of each dataset, decoded on demand.
 * @example
 * ```ts
 * const h5 = openNemsH5(bytes, 'site.resp.h5');
 * for (const cell of h5.names) spikes.set(cell, h5.get(cell).data);
 * ```
 */
export interface NemsH5File {
  readonly names: readonly string[];
  get(name: string): NemsH5Array;
}

/**
 * An attribute value: a number or string for a scalar attribute, a `Float64Array` or `string[]`
 * (C order) for an array attribute.
 * @example
 * ```ts
 * const v: H5AttrValue = g.attrs.stim_type; // 'call'
 * ```
 */
export type H5AttrValue = number | string | Float64Array | string[];

/**
 * A group of a file opened by {@link openHdf5Sync}: its members (sorted by name, as h5py's
 * `keys()`), its attributes, and readers of its members.
 * @example
 * ```ts
 * const root = openHdf5Sync(bytes, 'unit.h5');
 * for (const name of root.names) if (root.kind(name) === 'group') root.group(name).attrs;
 * ```
 */
export interface H5SyncGroup {
  /** `/` for the root, else `/a/b`. */
  readonly path: string;
  readonly names: readonly string[];
  readonly attrs: Readonly<Record<string, H5AttrValue>>;
  /** Whether member `name` is a group or a dataset. */
  kind(name: string): 'group' | 'dataset';
  group(name: string): H5SyncGroup;
  /** A numeric dataset, as float64. */
  dataset(name: string): NemsH5Array;
}

const UNDEF = -1;
const UTF8 = new TextDecoder();
const MAX_ELEMENTS = 1 << 28;
const MAX_NODES = 1 << 20;

/**
 * Opens HDF5 bytes and returns the root group (see the module notes for the subset read).
 * @throws FormatError naming the file, the byte offset and the structure that is bad or unsupported
 * @example
 * ```ts
 * const root = openHdf5Sync(readFileSync('unit.h5'), 'unit.h5');
 * root.attrs.sortType; // 'single'
 * root.group('Call').group('1').group('0').dataset('spike_times').data;
 * ```
 */
export function openHdf5Sync(bytes: Uint8Array, file: string): H5SyncGroup {
  const r = new Reader(bytes, file);
  const sig = hdf5SignatureOffset(bytes);
  if (sig < 0) r.fail('expected the HDF5 signature \\x89HDF\\r\\n\\x1a\\n (not an HDF5 file)', 0);
  const version = r.u8(sig + 8);
  if (version > 3) r.fail(`superblock version ${version} is not supported (expected 0 to 3)`, sig + 8);
  const sizes = version >= 2 ? sig + 9 : sig + 13;
  r.so = r.u8(sizes);
  r.sl = r.u8(sizes + 1);
  if (![2, 4, 8].includes(r.so) || ![2, 4, 8].includes(r.sl)) r.fail(`expected offset and length sizes of 2, 4 or 8 bytes, found ${r.so} and ${r.sl}`, sizes);
  let rootHeader: number;
  if (version >= 2) {
    const base = r.off(sig + 12);
    r.base = base === UNDEF ? sig : base;
    rootHeader = r.off(sig + 12 + 3 * r.so);
  } else {
    const p = sig + 24 + (version === 1 ? 4 : 0);
    const base = r.off(p);
    r.base = base === UNDEF ? sig : base;
    rootHeader = r.off(p + 4 * r.so + r.so); // after the base, free-space, end-of-file and driver-info addresses: the root entry's header
  }
  return r.group(rootHeader, '/');
}

/**
 * Opens NEMS/h5py HDF5 bytes as their root-level datasets (see {@link openHdf5Sync}).
 * @throws FormatError naming the file, the byte offset and the structure that is bad or unsupported
 * @example
 * ```ts
 * const h5 = openNemsH5(await source.read('x/x.resp.h5'), 'x/x.resp.h5');
 * h5.get('ABC001a-01-1').data; // spike times in seconds
 * ```
 */
export function openNemsH5(bytes: Uint8Array, file: string): NemsH5File {
  const root = openHdf5Sync(bytes, file);
  return {
    names: root.names,
    get(name: string): NemsH5Array {
      if (!root.names.includes(name)) throw new FormatError(file, `no dataset named ${JSON.stringify(name)} at the root`);
      return root.dataset(name);
    },
  };
}

interface Message {
  type: number;
  at: number;
  size: number;
  flags: number;
}

interface Datatype {
  cls: number;
  size: number;
  big: boolean;
  signed: boolean;
  /** Strings: 0 null-terminated, 1 null-padded, 2 space-padded; -1 otherwise. */
  pad: number;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const join = (path: string, name: string) => (path === '/' ? `/${name}` : `${path}/${name}`);

class Reader {
  so = 8;
  sl = 8;
  base = 0;
  private readonly view: DataView;
  private readonly headers = new Map<number, Message[]>();
  private readonly heaps = new Map<number, Map<number, [number, number]>>();
  constructor(
    readonly b: Uint8Array,
    readonly file: string,
  ) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  fail(what: string, at?: number): never {
    throw new FormatError(this.file, what, at);
  }

  need(at: number, n: number, what = 'a structure'): void {
    if (!(at >= 0) || !(n >= 0) || at + n > this.b.length) this.fail(`expected ${what} of ${n} bytes at offset ${at}, beyond the end of the file (${this.b.length} bytes)`, at);
  }

  u8(at: number): number {
    this.need(at, 1);
    return this.b[at];
  }
  u16(at: number): number {
    this.need(at, 2);
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    this.need(at, 4);
    return this.view.getUint32(at, true);
  }
  /** An unsigned little-endian integer of `n` bytes; all ones → UNDEF. */
  uint(at: number, n: number): number {
    this.need(at, n);
    let v = 0;
    let ones = true;
    for (let i = n - 1; i >= 0; i--) {
      const x = this.b[at + i];
      if (x !== 0xff) ones = false;
      v = v * 256 + x;
    }
    if (ones) return UNDEF;
    if (v > Number.MAX_SAFE_INTEGER) this.fail(`an offset or length of ${v} is too large`, at);
    return v;
  }
  /** A file address (relative to the base address), as an absolute offset; UNDEF stays UNDEF. */
  off(at: number): number {
    const v = this.uint(at, this.so);
    return v === UNDEF ? UNDEF : v + this.base;
  }
  len(at: number): number {
    return this.uint(at, this.sl);
  }
  sig(at: number, s: string): void {
    this.need(at, 4, `the signature ${s}`);
    for (let i = 0; i < 4; i++) if (this.b[at + i] !== s.charCodeAt(i)) this.fail(`expected the signature ${s}`, at);
  }
  text(start: number, end: number): string {
    return UTF8.decode(this.b.subarray(start, end));
  }

  /** The messages of an object header (version 1, or version 2 `OHDR`), following continuation blocks; cached. */
  messages(addr: number): Message[] {
    if (addr === UNDEF) this.fail('an object header address is undefined');
    const cached = this.headers.get(addr);
    if (cached) return cached;
    this.need(addr, 4, 'an object header');
    const v2 = this.b[addr] === 0x4f && this.b[addr + 1] === 0x48 && this.b[addr + 2] === 0x44 && this.b[addr + 3] === 0x52; // OHDR
    const out: Message[] = [];
    const blocks: Array<[number, number]> = [];
    let count = Infinity;
    let order = 0;
    if (v2) {
      const v = this.u8(addr + 4);
      if (v !== 2) this.fail(`object header version ${v} is not supported (expected 2 after OHDR)`, addr + 4);
      const flags = this.u8(addr + 5);
      order = flags & 0x04 ? 2 : 0;
      const p = addr + 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
      const w = 1 << (flags & 3);
      const size = this.uint(p, w);
      if (size === UNDEF) this.fail('an undefined object header chunk size', p);
      blocks.push([p + w, size]);
    } else {
      const v = this.u8(addr);
      if (v !== 1) this.fail(`object header version ${v} is not supported (expected 1, or 2 with the OHDR signature)`, addr);
      count = this.u16(addr + 2);
      blocks.push([addr + 16, this.u32(addr + 8)]);
    }
    const head = v2 ? 4 + order : 8;
    const seen = new Set<number>();
    while (blocks.length > 0 && out.length < count) {
      const [start, size] = blocks.shift() as [number, number];
      if (seen.has(start) || seen.size > 1000) this.fail('object header continuation blocks loop', start);
      seen.add(start);
      this.need(start, size, 'an object header block');
      let p = start;
      while (p + head <= start + size && out.length < count) {
        const type = v2 ? this.u8(p) : this.u16(p);
        const msize = v2 ? this.u16(p + 1) : this.u16(p + 2);
        const flags = v2 ? this.u8(p + 3) : this.u8(p + 4);
        const at = p + head;
        if (at + msize > start + size) this.fail(`object header message ${type} runs past its block`, p);
        if (type === 0x10) {
          const c = this.off(at);
          const n = this.len(at + this.so);
          if (v2) {
            this.sig(c, 'OCHK');
            blocks.push([c + 4, n - 8]); // signature and checksum
          } else blocks.push([c, n]);
        }
        if (out.length > 100_000) this.fail('too many object header messages', p);
        out.push({ type, at, size: msize, flags });
        p = at + msize;
      }
    }
    this.headers.set(addr, out);
    return out;
  }

  group(header: number, path: string): H5SyncGroup {
    const msgs = this.messages(header);
    const members = this.links(msgs, header, path).sort(byName);
    for (let i = 1; i < members.length; i++) if (members[i].name === members[i - 1].name) this.fail(`group ${path} has two members named ${JSON.stringify(members[i].name)}`, header);
    const at = new Map(members.map((e) => [e.name, e.header]));
    const member = (name: string): number => at.get(name) ?? this.fail(`group ${path} has no member named ${JSON.stringify(name)}`);
    const kind = (name: string): 'group' | 'dataset' => this.kindOf(member(name), join(path, name));
    let attrs: Record<string, H5AttrValue> | undefined;
    const self = this;
    return {
      path,
      names: members.map((e) => e.name),
      get attrs() {
        attrs ??= self.attributes(msgs, header, path);
        return attrs;
      },
      kind,
      group: (name) => {
        if (kind(name) !== 'group') this.fail(`${join(path, name)} is a dataset, expected a group`);
        return this.group(member(name), join(path, name));
      },
      dataset: (name) => {
        if (kind(name) !== 'dataset') this.fail(`${join(path, name)} is a group, expected a dataset`);
        return this.dataset(member(name), join(path, name));
      },
    };
  }

  kindOf(header: number, path: string): 'group' | 'dataset' {
    const msgs = this.messages(header);
    if (msgs.some((m) => m.type === 0x08)) return 'dataset';
    if (msgs.some((m) => m.type === 0x11 || m.type === 0x06 || m.type === 0x02)) return 'group';
    return this.fail(`${path} is neither a group nor a dataset (no layout, symbol table or link message)`, header);
  }

  /** Members of a group: symbol table (v1 B-tree + local heap), link messages, or dense links (fractal heap). */
  links(msgs: Message[], header: number, path: string): Array<{ name: string; header: number }> {
    const symtab = msgs.find((m) => m.type === 0x11);
    if (symtab) return this.groupEntries(this.off(symtab.at), this.off(symtab.at + this.so));
    const out: Array<{ name: string; header: number }> = [];
    for (const m of msgs) if (m.type === 0x06) out.push(this.link(m.at, m.at + m.size, path)[0]);
    const info = msgs.find((m) => m.type === 0x02);
    if (info) {
      const heap = this.off(info.at + 2 + (this.u8(info.at + 1) & 1 ? 8 : 0));
      if (heap !== UNDEF) {
        this.heapObjects(heap, `group ${path} (dense link storage)`, (at, end) => {
          const [l, next] = this.link(at, end, path);
          out.push(l);
          return next;
        });
      }
    }
    if (out.length > MAX_NODES) this.fail(`group ${path} has too many members`, header);
    return out;
  }

  /** A link message (in an object header or a fractal heap) ending at or before `end`: a hard link's name and target, and where it ends. */
  link(at: number, end: number, path: string): [{ name: string; header: number }, number] {
    const v = this.u8(at);
    if (v !== 1) this.fail(`group ${path}: link message version ${v} is not supported`, at);
    const flags = this.u8(at + 1);
    let p = at + 2;
    let type = 0;
    if (flags & 0x08) type = this.u8(p++);
    if (flags & 0x04) p += 8;
    if (flags & 0x10) p++;
    const w = 1 << (flags & 3);
    const n = this.uint(p, w);
    p += w;
    if (n === UNDEF || p + n > end) this.fail(`group ${path}: a link name of ${n} bytes runs past its message`, p - w);
    const name = this.text(p, p + n);
    if (type !== 0) this.fail(`group ${path}: member ${JSON.stringify(name)} is a ${type === 1 ? 'soft' : 'external'} link, which is not supported`, at);
    if (p + n + this.so > end) this.fail(`group ${path}: the address of member ${JSON.stringify(name)} runs past its message`, p + n);
    return [{ name, header: this.off(p + n) }, p + n + this.so];
  }

  /** Attributes of an object: attribute messages in its header, or attributes stored densely in a fractal heap. */
  attributes(msgs: Message[], header: number, path: string): Record<string, H5AttrValue> {
    const out: Record<string, H5AttrValue> = {};
    for (const m of msgs) {
      if (m.type !== 0x0c) continue;
      const [name, value] = this.attribute({ at: m.at, end: m.at + m.size }, path);
      out[name] = value;
    }
    const info = msgs.find((m) => m.type === 0x15);
    const heap = info ? this.off(info.at + 2 + (this.u8(info.at + 1) & 1 ? 2 : 0)) : UNDEF;
    if (heap !== UNDEF) {
      this.heapObjects(heap, `${path} (dense attribute storage)`, (at, end) => {
        const [name, value, next] = this.attribute({ at, end }, path);
        out[name] = value;
        return next;
      });
    }
    if (Object.keys(out).length > MAX_NODES) this.fail(`${path} has too many attributes`, header);
    return out;
  }

  /** An attribute message at `m.at` (in an object header or a fractal heap) ending at or before `m.end`; also returns where it ends. */
  attribute(m: { at: number; end: number }, path: string): [string, H5AttrValue, number] {
    const v = this.u8(m.at);
    if (v < 1 || v > 3) this.fail(`${path}: attribute message version ${v} is not supported`, m.at);
    const flags = this.u8(m.at + 1);
    if (v >= 2 && flags & 3) this.fail(`${path}: an attribute with a shared datatype or dataspace is not supported`, m.at + 1);
    const nameSize = this.u16(m.at + 2);
    const dtSize = this.u16(m.at + 4);
    const dsSize = this.u16(m.at + 6);
    const pad = (n: number) => (v === 1 ? Math.ceil(n / 8) * 8 : n);
    let p = m.at + 8 + (v === 3 ? 1 : 0);
    const end = m.end;
    if (p + pad(nameSize) + pad(dtSize) + pad(dsSize) > end) this.fail(`${path}: an attribute message's parts run past it`, m.at);
    let nameEnd = p;
    while (nameEnd < p + nameSize && this.b[nameEnd] !== 0) nameEnd++;
    const name = this.text(p, nameEnd);
    p += pad(nameSize);
    const dt = this.datatype(p, `attribute ${path}@${name}`);
    p += pad(dtSize);
    const shape = this.dataspace(p);
    p += pad(dsSize);
    const count = shape.reduce((a, d) => a * d, 1);
    if (count > MAX_ELEMENTS) this.fail(`${path}: attribute ${name} has ${count} elements`, m.at);
    const esize = dt.cls === 9 ? 4 + this.so + 4 : dt.size;
    this.need(p, count * esize, `the value of attribute ${path}@${name}`);
    if (p + count * esize > end) this.fail(`${path}: the value of attribute ${name} runs past its message`, p);
    let value: H5AttrValue;
    if (dt.cls === 0 || dt.cls === 1) {
      const data = decodeNumbers(this.b.subarray(p, p + count * esize), dt, count);
      value = shape.length === 0 ? data[0] : data;
    } else {
      const strs: string[] = [];
      for (let i = 0; i < count; i++) strs.push(dt.cls === 3 ? this.fixedString(p + i * esize, dt) : this.vlenString(p + i * esize, `${path}@${name}`));
      value = shape.length === 0 ? strs[0] : strs;
    }
    return [name, value, p + count * esize];
  }

  /** A fixed-length string: up to its first NUL (as NumPy's `S` type reads it), trailing spaces trimmed when space-padded. */
  fixedString(at: number, dt: Datatype): string {
    let end = at;
    while (end < at + dt.size && this.b[end] !== 0) end++;
    if (dt.pad === 2) while (end > at && this.b[end - 1] === 0x20) end--;
    return this.text(at, end);
  }

  /** A variable-length string: its length, then its global heap collection address and object index. */
  vlenString(at: number, what: string): string {
    const n = this.u32(at);
    const coll = this.off(at + 4);
    const index = this.u32(at + 4 + this.so);
    if (n === 0 && (coll === UNDEF || coll === this.base)) return '';
    const obj = this.globalHeap(coll).get(index) ?? this.fail(`${what}: global heap object ${index} not found in the collection at ${coll}`, at);
    if (n > obj[1]) this.fail(`${what}: a string of ${n} bytes in a global heap object of ${obj[1]}`, at);
    return this.text(obj[0], obj[0] + n);
  }

  /** Objects (start, size) of a global heap collection, by index; cached. */
  globalHeap(addr: number): Map<number, [number, number]> {
    const cached = this.heaps.get(addr);
    if (cached) return cached;
    this.sig(addr, 'GCOL');
    const size = this.len(addr + 8);
    this.need(addr, size, 'a global heap collection');
    const out = new Map<number, [number, number]>();
    let p = addr + 8 + this.sl;
    while (p + 8 + this.sl <= addr + size) {
      const index = this.u16(p);
      if (index === 0) break;
      const n = this.len(p + 8);
      const start = p + 8 + this.sl;
      if (n === UNDEF || start + n > addr + size) this.fail(`global heap object ${index} runs past its collection`, p);
      out.set(index, [start, n]);
      p = start + Math.ceil(n / 8) * 8;
    }
    this.heaps.set(addr, out);
    return out;
  }

  /**
   * Visits the managed objects of a fractal heap in address order (the dense storage of links or
   * attributes: each object is a message, `parse` returns where it ends). Heaps with freed space,
   * huge or tiny objects, or I/O filters are refused.
   */
  heapObjects(heap: number, what: string, parse: (at: number, end: number) => number): void {
    this.sig(heap, 'FRHP');
    const filterLen = this.u16(heap + 7);
    if (filterLen !== 0) this.fail(`${what}: a filtered fractal heap is not supported`, heap + 7);
    const flags = this.u8(heap + 9);
    let p = heap + 10 + 4 + this.sl + this.so + this.sl + this.so; // max managed size, next huge id, huge B-tree, free space, free-space manager
    const managed = this.len(p + 3 * this.sl);
    if (this.len(p + 5 * this.sl) !== 0 || this.len(p + 7 * this.sl) !== 0) this.fail(`${what}: huge or tiny fractal heap objects are not supported`, p + 5 * this.sl);
    p += 8 * this.sl; // managed space, allocated, iterator offset, managed count, huge size, huge count, tiny size, tiny count
    const width = this.u16(p);
    const startSize = this.len(p + 2);
    const maxDirect = this.len(p + 2 + this.sl);
    const maxHeapBits = this.u16(p + 2 + 2 * this.sl);
    const root = this.off(p + 6 + 2 * this.sl);
    const rows = this.u16(p + 6 + 2 * this.sl + this.so);
    if (width === 0 || startSize <= 0 || maxDirect < startSize || maxHeapBits === 0 || maxHeapBits > 64) this.fail(`${what}: a malformed fractal heap header`, heap);
    const offBytes = Math.ceil(maxHeapBits / 8);
    const checksum = (flags & 2) !== 0;
    const blockSize = (row: number) => (row < 2 ? startSize : startSize * 2 ** (row - 1));
    const maxDirectRows = Math.log2(maxDirect / startSize) + 2;
    let blocks = 0;
    let found = 0;
    const direct = (addr: number, size: number) => {
      if (addr === UNDEF) return;
      if (++blocks > MAX_NODES) this.fail(`${what}: too many fractal heap blocks`, addr);
      this.sig(addr, 'FHDB');
      this.need(addr, size, 'a fractal heap direct block');
      const end = addr + size;
      let q = addr + 5 + this.so + offBytes + (checksum ? 4 : 0);
      while (q < end && this.b[q] !== 0) {
        if (++found > managed) this.fail(`${what}: more objects than the heap's count of ${managed}`, q);
        q = parse(q, end);
      }
    };
    const indirect = (addr: number, nrows: number, depth: number) => {
      if (addr === UNDEF) return;
      if (depth > 64 || ++blocks > MAX_NODES) this.fail(`${what}: fractal heap indirect blocks nest too deep`, addr);
      this.sig(addr, 'FHIB');
      let q = addr + 5 + this.so + offBytes;
      for (let row = 0; row < nrows; row++) {
        for (let c = 0; c < width; c++) {
          const child = this.off(q);
          q += this.so;
          if (row < maxDirectRows) direct(child, blockSize(row));
          else {
            const childRows = Math.log2(blockSize(row) / startSize) - Math.log2(width) + 1;
            if (!Number.isInteger(childRows) || childRows <= 0) this.fail(`${what}: a malformed fractal heap indirect block`, addr);
            indirect(child, childRows, depth + 1);
          }
        }
      }
    };
    if (rows === 0) direct(root, startSize);
    else indirect(root, rows, 0);
    if (found !== managed) this.fail(`${what}: the fractal heap holds ${managed} objects, ${found} were found in order (freed heap space is not supported)`, heap);
  }

  /** Names and object-header addresses of a symbol-table group. */
  groupEntries(btree: number, heapAddr: number): Array<{ name: string; header: number }> {
    const heap = this.localHeap(heapAddr);
    const out: Array<{ name: string; header: number }> = [];
    const entrySize = 2 * this.so + 24;
    this.walkBtree(btree, 0, (child) => {
      this.sig(child, 'SNOD');
      const n = this.u16(child + 6);
      for (let i = 0; i < n; i++) {
        const e = child + 8 + i * entrySize;
        out.push({ name: this.heapString(heap, this.len(e), 'a group member name', e), header: this.off(e + this.so) });
      }
    });
    if (out.length > MAX_NODES) this.fail('too many group members');
    return out;
  }

  /** The data segment (address and size) of the local heap at `addr`, checked to lie in the file. */
  localHeap(addr: number): { data: number; size: number } {
    this.sig(addr, 'HEAP');
    const data = this.off(addr + 8 + 2 * this.sl);
    const size = this.len(addr + 8);
    this.need(data, size, 'the local heap');
    return { data, size };
  }

  /** The NUL-terminated string at `offset` in a local heap's data (`what` at `at` names it in errors). */
  heapString({ data, size }: { data: number; size: number }, offset: number, what: string, at: number): string {
    if (offset === UNDEF || offset >= size) this.fail(`${what} offset ${offset} lies outside the local heap`, at);
    let end = data + offset;
    while (end < data + size && this.b[end] !== 0) end++;
    return this.text(data + offset, end);
  }

  /**
   * The first file named by an External File List message (0x0007: version, 3 reserved bytes,
   * slots allocated and used, the local heap holding the names, then per slot the name's offset
   * in that heap, an offset and a size).
   */
  externalFile(m: Message): string {
    if (this.u16(m.at + 6) === 0) return '(none named)';
    return this.heapString(this.localHeap(this.off(m.at + 8)), this.len(m.at + 8 + this.so), 'an external file name', m.at + 8 + this.so);
  }

  /** Visits the level-0 children of a v1 B-tree of `nodeType` (0 group, 1 chunks) with their keys' offsets. */
  walkBtree(addr: number, nodeType: number, visit: (child: number, keyAt: number) => void, keySize = this.sl): void {
    if (addr === UNDEF) return;
    let visited = 0;
    const stack: Array<[number, number]> = [[addr, -1]];
    const seen = new Set<number>();
    while (stack.length > 0) {
      const [node, expectLevel] = stack.pop() as [number, number];
      if (seen.has(node) || ++visited > MAX_NODES) this.fail('B-tree nodes loop or are too many', node);
      seen.add(node);
      this.sig(node, 'TREE');
      const type = this.u8(node + 4);
      if (type !== nodeType) this.fail(`expected a B-tree node of type ${nodeType}, found type ${type}`, node + 4);
      const level = this.u8(node + 5);
      if (expectLevel >= 0 && level !== expectLevel) this.fail(`expected a B-tree node at level ${expectLevel}, found level ${level}`, node + 5);
      const used = this.u16(node + 6);
      let p = node + 8 + 2 * this.so;
      const children: number[] = [];
      for (let i = 0; i < used; i++) {
        const keyAt = p;
        const child = this.off(p + keySize);
        p += keySize + this.so;
        if (level === 0) visit(child, keyAt);
        else children.push(child);
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], level - 1]);
    }
  }

  /** A datatype message at `at`: integers, floats, fixed-length and variable-length strings. */
  datatype(at: number, what: string): Datatype {
    const cls = this.u8(at) & 0x0f;
    const bits = this.u8(at + 1);
    const size = this.u32(at + 4);
    if (cls === 3) return { cls, size, big: false, signed: false, pad: bits & 0x0f };
    if (cls === 9) {
      if ((bits & 0x0f) !== 1) this.fail(`${what}: a variable-length sequence datatype is not supported (variable-length strings are)`, at);
      return { cls, size, big: false, signed: false, pad: -1 };
    }
    if (cls !== 0 && cls !== 1) this.fail(`${what}: datatype class ${cls} is not supported (integers, floats and strings are)`, at);
    if (![1, 2, 4, 8].includes(size) || (cls === 1 && size !== 4 && size !== 8)) this.fail(`${what}: a ${size}-byte ${cls === 1 ? 'float' : 'integer'} datatype is not supported`, at + 4);
    return { cls, size, big: (bits & 1) === 1, signed: (bits & 8) === 8, pad: -1 };
  }

  dataspace(at: number): number[] {
    const v = this.u8(at);
    const rank = this.u8(at + 1);
    if (v !== 1 && v !== 2) this.fail(`dataspace version ${v} is not supported`, at);
    if (rank > 32) this.fail(`a dataspace of rank ${rank}`, at + 1);
    if (v === 2 && this.u8(at + 3) === 2) return [0];
    const first = at + (v === 1 ? 8 : 4);
    const dims: number[] = [];
    for (let i = 0; i < rank; i++) {
      const d = this.len(first + i * this.sl);
      if (d === UNDEF) this.fail('an undefined dataspace dimension', first + i * this.sl);
      dims.push(d);
    }
    return dims;
  }

  filters(m: Message): Array<{ id: number; values: number[] }> {
    const v = this.u8(m.at);
    const n = this.u8(m.at + 1);
    let p = m.at + (v === 1 ? 8 : 2);
    const out: Array<{ id: number; values: number[] }> = [];
    for (let i = 0; i < n; i++) {
      const id = this.u16(p);
      let nameLen = v === 1 || id >= 256 ? this.u16(p + 2) : 0;
      p += v === 1 || id >= 256 ? 4 : 2;
      const nv = this.u16(p + 2);
      p += 4;
      if (v === 1) nameLen = Math.ceil(nameLen / 8) * 8;
      p += nameLen;
      const values: number[] = [];
      for (let k = 0; k < nv; k++) values.push(this.u32(p + 4 * k));
      p += 4 * nv + (v === 1 && nv % 2 === 1 ? 4 : 0);
      out.push({ id, values });
    }
    return out;
  }

  dataset(header: number, name: string): NemsH5Array {
    const msgs = this.messages(header);
    const find = (t: number, what: string) => msgs.find((m) => m.type === t) ?? this.fail(`dataset ${name} has no ${what} message`, header);
    const shape = this.dataspace(find(0x01, 'dataspace').at);
    const dtm = find(0x03, 'datatype');
    if (dtm.flags & 2) this.fail(`dataset ${name}: a shared (committed) datatype is not supported`, dtm.at);
    const dt = this.datatype(dtm.at, `dataset ${name}`);
    if (dt.cls !== 0 && dt.cls !== 1) this.fail(`dataset ${name}: a string datatype, expected numbers`, dtm.at);
    const layout = find(0x08, 'layout');
    const external = msgs.find((m) => m.type === 0x07);
    if (external) this.fail(`${name} stores its values in external file '${this.externalFile(external)}'; ${ONLY_THIS_FILE}`, external.at);
    const pipe = msgs.find((m) => m.type === 0x0b);
    const filters = pipe ? this.filters(pipe) : [];
    const count = shape.reduce((a, d) => a * d, 1);
    if (count > MAX_ELEMENTS) this.fail(`dataset ${name} has ${count} elements, more than this reader accepts`, header);
    const raw = new Uint8Array(count * dt.size);
    const lv = this.u8(layout.at);
    if (lv !== 3) this.fail(`dataset ${name}: data layout version ${lv} is not supported (expected 3; version 4 chunk indices are not read)`, layout.at);
    const cls = this.u8(layout.at + 1);
    if (cls === 0) {
      const size = this.u16(layout.at + 2);
      if (size !== raw.length) this.fail(`dataset ${name}: compact data of ${size} bytes for ${count} values of ${dt.size} bytes (${raw.length})`, layout.at + 2);
      this.need(layout.at + 4, size, 'compact data');
      raw.set(this.b.subarray(layout.at + 4, layout.at + 4 + size));
    } else if (cls === 1) {
      const addr = this.off(layout.at + 2);
      if (addr !== UNDEF && raw.length > 0) {
        this.need(addr, raw.length, `the data of ${name}`);
        raw.set(this.b.subarray(addr, addr + raw.length));
      }
    } else if (cls === 2) {
      this.chunked(layout, shape, dt.size, filters, raw, name);
    } else this.fail(`dataset ${name}: layout class ${cls} is not supported`, layout.at + 1);
    return { shape, data: decodeNumbers(raw, dt, count) };
  }

  private chunked(layout: Message, shape: number[], esize: number, filters: Array<{ id: number; values: number[] }>, out: Uint8Array, name: string): void {
    const ndim = this.u8(layout.at + 2);
    if (ndim !== shape.length + 1) this.fail(`dataset ${name}: chunk rank ${ndim - 1} differs from the dataspace rank ${shape.length}`, layout.at + 2);
    const btree = this.off(layout.at + 3);
    const cdims: number[] = [];
    for (let i = 0; i < shape.length; i++) {
      const d = this.u32(layout.at + 3 + this.so + 4 * i);
      if (d === 0) this.fail(`dataset ${name}: a chunk dimension of 0`, layout.at + 3 + this.so + 4 * i);
      cdims.push(d);
    }
    const chunkElems = cdims.reduce((a, d) => a * d, 1);
    if (chunkElems > MAX_ELEMENTS) this.fail(`dataset ${name}: chunks of ${chunkElems} elements`, layout.at);
    const keySize = 8 + 8 * ndim;
    this.walkBtree(btree, 1, (child, keyAt) => {
      const size = this.u32(keyAt);
      const mask = this.u32(keyAt + 4);
      const origin: number[] = [];
      for (let i = 0; i < shape.length; i++) origin.push(this.uint(keyAt + 8 + 8 * i, 8));
      this.need(child, size, `a chunk of ${name}`);
      let data = this.b.subarray(child, child + size);
      for (let f = filters.length - 1; f >= 0; f--) {
        if ((mask >> f) & 1) continue;
        data = this.unfilter(filters[f], data, esize, child, name);
      }
      if (data.length < chunkElems * esize) this.fail(`dataset ${name}: a chunk decodes to ${data.length} bytes, expected ${chunkElems * esize}`, child);
      copyChunk(data, origin, cdims, shape, esize, out, () => this.fail(`dataset ${name}: a chunk offset lies outside the dataset`, keyAt));
    }, keySize);
  }

  private unfilter(f: { id: number; values: number[] }, data: Uint8Array, esize: number, at: number, name: string): Uint8Array {
    if (f.id === 1) {
      try {
        return unzlibSync(data);
      } catch (e) {
        return this.fail(`dataset ${name}: a deflate chunk cannot be inflated (${(e as Error).message})`, at);
      }
    }
    if (f.id === 2) return unshuffle(data, f.values[0] ?? esize);
    if (f.id === 3) return data.subarray(0, Math.max(0, data.length - 4));
    return this.fail(`dataset ${name}: filter ${f.id} is not supported (deflate, shuffle and Fletcher-32 are)`, at);
  }
}

function unshuffle(data: Uint8Array, esize: number): Uint8Array {
  if (esize <= 1) return data;
  const n = Math.floor(data.length / esize);
  const out = new Uint8Array(data.length);
  for (let b = 0; b < esize; b++) for (let i = 0; i < n; i++) out[i * esize + b] = data[b * n + i];
  out.set(data.subarray(n * esize), n * esize);
  return out;
}

/** Copies a chunk (C order, `cdims`) at `origin` into the dataset buffer, clipping at its edges. */
function copyChunk(data: Uint8Array, origin: number[], cdims: number[], shape: number[], esize: number, out: Uint8Array, bad: () => never): void {
  const rank = shape.length;
  for (let i = 0; i < rank; i++) if (origin[i] === UNDEF || origin[i] >= shape[i] || origin[i] % cdims[i] !== 0) bad();
  if (rank === 0) {
    out.set(data.subarray(0, esize));
    return;
  }
  const inner = Math.min(cdims[rank - 1], shape[rank - 1] - origin[rank - 1]) * esize;
  const idx = new Array<number>(rank - 1).fill(0);
  for (;;) {
    let src = 0;
    let dst = 0;
    for (let i = 0; i < rank - 1; i++) {
      src = src * cdims[i] + idx[i];
      dst = dst * shape[i] + origin[i] + idx[i];
    }
    src = src * cdims[rank - 1];
    dst = dst * shape[rank - 1] + origin[rank - 1];
    out.set(data.subarray(src * esize, src * esize + inner), dst * esize);
    let k = rank - 2;
    while (k >= 0) {
      idx[k]++;
      if (idx[k] < cdims[k] && origin[k] + idx[k] < shape[k]) break;
      idx[k] = 0;
      k--;
    }
    if (k < 0) return;
  }
}

function decodeNumbers(raw: Uint8Array, dt: Datatype, count: number): Float64Array {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = !dt.big;
  const out = new Float64Array(count);
  if (dt.cls === 1 && dt.size === 8 && le) {
    for (let i = 0; i < count; i++) out[i] = v.getFloat64(i * 8, true);
    return out;
  }
  for (let i = 0; i < count; i++) {
    const p = i * dt.size;
    if (dt.cls === 1) out[i] = dt.size === 8 ? v.getFloat64(p, le) : v.getFloat32(p, le);
    else if (dt.size === 1) out[i] = dt.signed ? v.getInt8(p) : v.getUint8(p);
    else if (dt.size === 2) out[i] = dt.signed ? v.getInt16(p, le) : v.getUint16(p, le);
    else if (dt.size === 4) out[i] = dt.signed ? v.getInt32(p, le) : v.getUint32(p, le);
    else out[i] = Number(dt.signed ? v.getBigInt64(p, le) : v.getBigUint64(p, le));
  }
  return out;
}

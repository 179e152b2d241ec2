/**
 * A small synchronous reader of the HDF5 files NEMS writes with h5py's defaults (`*.resp.h5`
 * spike times, `*.stim.h5` tiled spectrograms): version 0/1 superblock, version 1 object
 * headers, a root group indexed by a symbol table (v1 B-tree + local heap), numeric datasets
 * stored compact, contiguous or chunked (v1 B-tree index) with the deflate, shuffle and
 * Fletcher-32 filters. Synchronous because the zoo's `new X({ path })` constructors build
 * without awaiting (h5wasm's module only loads asynchronously; `src/io/hdf5.ts` reads any
 * HDF5 file through it). Files written with newer format settings (superblock v2+, layout v4
 * chunk indices) are refused with a `FormatError` naming the feature.
 * @module
 */
import { unzlibSync } from 'fflate';
import { FormatError } from '../errors.js';
import { hdf5SignatureOffset } from './hdf5.js';

/**
 * One root-level dataset read as float64 (C order).
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
 * An opened file: the names of its root-level datasets (name order, as h5py's `keys()`) and a
 * reader of each, decoded on demand.
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

const UNDEF = -1;
const MAX_ELEMENTS = 1 << 28;
const MAX_NODES = 1 << 20;

/**
 * Opens NEMS/h5py HDF5 bytes (see the module notes for the subset read).
 * @throws FormatError naming the file, the byte offset and the structure that is bad or unsupported
 * @example
 * ```ts
 * const h5 = openNemsH5(await source.read('x/x.resp.h5'), 'x/x.resp.h5');
 * h5.get('ABC001a-01-1').data; // spike times in seconds
 * ```
 */
export function openNemsH5(bytes: Uint8Array, file: string): NemsH5File {
  const r = new Reader(bytes, file);
  const sig = hdf5SignatureOffset(bytes);
  if (sig < 0) r.fail('expected the HDF5 signature \\x89HDF\\r\\n\\x1a\\n (not an HDF5 file)', 0);
  const version = r.u8(sig + 8);
  if (version > 1) r.fail(`superblock version ${version} (written with newer format settings) is not supported; expected 0 or 1 as h5py writes by default`, sig + 8);
  r.so = r.u8(sig + 13);
  r.sl = r.u8(sig + 14);
  if (![2, 4, 8].includes(r.so) || ![2, 4, 8].includes(r.sl)) r.fail(`expected offset and length sizes of 2, 4 or 8 bytes, found ${r.so} and ${r.sl}`, sig + 13);
  let p = sig + 24 + (version === 1 ? 4 : 0);
  const base = r.off(p);
  r.base = base === UNDEF ? sig : base;
  p += 4 * r.so; // base, free-space, end-of-file, driver-info addresses
  const rootHeader = r.off(p + r.so);
  const rootMsgs = r.messages(rootHeader);
  const symtab = rootMsgs.find((m) => m.type === 0x11) ?? r.fail('the root group has no symbol table message (new-style groups are not supported)', rootHeader);
  const entries = r.groupEntries(r.off(symtab.at), r.off(symtab.at + r.so));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byName = new Map(entries.map((e) => [e.name, e.header]));
  return {
    names: entries.map((e) => e.name),
    get(name: string): NemsH5Array {
      const h = byName.get(name);
      if (h === undefined) throw new FormatError(file, `no dataset named ${JSON.stringify(name)} at the root`);
      return r.dataset(h, name);
    },
  };
}

interface Message {
  type: number;
  at: number;
  size: number;
}

interface Datatype {
  cls: number;
  size: number;
  big: boolean;
  signed: boolean;
}

class Reader {
  so = 8;
  sl = 8;
  base = 0;
  private readonly view: DataView;
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
    if (!(at >= 0) || at + n > this.b.length) this.fail(`expected ${what} of ${n} bytes at offset ${at}, beyond the end of the file (${this.b.length} bytes)`, at);
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

  /** The messages of a version 1 object header, following continuation blocks. */
  messages(addr: number): Message[] {
    if (addr === UNDEF) this.fail('an object header address is undefined');
    const v = this.u8(addr);
    if (v !== 1) this.fail(`object header version ${v} is not supported (expected 1, as h5py writes by default)`, addr);
    const count = this.u16(addr + 2);
    const blocks: Array<[number, number]> = [[addr + 16, this.u32(addr + 8)]];
    const out: Message[] = [];
    const seen = new Set<number>();
    while (blocks.length > 0 && out.length < count) {
      const [start, size] = blocks.shift() as [number, number];
      if (seen.has(start) || seen.size > 1000) this.fail('object header continuation blocks loop', start);
      seen.add(start);
      this.need(start, size, 'an object header block');
      let p = start;
      while (p + 8 <= start + size && out.length < count) {
        const type = this.u16(p);
        const msize = this.u16(p + 2);
        const at = p + 8;
        this.need(at, msize, `object header message ${type}`);
        if (at + msize > start + size) this.fail(`object header message ${type} runs past its block`, p);
        if (type === 0x10) blocks.push([this.off(at), this.len(at + this.so)]);
        out.push({ type, at, size: msize });
        p = at + msize;
      }
    }
    return out;
  }

  /** Names and object-header addresses of a symbol-table group. */
  groupEntries(btree: number, heap: number): Array<{ name: string; header: number }> {
    this.sig(heap, 'HEAP');
    const heapData = this.off(heap + 8 + 2 * this.sl);
    const heapSize = this.len(heap + 8);
    this.need(heapData, heapSize, 'the local heap');
    const out: Array<{ name: string; header: number }> = [];
    const entrySize = 2 * this.so + 24;
    this.walkBtree(btree, 0, (child) => {
      this.sig(child, 'SNOD');
      const n = this.u16(child + 6);
      for (let i = 0; i < n; i++) {
        const e = child + 8 + i * entrySize;
        const nameOff = this.len(e);
        if (nameOff === UNDEF || nameOff >= heapSize) this.fail(`a group member name offset ${nameOff} lies outside the local heap`, e);
        const start = heapData + nameOff;
        let end = start;
        while (end < heapData + heapSize && this.b[end] !== 0) end++;
        const name = new TextDecoder().decode(this.b.subarray(start, end));
        out.push({ name, header: this.off(e + this.so) });
      }
    });
    if (out.length > MAX_NODES) this.fail('too many group members');
    return out;
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

  datatype(m: Message): Datatype {
    const b0 = this.u8(m.at);
    const cls = b0 & 0x0f;
    const bits = this.u8(m.at + 1);
    const size = this.u32(m.at + 4);
    if (cls !== 0 && cls !== 1) this.fail(`datatype class ${cls} is not numeric (expected integer or float)`, m.at);
    if (![1, 2, 4, 8].includes(size) || (cls === 1 && size !== 4 && size !== 8)) this.fail(`a ${size}-byte ${cls === 1 ? 'float' : 'integer'} datatype is not supported`, m.at + 4);
    return { cls, size, big: (bits & 1) === 1, signed: (bits & 8) === 8 };
  }

  dataspace(m: Message): number[] {
    const v = this.u8(m.at);
    const rank = this.u8(m.at + 1);
    if (v !== 1 && v !== 2) this.fail(`dataspace version ${v} is not supported`, m.at);
    if (rank > 32) this.fail(`a dataspace of rank ${rank}`, m.at + 1);
    if (v === 2 && this.u8(m.at + 3) === 2) return [0];
    const first = m.at + (v === 1 ? 8 : 4);
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
    const shape = this.dataspace(find(0x01, 'dataspace'));
    const dt = this.datatype(find(0x03, 'datatype'));
    const layout = find(0x08, 'layout');
    const pipe = msgs.find((m) => m.type === 0x0b);
    const filters = pipe ? this.filters(pipe) : [];
    const count = shape.reduce((a, d) => a * d, 1);
    if (count > MAX_ELEMENTS) this.fail(`dataset ${name} has ${count} elements, more than this reader accepts`, header);
    const raw = new Uint8Array(count * dt.size);
    const lv = this.u8(layout.at);
    if (lv !== 3) this.fail(`dataset ${name}: data layout version ${lv} is not supported (expected 3, as h5py writes by default)`, layout.at);
    const cls = this.u8(layout.at + 1);
    if (cls === 0) {
      const size = this.u16(layout.at + 2);
      this.need(layout.at + 4, size, 'compact data');
      raw.set(this.b.subarray(layout.at + 4, layout.at + 4 + Math.min(size, raw.length)));
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

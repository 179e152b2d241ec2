/**
 * MATLAB Level-5 MAT-file reader (v5, v6, v7 with zlib-compressed elements), both byte orders.
 *
 * Decoding is single pass over a `DataView`: numeric payloads are copied out with one
 * `ArrayBuffer.slice` (a memcpy) when the file's byte order is the host's, so no per-element
 * work or allocation happens for the bulk of the data; compressed elements are inflated once
 * (fflate) and parsed in place. Value layout: see `mat-types.ts` (column-major, MATLAB shapes).
 *
 * Every malformed input ends in a `FormatError` naming the file, the byte offset and what was
 * expected; nothing else escapes (fuzzed in `test/io/mat5.fuzz.test.ts`).
 * @module
 */
import { Unzlib, unzlibSync } from 'fflate';
import { FormatError } from '../errors.js';
import type {
  MatCell,
  MatChar,
  MatLogical,
  MatNumeric,
  MatNumericClass,
  MatNumericData,
  MatSkipped,
  MatSparse,
  MatStruct,
  MatValue,
  ReadMatOptions,
} from './mat-types.js';

// Data element types (MAT-file format, table 1-1).
const miINT8 = 1;
const miUINT8 = 2;
const miINT16 = 3;
const miUINT16 = 4;
const miINT32 = 5;
const miUINT32 = 6;
const miSINGLE = 7;
const miDOUBLE = 9;
const miINT64 = 12;
const miUINT64 = 13;
const miMATRIX = 14;
const miCOMPRESSED = 15;
const miUTF8 = 16;
const miUTF16 = 17;
const miUTF32 = 18;

const TYPE_NAMES: Record<number, string> = {
  1: 'miINT8', 2: 'miUINT8', 3: 'miINT16', 4: 'miUINT16', 5: 'miINT32', 6: 'miUINT32', 7: 'miSINGLE',
  9: 'miDOUBLE', 12: 'miINT64', 13: 'miUINT64', 14: 'miMATRIX', 15: 'miCOMPRESSED', 16: 'miUTF8',
  17: 'miUTF16', 18: 'miUTF32',
};
const typeName = (t: number): string => TYPE_NAMES[t] ?? `unknown type ${t}`;

type AnyTypedArray = MatNumericData;
type TypedCtor = {
  new (length: number): AnyTypedArray;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): AnyTypedArray;
  BYTES_PER_ELEMENT: number;
};

/** Typed array of each numeric storage type (index = mi type). */
const STORED_CTORS: (TypedCtor | undefined)[] = [];
STORED_CTORS[miINT8] = Int8Array;
STORED_CTORS[miUINT8] = Uint8Array;
STORED_CTORS[miINT16] = Int16Array;
STORED_CTORS[miUINT16] = Uint16Array;
STORED_CTORS[miINT32] = Int32Array;
STORED_CTORS[miUINT32] = Uint32Array;
STORED_CTORS[miSINGLE] = Float32Array;
STORED_CTORS[miDOUBLE] = Float64Array;
STORED_CTORS[miINT64] = BigInt64Array as unknown as TypedCtor;
STORED_CTORS[miUINT64] = BigUint64Array as unknown as TypedCtor;
// Character payloads (read as code units by parseChar).
STORED_CTORS[miUTF8] = Uint8Array;
STORED_CTORS[miUTF16] = Uint16Array;
STORED_CTORS[miUTF32] = Uint32Array;

/** Array classes (mxCLASS ids) 6..15 → numeric class name and typed array. */
const NUMERIC_CLASSES: (readonly [MatNumericClass, TypedCtor])[] = [];
NUMERIC_CLASSES[6] = ['double', Float64Array];
NUMERIC_CLASSES[7] = ['single', Float32Array];
NUMERIC_CLASSES[8] = ['int8', Int8Array];
NUMERIC_CLASSES[9] = ['uint8', Uint8Array];
NUMERIC_CLASSES[10] = ['int16', Int16Array];
NUMERIC_CLASSES[11] = ['uint16', Uint16Array];
NUMERIC_CLASSES[12] = ['int32', Int32Array];
NUMERIC_CLASSES[13] = ['uint32', Uint32Array];
NUMERIC_CLASSES[14] = ['int64', BigInt64Array as unknown as TypedCtor];
NUMERIC_CLASSES[15] = ['uint64', BigUint64Array as unknown as TypedCtor];

const mxCELL = 1;
const mxSTRUCT = 2;
const mxOBJECT = 3;
const mxCHAR = 4;
const mxSPARSE = 5;
const mxFUNCTION = 16;
const mxOPAQUE = 17;

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** Nesting deeper than this is taken as corruption (MATLAB data nests a handful of levels). */
const MAX_DEPTH = 100;
/** A struct array with no fields has no bytes per element; cap its element count. */
const MAX_FIELDLESS_ELEMENTS = 1 << 24;

/** The placeholder of a struct field left undecoded on request (`skipFields`, `keepFields`). */
const UNREAD: MatSkipped = Object.freeze({ kind: 'skipped', matlabClass: 'unread', className: '' });

const isBig = (a: AnyTypedArray): a is BigInt64Array | BigUint64Array =>
  a instanceof BigInt64Array || a instanceof BigUint64Array;

/**
 * True when `bytes` is a MATLAB v7.3 file (an HDF5 file behind a 512-byte MAT header).
 * @example
 * ```ts
 * if (isMatV73(bytes)) data = await readMatAsync(bytes, name);
 * ```
 */
export function isMatV73(bytes: Uint8Array): boolean {
  if (bytes.length < 520) return false;
  for (let i = 0; i < 8; i++) if (bytes[512 + i] !== HDF5_SIGNATURE[i]) return false;
  return true;
}

/**
 * Reads a MATLAB v5/v6/v7 MAT file into plain typed values, synchronously.
 * Variables are returned by name in file order; see `MatValue` for the value kinds and
 * `mat-types.ts` for the (column-major) layout. A v7.3 (HDF5) file is detected and refused with
 * a `FormatError` pointing at `readMatAsync`, which reads both.
 * @param bytes the whole file
 * @param fileName named in error messages
 * @throws FormatError on any truncated or malformed content (file, byte offset, what was expected)
 * @example
 * ```ts
 * const vars = readMat(await platform.readFile(path), path);
 * const neuron = vars.neuron as MatStruct; // 1x119
 * (neuron.elements[0].path as MatChar).text;
 * ```
 */
export function readMat(bytes: Uint8Array, fileName = '<bytes>', options: ReadMatOptions = {}): Record<string, MatValue> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`readMat(${fileName}): expected a Uint8Array`);
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  const wanted = options.variables ? new Set(options.variables) : null;
  if (bytes.length < 128) {
    throw new FormatError(fileName, `expected a 128-byte MAT-file header, file has ${bytes.length} bytes`, bytes.length);
  }
  const c0 = bytes[126];
  const c1 = bytes[127];
  let le: boolean;
  if (c0 === 0x49 && c1 === 0x4d) le = true; // 'IM'
  else if (c0 === 0x4d && c1 === 0x49) le = false; // 'MI'
  else {
    throw new FormatError(fileName, `expected the endian indicator 'IM' or 'MI' at bytes 126-127 of a MAT-file header (not a MATLAB v5 file?)`, 126);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(124, le);
  if (isMatV73(bytes) || version === 0x0200) {
    throw new FormatError(fileName, 'this is a MATLAB v7.3 (HDF5) file: read it with readMatAsync', 512);
  }
  if (version !== 0x0100) {
    throw new FormatError(fileName, `expected MAT-file version 0x0100 at byte 124, found 0x${version.toString(16).padStart(4, '0')}`, 124);
  }
  const out: Record<string, MatValue> = {};
  // Arrays returned are views into a private copy of the file (made once, on the first
  // uncompressed variable), so the caller's buffer is neither aliased nor retained, unless the
  // caller opts out with `copy: false`.
  const skipSet = options.skipFields && options.skipFields.length > 0 ? new Set(options.skipFields) : null;
  const keepSet = options.keepFields ? new Set(options.keepFields) : null;
  const skipFields = skipSet === null && keepSet === null ? null
    : (f: string) => (skipSet !== null && skipSet.has(f)) || (keepSet !== null && !keepSet.has(f));
  let top = new Mat5Parser(bytes, le, fileName, warn, -1, skipFields);
  let owned = options.copy === false;
  let off = 128;
  const end = bytes.length;
  while (off < end) {
    if (end - off < 8 && allZero(bytes, off, end)) break; // zero padding after the last element
    top.readTag(off, end);
    const type = top.tType;
    const dataStart = top.tData;
    const dataEnd = dataStart + top.tBytes;
    const next = top.tNext;
    if (type === miMATRIX) {
      if (wanted && !wanted.has(top.peekName(dataStart, dataEnd))) {
        off = next;
        continue;
      }
      if (!owned) {
        top = new Mat5Parser(bytes.slice(), le, fileName, warn, -1, skipFields);
        owned = true;
      }
      const value = top.parseMatrix(dataStart, dataEnd, 0);
      addVariable(out, top.lastName, value, fileName, off);
    } else if (type === miCOMPRESSED) {
      const compressed = bytes.subarray(dataStart, dataEnd);
      if (wanted) {
        const name = peekCompressedName(compressed, le, fileName, off, warn);
        if (!wanted.has(name)) {
          off = next;
          continue;
        }
      }
      let inflated: Uint8Array;
      try {
        inflated = unzlibSync(compressed);
      } catch (e) {
        throw new FormatError(fileName, `expected a valid zlib stream in the miCOMPRESSED element (${(e as Error).message})`, dataStart, { cause: e });
      }
      const inner = new Mat5Parser(inflated, le, fileName, warn, off, skipFields);
      let ioff = 0;
      while (ioff < inflated.length) {
        if (inflated.length - ioff < 8 && allZero(inflated, ioff, inflated.length)) break;
        inner.readTag(ioff, inflated.length);
        if (inner.tType !== miMATRIX) {
          inner.fail(ioff, `expected miMATRIX (14) inside the compressed element, found ${typeName(inner.tType)}`);
        }
        const inext = inner.tNext;
        const value = inner.parseMatrix(inner.tData, inner.tData + inner.tBytes, 0);
        addVariable(out, inner.lastName, value, fileName, off);
        ioff = inext;
      }
    } else {
      top.fail(off, `expected a top-level miMATRIX (14) or miCOMPRESSED (15) element, found ${typeName(type)}`);
    }
    off = next;
  }
  return out;
}

function allZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

function addVariable(out: Record<string, MatValue>, name: string, value: MatValue, file: string, off: number): void {
  // The subsystem block (objects' class data) has an empty name: nothing to decode without objects.
  if (name === '' || value.kind === 'skipped') return;
  if (name === '__proto__') throw new FormatError(file, `invalid variable name '__proto__'`, off);
  out[name] = value;
}

/** Inflates just enough of a compressed element to read the variable name it holds. */
function peekCompressedName(compressed: Uint8Array, le: boolean, file: string, off: number, warn: (m: string) => void): string {
  const chunks: Uint8Array[] = [];
  let have = 0;
  const stream = new Unzlib((chunk) => {
    chunks.push(chunk);
    have += chunk.length;
  });
  const step = 256;
  for (let pos = 0; pos < compressed.length; pos += step) {
    const last = pos + step >= compressed.length;
    try {
      stream.push(compressed.subarray(pos, Math.min(pos + step, compressed.length)), last);
    } catch (e) {
      throw new FormatError(file, `expected a valid zlib stream in the miCOMPRESSED element (${(e as Error).message})`, off + 8, { cause: e });
    }
    if (have >= 8 || last) {
      const buf = concat(chunks, have);
      const p = new Mat5Parser(buf, le, file, warn, off);
      const name = p.tryPeekName();
      if (name !== null) return name;
    }
  }
  // Stream ended: parse the whole (short) payload strictly so the error is precise.
  const buf = concat(chunks, have);
  const p = new Mat5Parser(buf, le, file, warn, off);
  p.readTag(0, buf.length);
  return p.peekName(p.tData, p.tData + p.tBytes);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Parses the elements of one buffer (the file, or one inflated compressed element). */
class Mat5Parser {
  readonly view: DataView;
  /** The last tag read (fields, not an object, so the hot loop allocates nothing). */
  tType = 0;
  tBytes = 0;
  tData = 0;
  tNext = 0;
  /** Name of the last matrix parsed by `parseMatrix`. */
  lastName = '';

  constructor(
    readonly bytes: Uint8Array,
    readonly le: boolean,
    readonly file: string,
    readonly warn: (m: string) => void,
    /** File offset of the compressed element this buffer was inflated from, or -1 for the file itself. */
    readonly inflatedFrom: number,
    /** True for struct fields not to decode (`ReadMatOptions.skipFields` / `keepFields`). */
    readonly skipFields: ((field: string) => boolean) | null = null,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(off: number, what: string): never {
    if (this.inflatedFrom < 0) throw new FormatError(this.file, what, off);
    throw new FormatError(this.file, `${what} (at byte ${off} of the inflated miCOMPRESSED element)`, this.inflatedFrom);
  }

  u32(off: number): number {
    return this.view.getUint32(off, this.le);
  }

  /** Reads the tag at `off` (normal or small-element format) into `tType/tBytes/tData/tNext`. */
  readTag(off: number, end: number): void {
    if (off + 8 > end) this.fail(off, `expected an 8-byte data element tag, only ${Math.max(0, end - off)} bytes left`);
    const w0 = this.u32(off);
    const small = w0 >>> 16;
    if (small !== 0) {
      // Small data element: type in the low 16 bits, byte count in the high 16, data in the same 8 bytes.
      if (small > 4) this.fail(off, `expected at most 4 bytes in a small data element, tag says ${small}`);
      this.tType = w0 & 0xffff;
      this.tBytes = small;
      this.tData = off + 4;
      this.tNext = off + 8;
      return;
    }
    const n = this.u32(off + 4);
    this.tType = w0;
    this.tBytes = n;
    this.tData = off + 8;
    if (n > end - off - 8) {
      this.fail(off, `expected ${n} bytes of ${typeName(w0)} data after the tag, only ${end - off - 8} left (truncated file?)`);
    }
    // Elements are padded to 8 bytes; a compressed element is not (the next one follows directly).
    const next = w0 === miCOMPRESSED ? off + 8 + n : off + 8 + ((n + 7) & ~7);
    this.tNext = next > end ? end : next;
  }

  /** Reads the tag at `off` and checks its type; returns the data offset. */
  expectTag(off: number, end: number, type: number, what: string): number {
    this.readTag(off, end);
    if (this.tType !== type) this.fail(off, `expected ${what} (${typeName(type)}), found ${typeName(this.tType)}`);
    return this.tData;
  }

  ascii(off: number, n: number): string {
    const b = this.bytes;
    let s = '';
    for (let i = 0; i < n; i++) {
      const c = b[off + i];
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  }

  /** The name of the matrix whose data spans [start, end), without decoding the rest. */
  peekName(start: number, end: number): string {
    if (start === end) return '';
    let off = start;
    this.expectTag(off, end, miUINT32, 'array flags');
    if (this.tBytes < 8) this.fail(off, `expected 8 bytes of array flags, found ${this.tBytes}`);
    const cls = this.u32(this.tData) & 0xff;
    off = this.tNext;
    this.readTag(off, end);
    if (this.tType === miINT32) {
      off = this.tNext;
      this.readTag(off, end);
    } else if (cls !== mxOPAQUE && cls !== mxFUNCTION) {
      this.fail(off, `expected dimensions (miINT32), found ${typeName(this.tType)}`);
    }
    if (this.tType !== miINT8 && this.tType !== miUINT8) this.fail(off, `expected the array name (miINT8), found ${typeName(this.tType)}`);
    return this.ascii(this.tData, this.tBytes);
  }

  /** `peekName` on a possibly incomplete buffer: null when more bytes are needed. */
  tryPeekName(): string | null {
    const b = this.bytes;
    try {
      this.readTag(0, b.length);
    } catch {
      return b.length >= 8 ? this.peekTruncated() : null;
    }
    if (this.tType !== miMATRIX) this.fail(0, `expected miMATRIX (14) inside the compressed element, found ${typeName(this.tType)}`);
    return this.peekName(this.tData, this.tData + this.tBytes);
  }

  private peekTruncated(): string | null {
    // The matrix tag claims more bytes than inflated so far: read the header fields that are present.
    const w0 = this.u32(0);
    if (w0 >>> 16 !== 0 || w0 !== miMATRIX) this.fail(0, `expected miMATRIX (14) inside the compressed element, found ${typeName(w0 >>> 16 !== 0 ? w0 & 0xffff : w0)}`);
    try {
      return this.peekName(8, this.bytes.length);
    } catch {
      return null;
    }
  }

  /**
   * Parses one miMATRIX payload [start, end). Sets `lastName`. `depth` guards against
   * corrupt self-similar nesting.
   */
  parseMatrix(start: number, end: number, depth: number): MatValue {
    this.lastName = '';
    // A zero-length miMATRIX is MATLAB's placeholder for an empty (0x0 double) array.
    if (start === end) return { kind: 'numeric', class: 'double', shape: [0, 0], data: new Float64Array(0) };
    if (depth > MAX_DEPTH) this.fail(start, `expected at most ${MAX_DEPTH} levels of nested arrays`);
    let off = start;
    const flagsAt = off;
    const f = this.expectTag(off, end, miUINT32, 'array flags');
    if (this.tBytes !== 8) this.fail(off, `expected 8 bytes of array flags, found ${this.tBytes}`);
    const flags = this.u32(f);
    const nzmax = this.u32(f + 4);
    const cls = flags & 0xff;
    const complex = (flags & 0x0800) !== 0;
    const logical = (flags & 0x0200) !== 0;
    off = this.tNext;

    if (cls === mxFUNCTION || cls === mxOPAQUE) {
      const name = this.peekName(start, end);
      const kind = cls === mxFUNCTION ? 'function' : 'opaque';
      this.warn(`${this.file}: skipped ${kind} value${name ? ` '${name}'` : ''} (MATLAB objects and function handles are not decoded)`);
      this.lastName = name;
      return { kind: 'skipped', matlabClass: kind, className: '' } satisfies MatSkipped;
    }

    // Dimensions.
    const dimsAt = off;
    const d = this.expectTag(off, end, miINT32, 'dimensions');
    const nd = this.tBytes >>> 2;
    if (this.tBytes % 4 !== 0 || nd < 1) this.fail(dimsAt, `expected a whole number of int32 dimensions, found ${this.tBytes} bytes`);
    const shape: number[] = new Array(nd < 2 ? 2 : nd);
    let numel = 1;
    for (let i = 0; i < nd; i++) {
      const v = this.view.getInt32(d + 4 * i, this.le);
      if (v < 0) this.fail(dimsAt, `expected non-negative dimensions, dimension ${i + 1} is ${v}`);
      shape[i] = v;
      numel *= v;
    }
    if (nd < 2) shape[1] = 1;
    off = this.tNext;

    // Name.
    const nm = this.expectTag(off, end, miINT8, 'the array name');
    const name = this.ascii(nm, this.tBytes);
    off = this.tNext;

    let value: MatValue;
    const numeric = NUMERIC_CLASSES[cls];
    if (numeric !== undefined) value = this.parseNumeric(off, end, numeric, shape, numel, complex, logical);
    else if (cls === mxCHAR) value = this.parseChar(off, end, shape, numel);
    else if (cls === mxCELL) value = this.parseCell(off, end, shape, numel, depth);
    else if (cls === mxSTRUCT) value = this.parseStruct(off, end, shape, numel, depth);
    else if (cls === mxOBJECT) {
      this.expectTag(off, end, miINT8, 'the object class name');
      const className = this.ascii(this.tData, this.tBytes);
      this.warn(`${this.file}: skipped MATLAB object${name ? ` '${name}'` : ''} of class '${className}' (objects are not decoded)`);
      value = { kind: 'skipped', matlabClass: 'object', className } satisfies MatSkipped;
    } else if (cls === mxSPARSE) value = this.parseSparse(off, end, shape, nzmax, complex, logical);
    else this.fail(flagsAt, `expected a MATLAB array class (1-17), found class ${cls}`);
    this.lastName = name;
    return value;
  }

  /** Reads one numeric data element as a typed array of its stored type. */
  private storedArray(off: number, end: number, what: string): AnyTypedArray {
    this.readTag(off, end);
    const type = this.tType;
    const ctor = STORED_CTORS[type];
    if (ctor === undefined) this.fail(off, `expected numeric ${what} (miINT8..miUINT64), found ${typeName(type)}`);
    const size = ctor.BYTES_PER_ELEMENT;
    const n = this.tBytes;
    if (n % size !== 0) this.fail(off, `expected a multiple of ${size} bytes of ${typeName(type)} ${what}, found ${n}`);
    const count = n / size;
    const at = this.tData;
    if (size === 1 || this.le === HOST_LE) {
      // A view into this parser's private buffer (a copy of the file, or an inflated element):
      // one allocation per file instead of one off-heap ArrayBuffer per array, which dominated
      // the cost on real files (thousands of small arrays each).
      const abs = this.bytes.byteOffset + at;
      const buf = this.bytes.buffer;
      if (abs % size === 0) {
        // One construct site per type keeps each call monomorphic (a shared `new ctor` is megamorphic).
        switch (type) {
          case miDOUBLE: return new Float64Array(buf, abs, count);
          case miUINT8: case miUTF8: return new Uint8Array(buf, abs, count);
          case miINT8: return new Int8Array(buf, abs, count);
          case miUINT16: case miUTF16: return new Uint16Array(buf, abs, count);
          case miINT16: return new Int16Array(buf, abs, count);
          case miINT32: return new Int32Array(buf, abs, count);
          case miUINT32: case miUTF32: return new Uint32Array(buf, abs, count);
          case miSINGLE: return new Float32Array(buf, abs, count);
          case miINT64: return new BigInt64Array(buf, abs, count);
          default: return new BigUint64Array(buf, abs, count);
        }
      }
      return new ctor(buf.slice(abs, abs + n));
    }
    const out = new ctor(count);
    const v = this.view;
    const le = this.le;
    switch (type) {
      case miINT16: for (let i = 0; i < count; i++) out[i] = v.getInt16(at + 2 * i, le); break;
      case miUINT16: case miUTF16: for (let i = 0; i < count; i++) out[i] = v.getUint16(at + 2 * i, le); break;
      case miINT32: for (let i = 0; i < count; i++) out[i] = v.getInt32(at + 4 * i, le); break;
      case miUINT32: case miUTF32: for (let i = 0; i < count; i++) out[i] = v.getUint32(at + 4 * i, le); break;
      case miSINGLE: for (let i = 0; i < count; i++) out[i] = v.getFloat32(at + 4 * i, le); break;
      case miDOUBLE: for (let i = 0; i < count; i++) out[i] = v.getFloat64(at + 8 * i, le); break;
      case miINT64: for (let i = 0; i < count; i++) out[i] = v.getBigInt64(at + 8 * i, le); break;
      case miUINT64: for (let i = 0; i < count; i++) out[i] = v.getBigUint64(at + 8 * i, le); break;
      default: this.fail(off, `expected a numeric storage type, found ${typeName(type)}`);
    }
    return out;
  }

  /** Reads stored data and converts it to the class's typed array (checking the element count). */
  private classArray(off: number, end: number, ctor: TypedCtor, numel: number, what: string): AnyTypedArray {
    const stored = this.storedArray(off, end, what);
    if (stored.length !== numel) {
      this.fail(off, `expected ${numel} ${what} values (the product of the dimensions), found ${stored.length}`);
    }
    const storedType = this.tType;
    if (STORED_CTORS[storedType] === ctor) return stored;
    const out = new ctor(numel);
    const srcBig = storedType === miINT64 || storedType === miUINT64;
    const dstBig = ctor === (BigInt64Array as unknown) || ctor === (BigUint64Array as unknown);
    if (srcBig === dstBig) {
      (out as Float64Array).set(stored as Float64Array); // same family: element-wise conversion
    } else if (dstBig) {
      for (let i = 0; i < numel; i++) {
        const x = (stored as Float64Array)[i];
        out[i] = Number.isFinite(x) ? BigInt(Math.trunc(x)) : 0n;
      }
    } else {
      for (let i = 0; i < numel; i++) out[i] = Number((stored as BigInt64Array)[i]);
    }
    return out;
  }

  private parseNumeric(
    off: number,
    end: number,
    [cls, ctor]: readonly [MatNumericClass, TypedCtor],
    shape: number[],
    numel: number,
    complex: boolean,
    logical: boolean,
  ): MatNumeric | MatLogical {
    if (logical) {
      const raw = this.classArray(off, end, Uint8Array as unknown as TypedCtor, numel, 'logical');
      // Normalised in place: copy first when the bytes may be the caller's (copy: false).
      const data = raw.buffer === this.bytes.buffer && this.inflatedFrom < 0 ? (raw as Uint8Array).slice() : (raw as Uint8Array);
      for (let i = 0; i < data.length; i++) if (data[i] !== 0) data[i] = 1;
      return { kind: 'logical', shape, data };
    }
    const data = this.classArray(off, end, ctor, numel, 'real');
    if (!complex) return { kind: 'numeric', class: cls, shape, data } as MatNumeric;
    const imag = this.classArray(this.tNext, end, ctor, numel, 'imaginary');
    return { kind: 'numeric', class: cls, shape, data, imag } as MatNumeric;
  }

  private parseChar(off: number, end: number, shape: number[], numel: number): MatChar {
    this.readTag(off, end);
    const type = this.tType;
    const at = this.tData;
    const n = this.tBytes;
    let units: string;
    if (type === miUTF8 || (type === miUINT8 && n !== numel)) {
      units = utf8Decoder.decode(this.bytes.subarray(at, at + n));
    } else if (type === miUINT8 || type === miINT8) {
      units = latin1(this.bytes, at, n);
    } else if (type === miUINT16 || type === miUTF16) {
      if (n % 2 !== 0) this.fail(off, `expected an even number of bytes of UTF-16 characters, found ${n}`);
      const codes = this.storedArray(off, end, 'character') as Uint16Array | Int16Array;
      units = fromCodes(codes instanceof Uint16Array ? codes : new Uint16Array(codes.buffer, codes.byteOffset, codes.length));
    } else if (type === miUTF32 || type === miINT32 || type === miUINT32) {
      if (n % 4 !== 0) this.fail(off, `expected a multiple of 4 bytes of UTF-32 characters, found ${n}`);
      let s = '';
      for (let i = 0; i < n; i += 4) {
        const cp = this.view.getUint32(at + i, this.le);
        s += String.fromCodePoint(cp <= 0x10ffff ? cp : 0xfffd);
      }
      units = s;
    } else {
      this.fail(off, `expected character data (miUTF8/miUTF16/miUINT16), found ${typeName(type)}`);
    }
    const R = shape[0];
    if (numel === 0) return { kind: 'char', shape, text: '', rows: R > 0 && shape.length === 2 ? new Array<string>(R).fill('') : [] };
    if (R === 1) return { kind: 'char', shape, text: units, rows: [units] };
    if (units.length !== numel) {
      this.fail(off, `expected ${numel} characters (the product of the dimensions), found ${units.length}`);
    }
    // Column-major: row r holds characters r, r + R, r + 2R, ...
    const C = numel / R;
    const rows: string[] = new Array(R);
    for (let r = 0; r < R; r++) {
      let s = '';
      for (let c = 0; c < C; c++) s += units[r + R * c];
      rows[r] = s;
    }
    return { kind: 'char', shape, text: rows.join('\n'), rows };
  }

  private parseCell(off: number, end: number, shape: number[], numel: number, depth: number): MatCell {
    if (numel * 8 > end - off) this.fail(off, `expected ${numel} cell elements (8+ bytes each), only ${end - off} bytes left`);
    const cells: MatValue[] = new Array(numel);
    for (let i = 0; i < numel; i++) {
      this.readTag(off, end);
      if (this.tType !== miMATRIX) this.fail(off, `expected cell element ${i + 1} of ${numel} (miMATRIX), found ${typeName(this.tType)}`);
      const d = this.tData;
      const next = this.tNext;
      cells[i] = this.parseMatrix(d, d + this.tBytes, depth + 1);
      off = next;
    }
    return { kind: 'cell', shape, cells };
  }

  private parseStruct(off: number, end: number, shape: number[], numel: number, depth: number): MatStruct {
    const lenAt = off;
    const l = this.expectTag(off, end, miINT32, 'the field-name length');
    if (this.tBytes !== 4) this.fail(lenAt, `expected a 4-byte field-name length, found ${this.tBytes} bytes`);
    const fieldLen = this.view.getInt32(l, this.le);
    off = this.tNext;
    const namesAt = off;
    const nm = this.expectTag(off, end, miINT8, 'the field names');
    const namesBytes: number = this.tBytes as number;
    if (fieldLen <= 0 ? namesBytes !== 0 : namesBytes % fieldLen !== 0) {
      this.fail(namesAt, `expected field names of ${fieldLen} bytes each, found ${namesBytes} bytes`);
    }
    const nFields = fieldLen > 0 ? namesBytes / fieldLen : 0;
    const fieldNames: string[] = new Array(nFields);
    for (let k = 0; k < nFields; k++) {
      const fname = this.ascii(nm + k * fieldLen, fieldLen);
      if (fname === '__proto__') this.fail(namesAt, `invalid field name '__proto__'`);
      fieldNames[k] = fname;
    }
    off = this.tNext;
    if (nFields === 0 ? numel > MAX_FIELDLESS_ELEMENTS : numel * nFields * 8 > end - off) {
      this.fail(off, `expected ${numel} struct elements x ${nFields} fields (8+ bytes each), only ${end - off} bytes left`);
    }
    const elements: Record<string, MatValue>[] = new Array(numel);
    const skip = this.skipFields === null ? null : fieldNames.map(this.skipFields);
    for (let i = 0; i < numel; i++) {
      const el: Record<string, MatValue> = {};
      for (let k = 0; k < nFields; k++) {
        this.readTag(off, end);
        // (Message built only on failure: this loop runs for every field of every element.)
        if (this.tType !== miMATRIX) this.fail(off, `expected field '${fieldNames[k]}' of struct element ${i + 1} (miMATRIX), found ${typeName(this.tType)}`);
        const d = this.tData;
        const next = this.tNext;
        el[fieldNames[k]] = skip !== null && skip[k] ? UNREAD : this.parseMatrix(d, d + this.tBytes, depth + 1);
        off = next;
      }
      elements[i] = el;
    }
    return { kind: 'struct', shape, fieldNames, elements };
  }

  private parseSparse(off: number, end: number, shape: number[], nzmax: number, complex: boolean, logical: boolean): MatSparse {
    if (shape.length !== 2) this.fail(off, `expected a 2-D sparse matrix, found ${shape.length} dimensions`);
    const [m, n] = shape;
    const irAt = off;
    const ir = this.storedArray(off, end, 'row indices');
    off = this.tNext;
    const jcAt = off;
    const jc = this.storedArray(off, end, 'column pointers');
    off = this.tNext;
    if (isBig(ir) || isBig(jc)) this.fail(irAt, 'expected int32 sparse indices, found 64-bit integers');
    if (jc.length !== n + 1) this.fail(jcAt, `expected ${n + 1} column pointers for ${n} columns, found ${jc.length}`);
    const nnz = jc[n];
    if (jc[0] !== 0 || !(nnz <= ir.length)) this.fail(jcAt, `expected column pointers from 0 to at most ${ir.length}, found ${jc[0]}..${nnz}`);
    void nzmax;
    const rows = new Int32Array(nnz);
    const cols = new Int32Array(nnz);
    for (let c = 0; c < n; c++) {
      const a = jc[c];
      const b = jc[c + 1];
      if (b < a || b > nnz) this.fail(jcAt, `expected non-decreasing column pointers, column ${c + 1} spans ${a}..${b}`);
      for (let k = a; k < b; k++) {
        const r = ir[k];
        if (!(r >= 0 && r < m)) this.fail(irAt, `expected row indices in [0, ${m}), entry ${k} is ${r}`);
        rows[k] = r;
        cols[k] = c;
      }
    }
    const valuesFrom = (at: number, what: string): Float64Array => {
      const raw = this.storedArray(at, end, what);
      if (raw.length < nnz) this.fail(at, `expected ${nnz} sparse ${what} values, found ${raw.length}`);
      const out = new Float64Array(nnz);
      if (isBig(raw)) for (let k = 0; k < nnz; k++) out[k] = Number(raw[k]);
      else out.set(raw.length === nnz ? raw : raw.subarray(0, nnz));
      return out;
    };
    if (logical) {
      // Some writers omit the values of a logical sparse matrix: every stored entry is true.
      const values = new Uint8Array(nnz);
      if (off >= end) values.fill(1);
      else {
        const v = valuesFrom(off, 'logical');
        for (let k = 0; k < nnz; k++) values[k] = v[k] !== 0 ? 1 : 0;
      }
      return { kind: 'sparse', shape: [m, n], logical: true, rows, cols, values };
    }
    const values = valuesFrom(off, 'real');
    if (!complex) return { kind: 'sparse', shape: [m, n], logical: false, rows, cols, values };
    const imag = valuesFrom(this.tNext, 'imaginary');
    return { kind: 'sparse', shape: [m, n], logical: false, rows, cols, values, imag };
  }
}

const utf8Decoder = new TextDecoder('utf-8');

function latin1(bytes: Uint8Array, at: number, n: number): string {
  return fromCodes(bytes.subarray(at, at + n));
}

/** String from UTF-16 code units (chunked: `fromCharCode.apply` has an argument-count limit). */
function fromCodes(codes: Uint16Array | Uint8Array): string {
  const CH = 8192;
  if (codes.length <= CH) return String.fromCharCode.apply(null, codes as unknown as number[]);
  let s = '';
  for (let i = 0; i < codes.length; i += CH) {
    s += String.fromCharCode.apply(null, codes.subarray(i, i + CH) as unknown as number[]);
  }
  return s;
}


/**
 * NumPy `.npy` reader and writer, and `.npz` (a ZIP of `.npy` members, stored or Deflate) reader.
 * Format versions 1.0, 2.0 and 3.0; dtypes `f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1` in either byte
 * order. Data are always returned in C (row-major) order: Fortran-ordered files are transposed on
 * read (`fortranOrder` reports what the file said).
 * @module
 */
import { FormatError } from '../errors.js';
import { ArchiveError } from '../download/errors.js';
import { zipSync } from 'fflate';
import { unzipBytes } from '../sources/zip.js';

/**
 * NumPy dtypes read and written (byte order is handled on read; writes are little-endian).
 * @example
 * ```ts
 * const d: NpyDType = readNpy(bytes).dtype; // 'f8'
 * ```
 */
export type NpyDType = 'f4' | 'f8' | 'i1' | 'i2' | 'i4' | 'i8' | 'u1' | 'u2' | 'u4' | 'u8' | 'b1';

/**
 * The typed array of each dtype (`b1` is a `Uint8Array` of 0/1; `i8`/`u8` are BigInt arrays unless `int64AsNumber`).
 * @example
 * ```ts
 * const a = readNpy(bytes) as NpyArray<'f4'>; const d: NpyDTypeArrays['f4'] = a.data;
 * ```
 */
export interface NpyDTypeArrays {
  f4: Float32Array;
  f8: Float64Array;
  i1: Int8Array;
  i2: Int16Array;
  i4: Int32Array;
  i8: BigInt64Array | Float64Array;
  u1: Uint8Array;
  u2: Uint16Array;
  u4: Uint32Array;
  u8: BigUint64Array | Float64Array;
  b1: Uint8Array;
}

/**
 * Any typed array an `NpyArray` can hold.
 * @example
 * ```ts
 * const d: NpyData = readNpy(bytes).data;
 * ```
 */
export type NpyData = NpyDTypeArrays[NpyDType];

/**
 * A NumPy array: C-order `data`, `shape` (`[]` for a 0-d scalar array).
 * @example
 * ```ts
 * const a = readNpy(bytes, 'x.npy'); // { dtype: 'f8', shape: [2, 3], data: Float64Array(6), fortranOrder: false }
 * a.data[1 * 3 + 2]; // element [1, 2]
 * ```
 */
export interface NpyArray<D extends NpyDType = NpyDType> {
  dtype: D;
  shape: number[];
  data: NpyDTypeArrays[D];
  /** The file's `fortran_order` flag (the data returned are C order either way). */
  fortranOrder: boolean;
}

/**
 * Options of `readNpy` / `readNpz`.
 * @example
 * ```ts
 * readNpz(bytes, 'spikes.npz', { int64AsNumber: true }).start.data; // Float64Array
 * ```
 */
export interface ReadNpyOptions {
  /** Return `i8`/`u8` data as `Float64Array` (exact up to 2^53) instead of BigInt arrays. */
  int64AsNumber?: boolean;
}

type Ctor = { new (n: number): NpyData; BYTES_PER_ELEMENT: number };
const CTORS: Record<NpyDType, Ctor> = {
  f4: Float32Array,
  f8: Float64Array,
  i1: Int8Array,
  i2: Int16Array,
  i4: Int32Array,
  i8: BigInt64Array as unknown as Ctor,
  u1: Uint8Array,
  u2: Uint16Array,
  u4: Uint32Array,
  u8: BigUint64Array as unknown as Ctor,
  b1: Uint8Array,
};
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Reads one `.npy` file.
 * @throws FormatError on a bad magic, header, dtype, or truncated data (file, byte offset, what was expected)
 * @example
 * ```ts
 * const a = readNpy(await platform.readFile('x.npy'), 'x.npy');
 * ```
 */
export function readNpy(bytes: Uint8Array, fileName = '<bytes>', options: ReadNpyOptions = {}): NpyArray {
  const fail = (off: number, what: string): never => {
    throw new FormatError(fileName, what, off);
  };
  if (bytes.length < 10) fail(bytes.length, `expected a .npy header of at least 10 bytes, file has ${bytes.length}`);
  for (let i = 0; i < 6; i++) if (bytes[i] !== MAGIC[i]) fail(i, 'expected the .npy magic string \\x93NUMPY');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail(bytes.length, `expected a 12-byte version ${major} preamble`);
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    return fail(6, `expected .npy format version 1, 2 or 3, found ${major}.${bytes[7]}`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) fail(bytes.length, `expected a ${headerLen}-byte header dictionary, only ${bytes.length - headerStart} bytes left`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header);
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr) return fail(headerStart, `expected a 'descr' entry in the header ${JSON.stringify(header.trim())}`);
  if (!fortran) return fail(headerStart, `expected a 'fortran_order' entry (True/False) in the header ${JSON.stringify(header.trim())}`);
  if (!shapeM) return fail(headerStart, `expected a 'shape' tuple in the header ${JSON.stringify(header.trim())}`);
  const shape: number[] = [];
  for (const part of shapeM[1].split(',')) {
    const p = part.trim().replace(/L$/, '');
    if (p === '') continue;
    if (!/^\d+$/.test(p)) fail(headerStart, `expected non-negative integer dimensions in 'shape', found '${part.trim()}'`);
    shape.push(Number(p));
  }
  const d = descr[1];
  const order = d[0];
  const code = (order === '<' || order === '>' || order === '|' || order === '=' ? d.slice(1) : d) as NpyDType;
  const ctor = CTORS[code];
  if (ctor === undefined || !Object.prototype.hasOwnProperty.call(CTORS, code)) {
    return fail(headerStart, `expected a dtype among ${Object.keys(CTORS).join(' ')} (either byte order), found '${d}'`);
  }
  const little = order === '>' ? false : order === '=' ? HOST_LE : true;
  const size = ctor.BYTES_PER_ELEMENT;
  const count = shape.reduce((a, b) => a * b, 1);
  const nbytes = count * size;
  if (nbytes > bytes.length - dataStart) {
    fail(dataStart, `expected ${nbytes} bytes of data for shape (${shape.join(', ')}) of '${d}', only ${bytes.length - dataStart} left (truncated file?)`);
  }
  let data: NpyData = new ctor(count);
  if (size === 1 || little === HOST_LE) {
    new Uint8Array(data.buffer, data.byteOffset, nbytes).set(bytes.subarray(dataStart, dataStart + nbytes));
  } else {
    const out = data;
    for (let i = 0; i < count; i++) {
      const o = dataStart + i * size;
      switch (code) {
        case 'f4': out[i] = view.getFloat32(o, little); break;
        case 'f8': out[i] = view.getFloat64(o, little); break;
        case 'i2': out[i] = view.getInt16(o, little); break;
        case 'u2': out[i] = view.getUint16(o, little); break;
        case 'i4': out[i] = view.getInt32(o, little); break;
        case 'u4': out[i] = view.getUint32(o, little); break;
        case 'i8': out[i] = view.getBigInt64(o, little); break;
        default: out[i] = view.getBigUint64(o, little); break;
      }
    }
  }
  if (code === 'b1') for (let i = 0; i < count; i++) if (data[i] !== 0) data[i] = 1;
  const fortranOrder = fortran[1] === 'True';
  if (fortranOrder && shape.length > 1) data = fortranToC(data, shape);
  if (options.int64AsNumber && (data instanceof BigInt64Array || data instanceof BigUint64Array)) {
    const f = new Float64Array(count);
    for (let i = 0; i < count; i++) f[i] = Number(data[i]);
    data = f;
  }
  return { dtype: code, shape, data, fortranOrder };
}

/** Reorders column-major data to row-major for the same shape. */
function fortranToC(src: NpyData, shape: number[]): NpyData {
  const n = src.length;
  const out = new (src.constructor as Ctor)(n);
  const nd = shape.length;
  // Strides of the Fortran layout; walk the C layout with an index odometer.
  const fStride = new Array<number>(nd);
  let s = 1;
  for (let k = 0; k < nd; k++) {
    fStride[k] = s;
    s *= shape[k];
  }
  const idx = new Array<number>(nd).fill(0);
  let fOff = 0;
  for (let c = 0; c < n; c++) {
    out[c] = src[fOff];
    for (let k = nd - 1; k >= 0; k--) {
      idx[k]++;
      fOff += fStride[k];
      if (idx[k] < shape[k]) break;
      fOff -= fStride[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/**
 * Reads an `.npz` archive (`np.savez` / `np.savez_compressed`): every `<key>.npy` member, by key.
 * @throws FormatError for a bad ZIP (naming the archive), a member whose CRC-32 is wrong (naming the
 *   member and both CRCs), or a bad `.npy` member (naming `archive:member`)
 * @example
 * ```ts
 * const { unit, spike_times } = readNpz(bytes, 'spikes.npz', { int64AsNumber: true });
 * ```
 */
export function readNpz(bytes: Uint8Array, fileName = '<bytes>', options: ReadNpyOptions = {}): Record<string, NpyArray> {
  let members: ReturnType<typeof unzipBytes>;
  try {
    members = unzipBytes(bytes, fileName); // every member's CRC-32 checked, as numpy ("Bad CRC-32")
  } catch (e) {
    if (!(e instanceof ArchiveError) || e.entry !== '') throw e;
    throw new FormatError(fileName, `expected a ZIP archive of .npy members (${e.message})`, undefined, { cause: e });
  }
  const out: Record<string, NpyArray> = {};
  for (const { entry, data } of members) {
    const name = entry.name;
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    if (key === '__proto__') throw new FormatError(`${fileName}:${name}`, 'invalid member name');
    out[key] = readNpy(data, `${fileName}:${name}`, options);
  }
  return out;
}

/** Typed arrays `writeNpy` accepts, with the dtype each one maps to. */
const WRITE_DTYPES: [abstract new (...a: never[]) => unknown, NpyDType][] = [
  [Float32Array, 'f4'], [Float64Array, 'f8'], [Int8Array, 'i1'], [Int16Array, 'i2'], [Int32Array, 'i4'],
  [BigInt64Array, 'i8'], [Uint8Array, 'u1'], [Uint16Array, 'u2'], [Uint32Array, 'u4'], [BigUint64Array, 'u8'],
];

/**
 * Writes a `.npy` (version 1.0, little-endian, C order, header padded to 64 bytes like NumPy).
 * @param array `data` in C order; `dtype` defaults from the typed array (`'b1'` must be given explicitly)
 * @example
 * ```ts
 * const bytes = writeNpy({ shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) });
 * readNpy(bytes).dtype; // 'f4'
 * ```
 */
export function writeNpy(array: { shape: readonly number[]; data: NpyData; dtype?: NpyDType }): Uint8Array {
  const { shape, data } = array;
  const dtype = array.dtype ?? WRITE_DTYPES.find(([c]) => data instanceof c)?.[1];
  if (dtype === undefined) throw new TypeError('writeNpy: data must be a typed array');
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`writeNpy: shape (${shape.join(', ')}) holds ${count} elements, data has ${data.length}`);
  const ctor = CTORS[dtype];
  const order = ctor.BYTES_PER_ELEMENT === 1 ? '|' : '<';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${order}${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + dict.length + count * ctor.BYTES_PER_ELEMENT);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  let typed: NpyData = data;
  if (!(data instanceof ctor)) {
    typed = new ctor(count);
    const bigDst = typed instanceof BigInt64Array || typed instanceof BigUint64Array;
    for (let i = 0; i < count; i++) typed[i] = bigDst ? BigInt(data[i]) : Number(data[i]);
  }
  const dst = out.subarray(10 + dict.length);
  if (HOST_LE) dst.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
  else throw new Error('writeNpy: big-endian hosts are not supported');
  return out;
}

/**
 * Writes a `.npz` as NumPy's `savez_compressed` does: a ZIP whose members `<key>.npy` (in the
 * order given) are Deflate-compressed `.npy` files (see {@link writeNpy}).
 * @example
 * ```ts
 * const bytes = writeNpz({ unit: { shape: [2], data: new Int32Array([0, 1]) } });
 * readNpz(bytes).unit.data; // Int32Array [0, 1]
 * ```
 */
export function writeNpz(arrays: Record<string, { shape: readonly number[]; data: NpyData; dtype?: NpyDType }>): Uint8Array {
  const members: Record<string, Uint8Array> = {};
  for (const [key, array] of Object.entries(arrays)) members[`${key}.npy`] = writeNpy(array);
  return zipSync(members, { level: 6 });
}

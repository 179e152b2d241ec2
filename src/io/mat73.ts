/**
 * MATLAB v7.3 files (HDF5 with MATLAB's conventions) decoded into the same `MatValue`s as v5,
 * plus `readMatAsync`, which reads either version.
 *
 * MATLAB writes each array as an HDF5 dataset whose HDF5 shape is the MATLAB shape reversed
 * (so the bytes are already column-major); the class is in the `MATLAB_class` attribute; empty
 * arrays have `MATLAB_empty = 1` and store their dimensions as data; cells are datasets of object
 * references into `/#refs#`; a scalar struct is a group; a struct array is a group whose fields are
 * datasets of references (one per element); sparse matrices are groups with `data`, `ir`, `jc`.
 * @module
 */
import { FormatError } from '../errors.js';
import { readHdf5, type Hdf5Data, type Hdf5Dataset, type Hdf5Group, type Hdf5Node, type Hdf5Reference } from './hdf5.js';
import { isMatV73, readMat } from './mat5.js';
import type { MatChar, MatNumeric, MatNumericClass, MatNumericData, MatValue, ReadMatOptions } from './mat-types.js';

type Ctor = { new (n: number): MatNumericData; from(a: ArrayLike<number>): MatNumericData };
const CLASS_CTORS: Record<MatNumericClass, Ctor> = {
  double: Float64Array,
  single: Float32Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array as unknown as Ctor,
  uint64: BigUint64Array as unknown as Ctor,
};
const isNumericClass = (c: string): c is MatNumericClass => Object.prototype.hasOwnProperty.call(CLASS_CTORS, c);

/**
 * Reads a MAT file of any version: v5/v6/v7 synchronously through `readMat`, v7.3 (HDF5) through
 * h5wasm. Same result type and options as `readMat`.
 * @throws FormatError for malformed files of either kind
 * @example
 * ```ts
 * const vars = await readMatAsync(bytes, 'recording.mat');
 * ```
 */
export async function readMatAsync(bytes: Uint8Array, fileName = '<bytes>', options: ReadMatOptions = {}): Promise<Record<string, MatValue>> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`readMatAsync(${fileName}): expected a Uint8Array`);
  if (!isMatV73(bytes)) return readMat(bytes, fileName, options);
  const root = await readHdf5(bytes, fileName);
  return matFromHdf5(root, fileName, options);
}

/**
 * Converts an HDF5 tree written by MATLAB (v7.3) into MAT values by variable name.
 * @example
 * ```ts
 * const vars = matFromHdf5(await readHdf5(bytes, name), name);
 * ```
 */
export function matFromHdf5(root: Hdf5Group, fileName = '<bytes>', options: ReadMatOptions = {}): Record<string, MatValue> {
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  const wanted = options.variables ? new Set(options.variables) : null;
  const index = new Map<string, Hdf5Node>();
  const walk = (n: Hdf5Node) => {
    index.set(n.path, n);
    if (n.kind === 'group') for (const c of Object.values(n.children)) walk(c);
  };
  walk(root);
  const conv = new V73Converter(fileName, index, warn);
  const out: Record<string, MatValue> = {};
  for (const [name, node] of Object.entries(root.children)) {
    if (name.startsWith('#')) continue; // '#refs#', '#subsystem#'
    if (wanted && !wanted.has(name)) continue;
    const v = conv.value(node, 0);
    if (v.kind !== 'skipped') out[name] = v;
  }
  return out;
}

const text = (v: Hdf5Data | undefined): string => {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  if (v instanceof Uint8Array || v instanceof Int8Array) return String.fromCharCode(...v).replace(/\0+$/, '');
  return '';
};

class V73Converter {
  constructor(
    readonly file: string,
    readonly index: Map<string, Hdf5Node>,
    readonly warn: (m: string) => void,
  ) {}

  fail(path: string, what: string): never {
    throw new FormatError(this.file, `${path}: ${what}`);
  }

  deref(r: Hdf5Data, from: string, depth: number): MatValue {
    const ref = r as Hdf5Reference;
    if (!ref || typeof ref !== 'object' || (ref as { kind?: string }).kind !== 'reference') this.fail(from, 'expected an object reference');
    const target = this.index.get(ref.path);
    if (!target) this.fail(from, `expected a reference to an object of the file, found '${ref.path}'`);
    return this.value(target, depth + 1);
  }

  value(node: Hdf5Node, depth: number): MatValue {
    if (depth > 100) this.fail(node.path, 'expected at most 100 levels of nested references');
    if (node.kind === 'link') this.fail(node.path, `expected a dataset or group, found an unresolved link to '${node.target}'`);
    const cls = text(node.attrs.MATLAB_class);
    if (node.kind === 'group') return this.group(node, cls, depth);
    return this.dataset(node, cls, depth);
  }

  private skipped(path: string, cls: string): MatValue {
    this.warn(`${this.file}: skipped MATLAB ${cls || 'object'} value ${path} (objects are not decoded)`);
    return { kind: 'skipped', matlabClass: 'object', className: cls };
  }

  private dataset(node: Hdf5Dataset, cls: string, depth: number): MatValue {
    const shape = node.shape.length === 0 ? [1, 1] : node.shape.slice().reverse();
    if (shape.length === 1) shape.push(1);
    if (node.attrs.MATLAB_object_decode !== undefined) return this.skipped(node.path, cls);
    const empty = node.attrs.MATLAB_empty;
    if (empty !== undefined && Number(Array.isArray(empty) || ArrayBuffer.isView(empty) ? (empty as ArrayLike<unknown>)[0] : empty) !== 0) {
      const dims = ArrayBuffer.isView(node.value) ? Array.from(node.value as ArrayLike<number | bigint>, Number) : [0, 0];
      return this.emptyOf(cls || 'double', dims.length >= 2 ? dims : [0, 0], node.path);
    }
    const v = node.value;
    if (cls === 'cell') {
      if (!Array.isArray(v)) this.fail(node.path, 'expected a cell array of object references');
      return { kind: 'cell', shape, cells: v.map((r) => this.deref(r, node.path, depth)) };
    }
    if (cls === 'char') {
      if (!ArrayBuffer.isView(v)) this.fail(node.path, 'expected character codes');
      return charValue(Array.from(v as ArrayLike<number>, Number), shape);
    }
    if (cls === 'logical') {
      if (!ArrayBuffer.isView(v)) this.fail(node.path, 'expected logical values');
      const data = Uint8Array.from(v as ArrayLike<number>, (x) => (Number(x) !== 0 ? 1 : 0));
      return { kind: 'logical', shape, data };
    }
    if (cls === '' || isNumericClass(cls)) return this.numeric(node, cls, shape);
    return this.skipped(node.path, cls);
  }

  private numeric(node: Hdf5Dataset, cls: string, shape: number[]): MatValue {
    const v = node.value;
    // Complex arrays are a compound {real, imag}: h5wasm yields [re, im] pairs.
    if (Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2)) {
      const c = (cls || 'double') as MatNumericClass;
      return {
        kind: 'numeric',
        class: c,
        shape,
        data: toClass(c, (v as Hdf5Data[][]).map((p) => p[0] as number)),
        imag: toClass(c, (v as Hdf5Data[][]).map((p) => p[1] as number)),
      } as MatNumeric;
    }
    let values: ArrayLike<number | bigint>;
    if (ArrayBuffer.isView(v)) values = v as ArrayLike<number | bigint>;
    else if (typeof v === 'number' || typeof v === 'bigint') values = [v];
    else return this.fail(node.path, `expected numeric data for MATLAB class '${cls || 'double'}', found ${typeof v}`);
    const c: MatNumericClass = cls ? (cls as MatNumericClass) : ArrayBuffer.isView(v) ? classOfTyped(v) : 'double';
    return { kind: 'numeric', class: c, shape, data: toClass(c, values) } as MatNumeric;
  }

  private emptyOf(cls: string, shape: number[], path: string): MatValue {
    if (cls === 'char') return { kind: 'char', shape, text: '', rows: [] };
    if (cls === 'cell') return { kind: 'cell', shape, cells: [] };
    if (cls === 'struct') return { kind: 'struct', shape, fieldNames: [], elements: [] };
    if (cls === 'logical') return { kind: 'logical', shape, data: new Uint8Array(0) };
    if (isNumericClass(cls)) return { kind: 'numeric', class: cls, shape, data: new CLASS_CTORS[cls](0) } as MatNumeric;
    return this.skipped(path, cls);
  }

  private group(node: Hdf5Group, cls: string, depth: number): MatValue {
    if (cls !== '' && cls !== 'struct') {
      if (node.attrs.MATLAB_sparse !== undefined) return this.sparse(node, cls);
      return this.skipped(node.path, cls);
    }
    const fieldNames = this.fieldOrder(node);
    const fields = fieldNames.map((f) => node.children[f]);
    // A struct array: every field is a dataset of references without a MATLAB class.
    const isArray =
      fields.length > 0 &&
      fields.every((f) => f.kind === 'dataset' && f.attrs.MATLAB_class === undefined && Array.isArray(f.value) && f.value.every((r) => (r as Hdf5Reference | null)?.kind === 'reference'));
    if (!isArray) {
      const el: Record<string, MatValue> = {};
      fieldNames.forEach((f, k) => (el[f] = this.value(fields[k], depth + 1)));
      return { kind: 'struct', shape: [1, 1], fieldNames, elements: [el] };
    }
    const first = fields[0] as Hdf5Dataset;
    const shape = first.shape.slice().reverse();
    if (shape.length === 1) shape.push(1);
    const numel = (first.value as Hdf5Data[]).length;
    const elements: Record<string, MatValue>[] = [];
    for (let i = 0; i < numel; i++) {
      const el: Record<string, MatValue> = {};
      fieldNames.forEach((f, k) => {
        const refs = (fields[k] as Hdf5Dataset).value as Hdf5Data[];
        if (refs.length !== numel) this.fail(fields[k].path, `expected ${numel} references (one per struct element), found ${refs.length}`);
        el[f] = this.deref(refs[i], fields[k].path, depth);
      });
      elements.push(el);
    }
    return { kind: 'struct', shape, fieldNames, elements };
  }

  /** Field order: MATLAB_fields when readable, else the group's (name) order. */
  private fieldOrder(node: Hdf5Group): string[] {
    const names = Object.keys(node.children);
    const mf = node.attrs.MATLAB_fields;
    if (Array.isArray(mf)) {
      const decoded = mf.map((x) => (typeof x === 'string' ? x : Array.isArray(x) ? x.map((c) => (typeof c === 'string' ? c : String.fromCharCode(Number(c)))).join('') : ArrayBuffer.isView(x) ? String.fromCharCode(...(x as Uint8Array)) : ''));
      if (decoded.length === names.length && decoded.every((d) => names.includes(d))) return decoded;
    }
    return names;
  }

  private sparse(node: Hdf5Group, cls: string): MatValue {
    const ms = node.attrs.MATLAB_sparse;
    const m = Number(ArrayBuffer.isView(ms) || Array.isArray(ms) ? (ms as ArrayLike<unknown>)[0] : ms);
    const jcNode = node.children.jc;
    if (!jcNode || jcNode.kind !== 'dataset' || !ArrayBuffer.isView(jcNode.value)) this.fail(node.path, "expected a 'jc' dataset in a sparse matrix");
    const jc = Array.from(jcNode.value as ArrayLike<number | bigint>, Number);
    const n = jc.length - 1;
    const nnz = jc[n] ?? 0;
    const irNode = node.children.ir;
    const dataNode = node.children.data;
    const ir = irNode && irNode.kind === 'dataset' && ArrayBuffer.isView(irNode.value) ? Array.from(irNode.value as ArrayLike<number | bigint>, Number) : [];
    const vals = dataNode && dataNode.kind === 'dataset' && ArrayBuffer.isView(dataNode.value) ? Array.from(dataNode.value as ArrayLike<number | bigint>, Number) : [];
    if (ir.length < nnz || (vals.length < nnz && nnz > 0)) this.fail(node.path, `expected ${nnz} row indices and values, found ${ir.length} and ${vals.length}`);
    const rows = new Int32Array(nnz);
    const cols = new Int32Array(nnz);
    for (let c = 0; c < n; c++) {
      for (let k = jc[c]; k < jc[c + 1] && k < nnz; k++) {
        if (!(ir[k] >= 0 && ir[k] < m)) this.fail(node.path, `expected row indices in [0, ${m}), entry ${k} is ${ir[k]}`);
        rows[k] = ir[k];
        cols[k] = c;
      }
    }
    const logical = cls === 'logical';
    const values = logical ? Uint8Array.from(vals.slice(0, nnz), (x) => (x !== 0 ? 1 : 0)) : Float64Array.from(vals.slice(0, nnz));
    return { kind: 'sparse', shape: [m, n], logical, rows, cols, values };
  }
}

function classOfTyped(v: ArrayBufferView): MatNumericClass {
  if (v instanceof Float32Array) return 'single';
  if (v instanceof Int8Array) return 'int8';
  if (v instanceof Uint8Array) return 'uint8';
  if (v instanceof Int16Array) return 'int16';
  if (v instanceof Uint16Array) return 'uint16';
  if (v instanceof Int32Array) return 'int32';
  if (v instanceof Uint32Array) return 'uint32';
  if (v instanceof BigInt64Array) return 'int64';
  if (v instanceof BigUint64Array) return 'uint64';
  return 'double';
}

function toClass(cls: MatNumericClass, values: ArrayLike<number | bigint>): MatNumericData {
  const ctor = CLASS_CTORS[cls];
  const out = new ctor(values.length);
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (big) out[i] = typeof x === 'bigint' ? x : Number.isFinite(x) ? BigInt(Math.trunc(x)) : 0n;
    else out[i] = Number(x);
  }
  return out;
}

function charValue(codes: number[], shape: number[]): MatChar {
  const R = shape[0];
  const numel = codes.length;
  let all = '';
  for (let i = 0; i < numel; i += 8192) all += String.fromCharCode(...codes.slice(i, i + 8192));
  if (numel === 0) return { kind: 'char', shape, text: '', rows: [] };
  if (R === 1) return { kind: 'char', shape, text: all, rows: [all] };
  const C = numel / R;
  const rows: string[] = [];
  for (let r = 0; r < R; r++) {
    let s = '';
    for (let c = 0; c < C; c++) s += all[r + R * c];
    rows.push(s);
  }
  return { kind: 'char', shape, text: rows.join('\n'), rows };
}

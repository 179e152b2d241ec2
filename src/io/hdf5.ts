/**
 * HDF5 reader (h5wasm, the HDF5 C library compiled to WebAssembly): the whole file as a plain tree
 * of groups, datasets and attributes. Datasets keep HDF5's row-major (C) order and shape.
 * Asynchronous because h5wasm's module loads asynchronously. The same in Node and browsers:
 * src/io/h5wasm-file.ts opens the bytes in h5wasm's in-memory file system and refuses every other
 * file the library tries to open (external raw data files, virtual dataset sources, external
 * links). A dataset whose values would come from another file is a `FormatError`, an external
 * link an `Hdf5Link`: this reader reads only the file it was given.
 * @module
 */
import { FormatError } from '../errors.js';
import { hdf5Diagnostics, hdf5Reason, openHdf5, refusedFiles, type H5WasmModule, type Hdf5Handle } from './h5wasm-file.js';
import { checkHdf5Termination } from './hdf5-guard.js';

/**
 * A reference stored in a dataset or attribute, resolved to the path of its target.
 * @example
 * ```ts
 * const ref = (ds.value as Hdf5Reference[])[0]; ref.path; // '/#refs#/a'
 * ```
 */
export interface Hdf5Reference {
  readonly kind: 'reference';
  /** Path of the referenced object, or `''` when it cannot be resolved. */
  readonly path: string;
}

/**
 * A decoded dataset or attribute value: typed arrays for numeric arrays (C order), `string` /
 * `string[]` for strings, numbers / bigints / booleans for scalars, nested arrays for compound or
 * array types, references as `Hdf5Reference`.
 * @example
 * ```ts
 * const v: Hdf5Data = ds.value; if (v instanceof Float64Array) use(v);
 * ```
 */
export type Hdf5Data =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | string
  | number
  | bigint
  | boolean
  | null
  | Hdf5Reference
  | Hdf5Data[];

/**
 * A dataset: `shape` (`[]` for a scalar), h5wasm's `dtype` code (e.g. `'<d'`, `'<i4'`, `'S'`),
 * its `value` and attributes.
 * @example
 * ```ts
 * const st = (root.children.trial as Hdf5Group).children.spike_times as Hdf5Dataset;
 * st.value; // Float64Array
 * ```
 */
export interface Hdf5Dataset {
  readonly kind: 'dataset';
  readonly path: string;
  readonly shape: number[];
  readonly dtype: string;
  readonly value: Hdf5Data;
  readonly attrs: Record<string, Hdf5Data>;
}

/**
 * A group: attributes and children by name, in name order (as h5py's `keys()`).
 * @example
 * ```ts
 * for (const [name, node] of Object.entries(root.children)) console.log(name, node.kind);
 * ```
 */
export interface Hdf5Group {
  readonly kind: 'group';
  readonly path: string;
  readonly attrs: Record<string, Hdf5Data>;
  readonly children: Record<string, Hdf5Node>;
}

/**
 * A link that is not followed, a committed datatype, or a group already read at another path.
 * `target`: an external link's `'<file>:<path>'` (never opened: src/io/h5wasm-file.ts), a
 * dangling soft link's path, or the path where the group was read (hard links may share a group or
 * loop back to an ancestor; each group is read once).
 * @example
 * ```ts
 * if (node.kind === 'link') console.log(node.target);
 * ```
 */
export interface Hdf5Link {
  readonly kind: 'link';
  readonly path: string;
  readonly target: string;
}

/**
 * Any node of the tree.
 * @example
 * ```ts
 * const n: Hdf5Node = root.children.x; if (n.kind === 'dataset') n.value;
 * ```
 */
export type Hdf5Node = Hdf5Group | Hdf5Dataset | Hdf5Link;

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Offset of the HDF5 superblock signature (0, 512, 1024, 2048, ...), or -1.
 * @example
 * ```ts
 * hdf5SignatureOffset(bytes) >= 0; // an HDF5 (or MATLAB v7.3) file
 * ```
 */
export function hdf5SignatureOffset(bytes: Uint8Array): number {
  for (let off = 0; off + 8 <= bytes.length; off = off === 0 ? 512 : off * 2) {
    let ok = true;
    for (let i = 0; i < 8 && ok; i++) ok = bytes[off + i] === SIGNATURE[i];
    if (ok) return off;
  }
  return -1;
}

/**
 * Reads a whole HDF5 file into a tree of groups, datasets and attributes.
 * @param bytes the whole file (a MATLAB v7.3 file works too: the 512-byte header is a user block),
 *   used in place (not copied) until the returned promise settles: do not change it meanwhile
 * @param fileName named in error messages
 * @throws FormatError when the signature is missing, the file has a structure the HDF5 library would
 *   loop forever on (src/io/hdf5-guard.ts), the library rejects the file or a dataset, or the file
 *   takes a dataset's values from another file (external raw data files, a virtual dataset's
 *   source file): deepstrf reads only the file it was given (an external link stays an `Hdf5Link`)
 * @example
 * ```ts
 * const root = await readHdf5(new Uint8Array(await (await fetch('unit.h5')).arrayBuffer()), 'unit.h5');
 * Object.keys(root.children); // ['stim_01', ...]
 * ```
 */
export async function readHdf5(bytes: Uint8Array, fileName = '<bytes>'): Promise<Hdf5Group> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`readHdf5(${fileName}): expected a Uint8Array`);
  const signatureAt = hdf5SignatureOffset(bytes);
  if (signatureAt < 0) {
    throw new FormatError(fileName, 'expected the HDF5 signature \\x89HDF\\r\\n\\x1a\\n at byte 0, 512, 1024, ... (not an HDF5 file)', 0);
  }
  checkHdf5Termination(bytes, signatureAt, fileName);
  let handle: Hdf5Handle;
  try {
    handle = await openHdf5(bytes);
  } catch (e) {
    throw new FormatError(fileName, `the HDF5 library cannot open the file (${errorText(e)})`, undefined, { cause: e });
  }
  try {
    const { h5, file } = handle;
    return handle.read(() => readGroup(h5, file, groupAddress(file), '/', fileName, 0, new Map()));
  } finally {
    try {
      handle.close();
    } catch {
      // Closing a file whose reading failed may fail too; the first error is the one to report.
    }
  }
}

/**
 * Why a dataset stored in another file is refused (here and in src/io/hdf5-sync.ts).
 * @example
 * ```ts
 * throw new FormatError(file, `/x stores its values in external file 'raw.bin'; ${ONLY_THIS_FILE}`);
 * ```
 */
export const ONLY_THIS_FILE = 'deepstrf reads only the file it was given';

/**
 * Throws a `FormatError` when the library tried to open another file since the last check
 * (src/io/h5wasm-file.ts refused it): `what(name)` says which part of the file named it.
 */
function refuseOtherFiles(h5: H5WasmModule, file: string, what: (other: string) => string): void {
  const others = refusedFiles(h5);
  if (others.length === 0) return;
  hdf5Diagnostics(h5); // the library's complaint about the file it could not open
  throw new FormatError(file, `${what(others[0])}; ${ONLY_THIS_FILE}`);
}

/**
 * Runs one h5wasm call: the call's failure is `failed(e)` (a `FormatError` passes as it is), and
 * a file the library tried to open meanwhile, failed or not, is the `FormatError` of
 * `refuseOtherFiles` with `other`.
 */
function h5Call<T>(h5: H5WasmModule, file: string, other: (name: string) => string, run: () => T, failed: (e: unknown) => FormatError): T {
  let out: T;
  try {
    out = run();
  } catch (e) {
    if (e instanceof FormatError) throw e;
    refuseOtherFiles(h5, file, other);
    throw failed(e);
  }
  refuseOtherFiles(h5, file, other);
  return out;
}

/**
 * An h5wasm error in one line, with the HDF5 library's own reason when `h5` is given and the library
 * printed one for the call that failed (src/io/h5wasm-file.ts keeps that text off stderr).
 */
function errorText(e: unknown, h5?: H5WasmModule): string {
  const m = (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 300);
  return h5 ? m + hdf5Reason(hdf5Diagnostics(h5)) : m;
}

type H5Group = InstanceType<H5WasmModule['Group']>;
type H5Entity = ReturnType<H5Group['get']>;
type H5Attrs = InstanceType<H5WasmModule['Dataset']>['attrs'];

/**
 * The groups read so far: object address → the path where each was read. A group reached again
 * (hard links may share a group or loop back to an ancestor) becomes an `Hdf5Link` to that path:
 * reading it as a tree again would repeat work for every path, 2^40 of them for a 40 KB file of
 * 40 groups each linked twice from the one above.
 */
type ReadGroups = Map<string, string>;

/** A group's object address as hex (h5wasm's object reference), or '' when the library gives none. */
function groupAddress(group: H5Group): string {
  let ref: Uint8Array;
  try {
    ref = group.create_reference().ref_data;
  } catch {
    return '';
  }
  return ref.some((b) => b !== 0) ? Array.from(ref, (b) => b.toString(16).padStart(2, '0')).join('') : '';
}

function readGroup(h5: H5WasmModule, group: H5Group, address: string, path: string, file: string, depth: number, read: ReadGroups): Hdf5Group {
  if (depth > 64) throw new FormatError(file, `expected groups nested at most 64 deep, at ${path}`);
  if (address) read.set(address, path);
  const children: Record<string, Hdf5Node> = {};
  const keys = h5Call(
    h5, file, (other) => `group ${path} refers to file '${other}'`, () => group.keys(),
    (e) => new FormatError(file, `cannot list group ${path} (${errorText(e, h5)})`, undefined, { cause: e }),
  );
  for (const name of keys) {
    const childPath = path === '/' ? `/${name}` : `${path}/${name}`;
    let entity: H5Entity;
    try {
      entity = group.get(name);
    } catch (e) {
      refuseOtherFiles(h5, file, (other) => `${childPath} links into file '${other}'`);
      throw new FormatError(file, `cannot open ${childPath} (${errorText(e, h5)})`, undefined, { cause: e });
    }
    // h5wasm tries to resolve an external link (refused here) before it returns it as a link.
    if (entity instanceof h5.ExternalLink) refusedFiles(h5);
    else refuseOtherFiles(h5, file, (other) => `${childPath} links into file '${other}'`);
    if (name === '__proto__') throw new FormatError(file, `invalid member name '__proto__' in ${path}`);
    children[name] = readEntity(h5, entity, childPath, file, depth, read);
  }
  return { kind: 'group', path, attrs: readAttrs(h5, group, path, file), children };
}

function readEntity(h5: H5WasmModule, entity: H5Entity, path: string, file: string, depth: number, read: ReadGroups): Hdf5Node {
  if (entity instanceof h5.Group) {
    const address = groupAddress(entity);
    const first = read.get(address);
    return first === undefined ? readGroup(h5, entity, address, path, file, depth + 1, read) : { kind: 'link', path, target: first };
  }
  if (entity instanceof h5.Dataset) {
    // h5wasm ignores a failed read (it returns the buffer as it was): a refused file shows only in h5Call's check.
    const { shape, dtype, value } = h5Call(
      h5, file, (other) => `${path} stores its values in external file '${other}'`,
      () => {
        const source = entity.metadata.virtual_sources?.find((s) => s.file_name !== '.'); // '.': this file
        if (source) throw new FormatError(file, `${path} is a virtual dataset whose values are in file '${source.file_name}'; ${ONLY_THIS_FILE}`);
        const dtype = typeof entity.dtype === 'string' ? entity.dtype : JSON.stringify(entity.dtype);
        return { shape: entity.shape ?? [], dtype, value: convert(h5, entity.value, entity) };
      },
      (e) => new FormatError(file, `cannot read dataset ${path} (${errorText(e, h5)})`, undefined, { cause: e }),
    );
    return { kind: 'dataset', path, shape, dtype, value, attrs: readAttrs(h5, entity, path, file) };
  }
  if (entity instanceof h5.ExternalLink) return { kind: 'link', path, target: `${entity.filename}:${entity.obj_path}` };
  const target = entity && 'target' in entity ? String((entity as { target: unknown }).target) : '';
  return { kind: 'link', path, target };
}

function readAttrs(h5: H5WasmModule, obj: { attrs: H5Attrs } & { dereference(ref: InstanceType<H5WasmModule['Reference']>): unknown }, path: string, file: string): Record<string, Hdf5Data> {
  const out: Record<string, Hdf5Data> = {};
  let attrs: H5Attrs;
  try {
    attrs = obj.attrs;
  } catch (e) {
    throw new FormatError(file, `cannot read the attributes of ${path} (${errorText(e, h5)})`, undefined, { cause: e });
  }
  for (const [name, attr] of Object.entries(attrs)) {
    if (name === '__proto__') continue;
    out[name] = h5Call(
      h5, file, (other) => `attribute '${name}' of ${path} refers to file '${other}'`, () => convert(h5, attr.value, obj),
      (e) => new FormatError(file, `cannot read attribute '${name}' of ${path} (${errorText(e, h5)})`, undefined, { cause: e }),
    );
  }
  return out;
}

/** h5wasm output → plain values (references resolved to paths). */
function convert(h5: H5WasmModule, v: unknown, owner: { dereference(ref: InstanceType<H5WasmModule['Reference']>): unknown }): Hdf5Data {
  if (v === null || v === undefined) return null;
  if (v instanceof h5.Reference) {
    let target: unknown = null;
    try {
      target = owner.dereference(v);
    } catch {
      target = null;
    }
    const path = target && typeof target === 'object' && 'path' in target ? String((target as { path: unknown }).path) : '';
    return { kind: 'reference', path };
  }
  if (Array.isArray(v)) return v.map((x) => convert(h5, x, owner));
  if (ArrayBuffer.isView(v)) return v as Hdf5Data;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  return null;
}

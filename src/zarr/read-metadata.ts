/**
 * Parsing and checking the JSON metadata of a deepstrf Zarr store: the root header and each
 * array's `zarr.json` (docs/zarr-layout.md). Every defect is a `FormatError` naming the file and
 * the field; nothing else comes out of these functions.
 * @module
 */
import { registry } from 'zarrita';
import { FormatError } from '../errors.js';
import { CRC_BYTES, HEADER_KEY, ZARR_FORMAT_NAME, ZARR_FORMAT_VERSION, type ZarrHeader } from './layout.js';

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNat = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

function parseJson(bytes: Uint8Array, file: string): Obj {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new FormatError(file, `not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (!isObj(v)) throw new FormatError(file, `expected a JSON object, got ${Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v}`);
  if (v.zarr_format !== 3) throw new FormatError(file, `zarr_format must be 3 (a Zarr v3 store), got ${JSON.stringify(v.zarr_format)}`);
  return v;
}

/**
 * The header of a deepstrf store from its root `zarr.json`.
 * @throws FormatError naming `file` and the field at fault
 * @example
 * ```ts
 * const h = readHeaderJson(await source.read('zarr.json'), 'store/zarr.json'); // h.S, h.N, h.stimMeta …
 * ```
 */
export function readHeaderJson(bytes: Uint8Array, file: string): ZarrHeader {
  const g = parseJson(bytes, file);
  if (g.node_type !== 'group') throw new FormatError(file, `node_type must be "group" at the store's root, got ${JSON.stringify(g.node_type)}`);
  const attrs = g.attributes;
  const h = isObj(attrs) ? attrs[HEADER_KEY] : undefined;
  if (!isObj(h)) throw new FormatError(file, `attributes.${HEADER_KEY} is missing: not a deepstrf export`);
  const bad = (field: string, want: string): never => {
    throw new FormatError(file, `attributes.${HEADER_KEY}.${field} must be ${want}, got ${JSON.stringify(h[field])?.slice(0, 80)}`);
  };
  if (h.format !== ZARR_FORMAT_NAME) bad('format', `"${ZARR_FORMAT_NAME}"`);
  if (!isNat(h.formatVersion) || h.formatVersion < 1) bad('formatVersion', 'a positive integer');
  if ((h.formatVersion as number) > ZARR_FORMAT_VERSION) {
    throw new FormatError(file, `formatVersion ${h.formatVersion} is newer than this deepstrf reads (${ZARR_FORMAT_VERSION}); upgrade deepstrf`);
  }
  if (typeof h.complete !== 'boolean') bad('complete', 'a boolean');
  if (typeof h.className !== 'string') bad('className', 'a string');
  if (typeof h.path !== 'string') bad('path', 'a string');
  if (typeof h.dtMs !== 'number' || !(h.dtMs > 0) || !Number.isFinite(h.dtMs)) bad('dtMs', 'a number > 0');
  if (h.F !== null && !(isNat(h.F) && h.F > 0)) bad('F', 'null or an integer > 0');
  if (h.audioFs !== null && !(isNat(h.audioFs) && h.audioFs > 0)) bad('audioFs', 'null or an integer > 0');
  const hr = h.hearingRangeHz;
  if (hr !== null && !(Array.isArray(hr) && hr.length === 2 && hr.every((x) => typeof x === 'number'))) bad('hearingRangeHz', 'null or [low, high]');
  if (typeof h.returnWaveform !== 'boolean') bad('returnWaveform', 'a boolean');
  if (!isNat(h.S) || h.S < 1) bad('S', 'an integer ≥ 1');
  if (!isNat(h.N) || h.N < 1) bad('N', 'an integer ≥ 1');
  if (!isNat(h.stimNdim) || h.stimNdim < 1 || h.stimNdim > 8) bad('stimNdim', 'an integer in [1, 8]');
  if (!Array.isArray(h.stimMeta) || h.stimMeta.length !== h.S) bad('stimMeta', `an array of S = ${h.S} entries`);
  if (!Array.isArray(h.nrnMeta) || h.nrnMeta.length !== h.N) bad('nrnMeta', `an array of N = ${h.N} entries`);
  const p = h.provenance;
  if (!isObj(p)) return bad('provenance', 'an object');
  if (typeof p.dataset !== 'string' || typeof p.deepstrfVersion !== 'string') bad('provenance', 'an object with strings dataset and deepstrfVersion');
  for (const [k, len] of [['stims', h.S], ['neurons', h.N]] as const) {
    const a = p[k];
    if (!Array.isArray(a) || a.length !== len || !a.every(isNat)) bad(`provenance.${k}`, `an array of ${len} indices`);
  }
  return h as unknown as ZarrHeader;
}

/**
 * What a reader needs of a data array's `zarr.json`.
 * @example
 * ```ts
 * const m: DataArrayMeta = { length: 4096, chunkElements: 1024, crc: true };
 * ```
 */
export interface DataArrayMeta {
  /** Elements in the array. */
  length: number;
  /** Elements per chunk. */
  chunkElements: number;
  /** Whether each chunk ends with a CRC-32C (`crc32c` codec). */
  crc: boolean;
}

/**
 * Checks a data array's `zarr.json` (`stims/data`, `responses/data`): float32, 1-D, a regular
 * chunk grid, the default `/` chunk keys, and the codecs a reader can range-read (`bytes`
 * little-endian, optionally followed by `crc32c`).
 * @throws FormatError naming `file` and the field at fault
 * @example
 * ```ts
 * readDataArrayJson(await source.read('responses/data/zarr.json'), 'responses/data/zarr.json').chunkElements; // 1048576
 * ```
 */
export function readDataArrayJson(bytes: Uint8Array, file: string): DataArrayMeta {
  const a = parseJson(bytes, file);
  const bad = (field: string, want: string): never => {
    throw new FormatError(file, `${field} must be ${want}, got ${JSON.stringify(a[field])?.slice(0, 120)}`);
  };
  if (a.node_type !== 'array') bad('node_type', '"array"');
  if (a.data_type !== 'float32') bad('data_type', '"float32"');
  const shape = a.shape;
  if (!Array.isArray(shape) || shape.length !== 1 || !isNat(shape[0])) bad('shape', 'a 1-D shape [length]');
  const grid = a.chunk_grid;
  const cs = isObj(grid) && grid.name === 'regular' && isObj(grid.configuration) ? grid.configuration.chunk_shape : undefined;
  if (!Array.isArray(cs) || cs.length !== 1 || !isNat(cs[0]) || cs[0] < 1) bad('chunk_grid', 'a regular grid with chunk_shape [C], C ≥ 1');
  const enc = a.chunk_key_encoding;
  const sep = isObj(enc) && isObj(enc.configuration) ? enc.configuration.separator : undefined;
  if (!isObj(enc) || enc.name !== 'default' || (sep !== undefined && sep !== '/')) bad('chunk_key_encoding', 'the default encoding with separator "/"');
  const codecs = a.codecs;
  const names = Array.isArray(codecs) ? codecs.map((c) => (isObj(c) ? c.name : undefined)) : [];
  const first = Array.isArray(codecs) && isObj(codecs[0]) ? codecs[0] : undefined;
  const endian = first && isObj(first.configuration) ? first.configuration.endian : undefined;
  const ok = (names.length === 1 || (names.length === 2 && names[1] === 'crc32c')) && names[0] === 'bytes' && (endian === 'little' || endian === undefined);
  if (!ok) bad('codecs', `[bytes (little-endian)] or [bytes, crc32c] (uncompressed, so cells are read by byte range)`);
  return { length: (shape as number[])[0], chunkElements: (cs as number[])[0], crc: names.length === 2 };
}

/**
 * Checks an index array's `zarr.json` (offsets, shapes, masks) before zarrita reads it: its data
 * type and shape (known from the header), a regular chunk grid of the same rank, and codecs
 * zarrita knows.
 * @throws FormatError naming `file` and the field at fault
 * @example
 * ```ts
 * checkIndexArrayJson(await source.read('masks/zarr.json'), 'masks/zarr.json', 'bool', [20, 73]);
 * ```
 */
export function checkIndexArrayJson(bytes: Uint8Array, file: string, dtype: string, shape: readonly number[]): void {
  const a = parseJson(bytes, file);
  const got = (field: string) => JSON.stringify(a[field])?.slice(0, 120);
  if (a.node_type !== 'array') throw new FormatError(file, `node_type must be "array", got ${got('node_type')}`);
  if (a.data_type !== dtype) throw new FormatError(file, `data_type must be "${dtype}", got ${got('data_type')}`);
  const sh = a.shape;
  if (!Array.isArray(sh) || sh.length !== shape.length || sh.some((d, i) => d !== shape[i])) {
    throw new FormatError(file, `shape must be [${shape.join(', ')}] (from the header's S, N), got ${got('shape')}`);
  }
  const grid = a.chunk_grid;
  const cs = isObj(grid) && grid.name === 'regular' && isObj(grid.configuration) ? grid.configuration.chunk_shape : undefined;
  if (!Array.isArray(cs) || cs.length !== shape.length || !cs.every((c) => isNat(c) && c >= 1 && c <= 2 ** 26)) {
    throw new FormatError(file, `chunk_grid must be a regular grid with ${shape.length} chunk sizes in [1, 2^26], got ${got('chunk_grid')}`);
  }
  const codecs = a.codecs;
  if (!Array.isArray(codecs) || codecs.length === 0 || !codecs.every((c) => isObj(c) && typeof c.name === 'string' && registry.has(c.name))) {
    throw new FormatError(file, `codecs must be a list of codecs zarrita reads (${[...registry.keys()].join(', ')}), got ${got('codecs')}`);
  }
}

/** Bytes of one stored data chunk. */
export function dataChunkBytes(m: DataArrayMeta): number {
  return 4 * m.chunkElements + (m.crc ? CRC_BYTES : 0);
}

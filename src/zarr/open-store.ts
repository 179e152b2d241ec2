/**
 * Opening a deepstrf Zarr store: the header, the two data arrays' metadata and the index arrays
 * (offsets, shapes, masks, read with zarrita), each checked against the others. What a
 * `ZarrDataset` holds from the moment it opens (docs/zarr-layout.md).
 * @module
 */
import * as zarr from 'zarrita';
import { FormatError } from '../errors.js';
import type { FileSource } from '../sources/types.js';
import { SENTINEL_OFFSET, ZARR_ARRAYS, type ZarrHeader } from './layout.js';
import { checkIndexArrayJson, readDataArrayJson, readHeaderJson, type DataArrayMeta } from './read-metadata.js';
import { isNotFound, readableStore } from './store.js';

/**
 * Everything read at open.
 * @example
 * ```ts
 * const idx: StoreIndex = await openStore(source); // idx.header, idx.masks, idx.responseOffsets …
 * ```
 */
export interface StoreIndex {
  header: ZarrHeader;
  stimData: DataArrayMeta;
  responseData: DataArrayMeta;
  stimOffsets: Float64Array;
  /** `[S, stimNdim]`. */
  stimShapes: Int32Array;
  /** `[S, N]`; −1 for the sentinel. */
  responseOffsets: Float64Array;
  /** `[S, N, 2]`. */
  responseShapes: Int32Array;
  /** `[S, N]` 0/1. */
  masks: Uint8Array;
}

const where = (source: FileSource, path: string) => `${source.root.replace(/\/$/, '')}/${path}`;

async function readJson(source: FileSource, path: string): Promise<Uint8Array> {
  try {
    return await source.read(path);
  } catch (e) {
    if (isNotFound(e)) throw new FormatError(where(source, path), 'missing: not a complete deepstrf Zarr store', undefined, { cause: e });
    throw e;
  }
}

type IndexDType = 'int64' | 'int32' | 'bool';

/** One index array, whole, as numbers; its metadata checked first (src/zarr/read-metadata.ts). */
async function readIndex(source: FileSource, path: string, dtype: IndexDType, shape: number[]): Promise<ArrayLike<number | bigint | boolean>> {
  const file = where(source, `${path}/zarr.json`);
  let bytes: Uint8Array;
  try {
    bytes = await source.read(`${path}/zarr.json`);
  } catch (e) {
    if (isNotFound(e)) throw new FormatError(file, `missing: the store has no ${path} array`, undefined, { cause: e });
    throw e;
  }
  checkIndexArrayJson(bytes, file, dtype, shape);
  let chunk: zarr.Chunk<zarr.DataType>;
  try {
    // v3 only (docs/zarr-layout.md): zarrita's `open` would first probe v2's .zarray and .zattrs, two 404s per array over HTTP.
    const arr = await zarr.open.v3(zarr.root(readableStore(source)).resolve(path), { kind: 'array' });
    chunk = await zarr.get(arr);
  } catch (e) {
    throw new FormatError(where(source, path), `cannot read the ${path} array: ${(e as Error).message}`, undefined, { cause: e });
  }
  const data = chunk.data as unknown as ArrayLike<number | bigint | boolean>;
  if (data.length !== shape.reduce((a, b) => a * b, 1)) throw new FormatError(where(source, path), `holds ${data.length} values, expected ${shape.join(' × ')}`);
  return data;
}

function toFloat64(a: ArrayLike<number | bigint | boolean>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number(a[i]);
  return out;
}

/**
 * Reads and checks the metadata and index arrays of the store under `source`.
 * @throws FormatError naming the file and the field or index at fault
 * @example
 * ```ts
 * const idx = await openStore(new NodeFolderSource('/tmp/ns1.zarr')); // idx.header.S, idx.masks …
 * ```
 */
export async function openStore(source: FileSource): Promise<StoreIndex> {
  const header = readHeaderJson(await readJson(source, 'zarr.json'), where(source, 'zarr.json'));
  if (!header.complete) {
    throw new FormatError(where(source, 'zarr.json'), 'the export did not finish (complete: false); run the same export again to resume it');
  }
  const { S, N, stimNdim } = header;
  const dataMeta = async (path: string) => readDataArrayJson(await readJson(source, `${path}/zarr.json`), where(source, `${path}/zarr.json`));
  const [stimData, responseData] = await Promise.all([dataMeta(ZARR_ARRAYS.stimData), dataMeta(ZARR_ARRAYS.responseData)]);
  const [so, ss, ro, rs, m] = await Promise.all([
    readIndex(source, ZARR_ARRAYS.stimOffsets, 'int64', [S]),
    readIndex(source, ZARR_ARRAYS.stimShapes, 'int32', [S, stimNdim]),
    readIndex(source, ZARR_ARRAYS.responseOffsets, 'int64', [S, N]),
    readIndex(source, ZARR_ARRAYS.responseShapes, 'int32', [S, N, 2]),
    readIndex(source, ZARR_ARRAYS.masks, 'bool', [S, N]),
  ]);
  const idx: StoreIndex = {
    header,
    stimData,
    responseData,
    stimOffsets: toFloat64(so),
    stimShapes: Int32Array.from(ss as ArrayLike<number>),
    responseOffsets: toFloat64(ro),
    responseShapes: Int32Array.from(rs as ArrayLike<number>),
    masks: Uint8Array.from(Array.from(m as ArrayLike<boolean>, (b) => (b ? 1 : 0))),
  };
  checkCells(source, idx);
  return idx;
}

/** Every cell lies inside its data array and has a valid shape. */
function checkCells(source: FileSource, idx: StoreIndex): void {
  const { S, N, stimNdim } = idx.header;
  const fail = (path: string, msg: string): never => {
    throw new FormatError(where(source, path), msg);
  };
  for (let s = 0; s < S; s++) {
    const shape = idx.stimShapes.subarray(s * stimNdim, (s + 1) * stimNdim);
    if (shape.some((d) => d < 0)) fail(ZARR_ARRAYS.stimShapes, `stimulus ${s} has a negative axis: [${shape.join(', ')}]`);
    const size = shape.reduce((a, b) => a * b, 1);
    const o = idx.stimOffsets[s];
    if (!Number.isSafeInteger(o) || o < 0 || o + size > idx.stimData.length) {
      fail(ZARR_ARRAYS.stimOffsets, `stimulus ${s}: elements [${o}, ${o + size}) are outside ${ZARR_ARRAYS.stimData} (${idx.stimData.length} elements)`);
    }
  }
  for (let k = 0; k < S * N; k++) {
    const R = idx.responseShapes[2 * k];
    const T = idx.responseShapes[2 * k + 1];
    const o = idx.responseOffsets[k];
    const cell = `cell (${Math.floor(k / N)}, ${k % N})`;
    if (R < 0 || T < 0) fail(ZARR_ARRAYS.responseShapes, `${cell} has a negative axis: [${R}, ${T}]`);
    if (o === SENTINEL_OFFSET) {
      if (R !== 1 || T !== 1) fail(ZARR_ARRAYS.responseShapes, `${cell} is the missing-pair sentinel (offset −1) but has shape [${R}, ${T}], not [1, 1]`);
      if (idx.masks[k] !== 0) fail(ZARR_ARRAYS.masks, `${cell} is the missing-pair sentinel but its mask is true`);
      continue;
    }
    if (!Number.isSafeInteger(o) || o < 0 || o + R * T > idx.responseData.length) {
      fail(ZARR_ARRAYS.responseOffsets, `${cell}: elements [${o}, ${o + R * T}) are outside ${ZARR_ARRAYS.responseData} (${idx.responseData.length} elements)`);
    }
  }
}

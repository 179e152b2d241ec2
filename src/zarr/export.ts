/**
 * `exportZarr`: a dataset, in its current selection, as a Zarr v3 store (docs/zarr-layout.md),
 * written through zarrita. Resumable: re-running the same export skips every chunk already in
 * place with the right bytes; each chunk is written atomically (src/zarr/store.ts).
 * @module
 */
import * as zarr from 'zarrita';
import { platform } from '#platform';
import type { NeuralDataset } from '../contract/neural-dataset.js';
import { ValueError } from '../errors.js';
import type { WritableSource } from '../sources/types.js';
import { crc32c } from './crc32c.js';
import { fillChunk, planExport, type ExportPlan, type ExportProvenance, type Segment } from './export-plan.js';
import { CRC_BYTES, DATA_CODECS, DEFAULT_CHUNK_ELEMENTS, HEADER_KEY, INDEX_CHUNK_ELEMENTS, ZARR_ARRAYS, ZARR_GROUPS, chunkKey, type ZarrHeader } from './layout.js';
import { readHeaderJson } from './read-metadata.js';
import { writableStore } from './store.js';

/**
 * Progress of an export, after each data chunk.
 * @example
 * ```ts
 * const onProgress = (p: ExportProgress) => console.log(`${p.chunk}/${p.chunks} chunks, ${p.skipped} already there`);
 * ```
 */
export interface ExportProgress {
  /** Data chunks done (written or verified), of `chunks`. */
  readonly chunk: number;
  readonly chunks: number;
  /** Chunks found already written with the right bytes (a resumed export). */
  readonly skipped: number;
  /** Bytes of the data chunks done, of `bytesTotal`. */
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

/**
 * Options of {@link exportZarr}.
 * @example
 * ```ts
 * const o: ExportZarrOptions = { chunkElements: 2 ** 20, provenance: { dataset: 'ns1', options: { singleUnitsOnly: true } } };
 * ```
 */
export interface ExportZarrOptions {
  /** Elements per chunk of the two data arrays (default 2^20 float32 = 4 MiB). */
  chunkElements?: number;
  /** Where the dataset came from (recorded in the header). */
  provenance?: ExportProvenance;
  onProgress?: (p: ExportProgress) => void;
  /** Stops the export between chunks (a later run resumes it). */
  signal?: AbortSignal;
}

/**
 * What an export did.
 * @example
 * ```ts
 * const r: ExportZarrResult = await exportZarr(ds, '/tmp/ds.zarr');
 * console.log(r.chunksWritten, r.chunksSkipped);
 * ```
 */
export interface ExportZarrResult {
  /** The store's root (folder path or OPFS path). */
  readonly root: string;
  readonly S: number;
  readonly N: number;
  readonly chunksWritten: number;
  readonly chunksSkipped: number;
  /** Bytes of the data chunks (written or verified). */
  readonly bytes: number;
}

/**
 * Writes `ds` (its iterable stimuli × its selected neurons, in that order) as a Zarr v3 store in
 * `target` (a `WritableSource`, or a path: a Node folder, an OPFS path in a page). The store
 * holds the packed stimuli and responses with their offsets and shapes, the missing-pair
 * sentinels, the masks, the metadata as NaN-safe JSON, `dtMs`, `F`, `audioFs` and the
 * provenance (docs/zarr-layout.md). `ZarrDataset.open` reads it back, and so does any Zarr v3
 * reader (zarr-python, zarrita).
 *
 * Resumable: a folder already holding the same export (same header) keeps every chunk whose
 * bytes are right and rewrites the rest; the header says `complete: true` only at the end.
 * @throws ValueError for an empty selection, an invalid `chunkElements`, or a folder holding
 *   something else (another export, other files)
 * @throws TypeError naming the metadata entry JSON cannot hold
 * @example
 * ```ts
 * const ds = new SyntheticDataset({ seed: 1 });
 * ds.selectStimsByAttr('subset', 'val');
 * await exportZarr(ds, '/tmp/synthetic-val.zarr', { provenance: { dataset: 'synthetic', options: { seed: 1 } } });
 * const lazy = await ZarrDataset.open('/tmp/synthetic-val.zarr');
 * ```
 */
export async function exportZarr(ds: NeuralDataset, target: WritableSource | string, options: ExportZarrOptions = {}): Promise<ExportZarrResult> {
  const C = options.chunkElements ?? DEFAULT_CHUNK_ELEMENTS;
  if (!Number.isInteger(C) || C < 1 || C > 2 ** 28) throw new ValueError(`exportZarr: chunkElements must be an integer in [1, 2^28], got ${String(options.chunkElements)}`);
  const dir = typeof target === 'string' ? await platform.openWritableSource(target) : target;
  const plan = planExport(ds, options.provenance);
  const store = writableStore(dir);
  const root = zarr.root(store);
  const existing = await existingHeader(dir);
  const resumed = existing !== null;
  if (existing !== null && !sameExport(existing, plan.header)) {
    throw new ValueError(`exportZarr: ${dir.root} already holds a different export (${existing.className}, ${existing.S} × ${existing.N}); remove it or export elsewhere`);
  }
  if (!resumed) {
    const entries = await dir.list('');
    if (entries.length > 0) throw new ValueError(`exportZarr: ${dir.root} is not empty and holds no Zarr store (${entries.length} entries, e.g. "${entries[0].name}"); export into an empty or new folder`);
  }
  // The header first, marked incomplete: a reader refuses the store until the end.
  await zarr.create(root, { attributes: { [HEADER_KEY]: { ...plan.header, complete: false } } });
  for (const g of ZARR_GROUPS) await zarr.create(root.resolve(g), { attributes: {} });
  await writeIndexArrays(root, plan);
  const stimData = await createDataArray(root, ZARR_ARRAYS.stimData, plan.stimTotal, C);
  const responseData = await createDataArray(root, ZARR_ARRAYS.responseData, plan.responseTotal, C);
  const jobs: Array<{ array: string; segments: Segment[]; k: number }> = [];
  for (const [array, segments, total] of [[stimData, plan.stimSegments, plan.stimTotal], [responseData, plan.responseSegments, plan.responseTotal]] as const) {
    for (let k = 0; k * C < total; k++) jobs.push({ array, segments, k });
  }
  const chunkBytes = 4 * C + CRC_BYTES;
  const bytesTotal = jobs.length * chunkBytes;
  let written = 0;
  let skipped = 0;
  const cursors = new Map<Segment[], number>();
  const values = new Float32Array(C);
  for (let j = 0; j < jobs.length; j++) {
    options.signal?.throwIfAborted();
    const { array, segments, k } = jobs[j];
    values.fill(0);
    cursors.set(segments, fillChunk(segments, k * C, values, cursors.get(segments) ?? 0));
    const bytes = encodeDataChunk(values);
    const key = chunkKey(array, k);
    if (resumed && (await sameBytes(dir, key, bytes))) skipped++;
    else {
      await store.set(`/${key}`, bytes);
      written++;
    }
    options.onProgress?.({ chunk: j + 1, chunks: jobs.length, skipped, bytesDone: (j + 1) * chunkBytes, bytesTotal });
  }
  if (resumed) {
    // A resumed export under another chunk size leaves chunks past the new grid: remove them.
    await removeStaleChunks(dir, stimData, Math.ceil(plan.stimTotal / C));
    await removeStaleChunks(dir, responseData, Math.ceil(plan.responseTotal / C));
  }
  await zarr.create(root, { attributes: { [HEADER_KEY]: { ...plan.header, complete: true } } });
  return { root: dir.root, S: plan.header.S, N: plan.header.N, chunksWritten: written, chunksSkipped: skipped, bytes: bytesTotal };
}

/** The header of a store already in `dir`, or null when there is none. */
async function existingHeader(dir: WritableSource): Promise<ZarrHeader | null> {
  if ((await dir.stat('zarr.json')) === null) return null;
  return readHeaderJson(await dir.read('zarr.json'), `${dir.root}/zarr.json`);
}

/** Same export: the headers agree on everything but `complete`. */
function sameExport(a: ZarrHeader, b: ZarrHeader): boolean {
  return JSON.stringify({ ...a, complete: false }) === JSON.stringify({ ...b, complete: false });
}

/** Little-endian float32 values followed by their CRC-32C (the `DATA_CODECS` pipeline). */
function encodeDataChunk(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.byteLength + CRC_BYTES);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  new DataView(out.buffer).setUint32(values.byteLength, crc32c(out.subarray(0, values.byteLength)), true);
  return out;
}

/** True when `dir` already holds exactly `bytes` at `path`. */
async function sameBytes(dir: WritableSource, path: string, bytes: Uint8Array): Promise<boolean> {
  const st = await dir.stat(path);
  if (st === null || st.kind !== 'file' || st.size !== bytes.length) return false;
  const old = await dir.read(path);
  if (old.length !== bytes.length) return false;
  for (let i = 0; i < old.length; i++) if (old[i] !== bytes[i]) return false;
  return true;
}

/** Removes the chunk files `c/k` of `array` with k ≥ `count` (and any `.partial` left there). */
async function removeStaleChunks(dir: WritableSource, array: string, count: number): Promise<void> {
  for (const e of await dir.list(`${array}/c`)) {
    const k = /^(\d+)(\.partial)?$/.exec(e.name);
    if (k && (Number(k[1]) >= count || k[2] !== undefined)) await dir.remove(`${array}/c/${e.name}`);
  }
}

type Root = zarr.Location<zarr.AsyncMutable>;

async function createDataArray(root: Root, path: string, total: number, C: number): Promise<string> {
  await zarr.create(root.resolve(path), { shape: [total], chunkShape: [C], dtype: 'float32', codecs: DATA_CODECS, fillValue: 0 });
  return path;
}

/** Chunk shape of an index array: whole rows, at most INDEX_CHUNK_ELEMENTS elements. */
function indexChunks(shape: number[]): number[] {
  const row = shape.slice(1).reduce((a, b) => a * b, 1);
  return [Math.max(1, Math.min(shape[0], Math.floor(INDEX_CHUNK_ELEMENTS / Math.max(1, row)))), ...shape.slice(1)];
}

async function writeIndexArrays(root: Root, p: ExportPlan): Promise<void> {
  const { S, N, stimNdim } = p.header;
  const bytes = [{ name: 'bytes', configuration: { endian: 'little' } }];
  const put = async <D extends 'int64' | 'int32' | 'bool'>(path: string, dtype: D, shape: number[], data: zarr.TypedArray<D>, fillValue: zarr.Scalar<D>) => {
    const arr = await zarr.create(root.resolve(path), { shape, chunkShape: indexChunks(shape), dtype, codecs: bytes, fillValue });
    const stride = shape.map((_, a) => shape.slice(a + 1).reduce((x, y) => x * y, 1));
    await zarr.set(arr, null, { data, shape, stride } as zarr.Chunk<D>);
  };
  // zarrita writes fill values with JSON.stringify, which refuses bigints: give int64's 0 as a number.
  const zero64 = 0 as unknown as bigint;
  await put(ZARR_ARRAYS.stimOffsets, 'int64', [S], p.stimOffsets, zero64);
  await put(ZARR_ARRAYS.stimShapes, 'int32', [S, stimNdim], p.stimShapes, 0);
  await put(ZARR_ARRAYS.responseOffsets, 'int64', [S, N], p.responseOffsets, zero64);
  await put(ZARR_ARRAYS.responseShapes, 'int32', [S, N, 2], p.responseShapes, 0);
  await put(ZARR_ARRAYS.masks, 'bool', [S, N], new zarr.BoolArray(p.masks.buffer, p.masks.byteOffset, p.masks.length), false);
}

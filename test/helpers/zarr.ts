// Helpers of the Zarr tests: a scratch folder (Node: under node_modules/.cache; Chromium: OPFS),
// uploading a folder to the scratch HTTP server (test/setup/scratch-server.ts), and the check
// that a lazy dataset gives what the in-memory dataset it was exported from gives.
import { expect, inject } from 'vitest';
import { platform } from '#platform';
import { exportZarr, type FileSource, type NeuralDataset, type WritableSource, type ZarrDataset } from '../../src/index.js';

let counter = 0;

/** A new, empty writable folder and a function that removes it. */
export async function scratchDir(name: string): Promise<{ dir: WritableSource; path: string; remove(): Promise<void> }> {
  const parentPath = platform.name === 'node' ? 'node_modules/.cache/deepstrf-zarr-tests' : 'deepstrf-tests';
  const leaf = `${name}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const parent = await platform.openWritableSource(parentPath);
  const path = `${parentPath}/${leaf}`;
  return { dir: await platform.openWritableSource(path), path, remove: () => parent.remove(leaf) };
}

/** Every file under `src` (relative paths). */
export async function listFiles(src: FileSource, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await src.list(dir)) {
    const p = dir === '' ? e.name : `${dir}/${e.name}`;
    if (e.kind === 'directory') out.push(...(await listFiles(src, p)));
    else out.push(p);
  }
  return out;
}

/**
 * PUTs every file of `src` under `${base}${prefix}/`, each through `edit` when given (null: left
 * out); returns that base URL.
 */
export async function uploadTree(src: FileSource, base: string, prefix: string, edit?: (path: string, bytes: Uint8Array) => Uint8Array | null): Promise<string> {
  for (const f of await listFiles(src)) {
    const bytes = edit ? edit(f, await src.read(f)) : await src.read(f);
    if (bytes === null) continue;
    const res = await fetch(`${base}${prefix}/${f}`, { method: 'PUT', body: new Blob([bytes as Uint8Array<ArrayBuffer>]) });
    expect(res.status).toBe(201);
  }
  return `${base}${prefix}/`;
}

/** `ds` exported with `chunkElements` into a new scratch folder ({@link scratchDir}). */
export async function exportedStore(name: string, ds: NeuralDataset, chunkElements: number): Promise<{ dir: WritableSource; path: string; remove(): Promise<void> }> {
  const s = await scratchDir(name);
  await exportZarr(ds, s.dir, { chunkElements });
  return s;
}

/**
 * `ds` exported with `chunkElements` into a new scratch folder and uploaded to the scratch server
 * under `${name}-<time>`: the folder, the store's base URL, that prefix (the server's request log
 * is kept by prefix) and a function that removes the folder.
 */
export async function servedStore(name: string, ds: NeuralDataset, chunkElements: number): Promise<{ dir: WritableSource; url: string; prefix: string; remove(): Promise<void> }> {
  const s = await exportedStore(name, ds, chunkElements);
  const prefix = `${name}-${Date.now()}`;
  return { dir: s.dir, url: await uploadTree(s.dir, inject('scratchBaseUrl'), prefix), prefix, remove: s.remove };
}

/** The first flat index where two arrays differ as float32 bit patterns, or -1 (lengths must match). */
function firstBitDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = new Uint32Array(Float32Array.from(a).buffer);
  const y = new Uint32Array(Float32Array.from(b).buffer);
  if (x.length !== y.length) return Math.min(x.length, y.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

/**
 * The lazy dataset holds exactly `ref`'s current selection: the same items (values bit for bit,
 * shapes, masks), metadata and dataset fields.
 */
export async function expectSameAs(lazy: ZarrDataset, ref: NeuralDataset): Promise<void> {
  const stims = ref.iterableStims();
  const neurons = ref.selectedNeurons();
  expect(lazy.length).toBe(ref.length);
  expect(lazy.getS()).toBe(stims.length);
  expect(lazy.getN()).toBe(neurons.length);
  expect(lazy.dtMs).toBe(ref.dtMs);
  expect(lazy.path).toBe(ref.path);
  expect(lazy.sourceClassName).toBe(ref.constructor.name);
  for (const key of ['F', 'audioFs', 'hearingRangeHz', 'returnWaveform'] as const) expect(lazy[key]).toEqual((ref as unknown as Record<string, unknown>)[key]);
  expect(lazy.stimMeta).toEqual(stims.map((s) => ref.stimMeta[s]));
  expect(lazy.nrnMeta).toEqual(neurons.map((n) => ref.nrnMeta[n]));
  const N = ref.nNeurons;
  const masks = stims.flatMap((s) => neurons.map((n) => ref.nrnMasks.data[s * N + n]));
  expect(Array.from(lazy.nrnMasks.data)).toEqual(masks);
  expect(lazy.nrnMasks.shape).toEqual([stims.length, neurons.length]);
  await lazy.prefetch(Array.from({ length: lazy.length }, (_, i) => i));
  for (let i = 0; i < ref.length; i++) {
    const a = ref.get(i);
    const b = lazy.get(i);
    expect(b.stims.shape).toEqual(a.stims.shape);
    expect(firstBitDifference(b.stims.data, a.stims.data), `item ${i}: stimulus`).toBe(-1);
    expect(b.responses.map((r) => r.shape)).toEqual(a.responses.map((r) => r.shape));
    b.responses.forEach((r, j) => expect(firstBitDifference(r.data, a.responses[j].data), `item ${i}: response ${j}`).toBe(-1));
    expect(Array.from(b.validMask.data)).toEqual(Array.from(a.validMask.data));
    expect(b.stimMeta).toEqual(a.stimMeta);
  }
}

// Damaged stores give typed errors naming the path: a truncated chunk, a missing chunk, a wrong
// zarr.json, a missing array, an offset outside its data array, an unfinished export; the export
// refuses what it cannot write. Then seeded fuzzing: mutated metadata JSON and mutated stores
// give a FormatError (or a dataset), nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, MemorySource, Rng, SyntheticDataset, ValueError, ZarrDataset, exportZarr } from '../../src/index.js';
import { decodeMetaJson, encodeMetaJson } from '../../src/zarr/meta-json.js';
import { readDataArrayJson, readHeaderJson } from '../../src/zarr/read-metadata.js';
import { listFiles, scratchDir } from '../helpers/zarr.js';

const ds = new SyntheticDataset({ seed: 8, nNeurons: 4, nStims: 5 });
const C = 1500;
let files: Map<string, Uint8Array>;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const s = await scratchDir('bad');
  cleanups.push(s.remove);
  await exportZarr(ds, s.dir, { chunkElements: C });
  files = new Map();
  for (const f of await listFiles(s.dir)) files.set(f, await s.dir.read(f));
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** The exported store in memory, with some files changed (undefined removes one). */
function store(changes: Record<string, Uint8Array | undefined> = {}): MemorySource {
  const m = new Map(files);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) m.delete(k);
    else m.set(k, v);
  }
  return new MemorySource(m, 'mem:store');
}
const text = (s: string) => new TextEncoder().encode(s);
const json = (f: string) => JSON.parse(new TextDecoder().decode(files.get(f)!));
const all = (d: ZarrDataset) => Array.from({ length: d.length }, (_, i) => i);

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('damaged stores: typed errors naming the path', () => {
  it('a truncated chunk: FormatError naming the chunk file and the byte where it ends', async () => {
    const c1 = files.get('responses/data/c/1')!;
    const lazy = await ZarrDataset.open(store({ 'responses/data/c/1': c1.subarray(0, 1000) }));
    const e = await failure(lazy.prefetch(all(lazy)));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/^mem:store\/responses\/data\/c\/1 @ byte 1000: chunk 1 of responses\/data is truncated: bytes \d+-\d+ asked, \d+ read \(a chunk holds 6000 data bytes\)$/);
    expect((e as FormatError).file).toBe('mem:store/responses/data/c/1');
  });

  it('a missing chunk: FormatError naming it', async () => {
    const lazy = await ZarrDataset.open(store({ 'stims/data/c/0': undefined }));
    const e = await failure(lazy.prefetch([0]));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/^mem:store\/stims\/data\/c\/0: chunk 0 of stims\/data is missing \(the array holds \d+ elements\)$/);
  });

  it('a wrong zarr.json: not JSON, not Zarr v3, another data type, compressed codecs, a wrong shape', async () => {
    const cases: Array<[Record<string, Uint8Array>, RegExp]> = [
      [{ 'zarr.json': text('{"zarr_format": 3,') }, /^mem:store\/zarr\.json: not valid UTF-8 JSON/],
      [{ 'zarr.json': text(JSON.stringify({ ...json('zarr.json'), zarr_format: 2 })) }, /^mem:store\/zarr\.json: zarr_format must be 3 \(a Zarr v3 store\), got 2$/],
      [{ 'zarr.json': text(JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: {} })) }, /^mem:store\/zarr\.json: attributes\.deepstrf is missing: not a deepstrf export$/],
      [{ 'stims/data/zarr.json': text(JSON.stringify({ ...json('stims/data/zarr.json'), data_type: 'float64' })) }, /^mem:store\/stims\/data\/zarr\.json: data_type must be "float32", got "float64"$/],
      [{ 'responses/data/zarr.json': text(JSON.stringify({ ...json('responses/data/zarr.json'), codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'gzip', configuration: { level: 5 } }] })) },
        /^mem:store\/responses\/data\/zarr\.json: codecs must be \[bytes \(little-endian\)\] or \[bytes, crc32c\]/],
      [{ 'masks/zarr.json': text(JSON.stringify({ ...json('masks/zarr.json'), shape: [5, 3] })) }, /^mem:store\/masks\/zarr\.json: shape must be \[5, 4\] \(from the header's S, N\), got \[5,3\]$/],
      [{ 'stims/offsets/zarr.json': text(JSON.stringify({ ...json('stims/offsets/zarr.json'), data_type: 'int32' })) }, /^mem:store\/stims\/offsets\/zarr\.json: data_type must be "int64", got "int32"$/],
    ];
    for (const [changes, message] of cases) {
      const e = await failure(ZarrDataset.open(store(changes)));
      expect(e, String(message)).toBeInstanceOf(FormatError);
      expect(e.message).toMatch(message);
    }
  });

  it('a missing array, a missing store, an unfinished export', async () => {
    let e = await failure(ZarrDataset.open(store({ 'masks/zarr.json': undefined })));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toBe('mem:store/masks/zarr.json: missing: the store has no masks array');
    e = await failure(ZarrDataset.open(store({ 'responses/data/zarr.json': undefined })));
    expect(e.message).toBe('mem:store/responses/data/zarr.json: missing: not a complete deepstrf Zarr store');
    e = await failure(ZarrDataset.open(new MemorySource({}, 'mem:empty')));
    expect([e instanceof FormatError, e.message]).toEqual([true, 'mem:empty/zarr.json: missing: not a complete deepstrf Zarr store']);
    const root = json('zarr.json');
    root.attributes.deepstrf.complete = false;
    e = await failure(ZarrDataset.open(store({ 'zarr.json': text(JSON.stringify(root)) })));
    expect(e.message).toBe('mem:store/zarr.json: the export did not finish (complete: false); run the same export again to resume it');
  });

  it('an offset outside its data array, a sentinel with a true mask: FormatError naming the array and the cell', async () => {
    const offsets = files.get('stims/offsets/c/0')!.slice();
    new DataView(offsets.buffer).setBigInt64(8 * 2, 10n ** 9n, true); // stimulus 2
    let e = await failure(ZarrDataset.open(store({ 'stims/offsets/c/0': offsets })));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/^mem:store\/stims\/offsets: stimulus 2: elements \[1000000000, \d+\) are outside stims\/data \(\d+ elements\)$/);
    const ro = new BigInt64Array(files.get('responses/offsets/c/0/0')!.slice().buffer);
    const k = ro.findIndex((o) => o === -1n);
    expect(k).toBeGreaterThanOrEqual(0); // the fixture has a missing pair
    const masks = files.get('masks/c/0/0')!.slice();
    masks[k] = 1;
    e = await failure(ZarrDataset.open(store({ 'masks/c/0/0': masks })));
    expect(e.message).toBe(`mem:store/masks: cell (${Math.floor(k / 4)}, ${k % 4}) is the missing-pair sentinel but its mask is true`);
  });
});

describe('what the export refuses', () => {
  it('metadata JSON cannot hold, an empty selection, a bad chunk size, a folder holding other files', async () => {
    const s = await scratchDir('refuse');
    cleanups.push(s.remove);
    const d = new SyntheticDataset({ seed: 1, nNeurons: 2, nStims: 2 });
    d.nrnMeta[1].weights = new Float32Array(2);
    await expect(exportZarr(d, s.dir)).rejects.toThrow(new TypeError('nrnMeta[1].weights: a Float32Array cannot be stored as JSON metadata (use numbers, strings, booleans, null, arrays and plain objects)'));
    delete d.nrnMeta[1].weights;
    d.selectPopulation([]);
    await expect(exportZarr(d, s.dir)).rejects.toThrow(new ValueError("exportZarr: SyntheticDataset's selection is empty (0 iterable stimuli × 0 neurons); nothing to export"));
    d.resetPopSelection();
    await expect(exportZarr(d, s.dir, { chunkElements: 0 })).rejects.toThrow('exportZarr: chunkElements must be an integer in [1, 2^28], got 0');
    await s.dir.writeFile('notes.txt', text('mine'));
    const e = await failure(exportZarr(d, s.dir));
    expect([e instanceof ValueError, e.message]).toEqual([true, `exportZarr: ${s.dir.root} is not empty and holds no Zarr store (1 entries, e.g. "notes.txt"); export into an empty or new folder`]);
  });

  it('NaN-safe metadata: non-finite numbers tagged and restored; the reserved tag refused', () => {
    const v = { a: Number.NaN, b: [Number.POSITIVE_INFINITY, { c: Number.NEGATIVE_INFINITY }], d: 'NaN', e: null, f: undefined };
    const enc = encodeMetaJson(v, 'stimMeta[0]');
    expect(enc).toEqual({ a: { $float: 'NaN' }, b: [{ $float: 'Infinity' }, { c: { $float: '-Infinity' } }], d: 'NaN', e: null });
    expect(decodeMetaJson(JSON.parse(JSON.stringify(enc)), 'f', 'x')).toEqual({ a: Number.NaN, b: [Number.POSITIVE_INFINITY, { c: Number.NEGATIVE_INFINITY }], d: 'NaN', e: null });
    expect(() => encodeMetaJson({ x: { $float: 'NaN' } }, 'nrnMeta[2]')).toThrow('nrnMeta[2].x: the key "$float" alone is reserved for non-finite numbers');
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => encodeMetaJson(cyc, 'm')).toThrow('m.self: a cycle cannot be stored as JSON metadata');
    expect(() => encodeMetaJson([1, undefined], 'm')).toThrow('m[1]: undefined inside an array cannot be stored as JSON metadata');
    expect(() => encodeMetaJson({ n: 1n }, 'm')).toThrow('m.n: a bigint cannot be stored as JSON metadata');
    expect(() => decodeMetaJson({ $float: 'nan' }, 'z.json', 'stimMeta[1].q')).toThrow(new FormatError('z.json', 'stimMeta[1].q: "$float" must be "NaN", "Infinity" or "-Infinity", got "nan"'));
  });
});

describe('fuzz: only FormatError comes out', () => {
  const MUTATIONS = 300;
  function mutate(rng: Rng, b: Uint8Array): Uint8Array {
    const out = Array.from(b);
    const n = 1 + rng.int(4);
    for (let k = 0; k < n; k++) {
      const op = rng.int(4);
      const at = rng.int(Math.max(1, out.length));
      if (op === 0) out[at] = rng.int(256);
      else if (op === 1) out.splice(at, 1 + rng.int(8));
      else if (op === 2) out.splice(at, 0, ...Array.from({ length: 1 + rng.int(8) }, () => rng.int(256)));
      else out.length = at;
    }
    return Uint8Array.from(out);
  }
  /** A JSON-level mutation: one field somewhere replaced by a random value of any type. */
  function mutateJson(rng: Rng, b: Uint8Array): Uint8Array {
    const v = JSON.parse(new TextDecoder().decode(b));
    const values = [null, true, -1, 0, 1.5, 2 ** 53, 'x', 'NaN', [], {}, [1, 2], { $float: 'NaN' }, { $float: 3 }];
    const paths: Array<[Record<string, unknown> | unknown[], string | number]> = [];
    const walk = (x: unknown) => {
      if (x && typeof x === 'object') for (const k of Object.keys(x)) {
        paths.push([x as Record<string, unknown>, k]);
        walk((x as Record<string, unknown>)[k]);
      }
    };
    walk(v);
    const [obj, key] = paths[rng.int(paths.length)];
    if (rng.int(5) === 0) delete (obj as Record<string, unknown>)[key as string];
    else (obj as Record<string, unknown>)[key as string] = values[rng.int(values.length)];
    return text(JSON.stringify(v));
  }
  const onlyFormatErrors = (f: () => unknown, what: string) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof FormatError)) throw new Error(`${what}: ${(e as Error).name}: ${(e as Error).message}`);
    }
  };

  it('readHeaderJson, readDataArrayJson and decodeMetaJson on mutated bytes and mutated fields', () => {
    const rng = new Rng(20261130);
    const header = files.get('zarr.json')!;
    const dataJson = files.get('responses/data/zarr.json')!;
    for (let i = 0; i < MUTATIONS; i++) {
      onlyFormatErrors(() => readHeaderJson(mutate(rng, header), 'zarr.json'), `header bytes #${i}`);
      onlyFormatErrors(() => readHeaderJson(mutateJson(rng, header), 'zarr.json'), `header field #${i}`);
      onlyFormatErrors(() => readDataArrayJson(mutate(rng, dataJson), 'data/zarr.json'), `array bytes #${i}`);
      onlyFormatErrors(() => readDataArrayJson(mutateJson(rng, dataJson), 'data/zarr.json'), `array field #${i}`);
      const h = JSON.parse(new TextDecoder().decode(mutateJson(rng, header)));
      onlyFormatErrors(() => decodeMetaJson(h, 'zarr.json', 'attributes'), `metadata #${i}`);
    }
  });

  it('ZarrDataset.open (then prefetching every item) on stores with one mutated metadata or index file', async () => {
    const rng = new Rng(7);
    const targets = [...files.keys()].filter((f) => f.endsWith('zarr.json') || /^(stims|responses)\/(offsets|shapes)\/c\//.test(f) || f.startsWith('masks/c/'));
    let opened = 0;
    for (let i = 0; i < 120; i++) {
      const f = targets[rng.int(targets.length)];
      const b = files.get(f)!;
      const changed = f.endsWith('zarr.json') && rng.int(2) === 0 ? mutateJson(rng, b) : mutate(rng, b);
      try {
        const lazy = await ZarrDataset.open(store({ [f]: changed }));
        opened++;
        await lazy.prefetch(all(lazy));
        for (const k of all(lazy)) lazy.get(k);
      } catch (e) {
        if (!(e instanceof FormatError)) throw new Error(`${f} mutation #${i}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    expect(opened).toBeLessThan(120); // most mutations are caught
  });
});


// The store as a format (docs/zarr-layout.md), read without deepstrf's reader: the metadata by
// plain JSON reads, the arrays by zarrita (an independent Zarr v3 reader), each cell found from
// its offset and shape and compared with the dataset in memory.
import { afterAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { SyntheticDataset, exportZarr, isSentinel, type Tensor } from '../../src/index.js';
import { crc32c } from '../../src/zarr/crc32c.js';
import { listFiles, scratchDir } from '../helpers/zarr.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

const json = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));

describe('the deepstrf Zarr layout, read independently', () => {
  it('CRC-32C matches the check value of the specification', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('metadata by JSON reads; arrays by zarrita; every cell at its offset; sentinels at −1; chunks end with their CRC-32C', async () => {
    const ds = new SyntheticDataset({ seed: 5, nNeurons: 5, nStims: 6 });
    ds.selectPopulation([4, 0, 2]);
    ds.stimMeta[0].weird = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5];
    const stims = ds.iterableStims();
    const neurons = ds.selectedNeurons();
    const s = await scratchDir('layout');
    cleanups.push(s.remove);
    const C = 1000;
    await exportZarr(ds, s.dir, { chunkElements: C, provenance: { dataset: 'synthetic', options: { seed: 5 } } });
    const files = await listFiles(s.dir);
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);
    for (const f of ['zarr.json', 'stims/zarr.json', 'responses/zarr.json', 'stims/data/zarr.json', 'stims/offsets/zarr.json', 'stims/shapes/zarr.json',
      'responses/data/zarr.json', 'responses/offsets/zarr.json', 'responses/shapes/zarr.json', 'masks/zarr.json']) expect(files).toContain(f);

    const root = json(await s.dir.read('zarr.json'));
    expect([root.zarr_format, root.node_type]).toEqual([3, 'group']);
    const h = root.attributes.deepstrf;
    expect(h).toMatchObject({ format: 'deepstrf-zarr', formatVersion: 1, complete: true, className: 'SyntheticDataset', dtMs: 5, F: 16, audioFs: null, S: stims.length, N: 3, stimNdim: 3 });
    expect(h.provenance).toEqual({ dataset: 'synthetic', options: { seed: 5 }, deepstrfVersion: '0.1.0', stims, neurons: [4, 0, 2] });
    expect(h.stimMeta[0].weird).toEqual([{ $float: 'NaN' }, { $float: 'Infinity' }, { $float: '-Infinity' }, -0.5]);
    expect(h.nrnMeta).toEqual(neurons.map((n) => JSON.parse(JSON.stringify(ds.nrnMeta[n]))));
    const data = json(await s.dir.read('responses/data/zarr.json'));
    expect(data).toMatchObject({ zarr_format: 3, node_type: 'array', data_type: 'float32', chunk_grid: { name: 'regular', configuration: { chunk_shape: [C] } } });
    expect(data.codecs.map((c: { name: string }) => c.name)).toEqual(['bytes', 'crc32c']);

    // zarrita over a plain map of the files.
    const map = new Map<string, Uint8Array>();
    for (const f of files) map.set(`/${f}`, await s.dir.read(f));
    const top = zarr.root(map);
    const read = async (p: string) => (await zarr.get(await zarr.open(top.resolve(p), { kind: 'array' }))) as zarr.Chunk<zarr.DataType>;
    const sd = (await read('stims/data')).data as Float32Array;
    const so = (await read('stims/offsets')).data as BigInt64Array;
    const ss = await read('stims/shapes');
    const rd = (await read('responses/data')).data as Float32Array;
    const ro = await read('responses/offsets');
    const rs = await read('responses/shapes');
    const m = await read('masks');
    expect([ss.shape, ro.shape, rs.shape, m.shape]).toEqual([[stims.length, 3], [stims.length, 3], [stims.length, 3, 2], [stims.length, 3]]);
    const same = (a: ArrayLike<number>, t: Tensor) => expect(Array.from(a)).toEqual(Array.from(t.data));
    stims.forEach((st, i) => {
      const shape = Array.from((ss.data as Int32Array).subarray(3 * i, 3 * i + 3));
      expect(shape).toEqual(ds.stims[st].shape);
      const o = Number(so[i]);
      same(sd.subarray(o, o + shape[0] * shape[1] * shape[2]), ds.stims[st]);
      neurons.forEach((n, j) => {
        const k = i * 3 + j;
        const cell = ds.responses[st][n];
        const off = Number((ro.data as BigInt64Array)[k]);
        const [R, T] = Array.from((rs.data as Int32Array).subarray(2 * k, 2 * k + 2));
        expect([R, T]).toEqual(cell.shape);
        expect((m.data as zarr.BoolArray).get(k)).toBe(ds.nrnMasks.data[st * ds.nNeurons + n] === 1);
        if (isSentinel(cell)) expect(off).toBe(-1);
        else same(rd.subarray(off, off + R * T), cell);
      });
    });
    // Each data chunk: 4·C bytes of values, then the CRC-32C of those bytes (little-endian).
    for (const f of files.filter((x) => /^(stims|responses)\/data\/c\/\d+$/.test(x))) {
      const b = map.get(`/${f}`)!;
      expect(b.length).toBe(4 * C + 4);
      expect(new DataView(b.buffer, b.byteOffset).getUint32(4 * C, true)).toBe(crc32c(b.subarray(0, 4 * C)));
    }
  });
});

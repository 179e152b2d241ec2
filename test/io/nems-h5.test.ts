import { describe, expect, it } from 'vitest';
import { FormatError, Rng, openNemsH5, readHdf5 } from '../../src/index.js';
import { writeH5 } from '../helpers/zoo/nems.js';
import { expectOnlyFormatError, iterations, mutate } from './helpers/fuzz.js';
import { expectFormatError } from './helpers/errors.js';

describe('openNemsH5 (h5py default format)', () => {
  it('reads contiguous, gzip-chunked, shuffled and empty datasets, names in order', async () => {
    const stim = Array.from({ length: 2 * 7 }, (_, i) => i * 0.5 - 3); // (2, 7) row-major
    const bytes = await writeH5({
      'ABC001a-02-1': { data: [0.001, 0.25, 1.5, 2.999], chunks: [3] }, // 2 chunks, the last partial
      'ABC001a-01-1': { data: [0.5] },
      'STIM_x.wav': { data: stim, shape: [2, 7], chunks: [1, 4], shuffle: true },
      empty: { data: [], shape: [0], chunks: [4] },
    });
    const f = openNemsH5(bytes, 'x.resp.h5');
    expect(f.names).toEqual(['ABC001a-01-1', 'ABC001a-02-1', 'STIM_x.wav', 'empty']);
    expect([...f.get('ABC001a-02-1').data]).toEqual([0.001, 0.25, 1.5, 2.999]);
    expect([...f.get('ABC001a-01-1').data]).toEqual([0.5]);
    const s = f.get('STIM_x.wav');
    expect(s.shape).toEqual([2, 7]);
    expect([...s.data]).toEqual(stim);
    expect(f.get('empty')).toEqual({ shape: [0], data: new Float64Array(0) });
    expect(() => f.get('nope')).toThrow(/x\.resp\.h5: no dataset named "nope"/);
  });

  it('agrees with h5wasm on the same file', async () => {
    const bytes = await writeH5({ a: { data: [1, 2, 3, 4, 5, 6], shape: [3, 2], chunks: [2, 2] }, b: { data: [9, 8] } });
    const root = await readHdf5(bytes, 'f.h5');
    const f = openNemsH5(bytes, 'f.h5');
    for (const n of ['a', 'b']) {
      const d = root.children[n];
      if (d.kind !== 'dataset') throw new Error('not a dataset');
      expect(f.get(n).shape).toEqual(d.shape);
      expect([...f.get(n).data]).toEqual([...(d.value as Float64Array)]);
    }
  });

  it('refuses non-HDF5 bytes and newer formats with FormatError', async () => {
    expectFormatError(() => openNemsH5(new Uint8Array(64), 'z.h5'), /z\.h5 @ byte 0: expected the HDF5 signature/);
    const v2 = new Uint8Array(64);
    v2.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 2]);
    expectFormatError(() => openNemsH5(v2, 'n.h5'), /superblock version 2 .* not supported/);
  });

  it('fuzz: mutated files give data or FormatError only', async () => {
    const bytes = await writeH5({ c1: { data: [0.1, 0.2, 0.3, 0.4, 0.5], chunks: [2] }, c2: { data: [1, 2] }, s: { data: [1, 2, 3, 4], shape: [2, 2], chunks: [1, 2], shuffle: true } });
    const rng = new Rng(1234);
    const read = (b: Uint8Array) => {
      const f = openNemsH5(b, 'fuzz.h5');
      for (const n of f.names) f.get(n);
    };
    for (let i = 0; i < iterations(1500); i++) expectOnlyFormatError(read, mutate(bytes, rng), `iteration ${i}`);
    expect(FormatError).toBeDefined();
  });
});

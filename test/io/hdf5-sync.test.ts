// The synchronous HDF5 reader (src/io/hdf5-sync.ts) against files h5wasm writes: the h5py default
// format (superblock v0, symbol tables) and the latest format (superblock v2+, link messages,
// dense link storage in a fractal heap), compared with what h5wasm reads back.
import * as h5 from 'h5wasm';
import { describe, expect, it } from 'vitest';
import { platform } from '#platform';
import { FormatError, Rng, openHdf5Sync, openNemsH5, readHdf5, type H5SyncGroup, type Hdf5Data, type Hdf5Group } from '../../src/index.js';
import { writeH5 } from '../helpers/zoo/nems.js';
import { buildH5, EARLIEST } from './helpers/h5-writer.js';
import { expectOnlyFormatError, iterations, mutate } from './helpers/fuzz.js';
import { expectFormatError } from './helpers/errors.js';
import { buildExternalH5, buildVirtualH5, OWN_VALUES } from './helpers/h5-external.js';

type File = InstanceType<typeof h5.File>;
type Group = ReturnType<File['create_group']>;

/** A unit-like tree: attributes of every supported kind, nested groups, and `nLinks` trial groups in one group. */
function unitTree(f: File, nLinks: number): void {
  f.create_attribute('vstr', 'single');
  f.create_attribute('fixed', 'singl', null, 'S5');
  f.create_attribute('fixedArr', ['Site2', 'ab'], [2], 'S5');
  f.create_attribute('int', 10);
  f.create_attribute('i32Arr', new Int32Array([3, -4]), [2]);
  f.create_attribute('u8', new Uint8Array([200]), [1]);
  f.create_attribute('float', 1400.5);
  f.create_attribute('f32Arr', new Float32Array([0.5, -2.25]), [2]);
  const call: Group = f.create_group('Call');
  const stim = call.create_group('85');
  stim.create_attribute('stim_type', 'call');
  stim.create_attribute('stim_duration', 0.1);
  for (let t = 0; t < nLinks; t++) stim.create_group(String(t)).create_dataset({ name: 'spike_times', data: new Float64Array([t * 0.001, -t]), shape: [2] });
  const info = f.create_group('class_info');
  for (let i = 0; i < nLinks; i++) info.create_attribute(`a${i}`, i % 2 ? `v${i}` : i); // more than 8: stored densely (latest format)
  f.create_dataset({ name: 'matrix', data: new Int16Array([1, -2, 3, -4, 5, -6]), shape: [2, 3] });
}

const plain = (v: Hdf5Data | undefined): unknown => (ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<number | bigint>, Number) : typeof v === 'bigint' ? Number(v) : v);

/** Asserts the sync reader sees the same tree (names, kinds, attributes, dataset values and shapes) as h5wasm. */
function expectSameTree(s: H5SyncGroup, w: Hdf5Group): number {
  expect(s.names).toEqual(Object.keys(w.children).sort());
  const sa = Object.fromEntries(Object.entries(s.attrs).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v) : v]));
  expect(sa).toEqual(Object.fromEntries(Object.entries(w.attrs).map(([k, v]) => [k, plain(v)])));
  let n = 1;
  for (const name of s.names) {
    const c = w.children[name];
    expect(s.kind(name)).toBe(c.kind);
    if (c.kind === 'group') n += expectSameTree(s.group(name), c);
    else if (c.kind === 'dataset') {
      const d = s.dataset(name);
      expect(d.shape).toEqual(c.shape);
      expect(Array.from(d.data)).toEqual(plain(c.value));
      n++;
    }
  }
  return n;
}

describe('openHdf5Sync agrees with h5wasm', () => {
  it.each([
    ['h5py default format (superblock v0, symbol tables)', 'earliest', 12],
    ['latest format, compact links (superblock v2+, OHDR v2)', undefined, 5],
    ['latest format, dense links in a fractal heap (direct root block)', undefined, 40],
    ['latest format, dense links through indirect blocks', undefined, 3000],
  ] as const)('%s', async (_, libver, nLinks) => {
    const bytes = await buildH5((f) => unitTree(f, nLinks), libver && EARLIEST);
    const s = openHdf5Sync(bytes, 'u.h5');
    const objects = expectSameTree(s, await readHdf5(bytes, 'u.h5'));
    expect(objects).toBe(5 + 2 * nLinks); // root, Call, 85, class_info, matrix; each trial group and its dataset
    // values known by construction, independently of h5wasm
    expect(s.attrs).toMatchObject({ vstr: 'single', fixed: 'singl', fixedArr: ['Site2', 'ab'], int: 10, float: 1400.5 });
    expect(Array.from(s.attrs.i32Arr as Float64Array)).toEqual([3, -4]);
    expect(Array.from(s.attrs.f32Arr as Float64Array)).toEqual([0.5, -2.25]);
    const stim = s.group('Call').group('85');
    expect(stim.names.length).toBe(nLinks);
    expect(stim.names.slice(0, 3)).toEqual(nLinks > 10 ? ['0', '1', '10'] : ['0', '1', '2']);
    expect(Array.from(stim.group(String(nLinks - 1)).dataset('spike_times').data)).toEqual([(nLinks - 1) * 0.001, -(nLinks - 1)]);
    const attrs = s.group('class_info').attrs;
    expect(Object.keys(attrs).length).toBe(nLinks);
    expect([attrs.a0, attrs.a1, attrs[`a${nLinks - 1}`]]).toEqual([0, 'v1', nLinks % 2 ? nLinks - 1 : `v${nLinks - 1}`]);
    expect(s.dataset('matrix')).toEqual({ shape: [2, 3], data: new Float64Array([1, -2, 3, -4, 5, -6]) });
  });

  it('names what it does not read, and misuse, with FormatError', async () => {
    const bytes = await buildH5((f) => {
      f.create_dataset({ name: 'names', data: ['a', 'b'], shape: [2] });
      f.create_group('g').create_attribute('pair', new Float64Array([1, 2]), [2], '<d');
      f.create_group('c').create_attribute('compound', 1.5);
    });
    // the compound attribute's datatype follows its NUL-terminated name (attribute message v3): make it class 6 (compound)
    const at = platform.indexOfBytes(bytes, new TextEncoder().encode('compound\0'), 0) + 9;
    expect(bytes[at]).toBe(0x11); // version 1, class 1 (float)
    bytes[at] = 0x16;
    const s = openHdf5Sync(bytes, 'new.h5');
    expectFormatError(() => s.dataset('names'), /new\.h5 @ byte \d+: dataset \/names: a string datatype, expected numbers/);
    expect(Array.from(s.group('g').attrs.pair as Float64Array)).toEqual([1, 2]);
    expectFormatError(() => s.group('c').attrs, /new\.h5 @ byte \d+: attribute \/c@compound: datatype class 6 is not supported \(integers, floats and strings are\)/);
    expectFormatError(() => s.group('names'), /new\.h5: \/names is a dataset, expected a group/);
    expectFormatError(() => s.dataset('g'), /new\.h5: \/g is a group, expected a dataset/);
    expectFormatError(() => s.group('nope'), /new\.h5: group \/ has no member named "nope"/);
    const soft = await buildH5((f) => {
      f.create_group('g');
      f.create_soft_link('/g', 'soft');
    });
    expectFormatError(() => openHdf5Sync(soft, 'soft.h5'), /soft\.h5 @ byte \d+: group \/: member "soft" is a soft link, which is not supported/);
  });

  it('refuses a dataset whose values are in another file (External File List, virtual dataset) instead of reading its own bytes', async () => {
    // Without the check the reader returned the dataset's own contiguous bytes (OWN_VALUES), which the
    // HDF5 library ignores in favour of the external file: silently wrong values.
    const extBytes = await buildExternalH5('/data/raw.bin');
    expect(platform.indexOfBytes(extBytes, new Uint8Array(new Float64Array(OWN_VALUES).buffer), 0)).toBeGreaterThan(0); // the own values are in the file
    const ext = openHdf5Sync(extBytes, 'ext.h5');
    expect(ext.kind('x')).toBe('dataset');
    expectFormatError(() => ext.dataset('x'), /^ext\.h5 @ byte \d+: \/x stores its values in external file '\/data\/raw\.bin'; deepstrf reads only the file it was given$/);
    const vds = openHdf5Sync(await buildVirtualH5('other.h5'), 'vds.h5');
    expectFormatError(() => vds.dataset('x'), /^vds\.h5 @ byte \d+: dataset \/x: data layout version 4 is not supported/);
  });

  it('reads compact datasets, and refuses one whose data size does not match its shape', async () => {
    // h5wasm writes contiguous data; rewrite the layout message (v3, contiguous: version 3, class 1,
    // address and size, 8 bytes each) of a one-value float64 dataset into a compact one holding 2.5.
    const bytes = await buildH5((f) => void f.create_dataset({ name: 'x', data: new Float64Array([7]) }), EARLIEST);
    let at = -1;
    for (let i = 0; i + 24 <= bytes.length; i++) {
      if (bytes[i] === 8 && bytes[i + 1] === 0 && bytes[i + 8] === 3 && bytes[i + 9] === 1 && bytes[i + 18] === 8 && bytes.subarray(i + 19, i + 26).every((b) => b === 0)) at = i + 8;
    }
    expect(at).toBeGreaterThan(0);
    bytes.set([3, 0, 8, 0], at); // version 3, class 0 (compact), 8 bytes
    new DataView(bytes.buffer, bytes.byteOffset).setFloat64(at + 4, 2.5, true);
    expect(openHdf5Sync(bytes, 'compact.h5').dataset('x')).toEqual({ shape: [1], data: new Float64Array([2.5]) });
    expectSameTree(openHdf5Sync(bytes, 'compact.h5'), await readHdf5(bytes, 'compact.h5')); // the HDF5 library reads 2.5 too
    bytes[at + 2] = 4; // 4 bytes of data for one float64: the HDF5 library refuses it too
    expectFormatError(() => openHdf5Sync(bytes, 'compact.h5').dataset('x'), /^compact\.h5 @ byte \d+: dataset \/x: compact data of 4 bytes for 1 values of 8 bytes \(8\)$/);
  });

  it('fuzz: mutated latest-format files (attributes, dense links) give data or FormatError only', async () => {
    const bytes = await buildH5((f) => unitTree(f, 30));
    const rng = new Rng(99);
    const walk = (g: H5SyncGroup): void => {
      void g.attrs;
      for (const n of g.names) {
        if (g.kind(n) === 'group') walk(g.group(n));
        else g.dataset(n);
      }
    };
    for (let i = 0; i < iterations(1500); i++) expectOnlyFormatError((b) => walk(openHdf5Sync(b, 'fuzz.h5')), mutate(bytes, rng), `iteration ${i}`);
  });
});

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

  it('refuses non-HDF5 bytes and unknown superblocks with FormatError', async () => {
    expectFormatError(() => openNemsH5(new Uint8Array(64), 'z.h5'), /z\.h5 @ byte 0: expected the HDF5 signature/);
    const v4 = new Uint8Array(64);
    v4.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 4]);
    expectFormatError(() => openNemsH5(v4, 'n.h5'), /n\.h5 @ byte 8: superblock version 4 is not supported/);
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

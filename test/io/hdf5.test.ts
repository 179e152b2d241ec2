import { describe, expect, it } from 'vitest';
import { platform } from '#platform';
import { FormatError, readHdf5, readMat, readMatAsync, Rng } from '../../src/index.js';
import type { Hdf5Dataset, Hdf5Group, Hdf5Reference, MatCell, MatChar, MatLogical, MatNumeric, MatStruct } from '../../src/index.js';
import { asMatV73, buildH5, EARLIEST, type H5Libver } from './helpers/h5-writer.js';
import { num, writeMat } from './helpers/mat-writer.js';
import { MAX_CALL_MS, iterations, mutate } from './helpers/fuzz.js';

/** A file of test/fixtures/hdf5/ (read from disk in Node, fetched from the test server in Chromium). */
async function fixture(name: string): Promise<Uint8Array> {
  const url = new URL(`../fixtures/hdf5/${name}`, import.meta.url);
  return platform.readFile(platform.name === 'node' ? decodeURIComponent(url.pathname) : url.href);
}

async function expectFormatErrorAsync(p: Promise<unknown>, match: RegExp): Promise<FormatError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(FormatError);
  expect((err as FormatError).message).toMatch(match);
  return err as FormatError;
}

const nested = () =>
  buildH5((f) => {
    f.create_attribute('title', 'AA4 units');
    f.create_attribute('version', 3);
    const cls = f.create_group('class-A.1');
    const stim = cls.create_group('STIM_seq0032.wav');
    stim.create_attribute('duration', 1.5);
    stim.create_group('trial_2').create_dataset({ name: 'spike_times', data: new Float64Array([0.25, 0.5]) });
    stim.create_group('trial_1').create_dataset({ name: 'spike_times', data: new Float64Array([0.125]) });
    stim.create_group('trial_3').create_dataset({ name: 'spike_times', data: new Float64Array(0), shape: [0] });
    f.create_dataset({ name: 'matrix', data: new Int32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
    f.create_dataset({ name: 'gz', data: new Float32Array(1000).map((_, i) => i / 4), shape: [1000], chunks: [100], compression: 'gzip', compression_opts: [6] } as never);
    f.create_dataset({ name: 'names', data: ['CLT027c-009-1', 'b'] });
    f.create_dataset({ name: 'scalar', data: 42.5 });
    f.create_dataset({ name: 'big', data: new BigInt64Array([-(2n ** 40n), 7n]) });
    const target = f.get('matrix') as unknown as { create_reference(): unknown };
    f.create_dataset({ name: 'ref', data: [target.create_reference()] as never });
  });

describe('readHdf5', () => {
  it('reads groups, datasets and attributes as a plain tree, children in name order', async () => {
    const root = await readHdf5(await nested(), 'units.h5');
    expect(root.kind).toBe('group');
    expect(root.path).toBe('/');
    expect(root.attrs).toEqual({ title: 'AA4 units', version: 3 });
    expect(Object.keys(root.children)).toEqual(['big', 'class-A.1', 'gz', 'matrix', 'names', 'ref', 'scalar']);
    const stim = (root.children['class-A.1'] as Hdf5Group).children['STIM_seq0032.wav'] as Hdf5Group;
    expect(stim.path).toBe('/class-A.1/STIM_seq0032.wav');
    expect(stim.attrs.duration).toBe(1.5);
    expect(Object.keys(stim.children)).toEqual(['trial_1', 'trial_2', 'trial_3']);
    const st = (stim.children.trial_2 as Hdf5Group).children.spike_times as Hdf5Dataset;
    expect(st.kind).toBe('dataset');
    expect(st.shape).toEqual([2]);
    expect(Array.from(st.value as Float64Array)).toEqual([0.25, 0.5]);
    const empty = (stim.children.trial_3 as Hdf5Group).children.spike_times as Hdf5Dataset;
    expect(empty.shape).toEqual([0]);
    expect((empty.value as Float64Array).length).toBe(0);
  });

  it('keeps row-major data, reads compressed chunks, strings, scalars, int64 and references', async () => {
    const root = await readHdf5(await nested(), 'units.h5');
    const m = root.children.matrix as Hdf5Dataset;
    expect(m.shape).toEqual([2, 3]);
    expect(m.value).toBeInstanceOf(Int32Array);
    expect(Array.from(m.value as Int32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    const gz = root.children.gz as Hdf5Dataset;
    expect((gz.value as Float32Array)[999]).toBe(999 / 4);
    expect((root.children.names as Hdf5Dataset).value).toEqual(['CLT027c-009-1', 'b']);
    expect((root.children.scalar as Hdf5Dataset).value).toBe(42.5);
    expect(Array.from((root.children.big as Hdf5Dataset).value as BigInt64Array)).toEqual([-(2n ** 40n), 7n]);
    const ref = (root.children.ref as Hdf5Dataset).value as Hdf5Reference[];
    expect(ref).toEqual([{ kind: 'reference', path: '/matrix' }]);
  });

  it('reads each group once: another hard link to it is a link to where it was read (no walk over 2^39 paths)', async () => {
    // 40 nested groups /L, /L/L, ...; each but the deepest links its child again as M, and the
    // deepest links back to the root as 'up'. Read as a tree, the file has 2^39 paths.
    const levels = 40;
    const paths = Array.from({ length: levels }, (_, i) => '/L'.repeat(i + 1));
    const bytes = await buildH5((f) => {
      for (const p of paths) f.create_group(p);
      const at = (p: string) => f.get(p) as unknown as { create_hard_link(target: string, name: string): number };
      for (let i = 0; i + 1 < levels; i++) at(paths[i]).create_hard_link(paths[i + 1], 'M');
      at(paths[levels - 1]).create_hard_link('/', 'up');
    });
    let g = await readHdf5(bytes, 'dag.h5');
    for (let i = 0; i < levels; i++) {
      g = g.children.L as Hdf5Group;
      expect(g.path).toBe(paths[i]);
      if (i + 1 < levels) expect(g.children.M).toEqual({ kind: 'link', path: `${paths[i]}/M`, target: paths[i + 1] });
    }
    expect(g.children).toEqual({ up: { kind: 'link', path: `${paths[levels - 1]}/up`, target: '/' } });
  });

  it('refuses non-HDF5 and truncated files with FormatError', async () => {
    await expectFormatErrorAsync(readHdf5(new Uint8Array(100), 'zero.h5'), /^zero\.h5 @ byte 0: expected the HDF5 signature/);
    const bytes = await nested();
    await expectFormatErrorAsync(readHdf5(bytes.subarray(0, 600), 'cut.h5'), /^cut\.h5: (the HDF5 library cannot open the file|cannot)/);
  });

  it("names the HDF5 library's own reason (its error stack is kept, not printed)", async () => {
    // Byte 8 is the superblock version: 0–3 exist, 7 does not.
    const bytes = await nested();
    const bad = bytes.slice();
    bad[8] = 7;
    const e = await expectFormatErrorAsync(readHdf5(bad, 'v7.h5'), /^v7\.h5: the HDF5 library cannot open the file \(H5Fopen failed: \w+\(\): bad superblock version number\)$/);
    expect(e.cause).toBeInstanceOf(Error);
    // The next file starts clean: no reason left over from the failure.
    expect((await readHdf5(bytes, 'ok.h5')).children.matrix).toBeDefined();
  });

  it('refuses a global heap the HDF5 library would walk forever, before the library sees it', async () => {
    // The h5wasm writer's file of the fuzz test below, one byte changed (found by its seed 7, which
    // hung readHdf5): the global heap collection ('GCOL') sits at byte 2072 (0x818) with 8-byte
    // lengths, so its first object header is at 2072 + 16 = 2088. That object (the string 'text')
    // had index 1; with index 0 it reads as the free-space object, which steps by its size alone
    // (4), landing at 2092 inside the header, where the 'size' is the bytes 2100..2107 =
    // 00 00 00 00 't' 'e' 'x' 't': 0x7478657400000000, whose low 32 bits (all the library's wasm32
    // size_t keeps) are 0, so the library's walk stays at 2092 forever.
    const bytes = await fixture('global-heap-zero-step.h5');
    expect(bytes.length).toBe(6168);
    expect(String.fromCharCode(...bytes.subarray(2072, 2076))).toBe('GCOL');
    const size = 0x74786574n << 32n;
    await expectFormatErrorAsync(
      readHdf5(bytes, 'gcol.h5'),
      new RegExp(`^gcol\\.h5 @ byte 2092: global heap collection at byte 2072: object 0 declares a size of ${size} bytes \\(0 in the library's 32-bit size_t\\), which never advances the walk: the HDF5 library would loop forever on it$`),
    );
    // Through the MAT v7.3 path too (a MATLAB header in front: every offset moves by 512).
    await expectFormatErrorAsync(readMatAsync(asMatV73(bytes), 'gcol.mat'), /^gcol\.mat @ byte 2604: global heap collection at byte 2584: object 0 /);
  });

  it('refuses a global heap object that runs past its collection, and a free-space object of size 0', async () => {
    const bytes = await fixture('global-heap-zero-step.h5');
    // Back to the writer's index 1: 'text' (4 bytes) then the free-space object at 2088 + 16 + 8 = 2112,
    // whose size (bytes 2120..2127) is the rest of the 4096-byte collection: 4096 - 40 = 4056.
    const fixed = bytes.slice();
    fixed[2088] = 1;
    expect(new DataView(fixed.buffer).getUint32(2120, true)).toBe(4056);
    const root = await readHdf5(fixed, 'fixed.h5');
    expect(root.attrs.a).toBe('text');
    const zero = fixed.slice();
    new DataView(zero.buffer).setUint32(2120, 0, true);
    await expectFormatErrorAsync(readHdf5(zero, 'zero.h5'), /^zero\.h5 @ byte 2112: global heap collection at byte 2072: object 0 declares a size of 0 bytes, which never advances/);
    const long = fixed.slice();
    new DataView(long.buffer).setUint32(2120, 4057, true);
    await expectFormatErrorAsync(readHdf5(long, 'long.h5'), /^long\.h5 @ byte 2112: global heap collection at byte 2072: object 0 declares a size of 4057 bytes, past the collection's end at byte 6168$/);
  });

  it('refuses a local heap whose free list comes back to a block (the library would allocate until out of memory)', async () => {
    const bytes = await buildH5((f) => void f.create_group('g'), EARLIEST);
    // The root group's local heap, as the HDF5 spec lays it out: 'HEAP', version 0, 3 reserved
    // bytes, then (8-byte lengths and offsets here) the data segment's size, the offset of its first
    // free block (1: none) and its address. A free block starts with the offset of the next one.
    const at = platform.indexOfBytes(bytes, new TextEncoder().encode('HEAP'), 0);
    const dv = new DataView(bytes.buffer);
    const [size, head, data] = [8, 16, 24].map((k) => Number(dv.getBigUint64(at + k, true)));
    expect(bytes[at + 4]).toBe(0);
    expect(head).toBeGreaterThan(1);
    expect(head).toBeLessThan(size);
    expect(Number(dv.getBigUint64(data + head, true))).toBe(1); // the only free block
    expect(Object.keys((await readHdf5(bytes, 'ok.h5')).children)).toEqual(['g']);
    const loop = bytes.slice();
    new DataView(loop.buffer).setBigUint64(data + head, BigInt(head), true);
    await expectFormatErrorAsync(
      readHdf5(loop, 'loop.h5'),
      new RegExp(`^loop\\.h5 @ byte ${data + head}: local heap at byte ${at}: its free list comes back to the block at offset ${head} of the data segment \\(byte ${data + head}\\), so it never ends: the HDF5 library would loop until its memory runs out$`),
    );
    // Behind a MATLAB header, file addresses count from the superblock at byte 512.
    expect(Object.keys(await readMatAsync(asMatV73(bytes), 'ok.mat'))).toEqual(['g']);
    await expectFormatErrorAsync(readMatAsync(asMatV73(loop), 'loop.mat'), new RegExp(`^loop\\.mat @ byte ${512 + data + head}: local heap at byte ${512 + at}: `));
  });

  // Seed 7 found the global heap loop above. Each seed's 150 mutations take ~1 s in Node.
  const fuzzCases: Array<{ format: string; libver?: H5Libver; seed: number }> = [
    ...[5, 7, 11, 13].map((seed) => ({ format: 'latest', seed })),
    ...[5, 7].map((seed) => ({ format: 'earliest', libver: EARLIEST, seed })),
  ];
  it.each(fuzzCases)('mutated files ($format format) give only FormatError, each call under MAX_CALL_MS (seed $seed)', async ({ libver, seed }) => {
    const bytes = await buildH5((f) => {
      f.create_group('g').create_dataset({ name: 'x', data: new Float64Array([1, 2, 3]) });
      f.create_attribute('a', 'text');
    }, libver);
    await readHdf5(bytes, 'warm.h5'); // the h5wasm module loads once, outside the timed calls
    const rng = new Rng(seed);
    let opened = 0;
    for (let i = 0; i < iterations(150); i++) {
      const input = mutate(bytes, rng);
      const t0 = performance.now();
      try {
        await readHdf5(input, 'fuzz.h5');
        opened++;
      } catch (e) {
        if (!(e instanceof FormatError)) expect.fail(`seed ${seed}, mutation ${i}: threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
      }
      const ms = performance.now() - t0;
      if (ms > MAX_CALL_MS) expect.fail(`seed ${seed}, mutation ${i}: took ${ms.toFixed(0)} ms`);
    }
    // The library still works after all the failures.
    const root = await readHdf5(bytes, 'after.h5');
    expect(Array.from(((root.children.g as Hdf5Group).children.x as Hdf5Dataset).value as Float64Array)).toEqual([1, 2, 3]);
    expect(opened).toBeGreaterThan(0);
  });
});

describe('MATLAB v7.3 through readMatAsync', () => {
  // Written the way MATLAB lays out v7.3 files (HDF5 shape = MATLAB shape reversed, MATLAB_class attributes).
  const v73 = async () =>
    asMatV73(
      await buildH5((f) => {
        const ds = (g: { create_dataset(a: object): unknown; get(n: string): unknown }, name: string, data: unknown, shape: number[], cls: string) => {
          g.create_dataset({ name, data, shape });
          (g.get(name) as { create_attribute(n: string, v: unknown): void }).create_attribute('MATLAB_class', cls);
        };
        // x = [1 2 3; 4 5 6] (2x3): column-major bytes 1 4 2 5 3 6, HDF5 shape [3, 2].
        ds(f, 'x', new Float64Array([1, 4, 2, 5, 3, 6]), [3, 2], 'double');
        ds(f, 'n', new Int16Array([-7]), [1, 1], 'int16');
        ds(f, 's', new Uint16Array([...'hello'].map((c) => c.charCodeAt(0))), [5, 1], 'char');
        ds(f, 'm', new Uint16Array([...'axbycz'].map((c) => c.charCodeAt(0))), [3, 2], 'char'); // ['abc'; 'xyz']
        ds(f, 'l', new Uint8Array([1, 0, 1]), [3, 1], 'logical');
        ds(f, 'e', new BigUint64Array([1n, 0n]), [2], 'double');
        (f.get('e') as { create_attribute(n: string, v: unknown): void }).create_attribute('MATLAB_empty', 1);
        const refs = f.create_group('#refs#');
        ds(refs, 'a', new Uint16Array([...'cellA'].map((c) => c.charCodeAt(0))), [5, 1], 'char');
        ds(refs, 'b', new Float64Array([9]), [1, 1], 'double');
        ds(refs, 'c', new Float64Array([1.5, 2.5]), [2, 1], 'double');
        ds(refs, 'd', new Float64Array([3.5]), [1, 1], 'double');
        const r = (p: string) => (f.get(p) as unknown as { create_reference(): never }).create_reference();
        ds(f, 'c', [r('#refs#/a'), r('#refs#/b')], [2, 1], 'cell');
        const st = f.create_group('st');
        st.create_attribute('MATLAB_class', 'struct');
        ds(st, 'len', new Float64Array([5200]), [1, 1], 'double');
        ds(st, 'name', new Uint16Array([...'set'].map((c) => c.charCodeAt(0))), [3, 1], 'char');
        const sa = f.create_group('sa');
        sa.create_attribute('MATLAB_class', 'struct');
        sa.create_dataset({ name: 't', data: [r('#refs#/c'), r('#refs#/d')], shape: [2, 1] });
        ds(f, 'obj', new Uint32Array([1]), [1, 1], 'string');
      }),
    );

  it('readMat refuses it with a pointer to readMatAsync; readMatAsync decodes every kind', async () => {
    const bytes = await v73();
    expect(() => readMat(bytes, 'v73.mat')).toThrow(/readMatAsync/);
    const warnings: string[] = [];
    const vars = await readMatAsync(bytes, 'v73.mat', { onWarning: (w) => warnings.push(w) });
    expect(Object.keys(vars).sort()).toEqual(['c', 'e', 'l', 'm', 'n', 's', 'sa', 'st', 'x']);
    const x = vars.x as MatNumeric;
    expect([x.class, x.shape]).toEqual(['double', [2, 3]]);
    expect(x.data[0 + 2 * 2]).toBe(3); // x(1, 3)
    expect(x.data[1 + 2 * 0]).toBe(4); // x(2, 1)
    expect(vars.n).toMatchObject({ class: 'int16', shape: [1, 1] });
    expect((vars.n as MatNumeric).data[0]).toBe(-7);
    expect((vars.s as MatChar).text).toBe('hello');
    expect((vars.m as MatChar).rows).toEqual(['abc', 'xyz']);
    expect(Array.from((vars.l as MatLogical).data)).toEqual([1, 0, 1]);
    expect(vars.e).toMatchObject({ kind: 'numeric', class: 'double', shape: [1, 0] });
    const c = vars.c as MatCell;
    expect(c.shape).toEqual([1, 2]);
    expect((c.cells[0] as MatChar).text).toBe('cellA');
    expect((c.cells[1] as MatNumeric).data[0]).toBe(9);
    const st = vars.st as MatStruct;
    expect(st.shape).toEqual([1, 1]);
    expect((st.elements[0].name as MatChar).text).toBe('set');
    expect((st.elements[0].len as MatNumeric).data[0]).toBe(5200);
    const sa = vars.sa as MatStruct;
    expect(sa.shape).toEqual([1, 2]);
    expect(sa.elements.map((e) => Array.from((e.t as MatNumeric).data as Float64Array))).toEqual([[1.5, 2.5], [3.5]]);
    expect(warnings.join()).toMatch(/skipped MATLAB string value \/obj/);
  });

  it('variables option, and v5 bytes through readMatAsync', async () => {
    const vars = await readMatAsync(await v73(), 'v73.mat', { variables: ['s'] });
    expect(Object.keys(vars)).toEqual(['s']);
    const v5 = await readMatAsync(writeMat([['q', num('double', [1, 1], [2])]]), 'v5.mat');
    expect((v5.q as MatNumeric).data[0]).toBe(2);
  });
});

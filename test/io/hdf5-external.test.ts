// An HDF5 file may take a dataset's values from other files named by path (External File List,
// virtual dataset: test/io/helpers/h5-external.ts) or link into them. readHdf5 must read only the
// bytes it is given: such a dataset is refused with a FormatError, even when a file of that name
// exists in h5wasm's own file system.
import { describe, expect, it } from 'vitest';
import * as h5 from 'h5wasm';
import { FormatError, readHdf5, readMatAsync, Rng } from '../../src/index.js';
import type { Hdf5Node } from '../../src/index.js';
import { MAX_CALL_MS, iterations, mutate } from './helpers/fuzz.js';
import { asMatV73, buildH5 } from './helpers/h5-writer.js';
import { buildExternalH5, buildVirtualH5, SAME_FILE_VALUES } from './helpers/h5-external.js';
import { openHdf5, refusedFiles } from '../../src/io/h5wasm-file.js';

const SECRET = [11, 22, 33, 44];
const ONLY = 'deepstrf reads only the file it was given';

async function rejection(p: Promise<unknown>): Promise<FormatError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(FormatError);
  return err as FormatError;
}

/** Writes `bytes` (by default the secret's) into h5wasm's in-memory file system (the one readHdf5 opens files in) at `path`. */
async function plantSecret(path: string, bytes: Uint8Array = new Uint8Array(new Float64Array(SECRET).buffer)): Promise<() => void> {
  const fs = (await h5.ready).FS;
  fs.writeFile(path, bytes);
  return () => fs.unlink(path);
}

/** An HDF5 file whose dataset /x holds the secret. */
const secretH5 = () => buildH5((f) => void f.create_dataset({ name: 'x', data: new Float64Array(SECRET) }));

/** What the HDF5 library itself reads as `/x` when it opens `bytes` with no guard. */
async function libraryReads(bytes: Uint8Array): Promise<number[]> {
  const fs = (await h5.ready).FS;
  fs.writeFile('/unguarded.h5', bytes);
  const f = new h5.File('/unguarded.h5', 'r');
  try {
    return Array.from((f.get('x') as InstanceType<typeof h5.Dataset>).value as Float64Array);
  } finally {
    f.close();
    fs.unlink('/unguarded.h5');
  }
}

/** The files readHdf5 left in h5wasm's file system. */
async function leftOver(): Promise<string[]> {
  return ((await h5.ready).FS.readdir('/') as string[]).filter((n) => n.startsWith('deepstrf-'));
}

describe('HDF5 external raw data files', () => {
  for (const [kind, name] of [['absolute', '/secret-abs.bin'], ['relative', 'secret-rel.bin']] as const) {
    it(`refuses a dataset stored in an external file given by ${kind} path, though the file exists`, async () => {
      const remove = await plantSecret(name.startsWith('/') ? name : `/${name}`); // the working folder is '/'
      try {
        const bytes = await buildExternalH5(name);
        expect(await libraryReads(bytes)).toEqual(SECRET); // the fixture does point the library at the file
        const err = await rejection(readHdf5(bytes, 'ext.h5'));
        expect(err.message).toBe(`ext.h5: /x stores its values in external file '${name}'; ${ONLY}`);
        expect(await leftOver()).toEqual([]);
      } finally {
        remove();
      }
    });
  }

  it('refuses the same in a MATLAB v7.3 file, and a file naming /dev/stdin', async () => {
    const remove = await plantSecret('/secret-mat.bin');
    try {
      const err = await rejection(readMatAsync(asMatV73(await buildExternalH5('/secret-mat.bin')), 'ext.mat'));
      expect(err.message).toBe(`ext.mat: /x stores its values in external file '/secret-mat.bin'; ${ONLY}`);
    } finally {
      remove();
    }
    const err = await rejection(readHdf5(await buildExternalH5('/dev/stdin'), 'stdin.h5'));
    expect(err.message).toBe(`stdin.h5: /x stores its values in external file '/dev/stdin'; ${ONLY}`);
  });

  it('keeps an external link as a link, without opening its file', async () => {
    const remove = await plantSecret('/secret-link.h5', await secretH5());
    try {
      const bytes = await buildH5((f) => void f.create_external_link('/secret-link.h5', '/x', 'ext'));
      const root = await readHdf5(bytes, 'link.h5');
      expect(root.children.ext).toEqual({ kind: 'link', path: '/ext', target: '/secret-link.h5:/x' });
    } finally {
      remove();
    }
  });

  it('reads a file while another is open, and lets h5wasm open files again afterwards', async () => {
    // The guard is scoped to readHdf5's own calls: the writer (h5wasm, same module) still works after a refusal.
    await rejection(readHdf5(await buildExternalH5('/nothing.bin'), 'ext.h5'));
    const plain = await buildH5((f) => void f.create_dataset({ name: 'y', data: new Float64Array([1, 2]) }));
    const [a, b] = await Promise.all([readHdf5(plain, 'a.h5'), readHdf5(plain, 'b.h5')]);
    expect(Array.from((a.children.y as { value: Float64Array }).value)).toEqual([1, 2]);
    expect(Array.from((b.children.y as { value: Float64Array }).value)).toEqual([1, 2]);
    expect(await leftOver()).toEqual([]);
  });
});

describe('HDF5 virtual datasets', () => {
  it('refuses a virtual dataset whose source is another file, though the file exists', async () => {
    const remove = await plantSecret('/secret-src.h5', await secretH5());
    try {
      const bytes = await buildVirtualH5('/secret-src.h5');
      expect(await libraryReads(bytes)).toEqual(SECRET); // the fixture does map the other file's /x
      const err = await rejection(readHdf5(bytes, 'vds.h5'));
      expect(err.message).toBe(`vds.h5: /x is a virtual dataset whose values are in file '/secret-src.h5'; ${ONLY}`);
      // Without that check, the file system guard alone keeps the source closed.
      const handle = await openHdf5(bytes);
      try {
        const values = handle.read(() => (handle.file.get('x') as InstanceType<typeof h5.Dataset>).value as Float64Array);
        const refused = refusedFiles(handle.h5); // the library tries the name with several folder prefixes
        expect(refused[0]).toBe('/secret-src.h5');
        expect(refused.every((n) => n.endsWith('secret-src.h5'))).toBe(true);
        expect(Array.from(values)).not.toEqual(SECRET);
      } finally {
        handle.close();
      }
      expect(await leftOver()).toEqual([]);
    } finally {
      remove();
    }
  });

  it("reads a virtual dataset mapping its own file ('.')", async () => {
    const root = await readHdf5(await buildVirtualH5('.', '/y'), 'vds.h5');
    expect(Array.from((root.children.x as { value: Float64Array }).value)).toEqual(SAME_FILE_VALUES);
  });
});

/** Every number of every dataset and attribute value in the tree. */
function numbersOf(node: Hdf5Node, out: number[] = []): number[] {
  const add = (v: unknown): void => {
    if (v instanceof Float64Array || v instanceof Float32Array) out.push(...v);
    else if (typeof v === 'number') out.push(v);
    else if (Array.isArray(v)) v.forEach(add);
  };
  if (node.kind === 'link') return out;
  Object.values(node.attrs).forEach(add);
  if (node.kind === 'dataset') add(node.value);
  else Object.values(node.children).forEach((c) => numbersOf(c, out));
  return out;
}

describe('HDF5 files naming other files, mutated', () => {
  // Doubles whose bit patterns no mutation of the fixtures' values (9, 5..8) can produce.
  const SECRETS = [Math.PI * 1e7, Math.E * 1e-5, 1e11 / 3, Math.SQRT2 * 1e-9];
  const cases = [
    { kind: 'external file', build: () => buildExternalH5('/secret-fuzz.bin'), seed: 3 },
    { kind: 'virtual dataset', build: () => buildVirtualH5('/secret-fuzz.h5'), seed: 4 },
  ];
  it.each(cases)('$kind: only FormatError or values of the file itself, never the other file (seed $seed)', async ({ build, seed }) => {
    const removeBin = await plantSecret('/secret-fuzz.bin', new Uint8Array(new Float64Array(SECRETS).buffer));
    const removeH5 = await plantSecret('/secret-fuzz.h5', await buildH5((f) => void f.create_dataset({ name: 'x', data: new Float64Array(SECRETS) })));
    try {
      const bytes = await build();
      expect(await libraryReads(bytes)).toEqual(SECRETS); // the unmutated file does reach the secret
      const rng = new Rng(seed);
      for (let i = 0; i < iterations(150); i++) {
        const input = mutate(bytes, rng);
        const t0 = performance.now();
        let leaked: number[] = [];
        try {
          leaked = numbersOf(await readHdf5(input, 'fuzz.h5')).filter((v) => SECRETS.includes(v));
        } catch (e) {
          if (!(e instanceof FormatError)) expect.fail(`seed ${seed}, mutation ${i}: threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
        }
        if (leaked.length) expect.fail(`seed ${seed}, mutation ${i}: read ${leaked.join(', ')} from the other file`);
        const ms = performance.now() - t0;
        if (ms > MAX_CALL_MS) expect.fail(`seed ${seed}, mutation ${i}: took ${ms.toFixed(0)} ms`);
      }
      expect(await leftOver()).toEqual([]);
    } finally {
      removeBin();
      removeH5();
    }
  });
});

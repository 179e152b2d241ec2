// The case found in Node: h5wasm's Node build reads the real file system, and an HDF5 file's
// External File List named a local file whose bytes came back as a dataset's values. readHdf5 must
// refuse the file; h5wasm/node shows that the fixture does make the HDF5 library read that file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as h5node from 'h5wasm/node';
import { FormatError, readHdf5 } from '../../../src/index.js';
import { buildExternalH5, buildVirtualH5 } from '../../io/helpers/h5-external.js';
import { buildH5 } from '../../io/helpers/h5-writer.js';

const SECRET = [11, 22, 33, 44];
const dir = mkdtempSync(join(tmpdir(), 'deepstrf-h5ext-test-'));
const secret = join(dir, 'secret.bin');
writeFileSync(secret, new Float64Array(SECRET));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `name` (default `/x`) as the HDF5 library reads it from a real file, with the real file system. */
async function libraryReadsFromDisk(bytes: Uint8Array, name = 'x'): Promise<number[]> {
  await h5node.ready;
  const path = join(dir, 'unguarded.h5');
  writeFileSync(path, bytes);
  const f = new h5node.File(path, 'r');
  try {
    return Array.from((f.get(name) as InstanceType<typeof h5node.Dataset>).value as Float64Array);
  } finally {
    f.close();
  }
}

describe('HDF5 files naming local files, on a real file system', () => {
  for (const [kind, name] of [['absolute', secret], ['relative', relative(process.cwd(), secret)]]) {
    it(`never returns a local file's bytes (${kind} path)`, async () => {
      const bytes = await buildExternalH5(name);
      expect(await libraryReadsFromDisk(bytes)).toEqual(SECRET);
      const err = await readHdf5(bytes, 'ext.h5').then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect((err as Error).message).toBe(`ext.h5: /x stores its values in external file '${name}'; deepstrf reads only the file it was given`);
    });
  }

  it("keeps an external link to a local HDF5 file as a link, never reading that file's datasets", async () => {
    const target = join(dir, 'secret.h5');
    writeFileSync(target, await buildH5((f) => void f.create_dataset({ name: 'x', data: new Float64Array(SECRET) })));
    const bytes = await buildH5((f) => void f.create_external_link(target, '/x', 'ext'));
    expect(await libraryReadsFromDisk(bytes, 'ext')).toEqual(SECRET); // the library follows it
    const root = await readHdf5(bytes, 'link.h5');
    expect(root.children.ext).toEqual({ kind: 'link', path: '/ext', target: `${target}:/x` });
  });

  it('refuses a virtual dataset whose source is a local HDF5 file', async () => {
    const source = join(dir, 'source.h5');
    writeFileSync(source, await buildH5((f) => void f.create_dataset({ name: 'x', data: new Float64Array(SECRET) })));
    const bytes = await buildVirtualH5(source);
    expect(await libraryReadsFromDisk(bytes)).toEqual(SECRET);
    const err = await readHdf5(bytes, 'vds.h5').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as Error).message).toBe(`vds.h5: /x is a virtual dataset whose values are in file '${source}'; deepstrf reads only the file it was given`);
  });
});

// CRCNSAA1Dataset read from the release zip itself: through a ZipSource over an in-memory zip
// (Node and Chromium), and in Chromium from the zip unpacked into the Origin Private File System
// (its single root folder stripped, as the download does).
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { platform } from '#platform';
import { CRCNSAA1Dataset, MemorySource, ZipSource, extractArchive } from '../../src/index.js';
import { aa1Files } from '../helpers/zoo/aa1.js';
import { counts, row } from '../helpers/zoo/theunissen.js';

const check = (ds: CRCNSAA1Dataset) => {
  expect(ds.nrnMeta.map((m) => m.cellId)).toEqual(['x1_1_A', 'yy2_3', 'weird_x', 'zz3_2_B']);
  expect(row(ds.responses[0][3], 0)).toEqual(counts(101, { 0: 2, 100: 1 }));
};

describe('CRCNSAA1Dataset from the release archive', () => {
  it('a ZipSource over the zip (members read in place)', async () => {
    const zip = zipSync(aa1Files());
    const source = await ZipSource.open(new MemorySource({ 'crcns-aa1.zip': zip }), 'crcns-aa1.zip');
    check(await CRCNSAA1Dataset.load({ source, smooth: false }));
  });

  it.runIf(platform.name === 'browser')('unpacked into OPFS (root folder stripped), then loaded from OPFS', async () => {
    const name = `aa1-${Date.now()}`;
    const parent = await platform.openWritableSource('deepstrf-tests');
    const store = await platform.openWritableSource(`deepstrf-tests/${name}`);
    try {
      const zip = zipSync(Object.fromEntries(Object.entries(aa1Files()).map(([k, v]) => [`crcns-aa1/${k}`, v])));
      await store.writeFile('crcns-aa1.zip', zip);
      await extractArchive(store, 'crcns-aa1.zip', store, { stripRoot: true });
      expect((await store.stat('Field_L_cells'))?.kind).toBe('directory');
      check(await CRCNSAA1Dataset.load({ source: store, smooth: false }));
    } finally {
      await parent.remove(name);
    }
  });
});

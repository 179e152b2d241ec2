// The zoo datasets whose fixtures or data are Node-only: AC1 (fixture written with node:fs
// helpers) and the real NS1 release (when present; a selection of it, to keep the export small),
// exported then opened from the folder and over HTTP (the scratch server).
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CRCNSAC1Dataset, MemorySource, NS1Dataset, ZarrDataset, exportZarr, type NeuralDataset } from '../../../src/index.js';
import { ac1Files } from '../../helpers/zoo/ac1-fixture.js';
import { findNs1 } from '../../helpers/ns1-data.js';
import { expectSameAs, scratchDir, uploadTree } from '../../helpers/zarr.js';

const ns1 = findNs1('Zarr round trip of NS1').dir;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function roundTrip(name: string, ds: NeuralDataset, chunkElements: number) {
  const s = await scratchDir(`node-${name}`);
  cleanups.push(s.remove);
  await exportZarr(ds, s.dir, { chunkElements, provenance: { dataset: name } });
  await expectSameAs(await ZarrDataset.open(s.dir), ds);
  const url = await uploadTree(s.dir, inject('scratchBaseUrl'), `node-${name}-${Date.now()}`);
  const lazy = await ZarrDataset.open(url, { concurrency: 4 });
  await expectSameAs(lazy, ds);
  return lazy;
}

describe('Zarr round trip: Node-only zoo data', () => {
  it('ac1 (the fixture)', async () => {
    const ds = await CRCNSAC1Dataset.load({ source: new MemorySource(ac1Files()), onWarning: () => {} });
    await roundTrip('ac1', ds, 5000);
    ds.dispose();
  });

  it.skipIf(!ns1)('ns1 (the real release; single units, stimuli 0–2)', async () => {
    const ds = new NS1Dataset({ path: ns1!, singleUnitsOnly: true });
    ds.selectStims([0, 1, 2]);
    const lazy = await roundTrip('ns1', ds, 2 ** 20);
    expect([lazy.getS(), lazy.getN(), lazy.F]).toEqual([3, 73, 34]);
    ds.dispose();
  }, 120_000);
});

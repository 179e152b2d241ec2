// The David-lab datasets built from in-memory sources: runs in Node and again in Chromium.
import { describe, expect, it } from 'vitest';
import { EspejoDataset, MemorySource, NAT4Dataset, ZipSource, isSentinel, type Tensor } from '../../src/index.js';
import { nat4Files } from '../helpers/zoo/nems-nat4.js';
import { NAT4_CHANS, NAT4_EST, NAT4_VAL, expectedEst, expectedStim, expectedVal } from '../helpers/zoo/nems-nat4-expected.js';
import { vmnFiles, vmnRaster } from '../helpers/zoo/nems-espejo.js';
import { zip } from '../helpers/zoo/nems.js';

const arr = (t: Tensor) => Array.from(t.data as Float32Array);

describe('David-lab datasets from a MemorySource', () => {
  it('NAT4Dataset.load: estimation and validation responses, stimuli', async () => {
    const ds = await NAT4Dataset.load({ source: new MemorySource(await nat4Files()) });
    expect(ds.stimMeta.map((m) => m.name)).toEqual([...NAT4_EST, ...NAT4_VAL].map(([n]) => n));
    [...NAT4_EST, ...NAT4_VAL].forEach(([, start], s) => expect(arr(ds.stims[s])).toEqual(expectedStim(start)));
    NAT4_EST.forEach(([, start], s) => NAT4_CHANS.forEach((_, n) => {
      const want = expectedEst(start, n);
      if (want === null) expect(isSentinel(ds.responses[s][n])).toBe(true);
      else expect(arr(ds.responses[s][n])).toEqual(want);
    }));
    NAT4_CHANS.forEach((c, n) => {
      const want = expectedVal(c);
      if (want === null) expect(isSentinel(ds.responses[3][n])).toBe(true);
      else expect(arr(ds.responses[3][n])).toEqual(want);
    });
  });

  it('NAT4Dataset.load from a ZipSource: the release zipped, site .tgz files read inside it', async () => {
    const parent = new MemorySource({ 'NAT4.zip': zip(await nat4Files()) });
    const ds = await NAT4Dataset.load({ source: await ZipSource.open(parent, 'NAT4.zip'), subset: 'val' });
    NAT4_CHANS.forEach((c, n) => {
      const want = expectedVal(c);
      if (want === null) expect(isSentinel(ds.responses[0][n])).toBe(true);
      else expect(arr(ds.responses[0][n])).toEqual(want);
    });
  });

  it('NAT4Dataset.load reads A1_single_sites.zip in place when the folder is absent', async () => {
    const files = await nat4Files();
    const sites = Object.fromEntries(Object.entries(files).filter(([k]) => k.startsWith('A1_single_sites/')));
    const rest = Object.fromEntries(Object.entries(files).filter(([k]) => !k.startsWith('A1_single_sites/')));
    const ds = await NAT4Dataset.load({ source: new MemorySource({ ...rest, 'A1_single_sites.zip': zip(sites) }), subset: 'val' });
    expect(arr(ds.responses[0][0])).toEqual(expectedVal('ABC001a-01-1'));
    expect(arr(ds.responses[0][1])).toEqual(expectedVal('ABC001a-02-1'));
  });

  it('EspejoDataset.load (VMN): rasterized and point-process sites', async () => {
    const ds = await EspejoDataset.load({ source: new MemorySource(await vmnFiles()), stimuli: 'vmn' });
    expect(ds.stimMeta.map((m) => [m.name, m.split, m.nRepeats])).toEqual([['STIM_q', 'estimation', 1], ['STIM_x', 'test', 3], ['STIM_y', 'estimation', 1], ['STIM_z', 'test', 2]]);
    expect(ds.responses[1][0].shape).toEqual([5, 400]);
    expect(arr(ds.responses[0][1])).toEqual(Array.from(Float32Array.from({ length: 400 }, (_, t) => vmnRaster(1600 + t, 0))));
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FormatError, MemorySource, NAT4Dataset, ValueError, getDataset, isSentinel, type Tensor } from '../../../src/index.js';
import { nat4Files, nat4Sound } from '../../helpers/zoo/nems-nat4.js';
import { NAT4_CHANS, NAT4_EST, NAT4_VAL, expectedEst, expectedStim, expectedVal } from '../../helpers/zoo/nems-nat4-expected.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function writeTree(files: Record<string, Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'ferret-nat4-'));
  dirs.push(root);
  for (const [k, v] of Object.entries(files)) {
    mkdirSync(dirname(join(root, k)), { recursive: true });
    writeFileSync(join(root, k), v);
  }
  return root;
}
const arr = (t: Tensor) => Array.from(t.data as Float32Array);

function checkAll(ds: NAT4Dataset): void {
  expect(ds.stimMeta).toEqual([...NAT4_EST.map(([name]) => ({ name, subset: 'est' })), ...NAT4_VAL.map(([name]) => ({ name, subset: 'val' }))]);
  expect(ds.nrnMeta).toEqual([
    { cellId: 'ABC001a-01-1', area: 'A1', auditory: true, site: 'ABC001a', animal: 'ABC', electrode: 1, unitInElectrode: 1 },
    { cellId: 'ABC001a-02-1', area: 'A1', auditory: false, site: 'ABC001a', animal: 'ABC', electrode: 2, unitInElectrode: 1 },
    { cellId: 'XYZ-9', area: 'A1', auditory: false, site: 'XYZ', animal: null, electrode: null, unitInElectrode: null },
  ]);
  [...NAT4_EST, ...NAT4_VAL].forEach(([, start], s) => {
    expect(ds.stims[s].shape).toEqual([1, 18, 150]);
    expect(arr(ds.stims[s])).toEqual(expectedStim(start));
  });
  NAT4_EST.forEach(([, start], s) => NAT4_CHANS.forEach((_, n) => {
    const want = expectedEst(start, n);
    const got = ds.responses[s][n];
    if (want === null) expect(isSentinel(got)).toBe(true);
    else {
      expect(got.shape).toEqual([1, 150]);
      expect(arr(got)).toEqual(want);
    }
  }));
  const v = NAT4_EST.length;
  NAT4_CHANS.forEach((c, n) => {
    const want = expectedVal(c);
    const got = ds.responses[v][n];
    if (want === null) expect(isSentinel(got)).toBe(true);
    else {
      expect(got.shape).toEqual([20, 150]);
      expect(arr(got)).toEqual(want);
    }
  });
  // By hand: ABC001a-01-1 has a spike in bin 1 of every repeat and in bin 149 of repeats 0–9.
  const a = ds.responses[v][0].data;
  expect([a[1], a[149], a[10 * 150 + 149], a[2]]).toEqual([1, 1, 0, 0]);
  // By hand: ABC001a-02-1 comes from DEF002b (the last site): spikes in bins 0 and 1 of every repeat.
  const b = Array.from(ds.responses[v][1].data as Float32Array);
  for (let r = 0; r < 20; r++) expect(b.slice(r * 150, r * 150 + 3)).toEqual([1, 1, 0]);
  expect(b.reduce((x, y) => x + y, 0)).toBe(40);
  // Sentinels: cell 1 on STIM_cat_c (all NaN), XYZ-9 on the val sound; one shared object.
  expect(ds.responses[1][1]).toBe(ds.responses[v][2]);
  expect(Array.from(ds.nrnMasks.data)).toEqual([1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0]); // cell 1 on b has a NaN stretch
}

describe('NAT4Dataset', () => {
  it('new NAT4Dataset({ path }) on the real layout (pop .tgz wrapped in a folder, quoted epoch name, two sites)', async () => {
    const root = writeTree(await nat4Files());
    const ds = new NAT4Dataset({ path: root });
    checkAll(ds);
    expect(ds.area).toBe('A1');
    expect(ds.F).toBe(18);
    expect(ds.audioFs).toBeNull();
  });

  it('await NAT4Dataset.load({ path }) and from a MemorySource, extracted pop folder', async () => {
    const root = writeTree(await nat4Files());
    checkAll(await NAT4Dataset.load({ path: root }));
    checkAll(await NAT4Dataset.load({ source: new MemorySource(await nat4Files({ extracted: true })) }));
  });

  it('subsets: est and val', async () => {
    const src = new MemorySource(await nat4Files());
    const est = await NAT4Dataset.load({ source: src, subset: 'est' });
    expect(est.stimMeta.map((m) => m.name)).toEqual(NAT4_EST.map(([n]) => n));
    const val = await NAT4Dataset.load({ source: src, subset: 'val' });
    expect(val.stimMeta).toEqual([{ name: 'STIM_00cat_a.wav', subset: 'val' }]);
    expect(Array.from(val.responses[0][0].data)).toEqual(expectedVal('ABC001a-01-1'));
  });

  it('waveform mode: wav/ indexed case-insensitively, sound after the 0.25 s pre-silence', async () => {
    const src = new MemorySource(await nat4Files({ wav: true }));
    const ds = await NAT4Dataset.load({ source: src, returnWaveform: true, audioFs: 1000 });
    expect(ds.hop).toBe(10);
    const lens = [1400, 10, 1000, 1300]; // b, C (upper case file), d, a
    ds.stims.forEach((s, i) => {
      const want = new Float32Array(1500);
      const snd = nat4Sound(lens[i]);
      want.set(snd.subarray(0, Math.min(snd.length, 1500 - 250)), 250);
      expect(s.shape).toEqual([1, 1500]);
      expect(Array.from(s.data as Float32Array)).toEqual(Array.from(want));
    });
  });

  it('registry entry: describe (info) checks the files and unpacked folders of the manifest', async () => {
    const files = await nat4Files();
    const e = getDataset('nat4');
    const full = await e.describe!(writeTree(files), { verify: false });
    expect(full.complete).toBe(true);
    const partial = await e.describe!(writeTree(Object.fromEntries(Object.entries(files).filter(([k]) => !k.startsWith('A1_single_sites/')))), { verify: false });
    expect(partial.complete).toBe(false);
    expect(partial.rows).toContainEqual(['missing', '1: A1_single_sites']);
    expect(e.manifest({ area: 'PEG', returnWaveform: true })?.files.map((f) => f.url)).toEqual([
      'PEG_NAT4_ozgf.fs100.ch18.tgz', 'PEG_pred_correlation.csv', 'PEG_single_sites.zip', 'wav.zip',
    ].map((n) => `https://zenodo.org/api/records/8044773/files/${n}/content`));
  });

  it('errors: bad options, missing files', async () => {
    const src = new MemorySource(await nat4Files());
    await expect(NAT4Dataset.load({ source: src, area: 'MGB' as 'A1' })).rejects.toThrow(ValueError);
    await expect(NAT4Dataset.load({ source: src, dtMs: 5 })).rejects.toThrow(/dtMs must be 10/);
    await expect(NAT4Dataset.load({ source: src, area: 'PEG' })).rejects.toThrow(FormatError);
    await expect(NAT4Dataset.load({ source: src, area: 'PEG' })).rejects.toThrow(/PEG_NAT4_ozgf\.fs100\.ch18\.tgz: not found/);
    await expect(NAT4Dataset.load({ source: src, returnWaveform: true })).rejects.toThrow(/wav: folder not found/);
  });
});

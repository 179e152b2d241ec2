import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EspejoDataset, FormatError, MemorySource, ValueError, getDataset, isSentinel, type Tensor } from '../../../src/index.js';
import {
  SITE1_OFFSETS, VMN_SITE1_EPOCHS, natFiles, natSound, vmnFiles, vmnRaster, vmnStimCsv, vmnStimH5,
} from '../../helpers/zoo/nems-espejo.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function writeTree(files: Record<string, Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'ferret-espejo-'));
  dirs.push(root);
  for (const [k, v] of Object.entries(files)) {
    mkdirSync(dirname(join(root, k)), { recursive: true });
    writeFileSync(join(root, k), v);
  }
  return root;
}
const arr = (t: Tensor) => Array.from(t.data as Float32Array);
const f32 = (xs: number[]) => Array.from(Float32Array.from(xs));

/** Site 1 point-process row: spikes at the offsets' bins (offset == duration is outside). */
const ppRow = (T: number, previousEnd = false) => {
  const row = new Array<number>(T).fill(0);
  if (previousEnd) row[0] += 1; // the previous presentation's spike at its end = this one's start
  for (const b of [0, 1, 25, 399]) if (b < T) row[b] += 1;
  return row;
};
const rasterRow = (c: number, a: number, T: number) => Array.from({ length: T }, (_, t) => vmnRaster(a + t, c));

function checkVmn(ds: EspejoDataset): void {
  expect(ds.F).toBe(2);
  expect(ds.stimMeta).toEqual([
    { name: 'STIM_q', type: 'vmn', nRepeats: 1, split: 'estimation', durationS: 4, nSamples: 400 },
    { name: 'STIM_x', type: 'vmn', nRepeats: 3, split: 'test', durationS: 4, nSamples: 400 },
    { name: 'STIM_y', type: 'vmn', nRepeats: 1, split: 'estimation', durationS: 3, nSamples: 300 },
    { name: 'STIM_z', type: 'vmn', nRepeats: 2, split: 'test', durationS: 4, nSamples: 400 },
  ]);
  expect(ds.nrnMeta).toEqual([
    { cellId: 'abc001a-c1', experimentSet: 'vmn', site: 'abc001a', animalId: 'abc', channel: 'c1', unit: null },
    { cellId: 'abd002b-a2', experimentSet: 'vmn', site: 'abd002b', animalId: 'abd', channel: 'a2', unit: null },
  ]);
  // Cochleagrams: x, y from site 1's stim.h5; q, z cut from site 2's stim.csv at their first epoch, transposed.
  const fromCsv = (a: number) => [0, 1].flatMap((f) => Array.from({ length: 400 }, (_, t) => vmnStimCsv(a + t, f)));
  const fromH5 = (T: number) => [0, 1].flatMap((f) => Array.from({ length: T }, (_, t) => vmnStimH5(f, t)));
  expect(arr(ds.stims[0])).toEqual(f32(fromCsv(1600)));
  expect(arr(ds.stims[1])).toEqual(f32(fromH5(400)));
  expect(ds.stims[2].shape).toEqual([1, 2, 300]);
  expect(arr(ds.stims[2])).toEqual(f32(fromH5(300)));
  expect(arr(ds.stims[3])).toEqual(f32(fromCsv(800)));
  // q: only site 2 (site 1 had no cochleagram for it).
  expect(arr(ds.responses[0][0])).toEqual(f32(rasterRow(1, 1600, 400)));
  expect(arr(ds.responses[0][1])).toEqual(f32(rasterRow(0, 1600, 400)));
  // x: abc001a-c1 concatenated over its sessions: 3 point-process rows, then 2 raster rows.
  expect(ds.responses[1][0].shape).toEqual([5, 400]);
  expect(arr(ds.responses[1][0])).toEqual(f32([...ppRow(400), ...ppRow(400, true), ...ppRow(400, true), ...rasterRow(1, 0, 400), ...rasterRow(1, 400, 400)]));
  expect(arr(ds.responses[1][1])).toEqual(f32([...rasterRow(0, 0, 400), ...rasterRow(0, 400, 400)]));
  // y: cropped to its 300-bin cochleagram (the bin-350 spike is dropped); abd002b-a2 never heard it.
  const y = new Array<number>(300).fill(0);
  y[0] = 1; // the spike at 12 s ends the last STIM_x presentation and starts STIM_y
  y[50] = 1;
  expect(arr(ds.responses[2][0])).toEqual(y);
  expect(isSentinel(ds.responses[2][1])).toBe(true);
  // z: a NaN stretch in abd002b-a2's second presentation.
  expect(arr(ds.responses[3][1])).toEqual(f32([...rasterRow(0, 800, 400), ...rasterRow(0, 1200, 400)]));
  expect(Array.from(ds.nrnMasks.data)).toEqual([1, 1, 1, 1, 1, 0, 1, 0]);
  expect(SITE1_OFFSETS.length + VMN_SITE1_EPOCHS.length).toBe(11);
}

describe('EspejoDataset', () => {
  it('VMN: new EspejoDataset({ path }) — h5 and csv sites, cross-session cell, registry and split rules', async () => {
    const root = writeTree(await vmnFiles());
    checkVmn(new EspejoDataset({ path: root, stimuli: 'vmn' }));
  });

  it('VMN: await load({ source }) and the subset and cells options', async () => {
    const src = new MemorySource(await vmnFiles());
    checkVmn(await EspejoDataset.load({ source: src, stimuli: 'vmn' }));
    const test = await EspejoDataset.load({ source: src, stimuli: 'vmn', subset: 'test', cells: ['abd002b-a2'] });
    expect(test.stimMeta.map((m) => m.name)).toEqual(['STIM_x', 'STIM_z']);
    expect(test.nrnMeta.map((m) => m.cellId)).toEqual(['abd002b-a2']);
    await expect(EspejoDataset.load({ source: src, stimuli: 'vmn', cells: ['nope'] })).rejects.toThrow(/no cell selected/);
  });

  it('NAT: spectrogram and waveform modes (sound after 0.5 s of silence), cell-id parts', async () => {
    const root = writeTree(await natFiles());
    const spec = new EspejoDataset({ path: root });
    expect(spec.nrnMeta).toEqual([{ cellId: 'AMT003c-11-1', experimentSet: 'nat', site: 'AMT003c', animalId: 'AMT', channel: '11', unit: '1' }]);
    expect(spec.stims[0].shape).toEqual([1, 18, 100]);
    const row = new Array<number>(100).fill(0);
    row[50] = 1;
    expect(arr(spec.responses[0][0])).toEqual([...row, ...new Array<number>(100).fill(0).map((_, i) => (i === 0 ? 1 : 0))]);
    expect(spec.stimMeta[0]).toEqual({ name: 'STIM_cat 1, b.wav', type: 'nat', nRepeats: 2, split: 'test', durationS: 1, nSamples: 100 });
    const wave = await EspejoDataset.load({ path: root, returnWaveform: true, audioFs: 1000 });
    const want = new Float32Array(1000);
    want.set(natSound(800).subarray(0, 500), 500);
    expect(arr(wave.stims[0])).toEqual(Array.from(want));
  });

  it('errors', async () => {
    const src = new MemorySource(await vmnFiles());
    await expect(EspejoDataset.load({ source: src, stimuli: 'vmn', returnWaveform: true })).rejects.toThrow(/only for the NAT set/);
    await expect(EspejoDataset.load({ source: src })).rejects.toThrow(FormatError);
    await expect(EspejoDataset.load({ source: src })).rejects.toThrow(/A1_natural_sounds\/NAT: folder not found/);
    await expect(EspejoDataset.load({ source: src, stimuli: 'vmn', subset: 'val' as 'test' })).rejects.toThrow(ValueError);
    const natSrc = new MemorySource(Object.fromEntries(Object.entries(await natFiles()).filter(([k]) => !k.startsWith('nat_waveforms'))));
    await expect(EspejoDataset.load({ source: natSrc, returnWaveform: true })).rejects.toThrow(/nat_waveforms\/cat 1, b\.wav: not found/);
  });
});

describe('espejo registry entry', () => {
  it('manifest per stimulus set; an unknown set is a ValueError', () => {
    const e = getDataset('espejo');
    expect(e.manifest({ stimuli: 'vmn' })?.files).toEqual([
      { path: 'A1_voc_mod_noise.tgz', url: 'https://zenodo.org/api/records/3445557/files/A1_voc_mod_noise.tgz/content', archive: 'tar.gz', extractTo: '', anchor: 'A1_voc_mod_noise/VMN' },
    ]);
    expect(() => e.manifest({ stimuli: 'vmx' })).toThrow(ValueError);
    expect(e.mainJob!({ stimuli: 'vmn' })).toEqual({ load: { stimuli: 'vmn' } });
    expect(getDataset('nat4').mainJob!({ area: 'PEG' })).toEqual({ load: { area: 'PEG' } });
  });
});

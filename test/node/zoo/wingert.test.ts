import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FormatError, MemorySource, ValueError, Wingert2026Dataset, isSentinel, type Tensor } from '../../../src/index.js';
import { TST001A_EPOCHS, TST002A_EPOCHS, WG_SPIKES, wgSound, wgStim, wingertFiles } from '../../helpers/zoo/nems-wingert.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function writeTree(files: Record<string, Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'ferret-wingert-'));
  dirs.push(root);
  for (const [k, v] of Object.entries(files)) {
    mkdirSync(dirname(join(root, k)), { recursive: true });
    writeFileSync(join(root, k), v);
  }
  return root;
}
const arr = (t: Tensor) => Array.from(t.data as Float32Array);
const halfEven = (x: number): number => {
  const f = Math.floor(x);
  const d = x - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
};

const CELLS = ['TST001a-001-1', 'TST001a-002-3', 'TST002a-B-005-1', 'TST002a-A-007-2', 'TST001a-009-9'];
/** (stim name, session, k of wgStim, T, epochs of the session). */
const STIMS: Array<[string, string, number, number, Array<[number, number, string]>]> = [
  ['STIM_00seq1.wav', 'TST001a', 1, 200, TST001A_EPOCHS],
  ['STIM_seq0001.wav', 'TST001a', 0, 200, TST001A_EPOCHS],
  ['STIM_seq0002.wav', 'TST001a', 2, 200, TST001A_EPOCHS],
  ['STIM_00seq2.wav', 'TST002a', 4, 220, TST002A_EPOCHS],
  ['STIM_seq0003.wav', 'TST002a', 3, 220, TST002A_EPOCHS],
];
const IN_ARCHIVE = new Set(['TST001a-001-1', 'TST001a-002-3', 'TST002a-A-007-2', 'TST002a-B-005-1']);

/** Raw counts by the spec's rule: s ≤ t < e, bin = floor(t·fs) − round(s·fs); null = sentinel. */
function rawCounts(cell: string, [name, session, , T, epochs]: (typeof STIMS)[number]): number[] | null {
  if (!IN_ARCHIVE.has(cell) || !cell.startsWith(session)) return null;
  const occ = epochs.filter((e) => e[2] === name);
  if (occ.length === 0) return null;
  return occ.flatMap(([s, e]) => {
    const row = new Array<number>(T).fill(0);
    for (const t of WG_SPIKES[cell]) {
      if (t < s || t >= e) continue;
      const b = Math.floor(t * 100) - halfEven(s * 100);
      if (b >= 0 && b < T) row[b] += 1;
    }
    return row;
  });
}
function expectedResponses(): Array<Array<number[] | null>> {
  const raw = STIMS.map((st) => CELLS.map((c) => rawCounts(c, st)));
  return raw.map((row) => row.map((x, n) => {
    if (x === null) return null;
    const all = raw.map((r) => r[n]).filter((v): v is number[] => v !== null && v.length > 1).flat();
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    return hi > lo ? x.map((v) => Math.fround((v - lo) / (hi - lo) < 1e-6 ? 0 : (v - lo) / (hi - lo))) : x;
  }));
}
function expectedStims(): number[][] {
  const comp = (x: number) => Math.log((x + 0.1) / 0.1);
  const lo = new Array<number>(32).fill(Infinity);
  const hi = new Array<number>(32).fill(-Infinity);
  for (const [, , k, T] of STIMS) for (let f = 0; f < 32; f++) for (let t = 0; t < T; t++) {
    lo[f] = Math.min(lo[f], comp(wgStim(k, f, t)));
    hi[f] = Math.max(hi[f], comp(wgStim(k, f, t)));
  }
  return STIMS.map(([, , k, T]) => {
    const out: number[] = [];
    for (let f = 0; f < 32; f++) for (let t = 0; t < T; t++) {
      const x = (comp(wgStim(k, f, t)) - lo[f]) / (hi[f] - lo[f] || 1);
      out.push(Math.fround(x < 1e-6 ? 0 : x));
    }
    return out;
  });
}

function checkAll(ds: Wingert2026Dataset, keep = [0, 1, 2, 3, 4]): void {
  expect(ds.stimMeta).toEqual(keep.map((s) => ({ name: STIMS[s][0], subset: STIMS[s][0].startsWith('STIM_00') ? 'val' : 'est', session: STIMS[s][1] })));
  const er = expectedResponses();
  const es = expectedStims();
  keep.forEach((s, i) => {
    expect(ds.stims[i].shape).toEqual([1, 32, STIMS[s][3]]);
    expect(arr(ds.stims[i])).toEqual(es[s]);
    CELLS.forEach((_, n) => {
      const want = er[s][n];
      if (want === null) expect(isSentinel(ds.responses[i][n])).toBe(true);
      else expect(arr(ds.responses[i][n])).toEqual(want);
    });
  });
}

describe('Wingert2026Dataset', () => {
  it('new Wingert2026Dataset({ path }): cell list, session map (renamed and duplicate archives), absolute-floor bins, normalisation', async () => {
    const root = writeTree(await wingertFiles());
    const warnings: string[] = [];
    const ds = new Wingert2026Dataset({ path: root, onWarning: (m) => warnings.push(m) });
    checkAll(ds);
    expect(warnings).toEqual(['Wingert2026Dataset: session TST001a is in TST000x_dup.tgz, TST001a_abc.tgz; using TST001a_abc.tgz, ignoring TST000x_dup.tgz']);
    expect(ds.nrnMeta[0]).toEqual({
      cellId: 'TST001a-001-1', site: 'TST001a', session: 'TST001a', area: 'A1', layer: '56', depth: -120.5, narrow: false, celltype: 'RS', sw: 0.35,
      goodpred: true, animal: 'TST', electrode: 1, unitInElectrode: 1,
    });
    expect(ds.nrnMeta.slice(1).map((m) => [m.cellId, m.site, m.session, m.area, m.layer, m.depth, m.narrow, m.electrode, m.unitInElectrode])).toEqual([
      ['TST001a-002-3', 'TST001a', 'TST001a', 'PEG', '1-3', null, true, 2, 3],
      ['TST002a-B-005-1', 'TST002a-B', 'TST002a', 'AC', '4', 300, false, 5, 1],
      ['TST002a-A-007-2', 'TST002a', 'TST002a', 'HC', null, 12, false, 7, 2],
      ['TST001a-009-9', 'TST001a', 'TST001a', 'A1', '4', 1, true, 9, 9],
    ]);
    // By hand, STIM_seq0001.wav (start 0.375 s → bin origin 38): the spike at 0.375 s is bin −1 (dropped);
    // 0.5 s → bin 12, 1.0 s → bin 62; the neuron's maximum count is 2 (two spikes in bin 1 of a val repeat).
    const seq1 = ds.responses[1][0].data;
    expect([seq1[0], seq1[12], seq1[62]]).toEqual([0, 0.5, 0.5]);
    expect(ds.responses[0][0].data[1]).toBe(1);
    // One shared sentinel (a stim without epochs; a cell absent from its archive; other sessions).
    expect(ds.responses[2][0]).toBe(ds.responses[0][4]);
    expect(ds.responses[3][0]).toBe(ds.responses[0][4]);
  });

  it('await load({ source }): subsets after normalisation, area and site filters', async () => {
    const src = new MemorySource(await wingertFiles());
    checkAll(await Wingert2026Dataset.load({ source: src }));
    checkAll(await Wingert2026Dataset.load({ source: src, subset: 'val' }), [0, 3]);
    checkAll(await Wingert2026Dataset.load({ source: src, subset: 'est' }), [1, 2, 4]);
    const b = await Wingert2026Dataset.load({ source: src, site: 'TST002a-B' });
    expect(b.nrnMeta.map((m) => m.cellId)).toEqual(['TST002a-B-005-1']);
    expect(b.stimMeta.map((m) => m.name)).toEqual(['STIM_00seq2.wav', 'STIM_seq0003.wav']);
    const ph = await Wingert2026Dataset.load({ source: src, area: ['PEG', 'HC'] });
    expect(ph.nrnMeta.map((m) => m.cellId)).toEqual(['TST001a-002-3', 'TST002a-A-007-2']);
  });

  it('waveform mode: wav/ (case-insensitive), sound after prestimMs; responses still normalised', async () => {
    const src = new MemorySource(await wingertFiles({ wav: true }));
    const ds = await Wingert2026Dataset.load({ source: src, returnWaveform: true, audioFs: 1000 });
    const lens = [100, 2500, 10, 300, 2200];
    ds.stims.forEach((s, i) => {
      const T = STIMS[i][3] * 10;
      const want = new Float32Array(T);
      const snd = wgSound(lens[i]);
      want.set(snd.subarray(0, Math.min(snd.length, T - 1000)), 1000);
      expect(arr(s)).toEqual(Array.from(want));
    });
    expect(arr(ds.responses[1][0])).toEqual(expectedResponses()[1][0]);
  });

  it('errors', async () => {
    const files = await wingertFiles();
    const src = new MemorySource(files);
    await expect(Wingert2026Dataset.load({ source: src, site: ['TST001a', 'NOPE'] })).rejects.toThrow(/requested site\(s\) not found: NOPE/);
    await expect(Wingert2026Dataset.load({ source: src, area: 'MGB' as 'A1' })).rejects.toThrow(ValueError);
    await expect(Wingert2026Dataset.load({ source: src, includeUnlabeled: true })).rejects.toThrow(/no archive holds session TST003a/);
    const noList = new MemorySource(Object.fromEntries(Object.entries(files).filter(([k]) => k !== 'cell_list.csv')));
    await expect(Wingert2026Dataset.load({ source: noList })).rejects.toThrow(FormatError);
    await expect(Wingert2026Dataset.load({ source: noList })).rejects.toThrow(/cell_list\.csv: not found \(use download=True/);
  });
});

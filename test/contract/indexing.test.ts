// Indexing and iteration under selection (docs/contract.md).
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/index.js';
import { resolveSlice } from '../../src/contract/slice.js';
import { selectionFixture } from '../helpers/fixtures.js';

describe('get(i | i[] | slice)', () => {
  it('negative indices wrap; out of range names the index, the length and the selection', () => {
    const ds = selectionFixture();
    expect(ds.get(-1).stimMeta.name).toBe('val1');
    expect(() => ds.get(6)).toThrow(RangeError);
    expect(() => ds.get(-7)).toThrow(/index -7 is out of range for length 6; the length is relative to the current selection/);
    ds.selectStimsByAttr('subset', 'val');
    expect(() => ds.get(2)).toThrow(/length 2/);
  });

  it('an item holds the stimulus, one response per selected neuron, the coverage mask and the meta object', () => {
    const ds = selectionFixture({ N: 5, estOnly: 2 });
    ds.selectPopulation([4, 0]);
    const it = ds.get(0); // stim 0 (est): neuron 4 is est-only → real; neuron 0 real
    expect(Object.keys(it)).toEqual(['stims', 'responses', 'validMask', 'stimMeta']);
    expect(it.stims).toBe(ds.stims[0]);
    expect(it.responses).toEqual([ds.responses[0][4], ds.responses[0][0]]);
    expect(it.stimMeta).toBe(ds.stimMeta[0]);
    expect(it.validMask.shape).toEqual([2]);
    const last = ds.get(-1); // stim 5 (val): neuron 4 missing
    expect(Array.from(last.validMask.data)).toEqual([0, 1]);
    expect(last.responses[0].shape).toEqual([1, 1]);
  });

  it('lists and slices return the same keys holding arrays', () => {
    const ds = selectionFixture();
    const a = ds.get([0, -1, 2]);
    expect(a.stimMeta.map((m) => m.name)).toEqual(['est0', 'val1', 'est2']);
    expect(a.stims).toHaveLength(3);
    expect(a.responses[1]).toHaveLength(3);
    const b = ds.get({ start: 1, stop: 5, step: 2 });
    expect(b.stimMeta.map((m) => m.name)).toEqual(['est1', 'est3']);
    expect(ds.get({ start: 10 }).stims).toEqual([]);
    expect(() => ds.get([0, 6])).toThrow(RangeError);
  });

  it('bad index kinds throw TypeError "Invalid index type"', () => {
    const ds = selectionFixture();
    expect(() => ds.get(1.5)).toThrow(TypeError);
    expect(() => ds.get('1' as unknown as number)).toThrow(/Invalid index type/);
    expect(() => ds.get(new Float32Array([1]) as unknown as number[])).toThrow(/Invalid index type/);
    expect(() => ds.get({ begin: 1 } as never)).toThrow(/Invalid index type/);
  });

  it('iteration yields length items in order', () => {
    const ds = selectionFixture();
    ds.selectStims([5, 1, 1]);
    expect([...ds].map((it) => it.stimMeta.name)).toEqual(['est1', 'val1']); // ascending, duplicates collapse
  });

  it('getNrnMeta follows the effective selection (deliberate difference 2)', () => {
    const ds = selectionFixture({ N: 4 });
    expect(ds.getNrnMeta()).toEqual(ds.nrnMeta);
    ds.selectPopulation([3, 1]);
    expect(ds.getNrnMeta()).toEqual([ds.nrnMeta[3], ds.nrnMeta[1]]);
    expect(ds.getN()).toBe(4);
    expect(ds.getS()).toBe(6);
  });

  it('selectPopulation keeps order and duplicates; takes a single number', () => {
    const ds = selectionFixture({ N: 4 });
    ds.selectPopulation([2, 0, 2]);
    expect(ds.selectedNeurons()).toEqual([2, 0, 2]);
    ds.selectPopulation(3);
    expect(ds.selectedNeurons()).toEqual([3]);
    expect(() => ds.selectPopulation([0, 4])).toThrow(/neuron index 4 must be in \[0, N\) = \[0, 4\)/);
    expect(() => ds.selectNeuron(-1)).toThrow(RangeError);
    expect(ds.selectedNeurons()).toEqual([3]); // failed calls change nothing
  });
});

describe('resolveSlice follows Python slice.indices', () => {
  const py = (len: number, start: number | null, stop: number | null, step: number | null) => {
    // Independent re-statement of CPython's PySlice_AdjustIndices.
    const st = step ?? 1;
    let lo: number, hi: number;
    if (start === null) lo = st < 0 ? len - 1 : 0;
    else { lo = start < 0 ? start + len : start; if (lo < 0) lo = st < 0 ? -1 : 0; else if (lo >= len) lo = st < 0 ? len - 1 : len; }
    if (stop === null) hi = st < 0 ? -1 : len;
    else { hi = stop < 0 ? stop + len : stop; if (hi < 0) hi = st < 0 ? -1 : 0; else if (hi >= len) hi = st < 0 ? len - 1 : len; }
    const out: number[] = [];
    if (st > 0) for (let i = lo; i < hi; i += st) out.push(i);
    else for (let i = lo; i > hi; i += st) out.push(i);
    return out;
  };
  it('on every start/stop/step combination for lengths 0–6', () => {
    const vals = [null, -8, -3, -1, 0, 1, 2, 5, 9];
    for (let len = 0; len <= 6; len++) {
      for (const a of vals) for (const b of vals) for (const c of [null, -3, -1, 1, 2, 4]) {
        expect(resolveSlice({ start: a, stop: b, step: c }, len)).toEqual(py(len, a, b, c));
      }
    }
  });
  it('step 0 → ValueError', () => {
    expect(() => resolveSlice({ step: 0 }, 3)).toThrow(ValueError);
  });
});

// Port of the reference's tests/test_stim_selection.py (cases 1–25), with deliberate
// difference 1 (an empty neuron selection selects nothing).
import { describe, expect, it } from 'vitest';
import { concatNeuralDatasets } from '../../src/index.js';
import { predicateFixture, selectionFixture } from '../helpers/fixtures.js';

describe('stimulus selection (test_stim_selection 1–14)', () => {
  it('1. fresh: no stimulus selection, length 6, every stim iterable', () => {
    const ds = selectionFixture();
    expect(ds.length).toBe(6);
    expect(ds.iterableStims()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('2. selectStim(2) → length 1, item meta est2', () => {
    const ds = selectionFixture();
    ds.selectStim(2);
    expect(ds.length).toBe(1);
    expect(ds.iterableStims()).toEqual([2]);
    expect(ds.get(0).stimMeta.name).toBe('est2');
  });

  it('3. selectStim(99) and selectStim(-1) throw RangeError', () => {
    const ds = selectionFixture();
    expect(() => ds.selectStim(99)).toThrow(RangeError);
    expect(() => ds.selectStim(-1)).toThrow(/stim index -1 must be in \[0, S\) = \[0, 6\)/);
    expect(() => ds.selectStim(1.5)).toThrow(TypeError);
    expect(ds.length).toBe(6); // a rejected call changes nothing
  });

  it('4. selectStims([1, 3, 5]) → est1, est3, val1', () => {
    const ds = selectionFixture();
    ds.selectStims([1, 3, 5]);
    expect(ds.length).toBe(3);
    expect([0, 1, 2].map((i) => ds.get(i).stimMeta.name)).toEqual(['est1', 'est3', 'val1']);
  });

  it("5. selectStimsByAttr('subset', 'val') → [4, 5]", () => {
    const ds = selectionFixture();
    expect(ds.selectStimsByAttr('subset', 'val')).toEqual([4, 5]);
    expect(ds.iterableStims()).toEqual([4, 5]);
    expect(ds.length).toBe(2);
    for (const it of ds) expect(it.stimMeta.subset).toBe('val');
  });

  it('6. a missing attribute selects no stimulus: length 0', () => {
    const ds = selectionFixture();
    expect(ds.selectStimsByAttr('nope', 'x')).toEqual([]);
    expect(ds.length).toBe(0);
    expect(ds.iterableStims()).toEqual([]);
  });

  it('7. resetStimSelection restores every stimulus', () => {
    const ds = selectionFixture();
    ds.selectStim(3);
    ds.resetStimSelection();
    expect(ds.length).toBe(6);
  });

  it('8. N=5 with 2 est-only neurons, val stims → neurons [0, 1, 2], items without NaN', () => {
    const ds = selectionFixture({ N: 5, estOnly: 2 });
    ds.selectStimsByAttr('subset', 'val');
    expect(ds.selectedNeurons()).toEqual([0, 1, 2]);
    const item = ds.get(0);
    expect(item.responses).toHaveLength(3);
    for (const r of item.responses) expect(Array.from(r.data).some(Number.isNaN)).toBe(false);
  });

  it('9. selectPopulation([2, 3, 4]) then val stims → [2]', () => {
    const ds = selectionFixture({ N: 5, estOnly: 2 });
    ds.selectPopulation([2, 3, 4]);
    ds.selectStimsByAttr('subset', 'val');
    expect(ds.selectedNeurons()).toEqual([2]);
  });

  it("10. selectPopByStimAttr('subset', 'est') with 2 val-only neurons → [0, 1, 2], all stims iterable", () => {
    const ds = selectionFixture({ N: 5, valOnly: 2 });
    expect(ds.selectPopByStimAttr('subset', 'est')).toEqual([0, 1, 2]);
    expect(ds.selectedNeurons()).toEqual([0, 1, 2]);
    expect(ds.length).toBe(6);
  });

  it("11. selectPopByStimAttr('subset', 'nonexistent') → [] and nothing selected", () => {
    const ds = selectionFixture({ N: 5, valOnly: 2 });
    expect(ds.selectPopByStimAttr('subset', 'nonexistent')).toEqual([]);
    expect(ds.selectedNeurons()).toEqual([]);
    expect(ds.length).toBe(0); // deliberate difference 1: not "all neurons"
  });

  it('12. selectStims([0, 5]) then selectPopulation([1, 2]) → still 2 items', () => {
    const ds = selectionFixture();
    ds.selectStims([0, 5]);
    expect(ds.length).toBe(2);
    ds.selectPopulation([1, 2]);
    expect(ds.length).toBe(2);
  });

  it('13. a concatenation starts with no stimulus selection (length 5)', () => {
    const c = concatNeuralDatasets([selectionFixture({ sEst: 2, sVal: 1 }), selectionFixture({ sEst: 1, sVal: 1 })]);
    expect(c.length).toBe(5);
    expect(c.iterableStims()).toEqual([0, 1, 2, 3, 4]);
  });

  it("14. concat then selectStimsByAttr('subset', 'val') → [2, 4]", () => {
    const c = concatNeuralDatasets([selectionFixture({ sEst: 2, sVal: 1 }), selectionFixture({ sEst: 1, sVal: 1 })]);
    expect(c.selectStimsByAttr('subset', 'val')).toEqual([2, 4]);
    expect(c.length).toBe(2);
  });
});

describe('predicate selection (test_stim_selection 15–25)', () => {
  it('15. snr > 0.5 → [2, 3]', () => {
    const ds = predicateFixture([0.1, 0.4, 0.6, 0.9].map((snr, uid) => ({ uid, snr })));
    expect(ds.selectPopByNrnPredicate((n) => (n.snr as number) > 0.5)).toEqual([2, 3]);
    expect(ds.selectedNeurons()).toEqual([2, 3]);
  });

  it('16. 200 ≤ depth ≤ 800 → [1, 2]', () => {
    const ds = predicateFixture([150, 250, 750, 900].map((depthUm, uid) => ({ uid, snr: 1, depthUm })));
    expect(ds.selectPopByNrnPredicate((n) => 200 <= (n.depthUm as number) && (n.depthUm as number) <= 800)).toEqual([1, 2]);
  });

  it('17. snr > 0.5 and area in {Field_L, MLd} → [1, 3]', () => {
    const ds = predicateFixture([
      { uid: 0, snr: 0.9, area: 'CM' }, { uid: 1, snr: 0.7, area: 'Field_L' },
      { uid: 2, snr: 0.2, area: 'MLd' }, { uid: 3, snr: 0.8, area: 'MLd' },
    ]);
    expect(ds.selectPopByNrnPredicate((n) => (n.snr as number) > 0.5 && ['Field_L', 'MLd'].includes(n.area as string))).toEqual([1, 3]);
  });

  it('18. a predicate reading a key only neuron 1 has → [1] (others skipped, no error)', () => {
    const ds = predicateFixture([{ uid: 0, snr: 1 }, { uid: 1, snr: 1, area: 'Field_L' }, { uid: 2, snr: 1 }]);
    expect(ds.selectPopByNrnPredicate((n) => (n.area as string).startsWith('Field'))).toEqual([1]);
  });

  it('19. a predicate throwing TypeError for one neuron skips it → [0, 2]', () => {
    const ds = predicateFixture([{ uid: 0, snr: 1 }, { uid: 1, snr: null }, { uid: 2, snr: 2 }]);
    expect(ds.selectPopByNrnPredicate((n) => (n.snr as { valueOf(): number }).valueOf() > 0.5)).toEqual([0, 2]);
  });

  it('other exceptions from a predicate propagate', () => {
    const ds = predicateFixture([{ uid: 0, snr: 1 }]);
    expect(() => ds.selectPopByNrnPredicate(() => { throw new RangeError('boom'); })).toThrow('boom');
  });

  it('20. no match → [] and nothing selected', () => {
    const ds = predicateFixture([{ uid: 0, snr: 0.1 }, { uid: 1, snr: 0.2 }]);
    expect(ds.selectPopByNrnPredicate((n) => (n.snr as number) > 5)).toEqual([]);
    expect(ds.selectedNeurons()).toEqual([]);
    expect(ds.length).toBe(0);
    ds.resetPopSelection();
    expect(ds.selectedNeurons()).toEqual([0, 1]);
  });

  it('21. selectStimsByPredicate(duration ≥ 2.5) → [2, 3, 4]', () => {
    const ds = predicateFixture([{ uid: 0, snr: 1 }]);
    expect(ds.selectStimsByPredicate((s) => (s.durationS as number) >= 2.5)).toEqual([2, 3, 4]);
    expect(ds.iterableStims()).toEqual([2, 3, 4]);
  });

  it('22. val and duration < 3.0 → [2] (two est stims 1.0, 2.0 then val 2.5, 3.5)', () => {
    const ds = predicateFixture([{ uid: 0, snr: 1 }], [
      { name: 'est0', subset: 'est', durationS: 1.0 }, { name: 'est1', subset: 'est', durationS: 2.0 },
      { name: 'val0', subset: 'val', durationS: 2.5 }, { name: 'val1', subset: 'val', durationS: 3.5 },
    ]);
    expect(ds.selectStimsByPredicate((s) => s.subset === 'val' && (s.durationS as number) < 3.0)).toEqual([2]);
  });

  it('23. a missing stimulus key → [] and no stimulus iterable', () => {
    const ds = predicateFixture([{ uid: 0, snr: 1 }]);
    expect(ds.selectStimsByPredicate((s) => (s.missing as string).length > 0)).toEqual([]);
    expect(ds.length).toBe(0);
  });

  it("24. selectPopByStimPredicate(subset == 'est') with 2 val-only neurons → [0, 1, 2]", () => {
    const ds = selectionFixture({ N: 5, valOnly: 2 });
    expect(ds.selectPopByStimPredicate((s) => s.subset === 'est')).toEqual([0, 1, 2]);
  });

  it('25. a stimulus predicate matching nothing → [] and nothing selected', () => {
    const ds = selectionFixture({ N: 5, valOnly: 2 });
    expect(ds.selectPopByStimPredicate(() => false)).toEqual([]);
    expect(ds.selectedNeurons()).toEqual([]);
  });
});

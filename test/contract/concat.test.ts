// Port of the reference's tests/test_concat.py (cases 1–15).
import { describe, expect, it } from 'vitest';
import { AudioNeuralDataset, DatasetValidationError, NeuralDataset, concatNeuralDatasets, neuralCollate } from '../../src/index.js';
import { ConcatA, ConcatB, concatFixture } from '../helpers/fixtures.js';

const A = (N = 2, S = 3, o = {}) => concatFixture(N, S, { ...o, cls: 'A' });
const B = (N = 3, S = 2, o = {}) => concatFixture(N, S, { ...o, cls: 'B' });

describe('concatNeuralDatasets (test_concat)', () => {
  it('1. A(N2, S3) + B(N3, S2): N 5, S 5, block-diagonal real/NaN pattern and masks', () => {
    const c = concatNeuralDatasets([A(), B()]);
    expect(c.getN()).toBe(5);
    expect(c.getS()).toBe(5);
    const expected = [
      [1, 1, 0, 0, 0], [1, 1, 0, 0, 0], [1, 1, 0, 0, 0],
      [0, 0, 1, 1, 1], [0, 0, 1, 1, 1],
    ];
    for (let s = 0; s < 5; s++) {
      for (let n = 0; n < 5; n++) {
        const r = c.responses[s][n];
        expect(Array.from(r.data).some(Number.isNaN) ? 0 : 1).toBe(expected[s][n]);
      }
    }
    expect(c.nrnMasks.shape).toEqual([5, 5]);
    expect(c.nrnMasks.dtype).toBe('bool');
    expect(Array.from(c.nrnMasks.data)).toEqual(expected.flat());
    // values survive: stim 1 of A is ones·2, stim 0 of B (row 3) is ones·1
    expect(c.responses[1][0].data[0]).toBe(2);
    expect(c.responses[3][4].data[0]).toBe(1);
  });

  it('2. three-way concat: N 6, S 9', () => {
    const c = concatNeuralDatasets([A(), B(), A(1, 4)]);
    expect([c.getN(), c.getS()]).toEqual([6, 9]);
  });

  it('3. a.concat(b) (the reference a + b) equals concat([a, b])', () => {
    const a = A(), b = B();
    const x = a.concat(b), y = concatNeuralDatasets([a, b]);
    expect([x.getN(), x.getS()]).toEqual([y.getN(), y.getS()]);
  });

  it('4. dt mismatch → DatasetValidationError', () => {
    expect(() => concatNeuralDatasets([A(2, 3, { dtMs: 1 }), B(3, 2, { dtMs: 2 })])).toThrow(DatasetValidationError);
    expect(() => concatNeuralDatasets([A(2, 3, { dtMs: 1 }), B(3, 2, { dtMs: 2 })])).toThrow(/dt mismatch/);
  });

  it('5. F mismatch → DatasetValidationError', () => {
    expect(() => concatNeuralDatasets([A(2, 3, { F: 16 }), B(3, 2, { F: 32 })])).toThrow(/F mismatch: 16 vs 32/);
  });

  it('6. concatenating a non-dataset → TypeError', () => {
    expect(() => A().concat(42 as unknown as NeuralDataset)).toThrow(TypeError);
    expect(() => concatNeuralDatasets([A(), {} as NeuralDataset])).toThrow(/All entries must be NeuralDataset instances/);
  });

  it("7. selecting A's neurons: 3 items, A's stimuli, all with data; B's neurons: the last two", () => {
    const c = concatNeuralDatasets([A(), B()]);
    c.selectPopulation([0, 1]);
    expect(c.length).toBe(3);
    for (let i = 0; i < 3; i++) {
      const it = c.get(i);
      expect(it.stimMeta).toEqual(c.stimMeta[i]);
      expect(it.responses.some((r) => !Array.from(r.data).some(Number.isNaN))).toBe(true);
    }
    expect(() => c.get(c.length)).toThrow(RangeError);
    c.selectPopulation([2, 3, 4]);
    expect(c.length).toBe(2);
    expect([c.get(0).stimMeta, c.get(1).stimMeta]).toEqual(c.stimMeta.slice(3));
  });

  it("8. batches of 2 over the concat with A's neurons: 2 batches, 3 items, each with some valid data", () => {
    const c = concatNeuralDatasets([A(), B()]);
    c.selectPopulation([0, 1]);
    const idx = Array.from({ length: c.length }, (_, i) => i);
    const batches = [idx.slice(0, 2), idx.slice(2)].map((b) => neuralCollate(b.map((i) => c.get(i))));
    expect(batches).toHaveLength(2);
    expect(batches.reduce((a, b) => a + b.responses.shape[0], 0)).toBe(3);
    for (const b of batches) {
      const [Bn, N, R, T] = b.validMask.shape;
      for (let i = 0; i < Bn; i++) {
        expect(b.validMask.data.subarray(i * N * R * T, (i + 1) * N * R * T).some((v) => v === 1)).toBe(true);
      }
    }
  });

  it('9. default names are the class names', () => {
    const c = concatNeuralDatasets([A(), B()]);
    expect(c.stimMeta.map((m) => m.dataset)).toEqual(['ConcatA', 'ConcatA', 'ConcatA', 'ConcatB', 'ConcatB']);
    expect(c.nrnMeta.map((m) => m.dataset)).toEqual(['ConcatA', 'ConcatA', 'ConcatB', 'ConcatB', 'ConcatB']);
  });

  it('10. explicit names are written into both metadata lists', () => {
    const c = concatNeuralDatasets([A(), B()], ['src_a', 'src_b']);
    expect(c.stimMeta.map((m) => m.dataset)).toEqual(['src_a', 'src_a', 'src_a', 'src_b', 'src_b']);
    expect(c.nrnMeta.map((m) => m.dataset)).toEqual(['src_a', 'src_a', 'src_b', 'src_b', 'src_b']);
  });

  it('11. source metadata never receives a dataset key', () => {
    const a = A(), b = B();
    concatNeuralDatasets([a, b]);
    for (const m of [...a.stimMeta, ...a.nrnMeta, ...b.stimMeta, ...b.nrnMeta]) expect('dataset' in m).toBe(false);
  });

  it('12. one name for two datasets → DatasetValidationError', () => {
    expect(() => concatNeuralDatasets([A(), B()], ['only_one'])).toThrow(/names must have one entry per dataset \(got 1 for 2 datasets\)/);
  });

  it('13. provenance filters: neurons of src_b, then stimuli of src_a', () => {
    const c = concatNeuralDatasets([A(), B()], ['src_a', 'src_b']);
    expect(c.selectPopByNrnAttr('dataset', 'src_b')).toEqual([2, 3, 4]);
    c.resetPopSelection();
    expect(c.selectStimsByAttr('dataset', 'src_a')).toEqual([0, 1, 2]);
  });

  it('14. a pre-existing dataset tag is overwritten on the output, untouched on the source', () => {
    const a = A();
    a.nrnMeta[0].dataset = 'old';
    const c = concatNeuralDatasets([a, B()], ['new_a', 'new_b']);
    expect(c.nrnMeta[0].dataset).toBe('new_a');
    expect(a.nrnMeta[0].dataset).toBe('old');
  });

  it("15. mixed schemas: 'region' only on A's neurons", () => {
    const a = A(4, 2);
    a.nrnMeta.forEach((m, i) => (m.region = i < 2 ? 'Field_L' : 'CM'));
    const c = concatNeuralDatasets([a, B()]);
    expect(c.selectPopByNrnAttr('region', 'Field_L')).toEqual([0, 1]);
    expect(c.selectPopByNrnAttr('nobody_has_this', 1)).toEqual([]);
  });

  it('one dataset is returned unchanged; the result class is the common base', () => {
    const a = A();
    expect(concatNeuralDatasets([a])).toBe(a);
    const c = concatNeuralDatasets([A(), B()]);
    expect(c).toBeInstanceOf(AudioNeuralDataset);
    expect(c).not.toBeInstanceOf(ConcatA);
    expect(concatNeuralDatasets([A(), A(1, 1)])).toBeInstanceOf(ConcatA);
    expect(c.path).toBe('path_ConcatA+path_ConcatB');
    expect((c as AudioNeuralDataset).F).toBe(16);
  });

  it('no data is copied: cells are the sources\' tensors', () => {
    const a = A(), b = B();
    const c = concatNeuralDatasets([a, b]);
    expect(c.responses[0][1]).toBe(a.responses[0][1]);
    expect(c.stims[4]).toBe(b.stims[1]);
  });
});

export { ConcatB };

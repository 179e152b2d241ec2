// Port of the reference's tests/test_base_classes.py (data-layer cases 1–8 and 15–25),
// adapted to the TypeScript names and the deliberate differences.
import { describe, expect, it } from 'vitest';
import {
  AudioNeuralDataset, Dataset, DatasetValidationError, NeuralDataset, ValueError, full, tensor, type Tensor,
} from '../../src/index.js';
import { BareAudioDataset, BareDataset, ManualDataset, nan11, ones } from '../helpers/fixtures.js';
import { Rng } from '../../src/util/random.js';

describe('NeuralDataset base (test_base_classes 1–8)', () => {
  it('1. the constructor takes (path, dtMs)', () => {
    expect(NeuralDataset.length).toBe(2);
    const ds = new BareDataset('p', 2.5);
    expect([ds.path, ds.dtMs]).toEqual(['p', 2.5]);
  });

  it('2. NeuralDataset subclasses the map-style Dataset type', () => {
    expect(new BareDataset()).toBeInstanceOf(Dataset);
    expect(Object.getPrototypeOf(NeuralDataset.prototype)).toBe(Dataset.prototype);
  });

  it('3. NeuralDataset is abstract: direct construction throws', () => {
    const Ctor = NeuralDataset as unknown as new (p: string, d: number) => NeuralDataset;
    expect(() => new Ctor('x', 1)).toThrow(TypeError);
    expect(() => new Ctor('x', 1)).toThrow(/abstract/);
  });

  it('4. the base exposes the contract methods', () => {
    const ds = new BareDataset();
    for (const m of ['get', 'selectNeuron', 'selectPopulation', 'selectPopByNrnAttr', 'getN', 'getS', 'getNrnMeta', 'validate', 'invalidateNrnMasks']) {
      expect(typeof (ds as unknown as Record<string, unknown>)[m]).toBe('function');
    }
    expect('length' in ds && 'nrnMasks' in ds).toBe(true);
    expect(typeof ds[Symbol.iterator]).toBe('function');
  });

  it('5. a bare base after init', () => {
    const ds = new BareDataset('bare', 1.0);
    expect(ds.dtMs).toBe(1.0);
    expect([ds.responses, ds.stims, ds.stimMeta, ds.nrnMeta]).toEqual([[], [], [], []]);
    expect(ds.nNeurons).toBe(0);
    expect(ds.selectedNeurons()).toEqual([]);
    expect(ds.nrnMasks.dtype).toBe('bool');
    expect(ds.nrnMasks.shape).toEqual([0, 0]);
    expect(ds.length).toBe(0);
  });

  it('6. validate() on a bare base throws DatasetValidationError', () => {
    expect(() => new BareDataset().validate()).toThrow(DatasetValidationError);
    expect(() => new BareDataset().validate()).toThrow(/nNeurons/);
  });

  it('7. a minimal populated subclass (N=2, S=2, meta tuples) validates', () => {
    const ds = new ManualDataset({
      stims: [ones([1, 4, 10], 0), ones([1, 4, 10], 0)],
      responses: [[ones([1, 10]), ones([1, 10])], [ones([1, 10]), ones([1, 10])]],
      stimMeta: [['a', 0] as unknown as Record<string, unknown>, ['b', 1] as unknown as Record<string, unknown>],
      nrnMeta: [['n0'] as unknown as Record<string, unknown>, ['n1'] as unknown as Record<string, unknown>],
    });
    expect(ds.nrnMasks.shape).toEqual([2, 2]);
    expect(ds.nrnMasks.dtype).toBe('bool');
    expect(Array.from(ds.nrnMasks.data)).toEqual([1, 1, 1, 1]);
  });

  it('8. a bare AudioNeuralDataset has F = -1 and fails validate()', () => {
    const ds = new BareAudioDataset();
    expect(ds.F).toBe(-1);
    expect(ds.hop).toBeNull();
    expect(() => ds.validate()).toThrow(DatasetValidationError);
    ds.stims = [ones([1, 4, 10])];
    ds.responses = [[ones([1, 10])]];
    ds.stimMeta = [{}];
    ds.nrnMeta = [{}];
    ds.nNeurons = 1;
    expect(() => ds.validate()).toThrow(/F must be an integer > 0 \(got -1\)/);
    expect(ds).toBeInstanceOf(AudioNeuralDataset);
  });
});

describe('validate() messages name the field at fault', () => {
  const base = () => ({ stims: [ones([1, 2, 3])], responses: [[ones([1, 3])]], stimMeta: [{}], nrnMeta: [{}] });
  it.each([
    ['dtMs', { dtMs: 0 }, /dtMs must be a number > 0, got 0/],
    ['stims length', { stims: [] }, /stims has 0 entries but stimMeta has 1/],
    ['responses rows', { responses: [] }, /responses has 0 rows/],
    ['row length', { responses: [[]] }, /responses\[0\] has 0 entries, expected nNeurons = 1/],
    ['cell rank', { responses: [[ones([3])]] }, /responses\[0\]\[0\] must be 2-D \(R, T\), got shape \[3\]/],
    ['cell dtype', { responses: [[tensor('int32', [1, 3])]] }, /must be float/],
    ['NaN stimulus', { stims: [tensor('float32', [1, 1, 3], [0, NaN, 0])] }, /stims\[0\] contains NaN \(first at flat index 1\)/],
  ])('%s', (_name, patch, re) => {
    expect(() => new ManualDataset({ ...base(), ...patch } as never)).toThrow(DatasetValidationError);
    expect(() => new ManualDataset({ ...base(), ...patch } as never)).toThrow(re);
  });
  it('path must be a string', () => {
    const ds = new BareDataset(5 as unknown as string);
    expect(() => ds.validate()).toThrow(/path must be a string, got number/);
  });
});

/** Three stims (1, F=4, T=10) with per-band offsets and scales (fixture of cases 15–18). */
function bandedStims(seed = 0): Tensor[] {
  const rng = new Rng(seed);
  return [0, 1, 2].map((s) => {
    const x = new Float32Array(40);
    for (let f = 0; f < 4; f++) for (let t = 0; t < 10; t++) x[f * 10 + t] = (f + 1) * 3 * rng.normal() + 10 * f + (s === 2 ? 50 : 0);
    return tensor('float32', [1, 4, 10], x);
  });
}
const makeStimDs = (stims: Tensor[]) =>
  new ManualDataset({ stims, responses: stims.map(() => [ones([1, 10]), ones([1, 10])]), stimMeta: stims.map(() => ({})), nrnMeta: [{}, {}] });

/** Per-band mean and unbiased std of stims concatenated along time, computed here independently. */
function bandStats(stims: Tensor[], idx: number[]) {
  return [0, 1, 2, 3].map((f) => {
    const v: number[] = [];
    for (const s of idx) for (let t = 0; t < 10; t++) v.push(stims[s].data[f * 10 + t]);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean: m, std: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) };
  });
}

describe('standardizeStims (test_base_classes 15–19)', () => {
  it('15. per band: the concatenation has per-band mean 0, std 1', () => {
    const ds = makeStimDs(bandedStims());
    ds.standardizeStims({ perBand: true });
    for (const { mean, std } of bandStats(ds.stims, [0, 1, 2])) {
      expect(mean).toBeCloseTo(0, 5);
      expect(std).toBeCloseTo(1, 5);
    }
  });

  it('16. statistics from stims [0, 1]: those have std 1, stim 2 does not', () => {
    const ds = makeStimDs(bandedStims());
    ds.standardizeStims({ stimIndices: [0, 1] });
    for (const { std } of bandStats(ds.stims, [0, 1])) expect(Math.abs(std - 1)).toBeLessThan(1e-2);
    const s2 = bandStats(ds.stims, [2]);
    expect(s2.some(({ mean }) => Math.abs(mean) > 1)).toBe(true);
  });

  it('17. returns and stores stimNormalization with (1, F, 1) statistics', () => {
    const stims = bandedStims();
    const expected = bandStats(stims, [0, 1]);
    const ds = makeStimDs(stims);
    const norm = ds.standardizeStims({ stimIndices: [0, 1] });
    expect(ds.stimNormalization).toBe(norm);
    expect(Object.keys(norm).sort()).toEqual(['mean', 'perBand', 'std', 'stimIndices']);
    expect(norm.perBand).toBe(true);
    expect(norm.stimIndices).toEqual([0, 1]);
    expect(norm.mean.shape).toEqual([1, 4, 1]);
    expect(norm.std.shape).toEqual([1, 4, 1]);
    expected.forEach(({ mean, std }, f) => {
      expect(norm.mean.data[f]).toBeCloseTo(mean, 4);
      expect(norm.std.data[f]).toBeCloseTo(std, 4);
    });
  });

  it('18. perBand false: scalar statistics, global mean 0 and std 1', () => {
    const ds = makeStimDs(bandedStims());
    const norm = ds.standardizeStims({ perBand: false });
    expect(norm.mean.shape).toEqual([]);
    expect(norm.perBand).toBe(false);
    const all = ds.stims.flatMap((t) => Array.from(t.data));
    const m = all.reduce((a, b) => a + b, 0) / all.length;
    const sd = Math.sqrt(all.reduce((a, b) => a + (b - m) ** 2, 0) / (all.length - 1));
    expect(m).toBeCloseTo(0, 5);
    expect(sd).toBeCloseTo(1, 5);
  });

  it('19. empty stimIndices → ValueError "no stims"', () => {
    const ds = makeStimDs(bandedStims());
    expect(() => ds.standardizeStims({ stimIndices: [] })).toThrow(ValueError);
    expect(() => ds.standardizeStims({ stimIndices: [] })).toThrow(/no stims/);
  });
});

/** Two neurons, three stims of (3, 10) responses with different scales per stim. */
function respDs() {
  const rng = new Rng(7);
  const cell = (scale: number, off: number) => {
    const x = new Float32Array(30);
    for (let i = 0; i < 30; i++) x[i] = off + scale * rng.normal();
    return tensor('float32', [3, 10], x);
  };
  return new ManualDataset({
    stims: [0, 1, 2].map(() => ones([1, 4, 10], 0)),
    responses: [[cell(2, 5), cell(1, -3)], [cell(3, 5), cell(2, -3)], [cell(10, 40), nan11()]],
    stimMeta: [{}, {}, {}],
    nrnMeta: [{}, {}],
  });
}
const pooled = (ds: NeuralDataset, n: number, stims: number[]) => {
  const v = stims.flatMap((s) => Array.from(ds.responses[s][n].data)).filter((x) => !Number.isNaN(x));
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean: m, std: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)), maxAbs: Math.max(...v.map(Math.abs)) };
};

describe('normalizeResponses (test_base_classes 20–25)', () => {
  it("20. 'max' → every |value| ≤ 1, and each neuron's max |value| is exactly 1", () => {
    const ds = respDs();
    ds.normalizeResponses({ method: 'max' });
    expect(pooled(ds, 0, [0, 1, 2]).maxAbs).toBeCloseTo(1, 6);
    expect(pooled(ds, 1, [0, 1]).maxAbs).toBeCloseTo(1, 6);
  });

  it("21. 'zscore' → pooled mean 0, std 1 per neuron", () => {
    const ds = respDs();
    ds.normalizeResponses({ method: 'zscore' });
    for (const [n, stims] of [[0, [0, 1, 2]], [1, [0, 1]]] as const) {
      const p = pooled(ds, n, [...stims]);
      expect(Math.abs(p.mean)).toBeLessThan(1e-5);
      expect(Math.abs(p.std - 1)).toBeLessThan(1e-5);
    }
  });

  it('22. zscore with indices [0, 1]: those standardised, stim 2 not', () => {
    const ds = respDs();
    ds.normalizeResponses({ method: 'zscore', stimIndices: [0, 1] });
    const p = pooled(ds, 0, [0, 1]);
    expect(Math.abs(p.mean)).toBeLessThan(1e-5);
    expect(Math.abs(p.std - 1)).toBeLessThan(1e-5);
    expect(Math.abs(pooled(ds, 0, [2]).std - 1)).toBeGreaterThan(1e-3);
  });

  it('23. returns responseNormalization with (N) scale and offset', () => {
    const ds = respDs();
    const before = pooled(ds, 1, [0, 1]);
    const norm = ds.normalizeResponses({ method: 'zscore' });
    expect(ds.responseNormalization).toBe(norm);
    expect(Object.keys(norm).sort()).toEqual(['method', 'offset', 'scale', 'stimIndices']);
    expect(norm.scale.shape).toEqual([2]);
    expect(norm.offset.shape).toEqual([2]);
    expect(norm.offset.data[1]).toBeCloseTo(before.mean, 4);
    expect(norm.scale.data[1]).toBeCloseTo(before.std, 4);
  });

  it('24. a (1, 1) NaN sentinel survives zscore unchanged', () => {
    const ds = respDs();
    ds.normalizeResponses({ method: 'zscore' });
    expect(ds.responses[2][1].shape).toEqual([1, 1]);
    expect(Number.isNaN(ds.responses[2][1].data[0])).toBe(true);
  });

  it("25. method 'bogus' → ValueError naming the method", () => {
    const ds = respDs();
    expect(() => ds.normalizeResponses({ method: 'bogus' as 'max' })).toThrow(ValueError);
    expect(() => ds.normalizeResponses({ method: 'bogus' as 'max' })).toThrow(/method/);
  });
});

describe('toString', () => {
  it('ClassName(nNeurons, selected, nStims, dtMs)', () => {
    const ds = respDs();
    ds.selectNeuron(1);
    expect(String(ds)).toBe('ManualDataset(nNeurons=2, selected=1, nStims=3, dtMs=1)');
  });
});

export { full };

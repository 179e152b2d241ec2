// The lagged design, the PSTH targets and the forward pass, against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { laggedRows, predictStrf, stimDims, checkLags } from '../../src/fit/design.js';
import { psthTarget } from '../../src/fit/targets.js';
import { ShapeError, ValueError, full, tensor } from '../../src/index.js';

describe('lagged design', () => {
  it('row f·lags + l holds x[f, t − l], zero before the start (minus the band offset)', () => {
    // F = 2, T = 4, lags = 3; x[0] = 1 2 3 4, x[1] = 5 6 7 8; offsets 0 and 1.
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = new Float64Array(2 * 3 * 4);
    laggedRows(x, 2, 4, 3, new Float64Array([0, 1]), out);
    expect(Array.from(out)).toEqual([
      1, 2, 3, 4, /* f0 l1 */ 0, 1, 2, 3, /* f0 l2 */ 0, 0, 1, 2,
      4, 5, 6, 7, /* f1 l1 */ -1, 4, 5, 6, /* f1 l2 */ -1, -1, 4, 5,
    ]);
  });

  it('predictStrf: bias + Σ_f Σ_l w[f, l] x[f, t − l]', () => {
    // w[0] = [1, 0.5], w[1] = [0, -1]; bias 2.
    const p = predictStrf([1, 2, 3, 4, 5, 6, 7, 8], 2, 4, [1, 0.5, 0, -1], 2, 2);
    // t=0: 2 + 1; t=1: 2 + 2 + 0.5·1 − 5; t=2: 2 + 3 + 1 − 6; t=3: 2 + 4 + 1.5 − 7
    expect(Array.from(p)).toEqual([3, -0.5, 0, 0.5]);
  });

  it('bad shapes and lags are typed errors naming the stimulus', () => {
    expect(() => stimDims(tensor('float32', [1, 8], new Float32Array(8)), 'stims[3]')).toThrow(ShapeError);
    expect(() => stimDims(tensor('float32', [1, 8], new Float32Array(8)), 'stims[3]')).toThrow(/stims\[3\] must be a \(1, F, T\) spectrogram, got shape \(1, 8\)/);
    expect(() => stimDims({} as never, 'stims[0]')).toThrow(TypeError);
    expect(() => checkLags(0)).toThrow(ValueError);
    expect(() => checkLags(2.5)).toThrow(/lags must be a positive integer, got 2.5/);
  });
});

describe('PSTH targets', () => {
  it('NaN-mean over repeats; an all-NaN bin takes the mean of the valid bins', () => {
    const cell = tensor('float32', [2, 3], [1, Number.NaN, 3, 3, Number.NaN, 5]);
    expect(Array.from(psthTarget(cell, 3, 'responses[0][0]') as Float64Array)).toEqual([2, 3, 4]);
  });
  it('the missing-pair sentinel and an all-NaN cell give null; a wrong length is a ShapeError', () => {
    expect(psthTarget(full('float32', [1, 1], Number.NaN), 3, 'r')).toBeNull();
    expect(psthTarget(full('float32', [2, 3], Number.NaN), 3, 'r')).toBeNull();
    expect(() => psthTarget(full('float32', [2, 4], 0), 3, 'responses[1][2]')).toThrow(ShapeError);
    expect(() => psthTarget(full('float32', [2, 4], 0), 3, 'responses[1][2]')).toThrow(/responses\[1\]\[2\] must be \(R, 3\)/);
  });
});

// The model's JSON form: a round trip, and FormatError naming the field on damaged input
// (seeded mutations of a valid file: only typed errors may come out).
import { describe, expect, it } from 'vitest';
import { FormatError, modelFromJson, modelToJson, type StrfModel } from '../../src/index.js';
import { Rng } from '../../src/util/random.js';

const model: StrfModel = {
  F: 2, lags: 3, dtMs: 5, neurons: [0, 4], cellIds: ['a', 'b'],
  weights: Float64Array.from({ length: 12 }, (_, i) => i / 8 - 0.5), bias: new Float64Array([1.5, Number.NaN]), lambda: new Float64Array([10, 100]),
};

describe('model JSON', () => {
  it('round-trips every field (NaN as null)', () => {
    const text = modelToJson(model);
    expect(JSON.parse(text).bias).toEqual([1.5, null]);
    const back = modelFromJson(text);
    expect(back.F).toBe(2);
    expect(back.lags).toBe(3);
    expect(back.neurons).toEqual([0, 4]);
    expect(back.cellIds).toEqual(['a', 'b']);
    expect(Array.from(back.weights)).toEqual(Array.from(model.weights));
    expect(back.bias[0]).toBe(1.5);
    expect(back.bias[1]).toBeNaN();
    expect(Array.from(back.lambda)).toEqual([10, 100]);
  });

  it('damaged files are FormatErrors naming the field', () => {
    const o = JSON.parse(modelToJson(model));
    expect(() => modelFromJson('{')).toThrow(FormatError);
    expect(() => modelFromJson(JSON.stringify({ ...o, format: 'x' }))).toThrow(/model.json: format must be "deepstrf-linear-strf" version 1/);
    expect(() => modelFromJson(JSON.stringify({ ...o, lags: 0 }))).toThrow(/field "lags" must be a positive integer, got 0/);
    expect(() => modelFromJson(JSON.stringify({ ...o, weights: [1] }))).toThrow(/field "weights" must be 12 numbers/);
    expect(() => modelFromJson(JSON.stringify({ ...o, cellIds: ['a'] }))).toThrow(/field "cellIds" must be 2 strings/);
  });

  it('fuzz: seeded byte mutations give a model or a FormatError, nothing else', () => {
    const text = modelToJson(model);
    const rng = new Rng(14);
    for (let i = 0; i < 500; i++) {
      const chars = text.split('');
      for (let k = 0; k < 1 + rng.int(4); k++) chars[rng.int(chars.length)] = String.fromCharCode(32 + rng.int(95));
      try {
        modelFromJson(chars.join(''));
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
      }
    }
  });
});

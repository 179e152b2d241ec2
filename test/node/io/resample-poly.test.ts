// resamplePoly against scipy.signal.resample_poly (values written by
// test/fixtures/aa5/make_mic_expected.py for x[i] = 1000 sin(0.37 i) + 300 cos(0.011 i), i < 1000),
// plus its length and identity rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../../src/index.js';
import { resamplePoly } from '../../../src/signal/resample-poly.js';

describe('resamplePoly', () => {
  it('matches scipy for 32 → 25 kHz', () => {
    const ref = JSON.parse(readFileSync(join(__dirname, '../../fixtures/aa5/mic-expected.json'), 'utf8')).resample_poly_25_32 as number[];
    const x = Float64Array.from({ length: 1000 }, (_, i) => 1000 * Math.sin(0.37 * i) + 300 * Math.cos(0.011 * i));
    const y = resamplePoly(x, 25, 32);
    expect(y.length).toBe(Math.ceil((1000 * 25) / 32));
    expect(ref.length).toBe(y.length);
    let worst = 0;
    for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i] - ref[i]));
    expect(worst).toBeLessThan(1e-9);
  });

  it('reduces the ratio, copies at 1:1, refuses non-integer factors', () => {
    const x = Float64Array.of(1, 2, 3);
    expect(Array.from(resamplePoly(x, 7, 7))).toEqual([1, 2, 3]);
    expect(resamplePoly(new Float64Array(10), 50, 64).length).toBe(8);
    expect(() => resamplePoly(x, 1.5, 2)).toThrow(new ValueError('resamplePoly: up and down must be positive integers, got 1.5, 2'));
  });
});

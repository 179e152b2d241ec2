// readMat's keepFields: struct fields not listed are skipped at any depth (Downer's `spike`
// struct holds a large events matrix next to `spktimes`).
import { describe, expect, it } from 'vitest';
import { readMat, type MatNumeric, type MatStruct } from '../../src/index.js';
import { num, struct1, writeMat } from './helpers/mat-writer.js';

describe('readMat keepFields', () => {
  for (const o of [{ le: true }, { le: false }, { le: true, compress: true }]) {
    it(`decodes only the listed fields (${JSON.stringify(o)})`, () => {
      const events = num('double', [50, 4], Array.from({ length: 200 }, (_, i) => i));
      const bytes = writeMat([['spike', struct1({ events, spktimes: num('double', [1, 3], [0.5, 1.25, 2]), inner: struct1({ spktimes: num('double', [1, 1], [9]), x: events }) })]], o);
      const s = readMat(bytes, 'b_180413_Ch1_MUspk.mat', { variables: ['spike'], keepFields: ['spktimes', 'inner'] }).spike as MatStruct;
      expect(s.fieldNames).toEqual(['events', 'spktimes', 'inner']);
      expect(s.elements[0].events).toEqual({ kind: 'skipped', matlabClass: 'unread', className: '' });
      expect(Array.from((s.elements[0].spktimes as MatNumeric).data as Float64Array)).toEqual([0.5, 1.25, 2]);
      const inner = s.elements[0].inner as MatStruct;
      expect(inner.elements[0].x).toMatchObject({ kind: 'skipped' });
      expect(Array.from((inner.elements[0].spktimes as MatNumeric).data as Float64Array)).toEqual([9]);
    });
  }

  it('combines with skipFields (a field in both lists is skipped)', () => {
    const bytes = writeMat([['s', struct1({ a: num('double', [1, 1], [1]), b: num('double', [1, 1], [2]) })]]);
    const s = readMat(bytes, 'x.mat', { keepFields: ['a', 'b'], skipFields: ['b'] }).s as MatStruct;
    expect((s.elements[0].a as MatNumeric).data[0]).toBe(1);
    expect(s.elements[0].b).toMatchObject({ kind: 'skipped' });
  });
});

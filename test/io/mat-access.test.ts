import { describe, expect, it } from 'vitest';
import { matField, matNumber, matNumbers, matStruct, matText, readMat, ValueError } from '../../src/index.js';
import { mi, num, str, structArr, writeMat } from './helpers/mat-writer.js';

describe('MAT accessors', () => {
  const vars = readMat(
    writeMat([['data', structArr([1, 2], ['t', 'name', 'id'], [
      { t: num('double', [1, 3], [1.5, 2, 3]), name: str('a'), id: num('int64', [1, 1], [5n]) },
      { t: num('double', [1, 0], [], { stored: mi.UINT8 }), name: str('b'), id: num('uint8', [1, 2], [1, 2]) },
    ])]]),
    'acc.mat',
  );

  it('walk a struct array by field and index', () => {
    const s = matStruct(vars.data, 'data');
    expect(Array.from(matNumbers(matField(s, 0, 't', 'data'), 'data(1).t'))).toEqual([1.5, 2, 3]);
    expect(matNumbers(matField(s, 1, 't', 'data'), 'data(2).t')).toHaveLength(0);
    expect(matText(matField(s, 1, 'name', 'data'), 'data(2).name')).toBe('b');
    expect(matNumber(matField(s, 0, 'id', 'data'), 'data(1).id')).toBe(5);
    expect(Array.from(matNumbers(matField(s, 1, 'id', 'data'), 'data(2).id'))).toEqual([1, 2]);
  });

  it('name the path and what was found when the kind is wrong', () => {
    const s = matStruct(vars.data, 'data');
    expect(() => matText(matField(s, 0, 't', 'data'), 'data(1).t')).toThrow(new ValueError('data(1).t: expected a char array, found a 1x3 double array'));
    expect(() => matNumber(matField(s, 1, 'id', 'data'), 'data(2).id')).toThrow(/data\(2\)\.id: expected a single number, found a 1x2 uint8 array/);
    expect(() => matField(s, 0, 'nope', 'data')).toThrow(/data: no field 'nope' \(fields: t, name, id\)/);
    expect(() => matField(s, 2, 't', 'data')).toThrow(RangeError);
    expect(() => matStruct(vars.missing, 'missing')).toThrow(/missing: expected a struct, found nothing/);
  });
});

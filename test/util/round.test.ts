import { describe, expect, it } from 'vitest';
import { floorDiv, roundHalfEven } from '../../src/util/round.js';

describe('roundHalfEven', () => {
  it('rounds exact halves to the even neighbour, as Python', () => {
    // Python: [round(x) for x in (0.5, 1.5, 2.5, 220.5, 1102.5, -0.5, -1.5, -2.5)]
    expect([0.5, 1.5, 2.5, 220.5, 1102.5, -0.5, -1.5, -2.5].map(roundHalfEven)).toEqual([0, 2, 2, 220, 1102, 0, -2, -2]);
  });
  it('rounds everything else to nearest', () => {
    expect([2.4999, 2.5001, -2.6, 7, 1e15 + 0.5].map(roundHalfEven)).toEqual([2, 3, -3, 7, 1e15]);
  });
  it('floors quotients like //', () => {
    expect([floorDiv(7, 2), floorDiv(-7, 2), floorDiv(-8, 2)]).toEqual([3, -4, -4]);
    // Python: 1.0 // 0.1 == 9.0 (fmod-based), -1.0 // 0.1 == -10.0, 7.5 // -2 == -4.0
    expect([floorDiv(1.0, 0.1), floorDiv(-1.0, 0.1), floorDiv(7.5, -2)]).toEqual([9, -10, -4]);
  });
});

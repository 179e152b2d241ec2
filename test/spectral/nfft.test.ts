// The n_fft rule of deepSTRF's test_audio_spec_pipeline (items 1–7).
import { describe, expect, it } from 'vitest';
import { ValueError, nFftForWindow } from '../../src/index.js';

describe('nFftForWindow: max(round(window_ms/dt · hop), hop)', () => {
  it('AA1 / AA2: dt 1, hop 32 → 320 = 10·hop', () => expect(nFftForWindow(10, 1, 32)).toBe(320));
  it('AA4 at 32 000 and 44 100 Hz, hop = int(sr·dt/1000) → 10·hop', () => {
    for (const sr of [32000, 44100]) {
      const hop = Math.trunc((sr * 1) / 1000);
      expect(nFftForWindow(10, 1, hop)).toBe(10 * hop);
    }
  });
  it('dt 25 / 50 / 100 → n_fft ≤ 2·hop, where the legacy 10·hop meant 250 / 500 / 1000 ms windows', () => {
    for (const dt of [25, 50, 100]) {
      const hop = dt * 32;
      expect(nFftForWindow(10, dt, hop)).toBeLessThanOrEqual(2 * hop);
      expect(((10 * hop) / 32000) * 1000).toBe(10 * dt);
    }
  });
  it('window 25 ms at dt 1 and 5 → 800 > the 320 default', () => {
    expect(nFftForWindow(25, 1, 32)).toBe(800);
    expect(nFftForWindow(25, 5, 160)).toBe(800);
  });
  it('window 5 ms at dt 50 floors to the hop', () => expect(nFftForWindow(5, 50, 1600)).toBe(1600));
  it("rounds halves to even like Python's round", () => {
    expect(nFftForWindow(2.5, 1, 1)).toBe(2); // round(2.5) = 2
    expect(nFftForWindow(3.5, 1, 1)).toBe(4);
  });
  it('rejects non-positive arguments', () => {
    expect(() => nFftForWindow(0, 1, 32)).toThrow(ValueError);
    expect(() => nFftForWindow(10, 1, 0)).toThrow(/hop must be a positive integer/);
  });
});

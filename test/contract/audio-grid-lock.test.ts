// AudioNeuralDataset validation in waveform mode: port of test_ns1_waveform 9–16 (toy data).
import { describe, expect, it } from 'vitest';
import { DatasetValidationError } from '../../src/index.js';
import { ManualAudioDataset, nan11, ones } from '../helpers/fixtures.js';

const toy = (o: { stimLen?: number; T?: number; audioFs?: number | null; dtMs?: number; stim?: number[]; allSentinel?: boolean; hearing?: [number, number] | null } = {}) => {
  const { audioFs = 48000, dtMs = 5, T = 10 } = o;
  const hop = audioFs === null ? 1 : Math.round((audioFs * dtMs) / 1000);
  return new ManualAudioDataset({
    stims: [ones(o.stim ?? [1, o.stimLen ?? T * hop], 0)],
    responses: [[o.allSentinel ? nan11() : ones([20, T]), nan11()]],
    stimMeta: [{ name: 'a' }], nrnMeta: [{}, {}], dtMs, F: 34, audioFs,
    hearingRangeHz: o.hearing === undefined ? [200, 40000] : o.hearing,
  });
};

describe('waveform grid lock (test_ns1_waveform 9–16)', () => {
  it('9. a toy audio dataset (48 kHz, 5 ms, T = 10) validates: hop 240, hearing range kept', () => {
    const ds = toy();
    expect(ds.hop).toBe(240);
    expect(ds.hearingRangeHz).toEqual([200, 40000]);
    expect(ds.getF()).toBe(34);
  });

  it('10. audioFs null → hop null, the grid lock is skipped', () => {
    const ds = toy({ audioFs: null, stim: [1, 34, 10] });
    expect(ds.hop).toBeNull();
  });

  it('11. a stimulus of 10·hop + 1 samples → "multiple of"', () => {
    expect(() => toy({ stimLen: 2401 })).toThrow(DatasetValidationError);
    expect(() => toy({ stimLen: 2401 })).toThrow(/2401 samples, not a multiple of hop = 240/);
  });

  it('12. 11·hop samples against 10 response bins → "neural" frames', () => {
    expect(() => toy({ stimLen: 11 * 240 })).toThrow(/11 hops of 240 samples but its responses have 10 neural frames/);
  });

  it('13. a (1, 34, 10) stimulus in waveform mode → mentions (1, T_audio)', () => {
    expect(() => toy({ stim: [1, 34, 10] })).toThrow(/\(1, T_audio\)/);
  });

  it('14. 44 100 Hz at 5 ms → "integer number of samples"', () => {
    expect(() => toy({ audioFs: 44100 })).toThrow(/220\.5 is not an integer number of samples/);
  });

  it('15. a stimulus whose responses are all sentinels may have any multiple-of-hop length', () => {
    expect(toy({ allSentinel: true, stimLen: 7 * 240 }).hop).toBe(240);
  });

  it('16. a decreasing hearing range → "hearingRangeHz"', () => {
    expect(() => toy({ hearing: [40000, 200] })).toThrow(/hearingRangeHz must be null or \[low, high\] with 0 < low < high/);
  });
});

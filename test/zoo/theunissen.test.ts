// The Theunissen-lab helpers against Python's own results (written out by hand).
import { describe, expect, it } from 'vitest';
import { parseCellName, parseSpikeFile, pyFloat, pyInt, stimFileName, textLines, timeBinning, melNfft, centredFrames } from '../../src/zoo/theunissen.js';
import { floorDiv } from '../../src/util/round.js';
import { FormatError } from '../../src/index.js';
import { text } from '../helpers/zoo/theunissen.js';

describe('Python number rules', () => {
  it('int() and float() of text', () => {
    expect([pyInt('12'), pyInt(' 7\n'), pyInt('1_0'), pyInt('-3'), pyInt('1.0'), pyInt(''), pyInt('0x')]).toEqual([12, 7, 10, -3, null, null, null]);
    expect([pyFloat('3.2'), pyFloat(' -5.0'), pyFloat('1e3'), pyFloat('.5'), pyFloat('5.'), pyFloat('1_0.5'), pyFloat('-inf'), pyFloat('Infinity')]).toEqual([3.2, -5, 1000, 0.5, 5, 10.5, -Infinity, Infinity]);
    expect(Number.isNaN(pyFloat('nan'))).toBe(true);
    expect([pyFloat(''), pyFloat('\n'), pyFloat('1..2'), pyFloat('e3'), pyFloat('1_'), pyFloat('abc')]).toEqual([null, null, null, null, null, null]);
  });

  it('float floor division through fmod, as CPython', () => {
    // CPython: 1.0 // 0.1 == 9.0, 0.3 // 0.1 == 2.0, 2.5 // 1 == 2.0, 7.9 // 2 == 3.0, 0.6 // 0.2 == 2.0
    expect([floorDiv(1.0, 0.1), floorDiv(0.3, 0.1), floorDiv(2.5, 1), floorDiv(7.9, 2), floorDiv(0.6, 0.2), floorDiv(0, 1)]).toEqual([9, 2, 2, 3, 2, 0]);
  });

  it('round half even in n_fft; centred frame count', () => {
    // window 2.5 ms, dt 1, hop 32 → 80; window 10, dt 3, hop 96 → round(320.0) = 320; hop 1: round(2.5) = 2 → max(2, 1)
    expect([melNfft(2.5, 1, 32), melNfft(10, 3, 96), melNfft(2.5, 1, 1), melNfft(0.5, 1, 32)]).toEqual([80, 320, 2, 32]);
    expect([centredFrames(3200, 320, 32), centredFrames(2000, 320, 32), centredFrames(10, 5, 2)]).toEqual([101, 63, 5]);
  });
});

describe('AA1/AA2 text formats', () => {
  it('cell names', () => {
    expect(parseCellName('gg0304_4_B')).toEqual({ animal: 'gg0304', seq: 4, rig: 'B' });
    expect(parseCellName('pupu2122_2')).toEqual({ animal: 'pupu2122', seq: 2, rig: null });
    expect(parseCellName('a_1_b')).toEqual({ animal: 'a', seq: null, rig: null });
    expect(parseCellName('a_1_BC')).toEqual({ animal: 'a', seq: null, rig: null });
    expect(parseCellName('plain')).toEqual({ animal: 'plain', seq: null, rig: null });
  });

  it('stim files: first line minus its last character (universal newlines)', () => {
    expect(stimFileName(text('a.wav\nrest\n'), 's')).toBe('a.wav');
    expect(stimFileName(text('a.wav\r\n'), 's')).toBe('a.wav');
    expect(stimFileName(text('a.wav'), 's')).toBe('a.wa');
    expect(() => stimFileName(text(''), 's')).toThrow(new FormatError('s', 'empty stim file (no first line naming a wav)'));
    expect(textLines(text('1 \r2 \n\n3'), 'x')).toEqual(['1 \n', '2 \n', '\n', '3']);
  });

  it('spike binning: counts, empty trial of length 1, right padding', () => {
    expect(Array.from(timeBinning([3.2, 7.9, 3.9], 1))).toEqual([0, 0, 0, 2, 0, 0, 0, 1]);
    expect(Array.from(timeBinning([], 1))).toEqual([0]);
    const t = parseSpikeFile(text('-5.0 3.2 7.9 \n12.0 \n\n'), 1, 'spike1');
    expect(t.shape).toEqual([3, 13]);
    expect(Array.from(t.data.subarray(0, 13))).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(t.data.subarray(13, 26))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(t.data.subarray(26))).toEqual(new Array(13).fill(0));
    // all spikes negative → one zero bin; the trial still counts
    expect(parseSpikeFile(text('-1.0 -2.0 \n'), 1, 's').shape).toEqual([1, 1]);
    expect(() => parseSpikeFile(text('1.0 inf \n'), 1, 'sp')).toThrow(new FormatError('sp', "line 1, token 2: spike time inf is not finite"));
    expect(() => parseSpikeFile(text('x \n'), 1, 'sp')).toThrow(FormatError);
  });
});

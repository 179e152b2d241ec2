// MAT files in the shapes of the CRCNS-AC1 release (2002–2007 Wehr/Asari recordings): structs
// nested three deep, struct arrays, int16 traces; uncompressed v6 files (header written by
// MATLAB 6 'MATLAB 5.0 MAT-file, Platform: ...', no compressed elements), big-endian v5 files
// (old Mac/SPARC, 'MI'), and zlib-compressed v7 files. Values are the ones written.
import { describe, expect, it } from 'vitest';
import { readMat } from '../../src/index.js';
import type { MatChar, MatNumeric, MatStruct } from '../../src/index.js';
import { num, str, struct1, structArr, writeMat, type Spec } from './helpers/mat-writer.js';

const quiet = { onWarning: () => {} };
const V6_HEADER = 'MATLAB 5.0 MAT-file, Platform: PCWIN, Created on: Tue Mar 05 10:11:12 2002';
const VARIANTS = [
  { label: 'uncompressed v6 (little-endian)', opts: { le: true, compress: false, headerText: V6_HEADER } },
  { label: 'big-endian v5 (MI)', opts: { le: false, compress: false, headerText: 'MATLAB 5.0 MAT-file, Platform: MAC, Created on: 2003' } },
  { label: 'compressed v7', opts: { le: true, compress: true } },
];

const TRACE = [-32768, -1, 0, 1, 2, 32767, 1234, -4321];

function trigger(type: string, description: string, duration: number, time: number): Record<string, Spec> {
  return {
    type: str(type),
    param: struct1({ description: str(description), duration: num('double', [1, 1], [duration]) }),
    time: num('double', [1, 1], [time]),
  };
}

function asariRecording(): [string, Spec][] {
  return [
    ['param', struct1({
      stimulus: structArr([1, 3], ['file'], [{ file: str('class6/3.mat') }, { file: str('class3/3l.mat') }, { file: str('class1\\1.mat') }]),
      recording: struct1({ site: str('auditory cortex'), type: str('whole cell') }),
    })],
    ['triggers', structArr([1, 2], ['type', 'param', 'time'], [
      trigger('naturalsound', 'Sequence 1: 1 2', 200, 101),
      trigger('tone', 'Tone 4000 Hz', 50, 9000),
    ])],
    ['response', struct1({ trace: num('int16', [TRACE.length, 1], TRACE), scale: num('double', [1, 1], [0.01]), sf: num('double', [1, 1], [10000]) })],
  ];
}

describe('readMat: AC1 shapes', () => {
  for (const v of VARIANTS) {
    it(`triggers(k).param.description, param.stimulus(i).file, int16 trace (${v.label})`, () => {
      const bytes = writeMat(asariRecording(), v.opts);
      const vars = readMat(bytes, 'r1.mat', quiet);
      const triggers = vars.triggers as MatStruct;
      expect(triggers.shape).toEqual([1, 2]);
      expect(triggers.fieldNames).toEqual(['type', 'param', 'time']);
      const p2 = triggers.elements[1].param as MatStruct;
      expect((p2.elements[0].description as MatChar).text).toBe('Tone 4000 Hz');
      expect(((p2.elements[0].duration as MatNumeric).data as Float64Array)[0]).toBe(50);
      expect((triggers.elements[0].type as MatChar).text).toBe('naturalsound');
      expect(((triggers.elements[0].time as MatNumeric).data as Float64Array)[0]).toBe(101);

      const param = (vars.param as MatStruct).elements[0];
      const stim = param.stimulus as MatStruct;
      expect(stim.shape).toEqual([1, 3]);
      expect(stim.elements.map((e) => (e.file as MatChar).text)).toEqual(['class6/3.mat', 'class3/3l.mat', 'class1\\1.mat']);
      const rec = (param.recording as MatStruct).elements[0];
      expect((rec.site as MatChar).text).toBe('auditory cortex');

      const resp = (vars.response as MatStruct).elements[0];
      const trace = resp.trace as MatNumeric;
      expect(trace.class).toBe('int16');
      expect(trace.shape).toEqual([TRACE.length, 1]);
      expect(trace.data).toBeInstanceOf(Int16Array);
      expect(Array.from(trace.data as Int16Array)).toEqual(TRACE);
      expect(((resp.sf as MatNumeric).data as Float64Array)[0]).toBe(10000);
    });
  }

  it('the big-endian file really is big-endian and the v6 file has no compressed element', () => {
    const be = writeMat(asariRecording(), VARIANTS[1].opts);
    expect(String.fromCharCode(be[126], be[127])).toBe('MI');
    // First element tag after the 128-byte header: miMATRIX (14) as a big-endian uint32.
    expect(Array.from(be.subarray(128, 132))).toEqual([0, 0, 0, 14]);
    const v6 = writeMat(asariRecording(), VARIANTS[0].opts);
    expect(new TextDecoder().decode(v6.subarray(0, 30))).toBe('MATLAB 5.0 MAT-file, Platform:');
    expect(Array.from(v6.subarray(128, 132))).toEqual([14, 0, 0, 0]);
  });

  it('an int16 trace stored as a 1xN row and a double trace stored in int16 (as MATLAB narrows) read the same', () => {
    for (const v of VARIANTS) {
      const vars = readMat(writeMat([
        ['a', num('int16', [1, 4], [5, -6, 7, -8])],
        ['b', num('double', [4, 1], [5, -6, 7, -8], { stored: 3 })],
      ], v.opts), 'w.mat', quiet);
      const a = vars.a as MatNumeric, b = vars.b as MatNumeric;
      expect(Array.from(a.data as Int16Array)).toEqual([5, -6, 7, -8]);
      expect(b.class).toBe('double');
      expect(Array.from(b.data as Float64Array)).toEqual([5, -6, 7, -8]);
    }
  });
});

// Tiny CRCNS-AC1 releases in the real layout (see the AC1 spec's "fake files for tests"): Wehr
// trial files and stimulus files, Asari recordings and segment files, written as MATLAB v5 files
// in several encodings (one big-endian v5 file, one uncompressed v6 file, the rest compressed).
// Traces are a -60 mV baseline with square pulses narrower than half the 100 ms median window,
// so MedGauss detrending leaves exactly the pulses (see test/node/zoo/ac1.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { num, str, struct1, structArr, writeMat, type Spec, type WriteOptions } from '../../io/helpers/mat-writer.js';

export const BASELINE = -6000; // int16 units × 0.01 = -60 mV
export const SCALE = 0.01;
export const V6: WriteOptions = { le: true, compress: false, headerText: 'MATLAB 5.0 MAT-file, Platform: PCWIN, Created on: Tue Mar 05 10:11:12 2002' };
export const BE: WriteOptions = { le: false, compress: false, headerText: 'MATLAB 5.0 MAT-file, Platform: MAC, Created on: Mon Jun 02 2003' };
const V7: WriteOptions = { le: true, compress: true };

/** A pulse: `[first sample, length, value]` in samples of the response window, value in int16 units above the baseline. */
export type Pulse = [number, number, number];

/** An int16 trace of `length` samples: baseline plus the pulses shifted by `offset` (the window start). */
export function trace(length: number, pulses: Pulse[], offset = 0): number[] {
  const t = new Array<number>(length).fill(BASELINE);
  for (const [s, n, v] of pulses) for (let i = s; i < s + n; i++) if (i + offset < length) t[i + offset] = BASELINE + v;
  return t;
}

const d = (x: number): Spec => num('double', [1, 1], [x]);
const response = (t: number[], sf: number): Spec => struct1({ trace: num('int16', [t.length, 1], t), scale: d(SCALE), sf: d(sf) });
const trig = (type: string, description: string, durationMs: number, time: number): Record<string, Spec> => ({
  type: str(type), param: struct1({ description: str(description), duration: d(durationMs) }), time: d(time),
});
const triggers = (ts: Record<string, Spec>[]): Spec => structArr([1, ts.length], ['type', 'param', 'time'], ts);

/** Pattern A / B of the Wehr trials (4 kHz, 20-sample bins): 10 mV in bins 5, 15, 25 / 10, 20, 30. */
export const WEHR_A: Pulse[] = [[100, 20, 1000], [300, 20, 1000], [500, 20, 1000]];
export const WEHR_B: Pulse[] = [[200, 20, 1000], [400, 20, 1000], [600, 20, 1000]];
/** The saturating repeat: +180 mV over bin 12. */
export const WEHR_SAT: Pulse[] = [[240, 20, 18000]];
/** Asari pattern (10 kHz, 50-sample bins): 10 mV in bins 2 and 9. */
export const ASARI_A: Pulse[] = [[100, 50, 1000], [450, 50, 1000]];
/** A 40 mV plateau over 200 samples: fails the step test (not the range test). */
export const ASARI_STEP: Pulse[] = [[600, 200, 4000]];
/** Single-sample spikes of +50 mV in the cell-attached recording (10 kHz). */
export const SPIKES = [120, 400, 410, 900];

/** Segment class1/1.mat (50 ones) and class1/2.mat (50 twos), both at 1 kHz. */
export const SEG_FS = 1000;
export const SEG_LEN = 50;

export interface Ac1FixtureOptions {
  /** Rate of class1/2.mat (default 1000; 1002 makes the mixed-rate error). */
  seg2Fs?: number;
}

/** The release as a map of relative paths to bytes (extracted folders only). */
export function ac1Files(opts: Ac1FixtureOptions = {}): Record<string, Uint8Array> {
  const f: Record<string, Uint8Array> = {};
  const put = (p: string, vars: [string, Spec][], o: WriteOptions = V7) => (f[p] = writeMat(vars, o));
  const W = 'crcns-ac1/wehr';

  // Wehr stimuli: frag A (0.2 s noise-free ramp at 22 050 Hz), frag B (0.1 s at 8 kHz); a duplicate description and a non-integer stem.
  const fragA = Array.from({ length: 4410 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 22050));
  const fragB = Array.from({ length: 800 }, (_, i) => Math.sin((2 * Math.PI * 500 * i) / 8000));
  const stim = (samples: number[], description: string, sf: number): [string, Spec][] => [
    ['stimulus', struct1({ samples: num('double', [1, samples.length], samples), param: struct1({ description: str(description), sf: d(sf) }) })],
  ];
  put(`${W}/Summary.mat`, [['x', d(1)]]);
  put(`${W}/Stimuli/fragments/1.mat`, stim(fragA, 'frag A', 22050));
  put(`${W}/Stimuli/fragments/3.mat`, stim(fragB, 'frag B', 8000));
  put(`${W}/Stimuli/category1/2.mat`, stim(fragB, 'frag A', 8000));
  put(`${W}/Stimuli/fragments/notes.mat`, stim(fragB, 'frag C', 8000));

  // Session 0205-mw-001: frag A × 5 (t4 saturates, t5 has another pattern), one tone trial, one broken file.
  const s1 = `${W}/Results/0205-mw-001`;
  const wehrTrial = (len: number, pulses: Pulse[], type = 'naturalsound', desc = 'frag A'): [string, Spec][] => [
    ['triggers', triggers([trig(type, desc, 200, 101), trig('naturalsound', 'ignored: not the first', 200, 1)])],
    ['response', response(trace(len, pulses, 100), 4000)],
  ];
  put(`${s1}/t1.mat`, wehrTrial(1000, WEHR_A), BE);
  put(`${s1}/t2.mat`, wehrTrial(880, WEHR_A), V6);
  put(`${s1}/t3.mat`, wehrTrial(1000, WEHR_A, ' NaturalSound '));
  put(`${s1}/t4.mat`, wehrTrial(1000, WEHR_SAT));
  put(`${s1}/t5.mat`, wehrTrial(1000, WEHR_B));
  put(`${s1}/t6.mat`, wehrTrial(1000, WEHR_A, 'tone'));
  f[`${s1}/t7.mat`] = new TextEncoder().encode('not a MAT file at all, but long enough to have a header of 128 bytes.................................................');
  // Session 0205-mw-003: only an unknown description (skipped, but it holds index 1).
  put(`${W}/Results/0205-mw-003/t1.mat`, wehrTrial(1000, WEHR_A, 'naturalsound', 'frag Z'));
  // Session 0206-mw-002: frag B × 2 ('natural' type), 100 ms.
  const s2 = `${W}/Results/0206-mw-002`;
  for (const t of ['a.mat', 'b.mat']) {
    put(`${s2}/${t}`, [['triggers', triggers([trig('natural', 'frag B', 100, 1)])], ['response', response(trace(400, WEHR_A.slice(0, 1), 0), 4000)]]);
  }
  // Not sessions: no leading digits, or not three parts.
  put(`${W}/Results/notes-mw-001/t1.mat`, wehrTrial(1000, WEHR_A));
  put(`${W}/Results/0207-mw/t1.mat`, wehrTrial(1000, WEHR_A));

  // Asari segments.
  const A = 'crcns-ac1/asari/Stimuli';
  const seg = (value: number, field: 'sample' | 'samples', sf: number): [string, Spec][] => [
    ['stimulus', struct1({ [field]: num('double', [SEG_LEN, 1], new Array(SEG_LEN).fill(value)), param: struct1({ sf: d(sf) }) })],
  ];
  put(`${A}/class1/1.mat`, seg(1, 'sample', SEG_FS));
  put(`${A}/class1/2.mat`, seg(2, 'samples', opts.seg2Fs ?? SEG_FS), BE);

  // Asari session 1 (results-1): whole-cell A1.
  const R1 = 'crcns-ac1-asari-results-1/asari-results-1/20050101-ha1-001';
  const map = (files: string[]): Spec => structArr([1, files.length], ['file'], files.map((x) => ({ file: str(x) })));
  const rec = (site: string, type: string): Spec => struct1({ site: str(site), type: str(type) });
  put(`${R1}/r0.mat`, [['triggers', triggers([trig('naturalsound', 'Sequence 1: 1 3', 150, 1)])]]); // no param: skipped
  {
    // Three repeats of sequence 1 (150 ms = 1500 samples each) at samples 0, 2000, 4000; sequence 2 at 6000.
    const t = trace(8000, []);
    for (const at of [0, 2000, 4000, 6000]) trace(1500, ASARI_A).forEach((v, i) => (t[at + i] = v));
    put(`${R1}/r1.mat`, [
      ['param', struct1({ stimulus: map(['class1/1.mat', 'class1\\2.mat', 'class1/2.mat']), recording: rec('auditory cortex', 'Whole Cell') })],
      ['triggers', triggers([
        trig('naturalsound', 'Sequence 1:  1   3', 150, 1),
        trig('naturalsound', 'Sequence 1: 1 3', 150, 2001),
        trig('natural sound', 'Sequence 2: 1 2', 100, 6001),
        trig('NaturalSound', 'Sequence 3: 1 9', 100, 1),
        trig('tone', 'Sequence 1: 1 3', 150, 4001),
        trig('naturalsound', 'Sequence 1: 1 3', 150, 4001),
      ])],
      ['response', response(t, 10000)],
    ]);
  }
  // r2: a later file, its own (different) site ignored; one more repeat of sequence 1 that fails the step test.
  put(`${R1}/r2.mat`, [
    ['param', struct1({ stimulus: map(['class1/1.mat', 'x', 'class1/2.mat']), recording: rec('thalamus', 'cell attached') })],
    ['triggers', triggers([trig('naturalsound', 'Sequence 4: 1 3', 150, 1)])],
    ['response', response(trace(1500, [...ASARI_A, ...ASARI_STEP]), 10000)],
  ], V6);
  // Asari session 2 (results-2): cell-attached MGB, spikes; sequence 7 is the same segments as sequence 1.
  const R2 = 'crcns-ac1-asari-results-2/asari-results-2/20050202-ha2-x';
  {
    const t = trace(3000, []);
    for (const at of [0, 1500]) for (const s of SPIKES) t[at + s] = BASELINE + 5000;
    put(`${R2}/s1.mat`, [
      ['param', struct1({ stimulus: map(['class1/1.mat', 'class1/2.mat']), recording: rec('MGB', 'cell attached') })],
      ['triggers', triggers([trig('naturalsound', 'Sequence 7: 1 2', 120, 1), trig('naturalsound', 'Sequence 7: 1 2', 120, 1501)])],
      ['response', response(t, 10000)],
    ]);
  }
  // Not a session (first part not digits).
  put('crcns-ac1-asari-results-2/asari-results-2/x-ha2-001/s1.mat', [['x', d(1)]]);
  return f;
}

/** Writes `files` under `dir`. */
export function writeTree(dir: string, files: Record<string, Uint8Array>): void {
  for (const [p, b] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), b);
  }
}

/** Moves the files under `folder/` into `<folder>.zip` (member names relative to `folder/`), as the release ships them. */
export function zipFolder(files: Record<string, Uint8Array>, folder: string): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const members: Record<string, Uint8Array> = {};
  for (const [p, b] of Object.entries(files)) {
    if (p.startsWith(`${folder}/`)) members[p.slice(folder.length + 1)] = b;
    else out[p] = b;
  }
  out[`${folder}.zip`] = zipSync(members);
  return out;
}

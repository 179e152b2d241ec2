/**
 * readMat on the real NS1 release: the metadata struct array and all 119 cluster files.
 * Reference values marked "scipy" were read with scipy.io.loadmat 1.17 (an independent MAT
 * reader) when this test was written; counts come from the release README.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMat, Rng } from '../../../src/index.js';
import type { MatChar, MatNumeric, MatStruct, MatValue } from '../../../src/index.js';
import { ns1Dir } from './ns1-files.js';
import { MAX_CALL_MS, expectOnlyFormatError, mutate } from '../../io/helpers/fuzz.js';

const { dir } = ns1Dir();
const d = describe.skipIf(dir === null);

const text = (v: MatValue): string => {
  expect(v.kind).toBe('char');
  return (v as MatChar).text;
};
const scalar = (v: MatValue): number => {
  expect(v.kind).toBe('numeric');
  const n = v as MatNumeric;
  expect(n.data.length).toBe(1);
  return Number(n.data[0]);
};
const struct = (v: MatValue): MatStruct => {
  expect(v.kind).toBe('struct');
  return v as MatStruct;
};
const times = (v: MatValue): number[] => Array.from((v as MatNumeric).data as ArrayLike<number>, Number);

const FIELDS = ['path', 'NrOfElectrodes', 'ElectrodeNumber', 'depth', 'NoiseRatio', 'singleT', 'singleN'];

d('NS1 MetadataSHEnCneurons.mat', () => {
  const file = join(dir ?? '', 'MetadataSHEnCneurons.mat');
  const vars = dir ? readMat(new Uint8Array(readFileSync(file)), file) : {};

  it('is a 1x119 struct array `neuron` with the seven fields in file order', () => {
    expect(Object.keys(vars)).toEqual(['neuron']);
    const neuron = struct(vars.neuron);
    expect(neuron.shape).toEqual([1, 119]);
    expect(neuron.fieldNames).toEqual(FIELDS);
    expect(neuron.elements).toHaveLength(119);
  });

  it('has 60 Yes / 16 Maybe / 43 No units and 73 in the published subset', () => {
    const neuron = struct(vars.neuron);
    const counts: Record<string, number> = {};
    let published = 0;
    for (const el of neuron.elements) {
      const t = text(el.singleT);
      counts[t] = (counts[t] ?? 0) + 1;
      if ((t === 'Yes' || t === 'Maybe') && scalar(el.depth) >= 0) published++;
    }
    expect(counts).toEqual({ Yes: 60, Maybe: 16, No: 43 });
    expect(published).toBe(73);
  });

  it('matches scipy values for a few units; negative depths where scipy saw int16 storage', () => {
    const el = struct(vars.neuron).elements;
    const row = (i: number) => [text(el[i].path), scalar(el[i].NrOfElectrodes), scalar(el[i].ElectrodeNumber), scalar(el[i].depth), scalar(el[i].NoiseRatio), text(el[i].singleT), scalar(el[i].singleN)];
    expect(row(0)).toEqual(['exp57_L4x8/P06-SH_En_C.Lsh3/cluster.05.data.mat', 8, 5, 600, 3.2652062504371733, 'No', 0]);
    expect(row(1)).toEqual(['exp45_1x32/P07-SH.En.C.2.U/cluster.03.data.mat', 32, 11, 450, 3.5482335096857156, 'No', 0]);
    expect(row(57)).toEqual(['exp57_L4x8/P06-SH_En_C.Lsh1/cluster.06.data.mat', 8, 5, 600, 15.449601796256895, 'Yes', 2]);
    expect(row(118)).toEqual(['dataAC/E1/cluster.07.data.mat', 32, 14, 550, 39.71167863301198, 'Yes', 2]);
    const negative = el.map((e, i) => (scalar(e.depth) < 0 ? i : -1)).filter((i) => i >= 0);
    expect(negative).toEqual([6, 29, 54, 73, 78, 108]);
  });
});

d('NS1 cluster files (all 119)', () => {
  const meta = dir ? struct(readMat(new Uint8Array(readFileSync(join(dir, 'MetadataSHEnCneurons.mat')))).neuron) : null;
  const paths = meta ? meta.elements.map((e) => text(e.path)) : [];
  const load = (p: string) => {
    const f = join(dir ?? '', 'spikesandwav', p);
    return readMat(new Uint8Array(readFileSync(existsSync(f) ? f : f.replace(/\.mat$/, '_1.mat'))), f);
  };

  it('every file parses: data.set is 1x32, 20 natural sets of 20 repeats then 12 DRC sets of 5, stim order as documented', () => {
    expect(paths).toHaveLength(119);
    // Plain checks collected into one list (thousands of expect() calls would dominate the run time).
    const problems: string[] = [];
    const check = (ok: boolean, what: () => string) => {
      if (!ok && problems.length < 20) problems.push(what());
    };
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    let emptyRepeats = 0;
    let spikesTotal = 0;
    for (const p of paths) {
      const vars = load(p);
      check(same(Object.keys(vars), ['data']), () => `${p}: variables ${Object.keys(vars)}`);
      const data = struct(vars.data);
      check(same(data.shape, [1, 1]) && same(data.fieldNames, ['set']), () => `${p}: data ${data.shape} ${data.fieldNames}`);
      const sets = struct(data.elements[0].set);
      check(same(sets.shape, [1, 32]), () => `${p}: set shape ${sets.shape}`);
      check(same(sets.fieldNames, ['spikes', 'repeats', 'stim_params', 'length_signal_ms']), () => `${p}: set fields ${sets.fieldNames}`);
      sets.elements.forEach((s, k) => {
        const reps = s.repeats as MatStruct;
        check(reps.kind === 'struct' && same(reps.shape, [1, k < 20 ? 20 : 5]), () => `${p} set ${k + 1}: repeats ${reps.shape}`);
        check(same(reps.fieldNames.slice(0, 3), ['t', 'repeat_id', 'timestamp']), () => `${p} set ${k + 1}: repeat fields ${reps.fieldNames}`);
        const len = Number((s.length_signal_ms as MatNumeric).data[0]);
        check(len > 5100 && len < 5300, () => `${p} set ${k + 1}: length_signal_ms ${len}`);
        if (k < 20) {
          const sp = (s.stim_params as MatStruct).elements[0];
          const got = [sp.Source, sp.Set, sp.StimID].map((v) => Number((v as MatNumeric).data[0]));
          const expected = k < 12 ? [1, 2, k + 1] : [2, 1, k - 11];
          check(same(got, expected), () => `${p} set ${k + 1}: Source/Set/StimID ${got}, expected ${expected}`);
        }
        // Cross-check inside the file: the set's `spikes.t` holds exactly the repeats' times.
        const all: number[] = [];
        for (const r of reps.elements) {
          const t = r.t as MatNumeric;
          check(t.kind === 'numeric' && t.shape.length === 2 && t.shape[0] === 1 && t.shape[1] === t.data.length, () => `${p} set ${k + 1}: t shape ${t.shape}`);
          if (t.data.length === 0) emptyRepeats++;
          else check(t.class === 'double', () => `${p} set ${k + 1}: t class ${t.class}`);
          for (let i = 0; i < t.data.length; i++) all.push(Number(t.data[i]));
        }
        const spikes = times((s.spikes as MatStruct).elements[0].t);
        spikesTotal += spikes.length;
        const sortNum = (a: number, b: number) => a - b;
        spikes.sort(sortNum);
        all.sort(sortNum);
        check(spikes.length === all.length && spikes.every((x, i) => x === all[i]), () => `${p} set ${k + 1}: spikes.t (${spikes.length}) differs from the repeats' times (${all.length})`);
      });
    }
    expect(problems).toEqual([]);
    expect(emptyRepeats).toBeGreaterThan(0);
    expect(spikesTotal).toBeGreaterThan(119 * 32 * 100);
  });

  it('matches scipy spike times, counts and sums for three units', () => {
    const ref = [
      {
        unit: 0,
        first: [239.8617545635121, 250.92095431285438, 252.76415427107807, 392.68351109979346],
        perRep: [107, 41, 47, 72, 91, 106, 91, 103, 76, 40, 74, 56, 44, 49, 85, 70, 39, 43, 50, 62],
        set7rep3: [33.34143924431333, 34.36543922110428, 35.102719204393765],
        set7rep3n: 40,
        sumSet20: 2811851.5893891347,
        timestamp: '20130426-000228514',
      },
      {
        unit: 57,
        first: [46.36671894909421, 417.0137505483464, 440.2790300210369, 450.51902978894634],
        perRep: [66, 8, 12, 35, 39, 28, 28, 34, 39, 0, 20, 21, 9, 14, 42, 28, 5, 6, 15, 26],
        set7rep3: [33.464319241528244, 37.92895914033678, 182.84543585579203],
        set7rep3n: 21,
        sumSet20: 975526.8489295978,
        timestamp: '20130426-000228514',
      },
      {
        unit: 118,
        first: [61.39903860838536, 94.65855785455541, 167.1987162104263, 176.5785559978314],
        perRep: [68, 68, 67, 53, 47, 49, 29, 49, 46, 58, 47, 37, 29, 45, 53, 63, 34, 39, 38, 19],
        set7rep3: [22.24127949589943, 56.40191872164552, 94.20799786476739],
        set7rep3n: 52,
        sumSet20: 2418409.621986532,
        timestamp: '20120119-154929407',
      },
    ];
    for (const r of ref) {
      const sets = struct(struct(load(paths[r.unit]).data).elements[0].set).elements;
      const reps1 = struct(sets[0].repeats).elements;
      expect(times(reps1[0].t).slice(0, 4)).toEqual(r.first);
      expect(reps1.map((e) => (e.t as MatNumeric).data.length)).toEqual(r.perRep);
      expect(text(reps1[0].timestamp)).toBe(r.timestamp);
      const rep3 = times(struct(sets[6].repeats).elements[2].t);
      expect(rep3.length).toBe(r.set7rep3n);
      expect(rep3.slice(0, 3)).toEqual(r.set7rep3);
      let sum = 0;
      for (const e of struct(sets[19].repeats).elements) for (const x of times(e.t)) sum += x;
      expect(sum).toBeCloseTo(r.sumSet20, 6);
    }
    // The empty repeat of unit 57 (set 1, repeat 10): a 1x0 double (scipy shows its uint8 storage type).
    const empty = struct(struct(struct(load(paths[57]).data).elements[0].set).elements[0].repeats).elements[9].t as MatNumeric;
    expect(empty.shape).toEqual([1, 0]);
    expect(empty.class).toBe('double');
  });
});

d('NS1 with skipFields (what a loader that needs only repeats(i).t reads)', () => {
  it('gives the same spike times as a full read, for every unit', () => {
    const meta = struct(readMat(new Uint8Array(readFileSync(join(dir ?? '', 'MetadataSHEnCneurons.mat')))).neuron);
    let checked = 0;
    for (const el of meta.elements) {
      const bytes = new Uint8Array(readFileSync(join(dir ?? '', 'spikesandwav', text(el.path))));
      const full = struct(struct(readMat(bytes).data).elements[0].set).elements;
      const lean = struct(struct(readMat(bytes, 'x', { copy: false, skipFields: ['spikes', 'stim_params', 'timestamp', 'repeat_id'] }).data).elements[0].set).elements;
      for (let s = 0; s < 20; s++) {
        const a = (full[s].repeats as MatStruct).elements;
        const b = (lean[s].repeats as MatStruct).elements;
        if (a.length !== b.length) throw new Error(`${text(el.path)} set ${s + 1}: ${a.length} vs ${b.length} repeats`);
        for (let r = 0; r < a.length; r++) {
          const ta = (a[r].t as MatNumeric).data;
          const tb = (b[r].t as MatNumeric).data;
          if (ta.length !== tb.length || ta.some((x, i) => x !== tb[i])) throw new Error(`${text(el.path)} set ${s + 1} repeat ${r + 1} differs`);
          checked++;
        }
        if (lean[s].spikes.kind !== 'skipped' || (b[0] && b[0].timestamp.kind !== 'skipped')) throw new Error('skipFields ignored');
      }
    }
    expect(checked).toBe(119 * 20 * 20);
  });
});

d('NS1 fuzzing: mutated real files', () => {
  it('metadata (compressed) and a cluster file (uncompressed): only FormatError, never a hang', () => {
    const metaBytes = new Uint8Array(readFileSync(join(dir ?? '', 'MetadataSHEnCneurons.mat')));
    const cluster = new Uint8Array(readFileSync(join(dir ?? '', 'spikesandwav/dataAC/E1/cluster.03.data.mat')));
    const read = (b: Uint8Array) => readMat(b, 'ns1-fuzz.mat', { onWarning: () => {} });
    const rng = new Rng(119);
    let worst = 0;
    for (let i = 0; i < 400; i++) {
      worst = Math.max(worst, expectOnlyFormatError(read, mutate(metaBytes, rng, i % 3 === 0 ? 0 : 128), `metadata mutation ${i}`).ms);
    }
    for (let i = 0; i < 150; i++) {
      worst = Math.max(worst, expectOnlyFormatError(read, mutate(cluster, rng, 128), `cluster mutation ${i}`).ms);
    }
    expect(worst).toBeLessThan(MAX_CALL_MS);
  });
});

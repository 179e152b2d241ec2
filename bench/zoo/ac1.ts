// CRCNS-AC1 build benchmark at the real release's counts: 25 Wehr cells with the stimulus counts
// of AC1_WEHR_SPLIT_NATURAL (385 stimuli in all, 15 s fragments, 4 kHz traces) and 53 Asari cells
// (39 A1 whole-cell, 14 MGB cell-attached, 10 kHz). Repeats per stimulus and the Asari sequence
// counts are not published: REPEATS and ASARI_SEQUENCES below are assumptions. The release is
// generated in memory (MAT v5 files in the real layout) and built with `CRCNSAC1Dataset.load`
// from a MemorySource; the same-run baseline is parsing every file once with `readMat` (what any
// build must do), so the ratio is the cost of the processing (detrending, gating, binning,
// spectrograms) over the parse. `scale` < 1 builds that fraction of the cells.
import { CRCNSAC1Dataset, AC1_WEHR_SPLIT_NATURAL } from '../../src/zoo/crcns-ac1.js';
import { MemorySource } from '../../src/sources/memory.js';
import { readMat } from '../../src/io/mat5.js';
import { num, str, struct1, structArr, writeMat, type Spec } from '../../test/io/helpers/mat-writer.js';

/** Assumed repeats per (cell, stimulus). */
const REPEATS = 5;
/** Assumed sequences per Asari cell, each 2 segments of 1 s. */
const ASARI_SEQUENCES = 20;
const WEHR_FRAGMENT_S = 15;
/** Assumed Wehr stimulus rate. */
const WEHR_STIM_FS = 22050;

const d = (x: number): Spec => num('double', [1, 1], [x]);
const trig = (type: string, description: string, durationMs: number, time: number): Record<string, Spec> => ({
  type: str(type), param: struct1({ description: str(description), duration: d(durationMs) }), time: d(time),
});

/** Uniform noise of amplitude `amp` around `base`, plus `locked(i)` (a response shared by the repeats). */
function noise(n: number, seed: number, amp: number, base: number, locked: (i: number) => number = () => 0): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round(base + amp * (s / 2 ** 32 - 0.5) + locked(i));
  });
}
/** A 5 mV (500 int16 units) slow response locked to the stimulus, samples counted from the window start. */
const response = (sf: number, start: number) => (i: number) => 500 * Math.sin((2 * Math.PI * 3 * (i - start)) / sf);

/** The generated release (extracted folders) at `scale` of the real cell counts. */
export function ac1BenchRelease(scale = 1): Record<string, Uint8Array> {
  const f: Record<string, Uint8Array> = {};
  const W = 'crcns-ac1/wehr';
  f[`${W}/Summary.mat`] = writeMat([['x', d(1)]]);
  const wehrCells = Math.max(1, Math.round(25 * scale));
  const nStims = Math.max(...AC1_WEHR_SPLIT_NATURAL.slice(0, wehrCells).map((c) => c[0] + c[1] + c[2]));
  for (let s = 0; s < nStims; s++) {
    const wave = noise(WEHR_FRAGMENT_S * WEHR_STIM_FS, s + 1, 2, 0);
    f[`${W}/Stimuli/fragments/${s + 1}.mat`] = writeMat([['stimulus', struct1({
      samples: num('double', [1, wave.length], wave), param: struct1({ description: str(`frag ${s + 1}`), sf: d(WEHR_STIM_FS) }),
    })]], { compress: true });
  }
  const len = WEHR_FRAGMENT_S * 4000;
  for (let c = 0; c < wehrCells; c++) {
    const [a, b, e] = AC1_WEHR_SPLIT_NATURAL[c];
    for (let s = 0; s < a + b + e; s++) {
      for (let r = 0; r < REPEATS; r++) {
        const t = noise(len + 400, 1000 * c + 10 * s + r, 400, -6000, response(4000, 200));
        f[`${W}/Results/0${100 + c}-mw-001/s${s}r${r}.mat`] = writeMat([
          ['triggers', structArr([1, 1], ['type', 'param', 'time'], [trig('naturalsound', `frag ${s + 1}`, WEHR_FRAGMENT_S * 1000, 201)])],
          ['response', struct1({ trace: num('int16', [t.length, 1], t), scale: d(0.01), sf: d(4000) })],
        ], { compress: true });
      }
    }
  }
  const A = 'crcns-ac1/asari/Stimuli';
  for (let k = 1; k <= 2 * ASARI_SEQUENCES; k++) {
    const wave = noise(97656, k, 2, 0);
    f[`${A}/class1/${k}.mat`] = writeMat([['stimulus', struct1({ sample: num('double', [1, wave.length], wave), param: struct1({ sf: d(97656) }) })]], { compress: true });
  }
  const asari = [...Array(Math.max(1, Math.round(39 * scale))).fill('A1'), ...Array(Math.max(1, Math.round(14 * scale))).fill('MGB')];
  asari.forEach((site, c) => {
    const root = c % 2 ? 'crcns-ac1-asari-results-2/asari-results-2' : 'crcns-ac1-asari-results-1/asari-results-1';
    const seqLen = 20000; // 2 s at 10 kHz
    const trigs: Record<string, Spec>[] = [];
    for (let q = 0; q < ASARI_SEQUENCES; q++) {
      for (let r = 0; r < REPEATS; r++) trigs.push(trig('naturalsound', `Sequence ${q + 1}: ${2 * q + 1} ${2 * q + 2}`, 2000, 1 + (q * REPEATS + r) * seqLen));
    }
    const t = noise(ASARI_SEQUENCES * REPEATS * seqLen, 77 + c, 400, -6000, (i) => response(10000, 0)(i % seqLen));
    f[`${root}/2005010${c % 10}-a${c}-001/rec.mat`] = writeMat([
      ['param', struct1({
        stimulus: structArr([1, 2 * ASARI_SEQUENCES], ['file'], Array.from({ length: 2 * ASARI_SEQUENCES }, (_, i) => ({ file: str(`class1/${i + 1}.mat`) }))),
        recording: struct1({ site: str(site === 'A1' ? 'auditory cortex' : 'MGB'), type: str(site === 'A1' ? 'whole cell' : 'cell attached') }),
      })],
      ['triggers', structArr([1, trigs.length], ['type', 'param', 'time'], trigs)],
      ['response', struct1({ trace: num('int16', [t.length, 1], t), scale: d(0.01), sf: d(10000) })],
    ], { compress: true });
  });
  return f;
}

/**
 * Builds the generated release and its baseline; returns both times (ms) and their ratio.
 * @example
 * ```ts
 * const { buildMs, parseMs, ratio } = await benchAc1Build(0.1);
 * ```
 */
export async function benchAc1Build(scale = 1): Promise<{ buildMs: number; parseMs: number; ratio: number; neurons: number; stimuli: number }> {
  const files = ac1BenchRelease(scale);
  let t = performance.now();
  for (const [p, b] of Object.entries(files)) readMat(b, p, { onWarning: () => {} });
  const parseMs = performance.now() - t;
  t = performance.now();
  const ds = await CRCNSAC1Dataset.load({ source: new MemorySource(files), onWarning: () => {} });
  const buildMs = performance.now() - t;
  return { buildMs, parseMs, ratio: buildMs / parseMs, neurons: ds.getN(), stimuli: ds.getS() };
}

// `node --import tsx bench/zoo/ac1.ts [scale]` runs it alone (scale 1 takes minutes).
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const scale = Number(process.argv[2] ?? 1);
  const r = await benchAc1Build(scale);
  console.log(`CRCNS-AC1 build at ${scale} × the release's cells: ${r.neurons} neurons, ${r.stimuli} stimuli, ` +
    `${(r.buildMs / 1000).toFixed(1)} s = ${r.ratio.toFixed(1)} × parsing the same files (${(r.parseMs / 1000).toFixed(2)} s)`);
}

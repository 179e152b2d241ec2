// The generated dataset of bench/zarr.bench.ts: any size, every cell a cheap deterministic
// function of (seed, stimulus, neuron), so that
//   - the exporting process builds it straight into the wasm store (HeapTensor cells, no second
//     copy in JavaScript) — one copy, ≤ the 4 GiB heap;
//   - the reading process never holds it: the batch a lazy store should give for stimuli
//     [s1, s2, …] is regenerated from the formula and collated (`expectedBatch`);
//   - the in-memory baseline is a prefix of the same generator (`new BigDataset(spec, k)`: the
//     first k stimuli), whose batches have the same shapes as the whole dataset's.
// Cells: stimulus (1, F, T_s) uniform in [0, 1); response (R_sn, T_s) small counts 0…7 (float32),
// NaN over 5 bins in one cell of every 23; the (1, 1) NaN sentinel for every 11th (s, n ≠ 0)
// pair. Neuron 0 hears every stimulus, so every stimulus is iterable.
import { HeapTensor, NeuralDataset, defaultHeap, neuralCollate, tensor, type Batch, type DatasetItem, type Meta, type Tensor } from '../../src/index.js';

export interface BigSpec {
  seed: number;
  nStims: number;
  nNeurons: number;
  F: number;
  /** Stimulus duration range in bins, inclusive. */
  bins: [number, number];
  /** Repeat-count range, inclusive. */
  repeats: [number, number];
  dtMs: number;
}

/** 32-bit mix (murmur3 finaliser). */
const mix = (x: number) => {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
};
const key = (seed: number, s: number, n: number) => mix(mix(mix(seed + 0x9e3779b9) ^ s) + Math.imul(n + 1, 0x27d4eb2d)) || 1;
const pick = (h: number, [lo, hi]: [number, number]) => lo + (h % (hi - lo + 1));

/** Bins of stimulus s. */
export const stimBins = (spec: BigSpec, s: number) => pick(key(spec.seed, s, -1), spec.bins);
/** Whether (s, n) is a missing pair. */
export const isMissing = (spec: BigSpec, s: number, n: number) => n !== 0 && key(spec.seed, s, n) % 11 === 0;
/** Repeats of the real cell (s, n). */
export const cellRepeats = (spec: BigSpec, s: number, n: number) => pick(key(spec.seed, s, n) >>> 8, spec.repeats);

/** Fills a stimulus (1, F, T): xorshift32 from the cell's key, uniform in [0, 1). */
function fillStim(spec: BigSpec, s: number, out: Float32Array): void {
  let x = key(spec.seed, s, -2);
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 8) / 16777216;
  }
}

/** Fills a real response cell (R, T): counts 0…7; one cell in 23 has NaN over 5 bins of repeat 0. */
function fillResponse(spec: BigSpec, s: number, n: number, out: Float32Array, T: number): void {
  const k = key(spec.seed, s, n);
  let x = k;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 29;
  }
  if (k % 23 === 0) out.fill(Number.NaN, T >>> 1, (T >>> 1) + 5);
}

const stimMetaOf = (s: number): Meta => ({ name: `stim${s}`, subset: s % 5 === 0 ? 'val' : 'est' });
const nrnMetaOf = (n: number): Meta => ({ uid: n, area: n % 2 === 0 ? 'A1' : 'PEG' });

/** Float32 bytes of the stimuli and responses of stimuli [0, nStims). */
export function specBytes(spec: BigSpec, nStims = spec.nStims): number {
  let b = 0;
  for (let s = 0; s < nStims; s++) {
    const T = stimBins(spec, s);
    b += spec.F * T * 4;
    for (let n = 0; n < spec.nNeurons; n++) if (!isMissing(spec, s, n)) b += cellRepeats(spec, s, n) * T * 4;
  }
  return b;
}

/** A spec of about `bytes` bytes: 64 neurons, 32 bands, 1000–2000 bins, 1–3 repeats (≈1 MB per stimulus). */
export function specForBytes(bytes: number, seed = 1): BigSpec {
  const spec: BigSpec = { seed, nStims: 1, nNeurons: 64, F: 32, bins: [1000, 2000], repeats: [1, 3], dtMs: 5 };
  const per = specBytes({ ...spec, nStims: 64 }) / 64;
  return { ...spec, nStims: Math.max(8, Math.round(bytes / per)) };
}

/** The first `nStims` stimuli of the spec (all by default), cells written straight into the wasm store. */
export class BigDataset extends NeuralDataset {
  constructor(readonly spec: BigSpec, nStims = spec.nStims) {
    super(`generated:${spec.seed}`, spec.dtMs);
    this.nNeurons = spec.nNeurons;
    this.nrnMeta = Array.from({ length: spec.nNeurons }, (_, n) => nrnMetaOf(n));
    const sentinel = NeuralDataset.sentinel;
    // If the heap runs out part way, the cells made so far are freed.
    defaultHeap().scope(() => this.fill(nStims, sentinel));
    this.validate();
  }

  private fill(nStims: number, sentinel: Tensor): void {
    const spec = this.spec;
    for (let s = 0; s < nStims; s++) {
      const T = stimBins(spec, s);
      const stim = HeapTensor.allocate([1, spec.F, T]);
      fillStim(spec, s, stim.data);
      this.stims.push(stim);
      this.stimMeta.push(stimMetaOf(s));
      const row: Tensor[] = [];
      for (let n = 0; n < spec.nNeurons; n++) {
        if (isMissing(spec, s, n)) {
          row.push(sentinel);
          continue;
        }
        const cell = HeapTensor.allocate([cellRepeats(spec, s, n), T]);
        fillResponse(spec, s, n, cell.data, T);
        row.push(cell);
      }
      this.responses.push(row);
    }
  }
}

/** Stimulus s as an item of the whole dataset (every neuron selected), regenerated in plain memory. */
export function regenerateItem(spec: BigSpec, s: number): DatasetItem {
  const T = stimBins(spec, s);
  const stim = new Float32Array(spec.F * T);
  fillStim(spec, s, stim);
  const responses = Array.from({ length: spec.nNeurons }, (_, n) => {
    if (isMissing(spec, s, n)) return tensor('float32', [1, 1], new Float32Array([Number.NaN]));
    const R = cellRepeats(spec, s, n);
    const d = new Float32Array(R * T);
    fillResponse(spec, s, n, d, T);
    return tensor('float32', [R, T], d);
  });
  const valid = Uint8Array.from(responses, (_, n) => (isMissing(spec, s, n) ? 0 : 1));
  return { stims: tensor('float32', [1, spec.F, T], stim), responses, validMask: { dtype: 'bool', shape: [spec.nNeurons], data: valid }, stimMeta: stimMetaOf(s) };
}

/** The batch of stimuli `stims`, collated from regenerated items. */
export const expectedBatch = (spec: BigSpec, stims: readonly number[]): Batch => neuralCollate(stims.map((s) => regenerateItem(spec, s)));

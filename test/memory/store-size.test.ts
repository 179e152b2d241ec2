// The memory rule of the packed store (docs/memory.md, "What a store costs"): a real cell costs
// its own R × T float32 (its real repeat count, never padded to the largest), a missing pair
// costs nothing (every one is the shared (1, 1) NaN sentinel), and items and batches still show
// exactly what a dense S × N × R_max × T layout would. Checked on random datasets with missing
// pairs, NaN-holding cells and ragged repeats against a plain model built from the inputs, and on
// the AA2 fixture release (test/helpers/zoo/aa2.ts) built from memory.
import { describe, expect, it } from 'vitest';
import {
  CRCNSAA2Dataset, MemorySource, NeuralDataset, defaultHeap, full, neuralCollate, tensor, type Tensor,
} from '../../src/index.js';
import { ManualDataset } from '../helpers/fixtures.js';
import { aa2Files } from '../helpers/zoo/aa2.js';
import { Rng } from '../../src/util/random.js';

const align = (n: number, a: number) => Math.ceil(n / a) * a;
/** Bytes the allocator holds for a request of `bytes`: a 16-byte header, 16-byte granules, 32 at least. */
const block = (bytes: number) => Math.max(32, align(bytes, 16) + 16);
/** A block may keep up to 31 bytes more when it reuses a free block too small to split. */
const SLACK = 31;

interface Pair { R: number; data: Float32Array | null } // null: missing

/** A random dataset: S stimuli (1, F, T_s); per pair missing (p 0.35) or R_sn × T_s, a few with a NaN inside. */
function randomCase(rng: Rng) {
  const S = 1 + rng.int(6), N = 1 + rng.int(6), F = 1 + rng.int(4);
  const T = Array.from({ length: S }, () => 1 + rng.int(40));
  const pairs: Pair[][] = T.map((t) =>
    Array.from({ length: N }, (): Pair => {
      if (rng.next() < 0.35) return { R: 1, data: null };
      const R = 1 + rng.int(6);
      const data = Float32Array.from({ length: R * t }, () => rng.int(4) * 0.25 + rng.next());
      if (rng.next() < 0.1) data[rng.int(R * t)] = Number.NaN;
      return { R, data };
    }),
  );
  const stims: Tensor[] = T.map((t) => tensor('float32', [1, F, t], Float32Array.from({ length: F * t }, () => rng.normal())));
  const responses = pairs.map((row, s) => row.map((p) => (p.data ? tensor('float32', [p.R, T[s]], p.data.slice()) : full('float32', [1, 1], Number.NaN))));
  return { S, N, F, T, pairs, stims, responses };
}

/** The dense model of one batch over stimuli `ss`: (B, N, R_max, T_max), NaN wherever no real value sits. */
function denseBatch(c: ReturnType<typeof randomCase>, ss: number[]) {
  let rMax = 0, tMax = 0;
  for (const s of ss) for (const p of c.pairs[s]) {
    rMax = Math.max(rMax, p.R);
    tMax = Math.max(tMax, p.data ? c.T[s] : 1);
  }
  const out = new Float32Array(ss.length * c.N * rMax * tMax).fill(Number.NaN);
  ss.forEach((s, b) => c.pairs[s].forEach((p, n) => {
    const t = p.data ? c.T[s] : 1;
    for (let r = 0; r < p.R; r++) for (let i = 0; i < t; i++) out[((b * c.N + n) * rMax + r) * tMax + i] = p.data ? p.data[r * t + i] : Number.NaN;
  }));
  return { shape: [ss.length, c.N, rMax, tMax], out };
}

const sameFloats = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!(Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) expect.fail(`element ${i}: ${a[i]} vs ${b[i]}`);
  }
};

describe('packed store: missing pairs cost nothing, repeats are stored at their real count', () => {
  it('held bytes = one block of the real cells + one block of the stimuli (200 random datasets)', () => {
    const heap = defaultHeap();
    void NeuralDataset.sentinel; // the shared sentinel exists before measuring
    const rng = new Rng(20261130);
    for (let trial = 0; trial < 200; trial++) {
      const c = randomCase(rng);
      let cellBytes = 0, denseBytes = 0;
      const rMax = Math.max(...c.pairs.flat().map((p) => p.R));
      c.pairs.forEach((row, s) => row.forEach((p) => {
        if (p.data) cellBytes += 4 * align(p.R * c.T[s], 4); // each cell 16-byte aligned in the block
        denseBytes += 4 * rMax * c.T[s];
      }));
      const stimBytes = c.T.reduce((sum, t) => sum + 4 * align(c.F * t, 4), 0);
      const expected = block(stimBytes) + (cellBytes > 0 ? block(cellBytes) : 0);
      const before = heap.stats().held;
      const ds = new ManualDataset({
        stims: c.stims, responses: c.responses, stimMeta: c.T.map((_, s) => ({ s })), nrnMeta: Array.from({ length: c.N }, (_, n) => ({ n })),
      });
      const held = heap.stats().held - before;
      expect(held).toBeGreaterThanOrEqual(expected);
      expect(held).toBeLessThanOrEqual(expected + 2 * SLACK);
      // A dense S × N × R_max × T layout would hold more whenever a pair is missing or ragged.
      if (c.pairs.flat().some((p) => !p.data || p.R < rMax)) expect(held).toBeLessThan(block(stimBytes) + denseBytes);
      c.pairs.forEach((row, s) => row.forEach((p, n) => {
        if (p.data) expect(ds.responses[s][n].shape).toEqual([p.R, c.T[s]]);
        else expect(ds.responses[s][n]).toBe(NeuralDataset.sentinel);
      }));
      ds.dispose();
      expect(heap.stats().held).toBe(before);
    }
  });

  it('items and collated batches equal the dense model (200 random datasets, random selections)', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const c = randomCase(rng);
      const ds = new ManualDataset({
        stims: c.stims, responses: c.responses, stimMeta: c.T.map((_, s) => ({ s })), nrnMeta: Array.from({ length: c.N }, (_, n) => ({ n })),
      });
      // With every neuron selected, a stimulus is iterable when some pair on it holds no NaN.
      const real = (p: Pair) => p.data !== null && !p.data.some(Number.isNaN);
      const iterable = c.pairs.map((row, s) => (row.some(real) ? s : -1)).filter((s) => s >= 0);
      expect(ds.length).toBe(iterable.length);
      if (iterable.length === 0) { ds.dispose(); continue; }
      const picks = Array.from({ length: 1 + rng.int(4) }, () => rng.int(iterable.length));
      const items = picks.map((i) => ds.get(i));
      picks.forEach((i, b) => {
        const s = iterable[i];
        const it = items[b];
        expect(it.stimMeta).toEqual({ s });
        sameFloats(it.stims.data as Float32Array, c.stims[s].data as Float32Array);
        it.responses.forEach((r, n) => {
          const p = c.pairs[s][n];
          expect(r.shape).toEqual(p.data ? [p.R, c.T[s]] : [1, 1]);
          if (p.data) sameFloats(r.data as Float32Array, p.data);
          else expect(Number.isNaN(r.data[0])).toBe(true);
        });
        expect(Array.from(it.validMask.data)).toEqual(c.pairs[s].map((p) => (real(p) ? 1 : 0)));
      });
      const batch = neuralCollate(items);
      const dense = denseBatch(c, picks.map((i) => iterable[i]));
      expect(batch.responses.shape).toEqual(dense.shape);
      sameFloats(batch.responses.data, dense.out);
      expect(Array.from(batch.validMask.data)).toEqual(Array.from(dense.out, (v) => (Number.isNaN(v) ? 0 : 1)));
      ds.dispose();
    }
  });

  it('AA2 fixture release: 3 real cells of 12 pairs; the store holds those 3 and the 3 spectrograms', async () => {
    const heap = defaultHeap();
    const load = () => CRCNSAA2Dataset.load({ source: new MemorySource(aa2Files()), smooth: false });
    (await load()).dispose(); // warm-up: caches (mel filterbank, FFT plan) and scratch are sized
    const before = heap.stats().held;
    const ds = await load();
    const held = heap.stats().held - before;
    // By the fixture (test/helpers/zoo/aa2.ts): c1_1_A/s1 2 trials × 101 bins, c2_3/s2 1 × 63,
    // c3_4/s3 1 × 51; spectrograms (1, 32, 101), (1, 32, 63), (1, 32, 51) packed in one block.
    const cells = block(4 * 2 * 101) + block(4 * 63) + block(4 * 51);
    const stims = block(4 * 32 * (101 + 63 + 51));
    expect(held).toBeGreaterThanOrEqual(cells + stims);
    expect(held).toBeLessThanOrEqual(cells + stims + 4 * SLACK);
    expect(ds.responses.flat().filter((r) => r === NeuralDataset.sentinel)).toHaveLength(12 - 3);
    ds.dispose();
    expect(heap.stats().held).toBe(before);
  });
});

// Property tests: the wasm collate / masking kernels against their plain-TypeScript references
// (src/reference/reference.ts) on thousands of random ragged inputs, compared bit for bit.
import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../../src/memory/heap.js';
import { Rng } from '../../src/util/random.js';
import { CELL_CLEAN, CELL_DESC, STIM_DESC, writeCellDesc, writeStimDesc } from '../../src/memory/layouts.generated.js';
import {
  anyNaNRef, anyPerBlockRef, cellsValidRef, collateCellsRef, nanMaskRef, padRowsRef,
} from '../../src/reference/reference.js';

const heap = WasmHeap.create({ shared: false });
const NAN_PAYLOAD = 0x7fa00001; // a signalling-style NaN with a payload: must be copied as is

/** Random float32 data with NaN in some places (canonical and payload NaNs), returns its address. */
function randomCells(rng: Rng, shapes: Array<[number, number]>, nanRate: number) {
  const total = shapes.reduce((s, [r, t]) => s + r * t, 0);
  const src = heap.alloc(4 * Math.max(total, 1));
  const bits = heap.u32(src, total);
  const f = heap.f32(src, total);
  for (let i = 0; i < total; i++) {
    const u = rng.next();
    if (u < nanRate / 2) f[i] = NaN;
    else if (u < nanRate) bits[i] = NAN_PAYLOAD;
    else f[i] = rng.normal() * 10 ** (rng.int(7) - 3);
  }
  const desc = heap.alloc(CELL_DESC.size * Math.max(shapes.length, 1));
  const d = new DataView(heap.buffer, desc, CELL_DESC.size * shapes.length);
  let off = src;
  shapes.forEach(([r, t], k) => {
    const clean = !heap.kernels.anyNaN(off, r * t); // the flag is a promise: only set when true
    writeCellDesc(d, k * CELL_DESC.size, { src: off, rows: r, cols: t, flags: clean && rng.next() < 0.8 ? CELL_CLEAN : 0 });
    off += 4 * r * t;
  });
  return { desc, count: shapes.length };
}

function randomShape(rng: Rng): [number, number] {
  const kind = rng.int(10);
  if (kind === 0) return [1, 1]; // the sentinel shape
  if (kind === 1) return [rng.int(3), rng.int(3)]; // empty cells (0 rows or 0 cols)
  if (kind === 2) return [1 + rng.int(2), 1 + rng.int(100)];
  return [1 + rng.int(8), 1 + rng.int(40)];
}

const bytesEqual = (a: Uint8Array, b: Uint8Array) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) expect.fail(`byte ${i}: wasm ${a[i]} vs reference ${b[i]}`);
};

describe('collateCells (wasm) equals collateCellsRef bit for bit', () => {
  it('on 2000 random ragged batches, with and without a mask', () => {
    const rng = new Rng(1);
    for (let trial = 0; trial < 2000; trial++) {
      const shapes = Array.from({ length: 1 + rng.int(12) }, () => randomShape(rng));
      const { desc, count } = randomCells(rng, shapes, rng.next() < 0.5 ? 0 : 0.05);
      let rMax = Math.max(1, ...shapes.map((s) => s[0]));
      let tMax = Math.max(1, ...shapes.map((s) => s[1]));
      if (rng.next() < 0.2) { rMax += rng.int(3); tMax += rng.int(5); } // room beyond the largest cell
      const n = count * rMax * tMax;
      const withMask = rng.next() < 0.8;
      const outA = heap.alloc(4 * n), outB = heap.alloc(4 * n);
      const maskA = withMask ? heap.alloc(n) : 0, maskB = withMask ? heap.alloc(n) : 0;
      heap.kernels.collateCells(desc, count, rMax, tMax, outA, maskA);
      collateCellsRef(heap.buffer, desc, count, rMax, tMax, outB, maskB);
      bytesEqual(heap.u8(outA, 4 * n), heap.u8(outB, 4 * n));
      if (withMask) bytesEqual(heap.u8(maskA, n), heap.u8(maskB, n));
    }
  });

  it('on one large batch (B·N = 200 cells of up to 20 × 3000)', () => {
    const rng = new Rng(2);
    const shapes = Array.from({ length: 200 }, (): [number, number] => (rng.next() < 0.1 ? [1, 1] : [1 + rng.int(20), 1 + rng.int(3000)]));
    const { desc, count } = randomCells(rng, shapes, 0.001);
    const n = count * 20 * 3000;
    const outA = heap.alloc(4 * n), outB = heap.alloc(4 * n), maskA = heap.alloc(n), maskB = heap.alloc(n);
    heap.kernels.collateCells(desc, count, 20, 3000, outA, maskA);
    collateCellsRef(heap.buffer, desc, count, 20, 3000, outB, maskB);
    bytesEqual(heap.u8(outA, 4 * n), heap.u8(outB, 4 * n));
    bytesEqual(heap.u8(maskA, n), heap.u8(maskB, n));
  });

  it('writes the canonical NaN 0x7FC00000 for padding', () => {
    const { desc } = randomCells(new Rng(3), [[1, 1]], 0);
    const out = heap.alloc(4 * 8);
    heap.kernels.collateCells(desc, 1, 2, 4, out, 0);
    expect(Array.from(heap.u32(out, 8)).slice(1)).toEqual(new Array(7).fill(0x7fc00000));
  });
});

describe('padRows (wasm) equals padRowsRef', () => {
  it('on 1000 random stimulus batches', () => {
    const rng = new Rng(4);
    for (let trial = 0; trial < 1000; trial++) {
      const rows = 1 + rng.int(rng.next() < 0.1 ? 70 : 5);
      const ts = Array.from({ length: 1 + rng.int(8) }, () => rng.int(60));
      const total = ts.reduce((a, t) => a + rows * t, 0);
      const src = heap.alloc(4 * Math.max(1, total));
      const f = heap.f32(src, total);
      for (let i = 0; i < total; i++) f[i] = rng.normal();
      const desc = heap.alloc(STIM_DESC.size * ts.length);
      let off = src;
      ts.forEach((t, k) => {
        writeStimDesc(new DataView(heap.buffer, desc, STIM_DESC.size * ts.length), k * STIM_DESC.size, { src: off, cols: t });
        off += 4 * rows * t;
      });
      const tMax = Math.max(1, ...ts) + (rng.next() < 0.2 ? rng.int(4) : 0);
      const n = ts.length * rows * tMax;
      const a = heap.alloc(4 * n), b = heap.alloc(4 * n);
      heap.u8(a, 4 * n).fill(0xab); // garbage first: the kernel must overwrite every byte
      heap.kernels.padRows(desc, ts.length, rows, tMax, a);
      padRowsRef(heap.buffer, desc, ts.length, rows, tMax, b);
      bytesEqual(heap.u8(a, 4 * n), heap.u8(b, 4 * n));
    }
  });
});

describe('masking kernels equal their references', () => {
  it('nanMask, anyNaN, cellsValid, anyPerBlock on 2000 random inputs', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 2000; trial++) {
      const n = rng.next() < 0.1 ? 0 : 1 + rng.int(rng.next() < 0.1 ? 5000 : 70);
      const src = heap.alloc(4 * Math.max(1, n));
      const f = heap.f32(src, n);
      const rate = [0, 0.001, 0.1, 1][rng.int(4)];
      for (let i = 0; i < n; i++) f[i] = rng.next() < rate ? NaN : rng.normal();
      const a = heap.alloc(Math.max(1, n)), b = heap.alloc(Math.max(1, n));
      heap.kernels.nanMask(src, n, a);
      nanMaskRef(heap.buffer, src, n, b);
      bytesEqual(heap.u8(a, n), heap.u8(b, n));
      expect(heap.kernels.anyNaN(src, n)).toBe(anyNaNRef(heap.buffer, src, n));
      const cellLen = 1 + rng.int(40);
      const blocks = Math.floor(n / cellLen);
      const ca = heap.alloc(Math.max(1, blocks)), cb = heap.alloc(Math.max(1, blocks));
      // sparse masks: most blocks all-zero, so "any" must really look at every byte
      const m = heap.u8(a, n);
      for (let i = 0; i < n; i++) m[i] = rng.next() < 0.02 ? 1 : 0;
      heap.kernels.anyPerBlock(a, blocks, cellLen, ca);
      anyPerBlockRef(heap.buffer, a, blocks, cellLen, cb);
      bytesEqual(heap.u8(ca, blocks), heap.u8(cb, blocks));
    }
    const shapes = Array.from({ length: 300 }, () => randomShape(rng));
    const { desc, count } = randomCells(rng, shapes, 0.01);
    const a = heap.alloc(count), b = heap.alloc(count);
    heap.kernels.cellsValid(desc, count, a);
    cellsValidRef(heap.buffer, desc, count, b);
    bytesEqual(heap.u8(a, count), heap.u8(b, count));
    expect(Array.from(heap.u8(a, count))).toContain(0);
    expect(Array.from(heap.u8(a, count))).toContain(1);
  });
});

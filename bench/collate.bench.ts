// Collate benchmark (bar in docs/performance.md: ≥ 0.8 × the same-run memcpy rate for the batch's bytes).
// Prints, for the NS1 and the large shape:
//   kernel / memcpy      collateCells + padRows writing the batch (responses, mask, stimuli) into
//                        wasm memory, vs a TypedArray.prototype.set of the same number of bytes
//   kernel / TS ref      the same kernels vs their plain-TypeScript references
//   neuralCollate / memcpy   the public call end to end (descriptors, kernels, one copy out)
// plus the nrnMasks cached-read vs recompute ratio (the reference's speed case).
import { WasmHeap, setDefaultHeap } from '../src/memory/heap.js';
import { HeapTensor, NaNState } from '../src/memory/heap-tensor.js';
import { collateCellsRef, padRowsRef } from '../src/reference/reference.js';
import { neuralCollate } from '../src/collate/neural-collate.js';
import { Rng } from '../src/util/random.js';
import { ManualDataset } from '../test/helpers/fixtures.js';
import { full } from '../src/tensor.js';

const heap = WasmHeap.create({ shared: false });
setDefaultHeap(heap);
const now = () => performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Shape { name: string; B: number; N: number; R: number; T: [number, number]; F: number }

function buildBatch(sh: Shape, rng: Rng) {
  const items = Array.from({ length: sh.B }, () => {
    const T = sh.T[0] + rng.int(sh.T[1] - sh.T[0] + 1);
    const stim = HeapTensor.allocate([1, sh.F, T], heap);
    stim.data.fill(0.5);
    const responses = Array.from({ length: sh.N }, () => {
      const r = HeapTensor.allocate([sh.R, T], heap);
      r.data.fill(1);
      r.nanState = NaNState.Clean;
      return r;
    });
    return { stims: stim, responses, validMask: { dtype: 'bool' as const, shape: [sh.N], data: new Uint8Array(sh.N).fill(1) }, stimMeta: {} };
  });
  return items;
}

function bench(sh: Shape, reps: number) {
  const rng = new Rng(1);
  const items = buildBatch(sh, rng);
  const B = sh.B, N = sh.N, R = sh.R, tMax = Math.max(...items.map((i) => i.stims.shape[2]));
  const cells = B * N;
  const respN = cells * R * tMax;
  const stimN = B * sh.F * tMax;
  const bytes = 4 * respN + respN + 4 * stimN;
  // descriptors + outputs in their own allocation (the kernel is what is timed)
  const desc = heap.alloc(16 * cells), sdesc = heap.alloc(8 * B);
  const out = heap.alloc(4 * respN, 64), mask = heap.alloc(respN, 64), sout = heap.alloc(4 * stimN, 64);
  const d = heap.u32(desc, 4 * cells);
  let k = 0;
  items.forEach((it, b) => {
    heap.u32(sdesc, 2 * B).set([it.stims.ptr, it.stims.shape[2]], 2 * b);
    for (const r of it.responses) d.set([r.ptr, r.shape[0], r.shape[1], 1], 4 * k++);
  });
  const src = new Uint8Array(bytes).fill(1), dst = new Uint8Array(bytes);
  const kern = () => {
    heap.kernels.collateCells(desc, cells, R, tMax, out, mask);
    heap.kernels.padRows(sdesc, B, sh.F, tMax, sout);
  };
  const ref = () => {
    collateCellsRef(heap.buffer, desc, cells, R, tMax, out, mask);
    padRowsRef(heap.buffer, sdesc, B, sh.F, tMax, sout);
  };
  const copy = () => dst.set(src);
  const e2e = () => neuralCollate(items);
  let prev = neuralCollate(items);
  const e2eReuse = () => { prev = neuralCollate(items, { reuse: prev }); };
  const time = (f: () => unknown) => { const t = now(); f(); return now() - t; };
  for (let i = 0; i < 2; i++) { kern(); copy(); e2e(); } // warm up
  const tk: number[] = [], tc: number[] = [], te: number[] = [], tu: number[] = [];
  for (let i = 0; i < reps; i++) { tc.push(time(copy)); tk.push(time(kern)); te.push(time(e2e)); tu.push(time(e2eReuse)); }
  const tr = [time(ref)];
  const mb = bytes / 1e6;
  const rate = (ms: number) => `${(mb / ms).toFixed(2)} GB/s`;
  console.log(`${sh.name}: B ${B}, N ${N}, R ${R}, T ≤ ${tMax}, F ${sh.F} → ${(mb).toFixed(1)} MB per batch`);
  console.log(`  memcpy (TypedArray.set)   ${median(tc).toFixed(2)} ms  ${rate(median(tc))}`);
  console.log(`  wasm kernels              ${median(tk).toFixed(2)} ms  ${rate(median(tk))}   kernel / memcpy = ${(median(tc) / median(tk)).toFixed(2)}`);
  console.log(`  TS reference              ${tr[0].toFixed(2)} ms  ${rate(tr[0])}   wasm / TS ref = ${(tr[0] / median(tk)).toFixed(1)}×`);
  console.log(`  neuralCollate, fresh out  ${median(te).toFixed(2)} ms  ${rate(median(te))}   e2e / memcpy = ${(median(tc) / median(te)).toFixed(2)}`);
  console.log(`  neuralCollate, reuse out  ${median(tu).toFixed(2)} ms  ${rate(median(tu))}   e2e / memcpy = ${(median(tc) / median(tu)).toFixed(2)}`);
  const fresh = new Uint8Array(bytes);
  const tf = time(() => fresh.set(src));
  console.log(`  (first touch of fresh memory here: memcpy into a new buffer ${tf.toFixed(1)} ms = ${(tf / median(tc)).toFixed(0)}× a warm memcpy)`);
}

function masksCache() {
  const S = 200, N = 100;
  const cell = full('float32', [2, 50], 1);
  const ds = new ManualDataset({
    stims: Array.from({ length: S }, () => full('float32', [1, 1, 50], 0)),
    responses: Array.from({ length: S }, () => Array.from({ length: N }, () => cell)),
    stimMeta: Array.from({ length: S }, () => ({})), nrnMeta: Array.from({ length: N }, () => ({})),
  });
  const t0 = now();
  ds.invalidateNrnMasks();
  void ds.nrnMasks;
  const recompute = now() - t0;
  const t1 = now();
  for (let i = 0; i < 100; i++) void ds.nrnMasks;
  const cached = (now() - t1) / 100;
  console.log(`nrnMasks S ${S} × N ${N}: recompute ${recompute.toFixed(3)} ms, cached read ${(cached * 1000).toFixed(3)} µs → cached is ${(recompute / cached).toFixed(0)}× faster (reference asks ≥ 100×)`);
}

bench({ name: 'NS1 shape', B: 8, N: 73, R: 20, T: [999, 999], F: 34 }, 15);
bench({ name: 'large shape', B: 16, N: 100, R: 20, T: [2500, 5000], F: 64 }, 5);
masksCache();

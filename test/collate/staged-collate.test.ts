// neuralCollate against a plain-TypeScript reference collate written here, element by element
// from the definition (docs/contract.md: stimuli zero-padded on their last axis, responses
// NaN-padded to R_max × T_max, mask = not NaN), on random ragged batches whose cells come from a
// shared wasm heap (read through the staged kernels, src/collate/staged-collate.ts), a second
// shared heap, a plain heap and plain arrays, mixed. Sources start at either word of an 8-byte pair and outputs at every
// offset mod 8, so that every alignment of source and target occurs. Compared bit for bit.
// Runs in Node and Chromium (a cross-origin-isolated page: shared memory).
import { describe, expect, it } from 'vitest';
import { DisposedError, HeapExhaustedError, ShapeError, neuralCollate, type Tensor } from '../../src/index.js';
import type { DatasetItem } from '../../src/contract/types.js';
import { WasmHeap } from '../../src/memory/heap.js';
import { HeapTensor, NaNState } from '../../src/memory/heap-tensor.js';
import { STAGE_BYTES } from '../../src/collate/staged-collate.js';
import { platform } from '#platform';
import { Rng } from '../../src/util/random.js';

const shared = WasmHeap.create({ shared: true });
const otherShared = WasmHeap.create({ shared: true }); // a second shared heap in the same batch
const plainHeap = WasmHeap.create({ shared: false });
const NAN_BITS = 0x7fc00000; // the canonical float32 NaN: the padding
const ODD_NANS = [0x7fa00001, 0xffc00000, 0x7f800001]; // payload, negative and signalling NaNs: copied as they are

type Where = 'shared' | 'sharedUnknown' | 'otherShared' | 'plainHeap' | 'plain';

/** Heap blocks a trial took (freed after it). */
const taken: Array<[WasmHeap, number]> = [];
const take = (heap: WasmHeap, bytes: number) => {
  const at = heap.alloc(bytes);
  taken.push([heap, at]);
  return at;
};
const giveBack = () => {
  for (const [heap, at] of taken.splice(0)) heap.free(at);
};

/** A float32 tensor of `shape` holding `bits`, stored as `where` says; shared ones start at `shift` (0 or 4) past an 8-aligned address. */
function make(bits: Uint32Array, shape: number[], where: Where, shift: number): Tensor {
  if (where === 'plain') return { dtype: 'float32', shape, data: new Float32Array(bits.buffer.slice(0)) };
  const heap = where === 'plainHeap' ? plainHeap : where === 'otherShared' ? otherShared : shared;
  const ptr = take(heap, 4 * bits.length + 8) + shift; // alloc is 16-aligned
  heap.u32(ptr, bits.length).set(bits);
  const hasNaN = Array.from(new Float32Array(bits.buffer)).some((v) => Number.isNaN(v));
  const state = where === 'sharedUnknown' ? NaNState.Unknown : hasNaN ? NaNState.HasNaN : NaNState.Clean;
  return new HeapTensor(heap, ptr, shape, state);
}

function randomBits(rng: Rng, n: number, nanRate: number): Uint32Array {
  const bits = new Uint32Array(n);
  const f = new Float32Array(bits.buffer);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    if (u < nanRate / 2) f[i] = NaN;
    else if (u < nanRate) bits[i] = ODD_NANS[rng.int(ODD_NANS.length)];
    else f[i] = Math.round(rng.normal() * 1000) / 8;
  }
  return bits;
}

interface Case {
  items: DatasetItem[];
  /** Source bits of each item's stimulus and cells, in order. */
  stimBits: Uint32Array[];
  cellBits: Uint32Array[][];
}

/** The batch by definition, as bits (responses, stimuli) and bytes (mask). */
function reference(c: Case) {
  const { items } = c;
  const B = items.length;
  const N = items[0].responses.length;
  const stimShape = items[0].stims.shape;
  const rows = stimShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const tStim = Math.max(...items.map((it) => it.stims.shape[stimShape.length - 1]));
  const cells = items.flatMap((it) => it.responses);
  const rMax = Math.max(0, ...cells.map((t) => t.shape[0]));
  const tMax = Math.max(0, ...cells.map((t) => t.shape[1]));
  const stims = new Uint32Array(B * rows * tStim); // zero padding
  items.forEach((it, b) => {
    const T = it.stims.shape[stimShape.length - 1];
    for (let r = 0; r < rows; r++) for (let t = 0; t < T; t++) stims[(b * rows + r) * tStim + t] = c.stimBits[b][r * T + t];
  });
  const responses = new Uint32Array(B * N * rMax * tMax).fill(NAN_BITS);
  items.forEach((it, b) =>
    it.responses.forEach((cell, n) => {
      const [R, T] = cell.shape;
      for (let r = 0; r < R; r++) for (let t = 0; t < T; t++) responses[((b * N + n) * rMax + r) * tMax + t] = c.cellBits[b][n][r * T + t];
    }),
  );
  const asFloat = new Float32Array(responses.buffer);
  const mask = Uint8Array.from(asFloat, (v) => (Number.isNaN(v) ? 0 : 1));
  return { stims, responses, mask, shape: [B, N, rMax, tMax], stimShape: [B, ...stimShape.slice(0, -1), tStim] };
}

/** A random batch: odd and even R, T, T_max and stimulus lengths; NaN-free and NaN-holding cells; sources mixed. */
function randomCase(rng: Rng, opts: { wheres: Where[]; big?: boolean }): Case {
  const B = 1 + rng.int(opts.big ? 2 : 4);
  const N = 1 + rng.int(opts.big ? 2 : 4);
  const F = opts.big ? 5 + rng.int(4) : 1 + rng.int(3);
  const waveform = !opts.big && rng.next() < 0.2;
  const pick = () => opts.wheres[rng.int(opts.wheres.length)];
  const stimBits: Uint32Array[] = [];
  const cellBits: Uint32Array[][] = [];
  const items: DatasetItem[] = [];
  for (let b = 0; b < B; b++) {
    const T = (opts.big ? 17000 : 1) + rng.int(opts.big ? 500 : 40);
    const rowsN = waveform ? 1 : F;
    const sb = randomBits(rng, rowsN * T, 0);
    stimBits.push(sb);
    const shape = waveform ? [1, T] : [1, F, T];
    const stims = make(sb, shape, pick(), 4 * rng.int(2));
    const responses: Tensor[] = [];
    const cb: Uint32Array[] = [];
    for (let n = 0; n < N; n++) {
      const sentinel = !opts.big && rng.next() < 0.1;
      const R = sentinel ? 1 : opts.big ? 1 + rng.int(7) : rng.int(7); // R 0 occurs: an empty cell
      const Tc = sentinel ? 1 : opts.big ? 17000 + rng.int(500) : rng.int(31); // T 0 occurs too
      const bits = sentinel ? new Uint32Array([NAN_BITS]) : randomBits(rng, R * Tc, rng.next() < 0.5 ? 0 : 0.1);
      cb.push(bits);
      responses.push(make(bits, [R, Tc], pick(), 4 * rng.int(2)));
    }
    cellBits.push(cb);
    items.push({ stims, responses, stimMeta: { b }, validMask: { dtype: 'bool', shape: [N], data: new Uint8Array(N).fill(1) } });
  }
  return { items, stimBits, cellBits };
}

type Output = 'new' | 'plainOffsets' | 'sharedSlot' | 'sharedHeap';

/** `into` arrays at the given output kind, at random offsets mod 8, pre-filled with 0xAB so that an unwritten byte shows. */
function outputs(rng: Rng, kind: Output) {
  if (kind === 'new') return undefined;
  return (respCount: number, stimCount: number) => {
    const ro = 4 * rng.int(4), mo = rng.int(8), so = 4 * rng.int(4);
    if (kind === 'sharedHeap') {
      const a = { responses: shared.f32(take(shared, 4 * respCount + 16) + ro, respCount), validMask: shared.u8(take(shared, respCount + 16) + mo, respCount), stims: shared.f32(take(shared, 4 * stimCount + 16) + so, stimCount) };
      for (const x of [a.responses, a.validMask, a.stims]) new Uint8Array(x.buffer, x.byteOffset, x.byteLength).fill(0xab);
      return a;
    }
    const buf = (n: number) => (kind === 'sharedSlot' ? new SharedArrayBuffer(n + 16) : new ArrayBuffer(n + 16));
    const a = { responses: new Float32Array(buf(4 * respCount), ro, respCount), validMask: new Uint8Array(buf(respCount), mo, respCount), stims: new Float32Array(buf(4 * stimCount), so, stimCount) };
    for (const x of [a.responses, a.validMask, a.stims]) new Uint8Array(x.buffer).fill(0xab);
    return a;
  };
}

function check(c: Case, kind: Output, rng: Rng, label: string) {
  const ref = reference(c);
  const batch = neuralCollate(c.items, { into: outputs(rng, kind) });
  expect(batch.responses.shape, label).toEqual(ref.shape);
  expect(batch.validMask.shape, label).toEqual(ref.shape);
  expect(batch.stims.shape, label).toEqual(ref.stimShape);
  const bits = (a: Float32Array) => new Uint32Array(a.slice().buffer);
  const same = (got: ArrayLike<number>, want: ArrayLike<number>, what: string) => {
    expect(got.length, `${label} ${what} length`).toBe(want.length);
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) expect.fail(`${label}: ${what}[${i}] is ${got[i].toString(16)}, expected ${want[i].toString(16)}`);
  };
  same(bits(batch.responses.data), ref.responses, 'responses bits');
  same(batch.validMask.data.slice(), ref.mask, 'mask');
  same(bits(batch.stims.data), ref.stims, 'stims bits');
  giveBack();
  return ref;
}

describe('neuralCollate equals the reference collate bit for bit, cells in a shared heap (staged) or not', () => {
  it('the shared heap is shared here (Node; cross-origin-isolated Chromium): the staged path runs', () => {
    expect(platform.sharedMemoryAvailable()).toBe(true);
    expect(shared.shared).toBe(true);
  });

  it('600 random ragged batches: every source mixed, new memory, plain and shared arrays at every offset mod 8, the heap', () => {
    const rng = new Rng(17);
    const kinds: Output[] = ['new', 'plainOffsets', 'sharedSlot', 'sharedHeap'];
    const mixes: Where[][] = [['shared'], ['shared', 'sharedUnknown'], ['shared', 'plain', 'plainHeap', 'sharedUnknown', 'otherShared'], ['plain']];
    for (let trial = 0; trial < 600; trial++) {
      const c = randomCase(rng, { wheres: mixes[trial % mixes.length] });
      check(c, kinds[(trial >> 2) % kinds.length], rng, `trial ${trial}`);
    }
  });

  it('cells and stimuli larger than the stage are written in several runs of rows', () => {
    const rng = new Rng(5);
    let cellRuns = 0, stimRuns = 0;
    for (let trial = 0; trial < 6; trial++) {
      const c = randomCase(rng, { wheres: ['shared', 'sharedUnknown'], big: true });
      const ref = check(c, (['new', 'plainOffsets', 'sharedSlot'] as const)[trial % 3], rng, `big trial ${trial}`);
      const [, , rMax, tMax] = ref.shape;
      const [, , F, tStim] = ref.stimShape;
      // Rows per run, as src/collate/staged-collate.ts documents them: responses and mask share the stage, stimuli have it alone.
      if (rMax > Math.floor(STAGE_BYTES / (5 * tMax))) cellRuns++;
      if (F > Math.floor(STAGE_BYTES / (4 * tStim))) stimRuns++;
    }
    expect(cellRuns).toBeGreaterThan(0);
    expect(stimRuns).toBeGreaterThan(0);
  });

  it('a shared heap too full for the stage: its cells are written row by row instead, same batch', () => {
    const full = WasmHeap.create({ shared: true, maxBytes: 1 << 20 });
    const rng = new Rng(3);
    const cellBits = [[randomBits(rng, 3 * 7, 0.2), randomBits(rng, 2 * 5, 0)]];
    const stimBits = [randomBits(rng, 2 * 9, 0)];
    const inFull = (bits: Uint32Array, shape: number[], state: NaNState) => {
      const ptr = full.alloc(4 * bits.length) + 4;
      full.u32(ptr, bits.length).set(bits);
      return new HeapTensor(full, ptr, shape, state);
    };
    const items: DatasetItem[] = [{
      stims: inFull(stimBits[0], [1, 2, 9], NaNState.Clean),
      responses: [inFull(cellBits[0][0], [3, 7], NaNState.HasNaN), inFull(cellBits[0][1], [2, 5], NaNState.Clean)],
      stimMeta: {}, validMask: { dtype: 'bool', shape: [2], data: new Uint8Array([1, 1]) },
    }];
    for (;;) {
      try {
        full.alloc(4096);
      } catch (e) {
        expect(e).toBeInstanceOf(HeapExhaustedError);
        break;
      }
    }
    expect(() => full.scratch(1 << 16)).toThrow(HeapExhaustedError); // no room for a stage
    check({ items, stimBits, cellBits }, 'new', rng, 'full heap');
    check({ items, stimBits, cellBits }, 'plainOffsets', rng, 'full heap, offsets');
  });

  it('bad input keeps its typed errors: a freed shared cell (DisposedError), a 1-D cell and mismatched stimuli (ShapeError)', () => {
    const cell = make(new Uint32Array([0x3f800000, 0x40000000]), [1, 2], 'shared', 4) as HeapTensor;
    const stim = make(new Uint32Array([0, 0, 0]), [1, 1, 3], 'shared', 0);
    const item = (responses: Tensor[], stims: Tensor = stim): DatasetItem => ({ stims, responses, stimMeta: {}, validMask: { dtype: 'bool', shape: [1], data: new Uint8Array([1]) } });
    expect(Array.from(neuralCollate([item([cell])]).responses.data)).toEqual([1, 2]);
    cell.markFreed('freed by the test');
    expect(() => neuralCollate([item([cell])])).toThrow(DisposedError);
    expect(() => neuralCollate([item([cell])])).toThrow(/given back to the wasm heap: freed by the test/);
    const flat = make(new Uint32Array([0, 0]), [2], 'shared', 0);
    expect(() => neuralCollate([item([flat])])).toThrow(ShapeError);
    expect(() => neuralCollate([item([flat])])).toThrow(/item 0 response 0 must be a 2-D \(R, T\) tensor, got shape \[2\]/);
    const other = make(new Uint32Array(4), [1, 2, 2], 'shared', 4);
    const ok = make(new Uint32Array([0x3f800000]), [1, 1], 'shared', 0);
    expect(() => neuralCollate([item([ok]), item([ok], other)])).toThrow(/item 1 stims axis 1 has size 2, item 0 has 1; only the last \(time\) axis may differ/);
  });
});

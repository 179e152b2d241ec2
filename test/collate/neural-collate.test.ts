// neuralCollate and fillMissingData (docs/contract.md): values checked by hand.
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, fillMissingData, full, neuralCollate, tensor, type Tensor } from '../../src/index.js';
import { ManualDataset, nan11, ones } from '../helpers/fixtures.js';
import type { HeapTensor } from '../../src/memory/heap-tensor.js';

const item = (stim: Tensor, responses: Tensor[], name: string, extra: Record<string, unknown> = {}) => ({
  stims: stim, responses, stimMeta: { name }, validMask: full('bool', [responses.length], 1), ...extra,
});

describe('neuralCollate', () => {
  it('pads stimuli with zeros and responses with NaN; R and T sized independently; mask = !isNaN', () => {
    const s0 = tensor('float32', [1, 2, 3], [1, 2, 3, 4, 5, 6]);
    const s1 = tensor('float32', [1, 2, 1], [7, 8]);
    const r00 = tensor('float32', [2, 2], [1, 2, 3, 4]);
    const r10 = tensor('float32', [1, 4], [5, NaN, 7, 8]); // NaN inside real data
    const batch = neuralCollate([item(s0, [r00, nan11()], 'a', { behav: 1 }), item(s1, [r10, ones([3, 1], 9)], 'b', { behav: 2 })]);
    expect(Object.keys(batch)).toEqual(['stims', 'responses', 'validMask', 'stimMeta', 'behav']);
    expect(batch.stims.shape).toEqual([2, 1, 2, 3]);
    expect(Array.from(batch.stims.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 0, 0, 8, 0, 0]);
    expect(batch.responses.shape).toEqual([2, 2, 3, 4]);
    const N = NaN;
    const expected = [
      // b0 n0: (2, 2) in the corner
      1, 2, N, N, 3, 4, N, N, N, N, N, N,
      // b0 n1: sentinel → all NaN
      N, N, N, N, N, N, N, N, N, N, N, N,
      // b1 n0: (1, 4) with a NaN inside
      5, N, 7, 8, N, N, N, N, N, N, N, N,
      // b1 n1: (3, 1) of 9
      9, N, N, N, 9, N, N, N, 9, N, N, N,
    ];
    expect(Array.from(batch.responses.data)).toEqual(expected);
    expect(Array.from(batch.validMask.data)).toEqual(expected.map((v) => (Number.isNaN(v) ? 0 : 1)));
    expect(batch.validMask.dtype).toBe('bool');
    expect(batch.stimMeta.map((m) => m.name)).toEqual(['a', 'b']);
    expect(batch.behav).toEqual([1, 2]);
  });

  it('waveform items: (B, 1, T_audio_max) stimuli, response time axis independent of it', () => {
    const w0 = tensor('float32', [1, 6], [1, 2, 3, 4, 5, 6]);
    const w1 = tensor('float32', [1, 4], [1, 1, 1, 1]);
    const b = neuralCollate([item(w0, [ones([2, 3])], 'x'), item(w1, [ones([1, 2])], 'y')]);
    expect(b.stims.shape).toEqual([2, 1, 6]);
    expect(Array.from(b.stims.data)).toEqual([1, 2, 3, 4, 5, 6, 1, 1, 1, 1, 0, 0]);
    expect(b.responses.shape).toEqual([2, 1, 2, 3]);
  });

  it('reads packed cells in place and gives the same batch as for plain copies of them', () => {
    const plain = [0, 1, 2].map((s) => ({
      stim: tensor('float32', [1, 3, 4 + s], Array.from({ length: 3 * (4 + s) }, (_, i) => i * (s + 1))),
      resp: [tensor('float32', [2 + s, 4 + s], Array.from({ length: (2 + s) * (4 + s) }, (_, i) => (i % 5 === 3 ? NaN : i + s))), ones([1, 3 + s], s), nan11()],
    }));
    const ds = new ManualDataset({
      stims: plain.map((p) => p.stim), responses: plain.map((p) => p.resp), stimMeta: plain.map((_, s) => ({ s })), nrnMeta: [{}, {}, {}],
    });
    const packed = neuralCollate([0, 1, 2].map((i) => ds.get(i)));
    const copies = neuralCollate(plain.map((p, s) => item(
      tensor('float32', p.stim.shape, Float32Array.from(ds.stims[s].data)),
      ds.responses[s].map((r) => tensor('float32', r.shape, Float32Array.from(r.data))), `${s}`,
    )));
    expect(new Uint8Array(packed.responses.data.buffer)).toEqual(new Uint8Array(copies.responses.data.buffer));
    expect(packed.validMask.data).toEqual(copies.validMask.data);
    expect(packed.stims.data).toEqual(copies.stims.data);
    // Into arrays of the store's own shared heap (a loader's heap slot): the wasm kernels write them, same bytes.
    const heap = (ds.stims[0] as HeapTensor).heap;
    if (heap.shared) {
      const n = copies.responses.data.length, m = copies.stims.data.length;
      const at = heap.alloc(5 * n + 4 * m + 64);
      const inHeap = neuralCollate([0, 1, 2].map((i) => ds.get(i)), {
        into: (rn, sn) => ({ responses: heap.f32(at, rn), validMask: heap.u8(at + 4 * rn, rn), stims: heap.f32(at + 4 * Math.ceil((5 * rn) / 4), sn) }),
      });
      expect(inHeap.responses.data.buffer).toBe(heap.buffer);
      expect(new Uint8Array(inHeap.responses.data.slice().buffer)).toEqual(new Uint8Array(copies.responses.data.buffer));
      expect(inHeap.validMask.data.slice()).toEqual(copies.validMask.data);
      expect(inHeap.stims.data.slice()).toEqual(copies.stims.data);
      heap.free(at);
    }
  });

  it('outputs own their buffers (transferable, not views of wasm memory)', () => {
    const b = neuralCollate([item(ones([1, 1, 2]), [ones([1, 2])], 'a')]);
    expect(b.responses.data.byteOffset).toBe(0);
    expect(b.responses.data.buffer.byteLength).toBe(8);
    expect(b.validMask.data.buffer.byteLength).toBe(2);
  });

  it('reuse: writes into a previous batch\'s buffers when they are large enough', () => {
    const big = neuralCollate([item(ones([1, 2, 4], 3), [ones([2, 4], 5)], 'a')]);
    const buf = big.responses.data.buffer;
    const small = neuralCollate([item(ones([1, 2, 2], 1), [ones([1, 3], 7)], 'b')], { reuse: big });
    expect(small.responses.data.buffer).toBe(buf);
    expect(Array.from(small.responses.data)).toEqual([7, 7, 7]);
    expect(Array.from(small.stims.data)).toEqual([1, 1, 1, 1]);
    const bigger = neuralCollate([item(ones([1, 2, 9]), [ones([3, 9])], 'c')], { reuse: small });
    expect(bigger.responses.data.buffer).not.toBe(buf);
    expect(bigger.responses.data.length).toBe(27);
  });

  it('every output byte is written: memory holding old bytes (a recycled batch filled with 0xAB) gives the hand-made batch', () => {
    const stale = (n: number) => new Uint8Array(n).fill(0xab).buffer;
    const old = {
      stims: { dtype: 'float32' as const, shape: [], data: new Float32Array(stale(4 * 64)) },
      responses: { dtype: 'float32' as const, shape: [], data: new Float32Array(stale(4 * 64)) },
      validMask: { dtype: 'bool' as const, shape: [], data: new Uint8Array(stale(64)) },
      stimMeta: [],
    };
    // Two items: T 2 and 3 (stimuli padded with 0 on the last axis); a packed (2, 1) cell (clean:
    // its mask is not read from the data) and a plain (1, 3) cell with a NaN inside; R_max 2, T_max 3.
    const packed = new ManualDataset({ stims: [tensor('float32', [1, 2, 2], [1, 2, 3, 4])], responses: [[tensor('float32', [2, 1], [1, 2])]], stimMeta: [{}], nrnMeta: [{}] });
    const plain = item(tensor('float32', [1, 2, 3], [5, 6, 7, 8, 9, 10]), [tensor('float32', [1, 3], [3, NaN, 4])], 'p');
    const b = neuralCollate([packed.get(0), plain], { reuse: old });
    expect(b.responses.data.buffer).toBe(old.responses.data.buffer);
    const N = NaN;
    expect(Array.from(b.stims.data)).toEqual([1, 2, 0, 3, 4, 0, 5, 6, 7, 8, 9, 10]);
    expect(Array.from(b.responses.data)).toEqual([1, N, N, 2, N, N, 3, N, 4, N, N, N]);
    expect(Array.from(b.validMask.data)).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0]);
  });

  it('bad input: typed errors naming the item and axis', () => {
    expect(() => neuralCollate([])).toThrow(ValueError);
    expect(() => neuralCollate([item(ones([1, 2, 3]), [ones([1, 3])], 'a'), item(ones([1, 3, 3]), [ones([1, 3])], 'b')])).toThrow(
      /item 1 stims axis 1 has size 3, item 0 has 2; only the last \(time\) axis may differ/,
    );
    expect(() => neuralCollate([item(ones([1, 2, 3]), [ones([1, 3])], 'a'), item(ones([1, 2, 3]), [], 'b')])).toThrow(ShapeError);
    expect(() => neuralCollate([item(ones([1, 2, 3]), [ones([3])], 'a')])).toThrow(/item 0 response 0 must be a 2-D \(R, T\) tensor, got shape \[3\]/);
  });
});

describe('fillMissingData', () => {
  it('pads along several axes with a value and stacks', () => {
    const a = tensor('int32', [2, 1], [1, 2]);
    const b = tensor('int32', [1, 3], [3, 4, 5]);
    const out = fillMissingData([a, b], [0, -1], -1);
    expect(out.shape).toEqual([2, 2, 3]);
    expect(out.dtype).toBe('int32');
    expect(Array.from(out.data)).toEqual([1, -1, -1, 2, -1, -1, 3, 4, 5, -1, -1, -1]);
  });

  it('errors: empty, non-tensor, axis out of range, rank, dtype, unpadded axis', () => {
    const t = ones([2, 3]);
    expect(() => fillMissingData([], -1)).toThrow(ValueError);
    expect(() => fillMissingData([t, [1, 2] as unknown as Tensor], -1)).toThrow(TypeError);
    expect(() => fillMissingData([t], 2)).toThrow(RangeError);
    expect(() => fillMissingData([t, ones([2, 3, 1])], -1)).toThrow(/tensor 1 has 3 axes, tensor 0 has 2/);
    expect(() => fillMissingData([t, tensor('float64', [2, 3])], -1)).toThrow(/dtype float64/);
    expect(() => fillMissingData([t, ones([3, 3])], -1)).toThrow(/tensor 1 axis 0 has size 3, tensor 0 has 2 \(axis 0 is not padded\)/);
  });

  it('duplicate and negative axes normalise to the same result', () => {
    const a = ones([2, 2]), b = ones([1, 3]);
    expect(fillMissingData([a, b], [1, -1, 0, -2]).data).toEqual(fillMissingData([a, b], [0, 1]).data);
  });
});

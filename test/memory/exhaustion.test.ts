// Exhaustion end to end: with a small heap as this thread's default, datasets are built until
// the heap is full; the failure is a HeapExhaustedError naming asked/held/limit, and once
// datasets are disposed the next build succeeds and the others keep working. Node and Chromium.
import { describe, expect, it } from 'vitest';
import { HeapExhaustedError, SyntheticDataset, WasmHeap } from '../../src/index.js';
import { setDefaultHeap } from '../../src/memory/heap.js';

describe('HeapExhaustedError, and working again after dispose()', () => {
  it('fills an 8 MiB heap with datasets, fails typed, frees two, builds again', () => {
    const heap = WasmHeap.create({ maxBytes: 8 * 2 ** 20 });
    setDefaultHeap(heap); // this file's thread only (vitest isolates test files)
    const build = (seed: number) => new SyntheticDataset({ seed, nNeurons: 16, nStims: 16, nBands: 8, bins: [400, 400] });
    const kept: SyntheticDataset[] = [];
    let err: unknown;
    let heldBefore = 0;
    try {
      for (let i = 0; i < 100; i++) {
        heldBefore = heap.stats().held;
        kept.push(build(i));
      }
    } catch (e) {
      err = e;
    }
    expect(heap.stats().held).toBe(heldBefore); // the failed build gave back the cells it had made
    expect(kept.length).toBeGreaterThan(1);
    expect(err).toBeInstanceOf(HeapExhaustedError);
    const e = err as HeapExhaustedError;
    expect(e.limit).toBe(8 * 2 ** 20);
    expect(e.requested).toBeGreaterThan(0);
    expect(e.held + e.requested).toBeGreaterThan(e.limit - 2 ** 20); // it failed because the heap was (nearly) full
    expect(e.message).toMatch(/^deepstrf wasm heap exhausted: asked for \d+ bytes \([\d.]+ MiB\) while \d+ bytes \([\d.]+ MiB\) are held, limit 8388608 bytes \(8\.0 MiB\)/);
    const held = heap.stats().held;
    kept.pop()?.dispose();
    kept.pop()?.dispose();
    expect(heap.stats().held).toBeLessThan(held);
    const again = build(1000);
    expect(again.length).toBe(16);
    expect(kept[0].get(0).responses.length).toBe(16); // the others still work
    for (const d of [...kept, again]) d.dispose();
  });
});

// Chromium, page WITHOUT cross-origin isolation (the browser-noniso project): no shared memory,
// so each worker gets one structured copy of the store; batches must not change.
import { describe, expect, it } from 'vitest';
import { DataLoader, HeapTensor, SyntheticDataset } from '../../../src/index.js';

const bytes = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

describe('DataLoader in a page without cross-origin isolation', () => {
  it('falls back to copying the store; batches equal numWorkers 0, transform included', async () => {
    expect(globalThis.crossOriginIsolated).toBe(false);
    const ds = new SyntheticDataset({ seed: 4, nNeurons: 6, nStims: 9, bins: [20, 40] });
    expect((ds.stims[0] as HeapTensor).heap.shared).toBe(false);
    const transform = { url: new URL('../../loader/fixtures/scale-transform.ts', import.meta.url), options: { factor: 3 } };
    const run = async (numWorkers: number) => {
      const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 3, numWorkers, transform });
      const out: unknown[] = [];
      for await (const b of loader) out.push([bytes(b.stims.data), bytes(b.responses.data), bytes(b.validMask.data), b.tag]);
      await loader.close();
      return { out, transport: loader.stats.transport };
    };
    const local = await run(0);
    const workers = await run(2);
    expect(workers.transport).toBe('copy');
    expect(workers.out).toEqual(local.out);
  });

  it("transport 'shared' is refused with a message naming the missing isolation", async () => {
    const ds = new SyntheticDataset({ seed: 4, nNeurons: 3, nStims: 4, bins: [20, 30] });
    const loader = new DataLoader(ds, { batchSize: 2, numWorkers: 1, transport: 'shared' });
    await expect((async () => { for await (const _ of loader) { /* */ } })()).rejects.toThrow(/not cross-origin isolated/);
  });
});

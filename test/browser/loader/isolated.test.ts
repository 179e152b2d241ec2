// Chromium, cross-origin-isolated page: the workers attach to the dataset's shared wasm memory.
import { describe, expect, it } from 'vitest';
import { DataLoader, HeapTensor, SyntheticDataset } from '../../../src/index.js';

const bytes = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

describe('DataLoader in a cross-origin-isolated page', () => {
  it('workers read the store through shared memory; batches equal numWorkers 0', async () => {
    expect(globalThis.crossOriginIsolated).toBe(true);
    const ds = new SyntheticDataset({ seed: 4, nNeurons: 6, nStims: 9, bins: [20, 40] });
    expect((ds.stims[0] as HeapTensor).heap.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const run = async (numWorkers: number) => {
      const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 3, numWorkers });
      const out: number[][] = [];
      for await (const b of loader) out.push([...bytes(b.stims.data), ...bytes(b.responses.data), ...bytes(b.validMask.data)]);
      await loader.close();
      return { out, transport: loader.stats.transport };
    };
    const local = await run(0);
    const workers = await run(2);
    expect(workers.transport).toBe('shared');
    expect(workers.out).toEqual(local.out);
  });
});

// The allocator under contention: the main thread and three worker threads allocate and free
// in one shared memory at the same time. No block is handed out twice (each thread tags its
// blocks and finds its tags intact), every allocation comes back zeroed, the heap's invariants
// hold afterwards, and freeOwners gives back what the ended workers left.
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { WasmHeap } from '../../../src/memory/heap.js';
import { importableModuleUrl } from '../../../src/platform/node-worker.js';
import { Rng } from '../../../src/util/random.js';

describe('WasmHeap shared by threads', () => {
  it('main + 3 workers, 20 000 random steps each: no overlap, zeroed, invariants hold, owners freed', { timeout: 120_000 }, async () => {
    const heap = WasmHeap.create({ shared: true });
    const base = heap.stats().held;
    const url = new URL(await importableModuleUrl(new URL('./fixtures/alloc-worker.ts', import.meta.url).href));
    const workers = [1, 2, 3].map((seed) => new Worker(url, { workerData: { memory: heap.memory, header: heap.header, seed, steps: 20_000 } }));
    const reports = workers.map(
      (w) => new Promise<{ owner: number; left: number; damaged: number }>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      }),
    );
    // The main thread works meanwhile.
    const rng = new Rng(99);
    const live: Array<{ ptr: number; bytes: number; tag: number }> = [];
    let damaged = 0;
    for (let i = 0; i < 20_000; i++) {
      if (live.length > 0 && rng.next() < 0.5) {
        const [l] = live.splice(rng.int(live.length), 1);
        if (heap.u8(l.ptr, l.bytes).some((v) => v !== l.tag)) damaged++;
        heap.free(l.ptr);
      } else {
        const bytes = 1 + rng.int(3000);
        const ptr = heap.alloc(bytes);
        if (heap.u8(ptr, bytes).some((v) => v !== 0)) damaged++;
        const tag = 1 + rng.int(250);
        heap.u8(ptr, bytes).fill(tag);
        live.push({ ptr, bytes, tag });
      }
      if (i % 2000 === 0) await new Promise((r) => setImmediate(r)); // let the workers' messages in
    }
    const done = await Promise.all(reports);
    await Promise.all(workers.map((w) => w.terminate()));
    expect(done.map((d) => d.damaged)).toEqual([0, 0, 0]);
    expect(damaged).toBe(0);
    for (const l of live) expect(heap.u8(l.ptr, l.bytes).every((v) => v === l.tag)).toBe(true);
    heap.verify();
    expect(done.every((d) => d.left > 0)).toBe(true);
    heap.freeOwners(done.map((d) => d.owner));
    heap.verify();
    for (const l of live) heap.free(l.ptr);
    heap.verify();
    expect(heap.stats().held).toBe(base);
  });
});

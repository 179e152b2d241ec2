// The allocator against a plain model: random alloc/free sequences never hand out overlapping
// or misaligned blocks, always hand out zeroed memory, reuse what was freed (the top never grows
// past the model's live bytes plus bounded overhead) and merge adjacent free blocks.
import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../../src/memory/heap.js';
import { HeapExhaustedError } from '../../src/errors.js';
import { Rng } from '../../src/util/random.js';

interface Live { ptr: number; bytes: number; tag: number }

/** No two live blocks overlap (sorted sweep) and each keeps the bytes written into it. */
function checkLive(heap: WasmHeap, live: Live[]): void {
  const sorted = [...live].sort((a, b) => a.ptr - b.ptr);
  const overlaps = sorted.filter((l, i) => i > 0 && l.ptr < sorted[i - 1].ptr + sorted[i - 1].bytes);
  expect(overlaps).toEqual([]);
  const damaged = live.filter((l) => heap.u8(l.ptr, l.bytes).some((v) => v !== l.tag));
  expect(damaged).toEqual([]);
}

describe('WasmHeap allocator (property tests against a model)', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: 3000 random alloc/free steps — no overlap, aligned, zeroed, held bytes match`, () => {
      const heap = WasmHeap.create({ shared: seed % 2 === 0 });
      const base = heap.stats();
      const rng = new Rng(seed);
      const live: Live[] = [];
      let peakLive = 0;
      for (let step = 0; step < 3000; step++) {
        if (live.length > 0 && rng.next() < 0.45) {
          const [l] = live.splice(rng.int(live.length), 1);
          heap.free(l.ptr);
        } else {
          const bytes = rng.next() < 0.1 ? rng.int(200_000) : rng.int(3000);
          const align = [16, 16, 64, 256][rng.int(4)];
          const ptr = heap.alloc(bytes, align);
          expect(ptr % align).toBe(0);
          const u = heap.u8(ptr, bytes);
          if (u.some((v) => v !== 0)) expect.fail(`step ${step}: block at ${ptr} (${bytes} bytes) is not zero-filled`);
          const tag = 1 + rng.int(250);
          u.fill(tag);
          live.push({ ptr, bytes, tag });
        }
        // Model of held bytes: each block is its size rounded to 16 plus a 16-byte header (min 32);
        // a reused free block 16 bytes larger than asked is handed out whole (too small to split).
        const modelHeld = live.reduce((a, l) => a + Math.max(32, Math.ceil(l.bytes / 16) * 16 + 16), 0);
        const held = heap.stats().held - base.held;
        expect(held).toBeGreaterThanOrEqual(modelHeld);
        expect(held).toBeLessThanOrEqual(modelHeld + 16 * live.length);
        peakLive = Math.max(peakLive, modelHeld);
        if (step % 250 === 0) {
          checkLive(heap, live);
          heap.verify();
        }
      }
      checkLive(heap, live);
      // Reuse: the top is bounded by the peak of live bytes plus fragmentation, not by the total allocated.
      expect(heap.stats().top - base.top).toBeLessThan(3 * peakLive + (1 << 20));
      heap.verify();
      for (const l of live.splice(0)) heap.free(l.ptr);
      heap.verify();
      // Everything freed: held back to the start, the top back to where it was (all merged).
      expect(heap.stats().held).toBe(base.held);
      expect(heap.stats().top).toBe(base.top);
    });
  }

  it('reuses a freed block for a request of the same size (same address)', () => {
    const heap = WasmHeap.create({ shared: false });
    const a = heap.alloc(1000);
    heap.alloc(16); // keeps `a` from merging into the top
    heap.free(a);
    expect(heap.alloc(1000)).toBe(a);
  });

  it('merges adjacent free blocks on both sides into one', () => {
    const heap = WasmHeap.create({ shared: false });
    const [a, b, c] = [heap.alloc(4000), heap.alloc(4000), heap.alloc(4000)];
    heap.alloc(16); // a guard after c
    const top = heap.stats().top;
    heap.free(a);
    heap.free(c);
    heap.free(b); // b joins a (before) and c (after)
    // 3 × (4000 + 16) bytes in one block: 12048 bytes of payload fit without moving the top.
    const big = heap.alloc(3 * 4016 - 16);
    expect(big).toBe(a);
    expect(heap.stats().top).toBe(top);
  });

  it('a freed block that ends at the top gives its memory back to the top', () => {
    const heap = WasmHeap.create({ shared: false });
    const top0 = heap.stats().top;
    const a = heap.alloc(100_000);
    expect(heap.stats().top).toBe(top0 + 100_016);
    heap.free(a);
    expect(heap.stats().top).toBe(top0);
  });

  it('freed memory comes back zeroed', () => {
    const heap = WasmHeap.create({ shared: false });
    const a = heap.alloc(256);
    heap.alloc(16);
    heap.u8(a, 256).fill(7);
    heap.free(a);
    const b = heap.alloc(256);
    expect(b).toBe(a);
    expect(Array.from(heap.u8(b, 256)).every((v) => v === 0)).toBe(true);
  });

  it('free of an address that is not a live block throws RangeError and changes nothing', () => {
    const heap = WasmHeap.create({ shared: false });
    const a = heap.alloc(64);
    heap.alloc(16);
    const held = heap.stats().held;
    expect(() => heap.free(a + 16)).toThrow(RangeError);
    expect(() => heap.free(a + 16)).toThrow(/free\(\d+\): not the address of a block in use/);
    heap.free(a);
    expect(() => heap.free(a)).toThrow(/freed twice/);
    expect(heap.stats().held).toBe(held - 80); // 64 bytes + the 16-byte header
  });

  it('verify() notices a damaged block header and a damaged free list', () => {
    const heap = WasmHeap.create({ shared: false });
    const a = heap.alloc(100);
    const b = heap.alloc(100);
    heap.alloc(100);
    heap.verify();
    heap.free(b); // a free block between two in use
    heap.verify();
    heap.u32(b - 16 + 12, 1)[0] = 12345; // its back link
    expect(() => heap.verify()).toThrow(/wasm heap corrupt: free block at \d+: back link 12345/);
    heap.u32(b - 16 + 12, 1)[0] = 0;
    heap.u32(a - 16, 1)[0] = 64 | 1 | 2; // a's size says 64 instead of 128: the tiling breaks
    expect(() => heap.verify()).toThrow(/wasm heap corrupt/);
  });

  it('exhaustion is a HeapExhaustedError naming asked, held and limit; freeing makes room again', () => {
    const heap = WasmHeap.create({ shared: false, maxBytes: 4 * 2 ** 20 });
    const blocks: number[] = [];
    let err: unknown;
    try {
      for (;;) blocks.push(heap.alloc(2 ** 20 - 16));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HeapExhaustedError);
    const e = err as HeapExhaustedError;
    expect(e.requested).toBe(2 ** 20); // 1 MiB − 16 of payload + the 16-byte header
    expect(e.held).toBe(blocks.length * 2 ** 20);
    expect(e.limit).toBe(4 * 2 ** 20);
    expect(e.message).toContain(`asked for ${2 ** 20} bytes`);
    expect(e.message).toContain(`${e.held} bytes (${(e.held / 2 ** 20).toFixed(1)} MiB) are held`);
    expect(e.message).toContain(`limit ${4 * 2 ** 20} bytes`);
    const held = heap.stats().held;
    for (const p of blocks.splice(0)) heap.free(p);
    expect(heap.stats().held).toBe(held - e.held);
    // Usable again: the same allocations succeed.
    expect(() => heap.alloc(2 ** 20 - 16)).not.toThrow();
  });

  it('scope(): a throw frees what the scope allocated; success keeps it; static allocations stay', () => {
    const heap = WasmHeap.create({ shared: false });
    const held0 = heap.stats().held;
    let kept = 0;
    expect(() =>
      heap.scope(() => {
        heap.alloc(5000);
        kept = heap.allocStatic(100);
        heap.scope(() => heap.alloc(300)); // an inner scope that succeeds belongs to the outer one
        throw new Error('parse failed');
      }),
    ).toThrow('parse failed');
    expect(heap.stats().held).toBe(held0 + 128); // only the static block (100 → 112 + 16)
    heap.free(kept);
    const p = heap.scope(() => heap.alloc(5000));
    expect(heap.stats().held).toBe(held0 + 5024);
    heap.free(p);
  });

  it('freeOwners(): another thread frees the blocks of an owner that ended', () => {
    const parent = WasmHeap.create({ shared: true });
    const held0 = parent.stats().held;
    const worker = WasmHeap.attach(parent.memory, true, parent.header);
    expect(worker.owner).not.toBe(parent.owner);
    const mine = parent.alloc(1000);
    worker.alloc(4000);
    worker.scratch(70_000);
    expect(parent.freeOwners([worker.owner])).toBe(4016 + 70_016); // (4000 + 16) and (70 000 + 16)
    expect(parent.stats().held).toBe(held0 + 1024);
    parent.free(mine);
  });
});

// The loader's prefetch rule for lazy datasets (src/loader/lazy-cells.ts): batches are requested
// in order, at least `depth` ahead and further while the bytes requested and not taken stay within
// `prefetchBytes`; every pin taken is released.
import { describe, expect, it } from 'vitest';
import { CellPrefetch, type LazyCells } from '../../src/loader/lazy-cells.js';

/** A lazy dataset whose every stimulus weighs `stimBytes`; fetches resolve when `settle()` runs. */
function fakeLazy(stimBytes: number, prefetchBytes: number) {
  const requested: number[][] = [];
  const waiting: Array<() => void> = [];
  let pinned = 0;
  const lazy: LazyCells = {
    prefetchBytes,
    cellBytes: (stims) => stims.length * stimBytes,
    acquireCells: (stims) => {
      requested.push([...stims]);
      pinned++;
      return new Promise((ok) => waiting.push(() => ok(() => void pinned--)));
    },
    workerShare: () => {
      throw new TypeError('the prefetch rule runs in the calling thread');
    },
  };
  const settle = async () => {
    while (waiting.length) waiting.shift()!();
    await new Promise((go) => setTimeout(go, 0));
  };
  return { lazy, requested, settle, pinned: () => pinned };
}

// Batch k holds stimuli [2k, 2k + 1]: 2 × 100 bytes.
const stimsOf = (k: number) => [2 * k, 2 * k + 1];

describe('CellPrefetch', () => {
  it('with no byte budget, requests batch k and the next depth − 1 batches at take(k)', async () => {
    const f = fakeLazy(100, 0);
    using ahead = new CellPrefetch(f.lazy, 10, stimsOf, [0], 3);
    const first = ahead.take(0);
    await f.settle();
    (await first)();
    // batch 0 (to build now) and the 3 after it
    expect(f.requested).toEqual([[0, 1], [2, 3], [4, 5], [6, 7]]);
  });

  it('with a byte budget, requests ahead while the bytes not taken fit; taking a batch frees its bytes', async () => {
    const f = fakeLazy(100, 1000); // 5 batches of 200 bytes fit ahead
    using ahead = new CellPrefetch(f.lazy, 20, stimsOf, [0], 1);
    const first = ahead.take(0);
    // batch 0 (not counted) + batches 1..5 (1000 bytes)
    expect(f.requested.length).toBe(6);
    await f.settle();
    (await first)();
    expect(f.requested.length).toBe(6); // nothing taken since: the window did not move
    const second = ahead.take(1); // batch 1 leaves the window: 200 bytes free → batch 6
    expect(f.requested.map((s) => s[0] / 2)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await f.settle();
    (await second)();
  });

  it('yields a turn of the event loop before returning a batch that was already fetched (answers that arrived meanwhile are read first)', async () => {
    const f = fakeLazy(100, 0);
    using ahead = new CellPrefetch(f.lazy, 4, stimsOf, [0], 2);
    const first = ahead.take(0);
    await f.settle();
    (await first)();
    await f.settle(); // batch 1 is fetched: take(1) needs no I/O
    let answered = false;
    const task = typeof setImmediate === 'function' ? setImmediate : (go: () => void) => setTimeout(go, 0);
    task(() => (answered = true)); // an answer waiting in the event loop's queue
    (await ahead.take(1))();
    expect(answered).toBe(true);
  });

  it('releases every pin: taken and released, fetched ahead and never taken (the epoch ended early)', async () => {
    const f = fakeLazy(100, 1e9);
    {
      using ahead = new CellPrefetch(f.lazy, 8, stimsOf, [0], 2);
      const first = ahead.take(0);
      await f.settle();
      const release = await first;
      expect(f.requested.length).toBe(8); // the whole epoch fits the budget
      expect(f.pinned()).toBe(8);
      release();
      expect(f.pinned()).toBe(7);
      const held = ahead.take(1); // taken, never released: disposal releases it
      await f.settle();
      await held;
    }
    await f.settle();
    expect(f.pinned()).toBe(0);
  });
});

// The platform module resolves per environment, and the heap uses shared memory exactly where
// the platform allows it (Node; cross-origin-isolated pages).
import { describe, expect, it } from 'vitest';
import { platform } from '#platform';
import { defaultHeap } from '../src/memory/heap.js';

describe('platform', () => {
  it('is the Node implementation under Node and the browser one in Chromium', () => {
    const inBrowser = typeof window !== 'undefined';
    expect(platform.name).toBe(inBrowser ? 'browser' : 'node');
  });

  it('decodes base64 like the other platform would', () => {
    expect(Array.from(platform.decodeBase64('AAEC/w=='))).toEqual([0, 1, 2, 255]);
  });

  it('allocUninitialized: an unshared ArrayBuffer of exactly the size asked, its own (byteOffset 0), writable', () => {
    const a = platform.allocUninitialized(1000);
    const b = platform.allocUninitialized(1000);
    expect(a).toBeInstanceOf(ArrayBuffer);
    expect(a.byteLength).toBe(1000);
    expect(a).not.toBe(b);
    new Uint8Array(a).fill(7);
    new Uint8Array(b).fill(3); // separate memory: writing one leaves the other
    expect(new Uint8Array(a).every((v) => v === 7)).toBe(true);
    expect(platform.allocUninitialized(0).byteLength).toBe(0);
  });

  it('places the heap in shared memory when available', () => {
    const heap = defaultHeap();
    const isolated = typeof window === 'undefined' || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    expect(heap.shared).toBe(isolated);
    expect(heap.memory.buffer instanceof SharedArrayBuffer).toBe(isolated);
  });
});

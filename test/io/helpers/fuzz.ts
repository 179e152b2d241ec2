/** Seeded mutation fuzzing helpers shared by the binary readers' fuzz tests. */
import { expect } from 'vitest';
import { platform } from '#platform';
import { FormatError, Rng } from '../../../src/index.js';

/**
 * Iteration counts are scaled down in Chromium: under the test driver (DevTools protocol attached)
 * every Error construction and typed-array allocation there costs ~0.5 ms, 50-100x Node's, so the
 * same counts would take minutes. The seeds and mutation streams are the same.
 */
export const FUZZ_SCALE = platform.name === 'browser' ? 0.25 : 1;
export const iterations = (n: number): number => Math.round(n * FUZZ_SCALE);

const INTERESTING_U32 = [0, 1, 2, 4, 5, 6, 7, 8, 9, 14, 15, 16, 0x7f, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff8, 0xffffffff];

/** One random mutation of `src` (a new array): flips, interesting words, truncation, splices. */
export function mutate(src: Uint8Array, rng: Rng, protectPrefix = 0): Uint8Array {
  const kind = rng.int(6);
  const b = src.slice();
  const pos = () => protectPrefix + rng.int(Math.max(1, b.length - protectPrefix));
  switch (kind) {
    case 0: {
      const n = 1 + rng.int(8);
      for (let i = 0; i < n && b.length > protectPrefix; i++) b[pos()] ^= 1 << rng.int(8);
      return b;
    }
    case 1: {
      const n = 1 + rng.int(3);
      for (let i = 0; i < n; i++) {
        const p = pos() & ~3;
        if (p + 4 > b.length) continue;
        const v = INTERESTING_U32[rng.int(INTERESTING_U32.length)];
        new DataView(b.buffer).setUint32(p, v, rng.int(2) === 0);
      }
      return b;
    }
    case 2:
      return b.subarray(0, rng.int(b.length + 1));
    case 3: {
      // Delete a chunk.
      const p = pos();
      const p0 = Math.min(p, b.length);
      const n = Math.min(1 + rng.int(16), b.length - p0);
      const out = new Uint8Array(b.length - n);
      out.set(b.subarray(0, p0));
      out.set(b.subarray(p0 + n), p0);
      return out;
    }
    case 4: {
      // Insert random bytes.
      const p = Math.min(pos(), b.length);
      const ins = randomBytes(rng, 1 + rng.int(16));
      const out = new Uint8Array(b.length + ins.length);
      out.set(b.subarray(0, p));
      out.set(ins, p);
      out.set(b.subarray(p), p + ins.length);
      return out;
    }
    default: {
      const p = Math.min(pos(), b.length);
      const n = Math.min(b.length - p, 1 + rng.int(64));
      b.set(randomBytes(rng, n), p);
      return b;
    }
  }
}

export function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.u32() & 0xff;
  return out;
}

/**
 * Calls `read` on `input`: it must return or throw a `FormatError`, and come back quickly.
 * Returns the outcome and the elapsed milliseconds.
 */
export function expectOnlyFormatError(read: (b: Uint8Array) => unknown, input: Uint8Array, label: string): { ok: boolean; ms: number } {
  const t0 = performance.now();
  try {
    read(input);
    return { ok: true, ms: performance.now() - t0 };
  } catch (e) {
    if (!(e instanceof FormatError)) {
      expect.fail(`${label}: threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message} (input of ${input.length} bytes)`);
    }
    return { ok: false, ms: performance.now() - t0 };
  }
}

/** Hang guard: far above any legitimate parse time of these small inputs. */
export const MAX_CALL_MS = 2000;

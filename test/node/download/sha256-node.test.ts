// The TypeScript SHA-256 against node:crypto on random data of many lengths and chunkings.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Sha256 } from '../../../src/download/sha256.js';
import { Rng } from '../../../src/util/random.js';

describe('Sha256 vs node:crypto', () => {
  it('agrees on 300 random inputs (0..5000 bytes, random chunkings)', () => {
    const rng = new Rng(2024);
    for (let k = 0; k < 300; k++) {
      const n = k < 130 ? k : rng.int(5000);
      const data = new Uint8Array(n);
      for (let i = 0; i < n; i++) data[i] = rng.int(256);
      const h = new Sha256();
      for (let off = 0; off < n; ) {
        const m = Math.min(n - off, 1 + rng.int(200));
        h.update(data.subarray(off, off + m));
        off += m;
      }
      expect(h.hex(), `length ${n}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});

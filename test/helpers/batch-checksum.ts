// A 32-bit checksum of a batch's bytes (stims, responses, validMask; FNV-1a over 32-bit words,
// the tail bytewise) and its stimMeta (as JSON), to compare batches made in different processes
// without sending them. Not cryptographic: equal batches give equal sums, and one changed word
// changes the sum (each step is a bijection of the state for a fixed input word).
import type { Batch } from '../../src/index.js';

const PRIME = 0x01000193;

function mix(h: number, bytes: Uint8Array): number {
  const words = bytes.byteLength >>> 2;
  const aligned = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, words) : new Uint32Array(bytes.slice(0, words * 4).buffer);
  for (let i = 0; i < words; i++) h = Math.imul(h ^ aligned[i], PRIME);
  for (let i = words * 4; i < bytes.byteLength; i++) h = Math.imul(h ^ bytes[i], PRIME);
  return Math.imul(h ^ bytes.byteLength, PRIME);
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Checksum of one batch (unsigned 32-bit). */
export function batchChecksum(batch: Batch): number {
  let h = 0x811c9dc5;
  for (const t of [batch.stims, batch.responses, batch.validMask]) {
    h = mix(h, bytesOf(Int32Array.from(t.shape)));
    h = mix(h, bytesOf(t.data));
  }
  h = mix(h, new TextEncoder().encode(JSON.stringify(batch.stimMeta)));
  return h >>> 0;
}

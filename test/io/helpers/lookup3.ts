/**
 * Bob Jenkins' lookup3 hash (`hashlittle`, byte by byte), the checksum of HDF5 metadata
 * (`H5_checksum_lookup3`), for test files written by hand.
 */
const rot = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export function lookup3(k: Uint8Array, initval = 0): number {
  let a = (0xdeadbeef + k.length + initval) | 0;
  let b = a;
  let c = a;
  let o = 0;
  let n = k.length;
  const word = (at: number) => k[at] | (k[at + 1] << 8) | (k[at + 2] << 16) | (k[at + 3] << 24);
  while (n > 12) {
    a = (a + word(o)) | 0;
    b = (b + word(o + 4)) | 0;
    c = (c + word(o + 8)) | 0;
    a = (a - c) | 0; a ^= rot(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rot(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 4); b = (b + a) | 0;
    n -= 12;
    o += 12;
  }
  if (n === 0) return c >>> 0;
  // The last 1..12 bytes, little-endian into a, b, c (missing bytes count as 0).
  const tail = new Uint8Array(12);
  tail.set(k.subarray(o, o + n));
  const t = (at: number) => tail[at] | (tail[at + 1] << 8) | (tail[at + 2] << 16) | (tail[at + 3] << 24);
  a = (a + t(0)) | 0;
  b = (b + t(4)) | 0;
  c = (c + t(8)) | 0;
  c ^= b; c = (c - rot(b, 14)) | 0;
  a ^= c; a = (a - rot(c, 11)) | 0;
  b ^= a; b = (b - rot(a, 25)) | 0;
  c ^= b; c = (c - rot(b, 16)) | 0;
  a ^= c; a = (a - rot(c, 4)) | 0;
  b ^= a; b = (b - rot(a, 14)) | 0;
  c ^= b; c = (c - rot(b, 24)) | 0;
  return c >>> 0;
}

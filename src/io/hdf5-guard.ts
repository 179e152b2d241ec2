/**
 * Checks of HDF5 bytes made before the HDF5 library (h5wasm) sees them, for structures on which
 * the library would loop forever instead of failing. The library runs synchronously inside
 * WebAssembly: such a loop cannot be interrupted (the page or process hangs), so these files are
 * refused here with a `FormatError` naming the byte at fault.
 *
 * Global heap collections (signature `GCOL`: where variable-length strings and sequences live).
 * When a value points into a collection, the library walks the collection's objects from its
 * header to its end, each object a header (index u16, reference count u16, 4 reserved bytes, size
 * in "size of lengths" bytes) then its data: an object of index > 0 steps by header + size rounded
 * up to 8, the free-space object (index 0) by its size alone. Sizes are held in wasm32's 32-bit
 * `size_t`, so only their low 32 bits count. A step of 0 (a free-space object of size 0, or an
 * object whose rounded size plus header wraps to 0) never advances: the library spins forever.
 * A step past the collection's end moves the library's pointer out of the collection (a huge
 * step wraps it backwards). In a well-formed collection every step is positive and the objects
 * tile it exactly, so both are refused. The check walks every `GCOL` found in the bytes, version 1,
 * lying wholly inside the file (one that does not is an error the library reports itself).
 * @module
 */
import { FormatError } from '../errors.js';

const GCOL = [0x47, 0x43, 0x4f, 0x4c];
/** The only global heap collection version (the library refuses others with an error). */
const GCOL_VERSION = 1;
const U32 = 2 ** 32;

/**
 * Refuses HDF5 bytes that would make the HDF5 library loop forever (see the module notes);
 * returns quietly otherwise, including for files the library itself rejects with an error.
 * @param bytes the whole file
 * @param signatureAt offset of the superblock signature (`hdf5SignatureOffset`)
 * @param file named in the error
 * @throws FormatError naming the collection and the byte of the object that would not advance
 * @example
 * ```ts
 * checkHdf5Termination(bytes, hdf5SignatureOffset(bytes), 'units.h5'); // before h5wasm opens it
 * ```
 */
export function checkHdf5Termination(bytes: Uint8Array, signatureAt: number, file: string): void {
  const version = bytes[signatureAt + 8];
  // "Size of lengths": byte 14 of a version 0/1 superblock, byte 10 of a version 2/3 one.
  const lengthSize = version === undefined || version > 3 ? undefined : bytes[signatureAt + (version >= 2 ? 10 : 14)];
  if (!lengthSize) return; // the library refuses the superblock itself
  for (let at = bytes.indexOf(GCOL[0]); at >= 0; at = bytes.indexOf(GCOL[0], at + 1)) {
    if (bytes[at + 1] === GCOL[1] && bytes[at + 2] === GCOL[2] && bytes[at + 3] === GCOL[3] && bytes[at + 4] === GCOL_VERSION) {
      checkGlobalHeap(bytes, at, lengthSize, file);
    }
  }
}

/** Walks the collection at `at` the way the library does (module notes). */
function checkGlobalHeap(bytes: Uint8Array, at: number, lengthSize: number, file: string): void {
  const headerSize = 8 + lengthSize; // signature, version, 3 reserved bytes, collection size
  if (at + headerSize > bytes.length) return;
  const end = at + low32(bytes, at + 8, lengthSize);
  if (end > bytes.length) return; // the library cannot read it: an error, not a loop
  const objectHeaderSize = 8 + lengthSize;
  for (let p = at + headerSize; p < end; ) {
    if (p + objectHeaderSize > end) return; // a tail too short for an object header is free space
    const index = bytes[p] | (bytes[p + 1] << 8);
    const size = low32(bytes, p + 8, lengthSize);
    const step = index === 0 ? size : (objectHeaderSize + roundUp8(size)) % U32;
    if (step === 0 || p + step > end) {
      const what = step === 0 ? 'which never advances the walk: the HDF5 library would loop forever on it' : `past the collection's end at byte ${end}`;
      throw new FormatError(file, `global heap collection at byte ${at}: object ${index} declares a size of ${sizeText(bytes, p + 8, lengthSize)}, ${what}`, p);
    }
    p += step;
  }
}

/** The low 32 bits of the little-endian length of `n` bytes at `p` (what a 32-bit `size_t` keeps). */
function low32(bytes: Uint8Array, p: number, n: number): number {
  let v = 0;
  for (let i = Math.min(n, 4) - 1; i >= 0; i--) v = v * 256 + bytes[p + i];
  return v;
}

/** `n` rounded up to a multiple of 8 in 32-bit arithmetic (wrapping, as the library's `size_t`). */
const roundUp8 = (n: number): number => ((n + 7) & ~7) >>> 0;

/** The stored length as written (decimal), noting the 32-bit value the library uses when it differs. */
function sizeText(bytes: Uint8Array, p: number, n: number): string {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[p + i]);
  const kept = low32(bytes, p, n);
  return BigInt(kept) === v ? `${v} bytes` : `${v} bytes (${kept} in the library's 32-bit size_t)`;
}

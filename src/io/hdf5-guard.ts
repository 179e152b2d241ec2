/**
 * Checks of HDF5 bytes made before the HDF5 library (h5wasm) sees them, for structures on which
 * the library would loop forever (or until its memory runs out) instead of failing. The library
 * runs synchronously inside WebAssembly: such a loop cannot be interrupted (the page or process
 * hangs), so these files are refused here with a `FormatError` naming the byte at fault. Sizes
 * are read as the library holds them: in wasm32's 32-bit `size_t`, only their low 32 bits count.
 *
 * Global heap collections (signature `GCOL`: where variable-length strings and sequences live).
 * When a value points into a collection, the library walks the collection's objects from its
 * header to its end, each object a header (index u16, reference count u16, 4 reserved bytes, size
 * in "size of lengths" bytes; padded to 8 bytes) then its data: an object of index > 0 steps by
 * header + size rounded up to 8, the free-space object (index 0) by its size alone. A step of 0
 * (a free-space object of size 0, or an object whose rounded size plus header wraps to 0) never
 * advances: the library spins forever. A step past the collection's end moves the library's pointer out of the
 * collection (a huge step wraps it backwards). In a well-formed collection every step is positive
 * and the objects tile it exactly, so both are refused.
 *
 * Local heaps (signature `HEAP`: the names of a symbol-table group's members, as MATLAB and h5py
 * write groups). When it loads a heap, the library follows its free list (offsets into the data
 * segment, each free block starting with the offset of the next, `1` ending the list) and
 * allocates a record per block: a list that comes back to a block it has visited never ends, and
 * the library grows its memory until it runs out. A well-formed list visits each block once.
 *
 * Every signature found in the bytes is checked (any place may be pointed at), when its version
 * is the one the library reads and it lies inside the file (otherwise the library fails with an
 * error of its own). Raw data that happens to hold such a signature followed by a structure that
 * would loop is refused too, a price paid for never hanging. The signatures are found by
 * `platform.indexOfBytes` (Node: a native search, ~85 ms on 200 MB; `npm run bench -- hdf5-guard`).
 * @module
 */
import { platform } from '#platform';
import { FormatError } from '../errors.js';

/** `GCOL`, version 1 (the only global heap collection version). */
const GCOL = new Uint8Array([0x47, 0x43, 0x4f, 0x4c, 1]);
/** `HEAP`, version 0 (the only local heap version). */
const HEAP = new Uint8Array([0x48, 0x45, 0x41, 0x50, 0]);
/** The free-list offset that ends a local heap's free list (`H5HL_FREE_NULL`). */
const FREE_NULL = 1;
const U32 = 2 ** 32;

/** The superblock's address sizes (bytes) and the base every file address is relative to. */
interface Layout {
  readonly offsetSize: number;
  readonly lengthSize: number;
  /** The library takes the superblock's position as the base address. */
  readonly base: number;
}

/**
 * Refuses HDF5 bytes that would make the HDF5 library loop forever (see the module notes);
 * returns quietly otherwise, including for files the library itself rejects with an error.
 * @param bytes the whole file
 * @param signatureAt offset of the superblock signature (`hdf5SignatureOffset`)
 * @param file named in the error
 * @throws FormatError naming the structure and the byte at fault
 * @example
 * ```ts
 * checkHdf5Termination(bytes, hdf5SignatureOffset(bytes), 'units.h5'); // before h5wasm opens it
 * ```
 */
export function checkHdf5Termination(bytes: Uint8Array, signatureAt: number, file: string): void {
  const version = bytes[signatureAt + 8];
  if (version === undefined || version > 3) return; // the library refuses the superblock itself
  // Sizes of offsets and lengths: bytes 13 and 14 of a version 0/1 superblock, 9 and 10 of a version 2/3 one.
  const sizes = signatureAt + (version >= 2 ? 9 : 13);
  const layout: Layout = { offsetSize: bytes[sizes] ?? 0, lengthSize: bytes[sizes + 1] ?? 0, base: signatureAt };
  if (!layout.offsetSize || !layout.lengthSize) return;
  forEachSignature(bytes, GCOL, (at) => checkGlobalHeap(bytes, at, layout, file));
  forEachSignature(bytes, HEAP, (at) => checkLocalHeap(bytes, at, layout, file));
}

function forEachSignature(bytes: Uint8Array, sig: Uint8Array, visit: (at: number) => void): void {
  for (let at = platform.indexOfBytes(bytes, sig, 0); at >= 0; at = platform.indexOfBytes(bytes, sig, at + 1)) visit(at);
}

/** Walks the global heap collection at `at` the way the library does (module notes). */
function checkGlobalHeap(bytes: Uint8Array, at: number, { lengthSize }: Layout, file: string): void {
  // Signature, version, 3 reserved bytes, collection size; the library pads both headers to 8 bytes.
  const headerSize = roundUp8(8 + lengthSize);
  if (at + headerSize > bytes.length) return;
  const end = at + low32(bytes, at + 8, lengthSize);
  if (end > bytes.length) return; // the library cannot read it: an error, not a loop
  const objectHeaderSize = roundUp8(8 + lengthSize); // index, reference count, 4 reserved bytes, size
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

/** Follows the free list of the local heap at `at` the way the library does (module notes). */
function checkLocalHeap(bytes: Uint8Array, at: number, { offsetSize, lengthSize, base }: Layout, file: string): void {
  // Signature, version, 3 reserved bytes, data segment size, free list head, data segment address.
  const dataAddressAt = at + 8 + 2 * lengthSize;
  if (dataAddressAt + offsetSize > bytes.length) return;
  const dataSize = low32(bytes, at + 8, lengthSize);
  const data = base + low32(bytes, dataAddressAt, offsetSize);
  if (offsetSize > 4 && !highBytesZero(bytes, dataAddressAt, offsetSize)) return; // beyond any file
  if (data + dataSize > bytes.length) return;
  const visited = new Set<number>();
  for (let block = low32(bytes, at + 8 + lengthSize, lengthSize); block !== FREE_NULL; ) {
    // The library's own errors: a block outside the segment, a list pointing at offset 0.
    if (block >= dataSize || block === 0 || block + 2 * lengthSize > dataSize) return;
    if (visited.has(block)) {
      throw new FormatError(file, `local heap at byte ${at}: its free list comes back to the block at offset ${block} of the data segment (byte ${data + block}), so it never ends: the HDF5 library would loop until its memory runs out`, data + block);
    }
    visited.add(block);
    block = low32(bytes, data + block, lengthSize);
  }
}

/** The low 32 bits of the little-endian number of `n` bytes at `p` (what a 32-bit `size_t` keeps). */
function low32(bytes: Uint8Array, p: number, n: number): number {
  let v = 0;
  for (let i = Math.min(n, 4) - 1; i >= 0; i--) v = v * 256 + bytes[p + i];
  return v;
}

/** Whether the bytes of the `n`-byte number at `p` above its low 32 bits are all 0. */
function highBytesZero(bytes: Uint8Array, p: number, n: number): boolean {
  for (let i = 4; i < n; i++) if (bytes[p + i] !== 0) return false;
  return true;
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

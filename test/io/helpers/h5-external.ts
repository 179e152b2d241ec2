/**
 * HDF5 files whose dataset `/x` (4 float64) takes its values from another file, for the tests that
 * check readers never read such files: through an External File List (`buildExternalH5`), or as a
 * virtual dataset (`buildVirtualH5`).
 *
 * External File List (object header message 0x0007). h5wasm cannot write an External File List, so `buildH5` writes a contiguous dataset
 * in the file format of the earliest library versions (superblock 0, version 1 object headers, a
 * symbol-table root group with a local heap), with an attribute message of 120 bytes that is then
 * rewritten in place into an External File List message:
 *
 *   version 1, 3 reserved bytes, slots allocated u16, slots used u16, local heap address (8 bytes),
 *   then per slot: name offset in the heap, offset in the external file, size (8 bytes each).
 *
 * The slot's name (the external file's path) goes in the root group's local heap, whose data segment
 * is moved to the end of the file (old names kept, the path appended), and the superblock's end of
 * file address grows to match. The dataset's own contiguous storage (4 × 9.0) stays in the file:
 * a reader that ignores the list reads 9s, one that honours it reads the external file.
 */
import { platform } from '#platform';
import { buildH5, EARLIEST } from './h5-writer.js';
import { lookup3 } from './lookup3.js';

/** The dataset's own raw data, what the file holds at the layout message's address. */
export const OWN_VALUES = [9, 9, 9, 9];

const le64 = (out: Uint8Array, at: number, v: number) => new DataView(out.buffer, out.byteOffset).setBigUint64(at, BigInt(v), true);
const rd64 = (b: Uint8Array, at: number) => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(at, true));

const indexOf = (bytes: Uint8Array, pattern: number[]) => platform.indexOfBytes(bytes, Uint8Array.from(pattern), 0);

/**
 * An HDF5 file whose dataset `/x` reads its 32 bytes from `externalPath` (absolute or relative, as
 * HDF5 takes it), from byte `offset` of that file.
 */
export async function buildExternalH5(externalPath: string, offset = 0): Promise<Uint8Array> {
  const base = await buildH5((f) => {
    const d = f.create_dataset({ name: 'x', data: new Float64Array(OWN_VALUES) });
    d.create_attribute('pad', new Uint8Array(64)); // the message rewritten below
  }, EARLIEST);
  if (base[8] !== 0) throw new Error('h5-external: expected superblock version 0');
  // The root group's local heap: HEAP, version 0, 3 reserved, data size, free list head, data address.
  const heap = indexOf(base, [0x48, 0x45, 0x41, 0x50, 0]);
  // The attribute message: type 0x000C, size 120, flags, 3 reserved; its body names 'pad' at byte 8.
  const name = indexOf(base, [0x70, 0x61, 0x64, 0, 0, 0, 0, 0]);
  const msg = name - 16;
  if (heap < 0 || name < 0 || base[msg] !== 0x0c || base[msg + 2] !== 120) throw new Error('h5-external: unexpected layout of the file h5wasm wrote');
  const oldSize = rd64(base, heap + 8);
  const oldData = rd64(base, heap + 24);
  const path = new TextEncoder().encode(externalPath);
  const newSize = Math.ceil((oldSize + path.length + 1) / 8) * 8;
  const out = new Uint8Array(base.length + newSize);
  out.set(base);
  out.set(base.subarray(oldData, oldData + oldSize), base.length); // the heap's data, moved to the end
  out.set(path, base.length + oldSize); // the path, NUL-terminated (the rest is zeros)
  le64(out, heap + 8, newSize);
  le64(out, heap + 24, base.length);
  le64(out, 40, out.length); // superblock 0: end of file address
  // The External File List message in place of the attribute message.
  out[msg] = 0x07;
  out[msg + 1] = 0;
  const body = msg + 8;
  out.fill(0, body, body + 120);
  out.set([1, 0, 0, 0, 1, 0, 1, 0], body); // version 1, reserved, 1 slot allocated, 1 used
  le64(out, body + 8, heap);
  le64(out, body + 16, oldSize); // the name's offset in the heap
  le64(out, body + 24, offset);
  le64(out, body + 32, 32); // 4 float64
  return out;
}

/** Values of `/y`, the dataset a virtual dataset may map from its own file (source file `'.'`). */
export const SAME_FILE_VALUES = [5, 6, 7, 8];

/** A selection of the whole dataspace as HDF5 serialises it: type 3 (all), version 1, 8 zero bytes. */
const SELECT_ALL = [3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/** Size of the global heap collection written here (the library reads at least 4096 bytes of one). */
const COLLECTION = 4096;

/**
 * An HDF5 file whose dataset `/x` is a virtual dataset mapping all of `sourceDataset` in
 * `sourceFile` (`'.'`: this file) onto all of `/x`; the file also holds `/y` (SAME_FILE_VALUES).
 * `/x` is written as a contiguous dataset whose layout message (24 bytes) is rewritten as a
 * version 4 layout of class 3 (virtual): the address and index of a global heap object that holds
 * the mapping (version 0, number of entries, source file and dataset names NUL-terminated, source
 * and virtual selections, lookup3 checksum). That object lives in a global heap collection
 * appended to the file.
 */
export async function buildVirtualH5(sourceFile: string, sourceDataset = '/x'): Promise<Uint8Array> {
  const base = await buildH5((f) => {
    f.create_dataset({ name: 'x', data: new Float64Array(OWN_VALUES) });
    f.create_dataset({ name: 'y', data: new Float64Array(SAME_FILE_VALUES) });
  }, EARLIEST);
  if (base[8] !== 0 || base.length % 8 !== 0) throw new Error('h5-external: expected superblock version 0');
  // /x's layout message: type 0x0008, size 24, flags 0, reserved; version 3, class 1 (contiguous).
  const layout = indexOf(base, [8, 0, 24, 0, 0, 0, 0, 0, 3, 1]);
  if (layout < 0) throw new Error('h5-external: unexpected layout of the file h5wasm wrote');
  const text = new TextEncoder();
  const block = [0, 1, 0, 0, 0, 0, 0, 0, 0, ...text.encode(sourceFile), 0, ...text.encode(sourceDataset), 0, ...SELECT_ALL, ...SELECT_ALL];
  const sum = lookup3(Uint8Array.from(block));
  block.push(sum & 0xff, (sum >>> 8) & 0xff, (sum >>> 16) & 0xff, sum >>> 24);
  const out = new Uint8Array(base.length + COLLECTION);
  out.set(base);
  const gcol = base.length;
  out.set([0x47, 0x43, 0x4f, 0x4c, 1, 0, 0, 0], gcol); // GCOL, version 1, reserved
  le64(out, gcol + 8, COLLECTION);
  out.set([1, 0, 1, 0], gcol + 16); // object 1, reference count 1, 4 reserved bytes
  le64(out, gcol + 24, block.length);
  out.set(block, gcol + 32);
  const free = gcol + 32 + Math.ceil(block.length / 8) * 8; // object 0: the free space up to the end
  le64(out, free + 8, gcol + COLLECTION - free);
  le64(out, 40, out.length); // superblock 0: end of file address
  out.fill(0, layout + 8, layout + 32);
  out.set([4, 3], layout + 8); // version 4, class 3 (virtual)
  le64(out, layout + 10, gcol);
  out.set([1, 0, 0, 0], layout + 18); // heap object index
  return out;
}

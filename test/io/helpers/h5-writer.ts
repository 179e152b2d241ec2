/**
 * Builds HDF5 files in memory for tests with h5wasm's in-memory (MEMFS) build, in Node and in
 * Chromium alike, and returns their bytes. (The reader under test opens them through `#platform`.)
 */
import * as h5 from 'h5wasm';

let counter = 0;

export type H5 = typeof h5;

/** The file format versions the library may write: h5wasm's default is the latest; `['earliest', 'v108']` gives what MATLAB and h5py write (superblock 0, symbol-table groups with local heaps). */
export type H5Libver = NonNullable<h5.FileOptions['libver']>;

/** What MATLAB and h5py write (superblock 0, symbol-table groups with local heaps). */
export const EARLIEST: H5Libver = ['earliest', 'v108'];

export async function buildH5(build: (file: InstanceType<H5['File']>, lib: H5) => void, libver?: H5Libver): Promise<Uint8Array> {
  const module = await h5.ready;
  const path = `/test-writer-${++counter}.h5`;
  const file = new h5.File(path, 'w', libver ? { libver } : {});
  try {
    build(file, h5);
  } finally {
    file.close();
  }
  const bytes = module.FS.readFile(path) as Uint8Array;
  module.FS.unlink(path);
  return new Uint8Array(bytes);
}

/** Prepends a 512-byte MATLAB 7.3 header (the HDF5 user block MATLAB writes). */
export function asMatV73(hdf5: Uint8Array): Uint8Array {
  const out = new Uint8Array(512 + hdf5.length);
  out.fill(0x20, 0, 116);
  const text = 'MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: test HDF5 schema 1.00 .';
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  out.set([0x00, 0x02, 0x49, 0x4d], 124);
  out.set(hdf5, 512);
  return out;
}

/**
 * Opening an HDF5 file that a platform has just placed at `path` (a temp file in Node, the
 * in-memory file system in browsers): the handle's `close()` closes it and removes the file,
 * and a file h5wasm refuses is removed at once.
 * @module
 */
import type { H5WasmModule, Hdf5Handle } from './types.js';

/**
 * Opens `path` read-only; `cleanup` runs when the handle closes or the open fails.
 * @example
 * ```ts
 * const handle = openHdf5At(h5, '/deepstrf-1.h5', () => fs.unlink('/deepstrf-1.h5'));
 * ```
 */
export function openHdf5At(h5: H5WasmModule, path: string, cleanup: () => void): Hdf5Handle {
  try {
    const file = new h5.File(path, 'r');
    return {
      h5,
      file,
      close: () => {
        try {
          file.close();
        } finally {
          cleanup();
        }
      },
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}

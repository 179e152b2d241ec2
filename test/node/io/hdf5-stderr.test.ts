// The HDF5 library inside h5wasm prints its error stack ("HDF5-DIAG: Error detected in HDF5 …") on
// the C stderr, which the Node build writes straight to file descriptor 2 (fs.writeSync). Reading
// broken files must leave the process's stderr clean (src/platform/h5-handle.ts keeps the text)
// while still failing with FormatError.
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FormatError, readHdf5, Rng } from '../../../src/index.js';
import { buildH5 } from '../../io/helpers/h5-writer.js';
import { mutate } from '../../io/helpers/fuzz.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('HDF5 error stack', () => {
  it('never reaches stderr: broken and mutated files fail with FormatError, fd 2 gets no HDF5-DIAG line', async () => {
    const bytes = await buildH5((f) => {
      f.create_group('g').create_dataset({ name: 'x', data: new Float64Array([1, 2, 3]) });
      f.create_attribute('a', 'text');
    });
    const printed: string[] = [];
    const writeSync = fs.writeSync;
    // Emscripten calls writeSync(fd, HEAP8, offset, length, position): decode only that range.
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: string | Uint8Array, ...rest: number[]) => {
      if (fd === 2) printed.push(typeof data === 'string' ? data : Buffer.from(data.subarray(rest[0] ?? 0, (rest[0] ?? 0) + (rest[1] ?? data.length))).toString());
      return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    }) as typeof fs.writeSync);
    const bad = bytes.slice();
    bad[8] = 7; // superblock version 7 does not exist: H5Fopen fails and HDF5 prints its stack
    const inputs = [bad, bytes.subarray(0, 600)];
    const rng = new Rng(5);
    for (let i = 0; i < 40; i++) inputs.push(mutate(bytes, rng)); // the first 40 of test/io/hdf5.test.ts's fuzz inputs
    let failed = 0;
    for (const input of inputs) {
      try {
        await readHdf5(input, 'broken.h5');
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        failed++;
      }
    }
    expect(failed).toBeGreaterThanOrEqual(2);
    expect(printed.filter((t) => t.includes('HDF5-DIAG'))).toEqual([]);
  });
});

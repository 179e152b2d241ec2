// The HDF5 library inside h5wasm prints its error stack ("HDF5-DIAG: Error detected in HDF5 …") on
// the C stderr of h5wasm's module, which reaches the process's stderr (console.error in h5wasm's
// build, bound when the module loads). Reading broken files must leave the process's stderr clean
// (src/io/h5wasm-file.ts keeps the text) while still failing with FormatError: a child process
// reads them and its real stderr is checked.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./helpers/hdf5-stderr-child.ts', import.meta.url));

describe('HDF5 error stack', () => {
  it('never reaches stderr: broken and mutated files fail with FormatError, stderr gets no HDF5-DIAG line', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(0);
    const { failed, formatErrors } = JSON.parse(run.stdout) as { failed: number; formatErrors: number };
    expect(failed).toBeGreaterThanOrEqual(2);
    expect(formatErrors).toBe(failed);
    expect(run.stderr).not.toContain('HDF5-DIAG');
  });
});

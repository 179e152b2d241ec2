// Run by test/node/io/hdf5-stderr.test.ts in a child process, whose real stderr the test reads:
// reads broken and mutated HDF5 files, prints on stdout how many failed and how many of those were
// FormatErrors, as JSON.
import { FormatError, readHdf5, Rng } from '../../../../src/index.js';
import { buildH5 } from '../../../io/helpers/h5-writer.js';
import { mutate } from '../../../io/helpers/fuzz.js';

const bytes = await buildH5((f) => {
  f.create_group('g').create_dataset({ name: 'x', data: new Float64Array([1, 2, 3]) });
  f.create_attribute('a', 'text');
});
const bad = bytes.slice();
bad[8] = 7; // superblock version 7 does not exist: H5Fopen fails and HDF5 prints its stack
const inputs = [bad, bytes.subarray(0, 600)];
const rng = new Rng(5);
for (let i = 0; i < 40; i++) inputs.push(mutate(bytes, rng)); // the first 40 of test/io/hdf5.test.ts's fuzz inputs
let failed = 0;
let formatErrors = 0;
for (const input of inputs) {
  try {
    await readHdf5(input, 'broken.h5');
  } catch (e) {
    failed++;
    if (e instanceof FormatError) formatErrors++;
  }
}
process.stdout.write(JSON.stringify({ failed, formatErrors }));

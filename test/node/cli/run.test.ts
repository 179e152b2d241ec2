// `deepstrf run synthetic` (the main job behind `npm start`), run in-process.
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { SyntheticDataset } from '../../../src/index.js';
import { findNs1 } from '../../helpers/ns1-data.js';

const ns1 = findNs1('deepstrf run ns1').dir;

async function cli(args: string[]) {
  let out = '', err = '';
  const code = await main(args, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } as never });
  return { code, out, err };
}

describe('deepstrf run synthetic', () => {
  it('--epochs 2 runs the epoch twice', async () => {
    const { code, out } = await cli(['run', 'synthetic', '--batch-size', '8', '--epochs', '2']);
    expect(code).toBe(0);
    expect(out.split('\n').filter((l) => l.startsWith('batch'))).toHaveLength(2 * 3); // ceil(24 / 8) per epoch
    expect(out).toMatch(/^2 epochs 6 batches, 48 items;/m);
  });

  it('collates every batch of one epoch of the selected population and summarises it', async () => {
    const { code, out } = await cli(['run', 'synthetic', '--batch-size', '5', '--seed', '2']);
    expect(code).toBe(0);
    const ds = new SyntheticDataset({ seed: 2 });
    const nA1 = ds.selectPopByNrnAttr('area', 'A1').length;
    const batches = out.split('\n').filter((l) => l.startsWith('batch'));
    expect(batches).toHaveLength(Math.ceil(ds.length / 5));
    expect(batches[0]).toMatch(new RegExp(`responses \\[5, ${nA1}, \\d+, \\d+\\]`));
    expect(out).toMatch(new RegExp(`area = "A1" → ${nA1} of 32 neurons`));
    expect(out).toMatch(/epoch {6}\d+ batches, 24 items; valid fraction \d+\.\d %/);
    expect(out).toContain('in 2 loader worker threads');
    expect(out).toMatch(/\(2 workers, shared store\)/); // the epoch really went through the worker loader
  });

  it('bad options exit 2 with a message', async () => {
    expect((await cli(['run', 'synthetic', '--batch-size', '0'])).err).toMatch(/--batch-size must be a positive integer, got "0"/);
    expect((await cli(['run', 'synthetic', '--batch-size', '0'])).code).toBe(2);
    expect((await cli(['run', 'ns2'])).code).toBe(2);
    expect((await cli(['run', 'synthetic', '--area', 'nowhere'])).code).toBe(1);
    expect((await cli(['run', 'synthetic', '--epochs', '0'])).err).toMatch(/--epochs must be a positive integer, got "0"/);
  });

  it.skipIf(!ns1)('run ns1 --path: one epoch of the real release through the loader', async () => {
    const { code, out, err } = await cli(['run', 'ns1', '--path', ns1!, '--batch-size', '8']);
    expect(err).toBe('');
    expect(code).toBe(0);
    // The single units as the API's singleUnitsOnly defines them (singleT Yes/Maybe, depth >= 0):
    // 73 of the release's 119 (shared/datasets/NS1/README.md).
    expect(out).toMatch(/dataset    NS1Dataset: 73 neurons, 20 stimuli, 5 ms bins/);
    expect(out).toMatch(/selection  every neuron → 73 of 73 neurons, 20 of 20 stimuli iterable/);
    expect(out.split('\n').filter((l) => l.startsWith('batch'))).toHaveLength(3); // ceil(20 / 8)
    expect(out).toMatch(/responses \[8, 73, 20, 999\]/);
  }, 120_000);

  it('run synthetic --path is a usage error; run ns1 on an empty folder fails naming the file', async () => {
    expect((await cli(['run', 'synthetic', '--path', '/tmp'])).code).toBe(2);
    const r = await cli(['run', 'ns1', '--path', '/nonexistent-deepstrf']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/MetadataSHEnCneurons\.mat/);
  });
});

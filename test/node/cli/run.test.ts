// `deepstrf run synthetic` (the main job behind `npm start`), run in-process.
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { SyntheticDataset } from '../../../src/index.js';

async function cli(args: string[]) {
  let out = '', err = '';
  const code = await main(args, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } as never });
  return { code, out, err };
}

describe('deepstrf run synthetic', () => {
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
  });

  it('bad options exit 2 with a message', async () => {
    expect((await cli(['run', 'synthetic', '--batch-size', '0'])).err).toMatch(/--batch-size must be a positive integer, got "0"/);
    expect((await cli(['run', 'synthetic', '--batch-size', '0'])).code).toBe(2);
    expect((await cli(['run', 'ns2'])).code).toBe(2);
    expect((await cli(['run', 'synthetic', '--area', 'nowhere'])).code).toBe(1);
  });
});

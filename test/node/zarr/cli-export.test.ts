// `deepstrf export <dataset> --format zarr --out DIR`, in-process: the store it writes opens as
// the same dataset, progress goes to stderr, a second run resumes (every chunk skipped), and bad
// command lines are usage errors naming the flag.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { SyntheticDataset, ZarrDataset } from '../../../src/index.js';
import { expectSameAs } from '../../helpers/zarr.js';

const dir = mkdtempSync(join(tmpdir(), 'deepstrf-cli-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let out = '', err = '';
  const code = await main(args, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } as never });
  return { code, out, err };
}

describe('deepstrf export', () => {
  it('export synthetic --seed 3 --format zarr --out DIR, then again (resumed: nothing rewritten)', async () => {
    const out = join(dir, 'synth.zarr');
    const first = await cli(['export', 'synthetic', '--seed', '3', '--format', 'zarr', '--out', out]);
    expect(first.err).toMatch(/synthetic → .*synth\.zarr: +100\.0%.* chunk 2\/2/); // plain lines every 10 % (not a TTY)
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^synthetic: 24 stimuli × 32 neurons exported as Zarr v3 → .*synth\.zarr \(2 chunk\(s\) written, 0 already there/);
    const lazy = await ZarrDataset.open(out);
    await expectSameAs(lazy, new SyntheticDataset({ seed: 3 }));
    expect(lazy.provenance).toMatchObject({ dataset: 'synthetic', options: { seed: 3 } });
    const again = await cli(['export', 'synthetic', '--seed', '3', '--out', out, '--quiet']);
    expect(again.code).toBe(0);
    expect(again.err).toBe('');
    expect(again.out).toMatch(/\(0 chunk\(s\) written, 2 already there/);
  });

  it('a different export into the same folder fails naming it; bad flags are usage errors', async () => {
    const out = join(dir, 'other.zarr');
    expect((await cli(['export', 'synthetic', '--out', out, '--quiet'])).code).toBe(0);
    const clash = await cli(['export', 'synthetic', '--seed', '1', '--out', out, '--quiet']);
    expect(clash.code).toBe(1);
    expect(clash.err).toContain(`ValueError: exportZarr: ${out} already holds a different export (SyntheticDataset, 24 × 32); remove it or export elsewhere`);
    const noOut = await cli(['export', 'synthetic']);
    expect([noOut.code, noOut.err]).toEqual([2, expect.stringContaining('export: --out DIR is required')]);
    const fmt = await cli(['export', 'synthetic', '--format', 'hdf5', '--out', out]);
    expect([fmt.code, fmt.err]).toEqual([2, expect.stringContaining('--format must be one of zarr, got "hdf5"')]);
    const lags = await cli(['export', 'synthetic', '--lags', '3', '--out', out]);
    expect([lags.code, lags.err]).toEqual([2, expect.stringContaining('export synthetic: --lags is not accepted: export has no such option')]);
  });
});

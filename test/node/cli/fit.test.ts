// `deepstrf fit` (the main job behind `npm start`), run in-process: the table, the files, the
// flags; and on the real NS1 release when present.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { SyntheticDataset, modelFromJson } from '../../../src/index.js';
import { findNs1 } from '../../helpers/ns1-data.js';

const ns1 = findNs1('deepstrf fit ns1').dir;
const dir = mkdtempSync(join(tmpdir(), 'deepstrf-fit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let out = '', err = '';
  const code = await main(args, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } as never });
  return { code, out, err };
}

describe('deepstrf fit synthetic', () => {
  it('prints a row per A1 neuron with its ground-truth correlation, the medians, and writes report.html and model.json', async () => {
    const out = join(dir, 'syn');
    const r = await cli(['fit', 'synthetic', '--lags', '8', '--out', out]);
    expect(r.code).toBe(0);
    const ds = new SyntheticDataset();
    // SyntheticDataset puts neuron n in PEG when n % 3 === 2, in A1 otherwise.
    const a1 = ds.nrnMeta.map((m, n) => (m.area === 'A1' ? n : -1)).filter((n) => n >= 0);
    expect(a1).toHaveLength(22);
    expect(r.out).toMatch(/^neuron +λ\/\(trC\/D\) +CC +CCnorm +CCmax +SNR +truth r$/m);
    for (const n of a1) expect(r.out).toMatch(new RegExp(`^syn${String(n).padStart(3, '0')} +\\d`, 'm'));
    expect(r.out).not.toMatch(/^syn002 /m); // a PEG neuron
    expect(r.out).toMatch(/^median +\d\.\d{3} +\d\.\d{3}/m);
    expect(r.out).toMatch(/test split: median CC 0\.\d{3}, CCnorm 0\.\d{3} over 22 neurons/);
    expect(r.err).toMatch(/fit: ridge path \+ cross-validation \d+\/\d+/);
    const model = modelFromJson(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model.neurons).toEqual(a1);
    expect(model.lags).toBe(8);
    expect(model.F).toBe(16);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/(src|href)="(?!data:)/); // self-contained
    expect(html.match(/<img src="data:image\/png;base64,/g)?.length).toBe(22 + 1); // STRFs + colour bar
    expect(html).toContain('best: ');
    expect(html).toContain('time (ms)');
  }, 120_000);

  it('bad flags exit 2 naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['fit', 'synthetic', '--lags', '0'], /--lags must be a positive integer, got "0"/],
      [['fit', 'synthetic', '--folds', '1'], /--folds must be an integer ≥ 2, got "1"/],
      [['fit', 'synthetic', '--lambdas', '1,-2'], /--lambdas must be positive numbers separated by commas, got "1,-2"/],
      [['fit', 'synthetic', '--min-snr', 'x'], /--min-snr must be a number, got "x"/],
      [['run', 'synthetic', '--lags', '3'], /run synthetic: --lags is not accepted: run has no such option/],
    ];
    for (const [args, msg] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
    }
  });

  it('--min-snr above every neuron fails with exit 1 and says why', async () => {
    const r = await cli(['fit', 'synthetic', '--min-snr', '1000', '--out', join(dir, 'none')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no neuron to fit \(none has SNR ≥ 1000\)/);
  });

  it.skipIf(!ns1)('fit ns1 --path: the 73 single units on the Rahman split', async () => {
    const r = await cli(['fit', 'ns1', '--path', ns1!, '--out', join(dir, 'ns1')]);
    expect(r.err).not.toMatch(/deepstrf:/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/test split: median CC 0\.\d{3}, CCnorm 0\.\d{3} over 73 neurons/);
    const model = modelFromJson(readFileSync(join(dir, 'ns1', 'model.json'), 'utf8'));
    expect(model.F).toBe(34);
    expect(model.lags).toBe(20);
  }, 300_000);
});

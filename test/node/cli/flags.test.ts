// The command-line parser and the per-dataset flag check, in process; seeded fuzz.
import { describe, expect, it } from 'vitest';
import { UsageError, checkFlags, parseCommandLine } from '../../../src/cli/flags.js';
import { getDataset, listDatasets } from '../../../src/zoo/catalog.js';
import { Rng } from '../../../src/util/random.js';

const all = listDatasets();
const parse = (argv: string[]) => parseCommandLine(argv, all);

describe('parseCommandLine', () => {
  it('splits command, dataset and flags in both spellings', () => {
    const l = parse(['run', 'synthetic', '--seed=2', '--batch-size', '4', '--json']);
    expect([l.command, l.dataset]).toEqual(['run', 'synthetic']);
    expect([...l.flags]).toEqual([['seed', '2'], ['batch-size', '4'], ['json', true]]);
    expect(parse(['info', '--', '--odd-name']).dataset).toBe('--odd-name');
  });

  it('unknown flags, missing values, values on switches and extra arguments are usage errors', () => {
    expect(() => parse(['run', 'synthetic', '--bogus'])).toThrow(new UsageError('unknown option --bogus'));
    expect(() => parse(['run', 'synthetic', '--seed'])).toThrow(new UsageError('--seed needs a value'));
    expect(() => parse(['run', 'synthetic', '--seed', '--json'])).toThrow(new UsageError('--seed needs a value'));
    expect(() => parse(['info', 'ns1', '--json=yes'])).toThrow(new UsageError('--json takes no value'));
    expect(() => parse(['info', 'ns1', 'extra'])).toThrow(new UsageError('unexpected argument "extra"'));
  });
});

describe('checkFlags', () => {
  it('types common flags and maps dataset flags to their options', () => {
    const c = checkFlags(parse(['run', 'synthetic', '--seed', '7', '--area', 'PEG', '--epochs', '3']), 'run', getDataset('synthetic'));
    expect(c.options).toEqual({ seed: 7, area: 'PEG' });
    expect(c.common.get('epochs')).toBe(3);
    const d = checkFlags(parse(['download', 'ns1', '--no-spectrogram', '--quiet']), 'download', getDataset('ns1'));
    expect(d.options).toEqual({ minimal: true });
    expect(d.common.get('quiet')).toBe(true);
  });

  it('integers are checked: positive where a count is meant, non-negative for seeds', () => {
    const s = getDataset('synthetic');
    expect(() => checkFlags(parse(['run', 'synthetic', '--batch-size', '0']), 'run', s)).toThrow('--batch-size must be a positive integer, got "0"');
    expect(() => checkFlags(parse(['run', 'synthetic', '--seed', '-1']), 'run', s)).toThrow('--seed must be a non-negative integer, got "-1"');
    expect(() => checkFlags(parse(['run', 'synthetic', '--seed', '1.5']), 'run', s)).toThrow('--seed must be a non-negative integer, got "1.5"');
    expect(checkFlags(parse(['run', 'synthetic', '--seed', '0']), 'run', s).options).toEqual({ seed: 0 });
  });

  it('a flag of another dataset or another command is named in the error', () => {
    expect(() => checkFlags(parse(['run', 'ns1', '--area', 'PEG']), 'run', getDataset('ns1'))).toThrow('run ns1: --area is not accepted: it does not apply to ns1');
    expect(() => checkFlags(parse(['info', 'synthetic', '--area', 'PEG']), 'info', getDataset('synthetic'))).toThrow('info synthetic: --area is not accepted: info has no such option');
    expect(() => checkFlags(parse(['download', 'synthetic', '--mirror', 'http://x/']), 'download', getDataset('synthetic'))).toThrow('download synthetic: --mirror is not accepted: synthetic is generated in memory');
  });

  it('fuzz: 3000 seeded command lines give a result or a UsageError, nothing else', () => {
    const rng = new Rng(12345);
    const names = ['--path', '--seed', '--area', '--json', '--verify', '--mirror', '--quiet', '--batch-size', '--epochs', '--no-spectrogram', '--help', '--version', '--bogus', '--'];
    const words = ['run', 'info', 'download', 'synthetic', 'ns1', 'NS1', '', '0', '-1', '3', '1e3', 'x=y', '=', '--seed=', '--seed=5', '--json=1', 'é', '/tmp'];
    for (let k = 0; k < 3000; k++) {
      const argv = Array.from({ length: rng.int(7) }, () => (rng.next() < 0.5 ? names[rng.int(names.length)] : words[rng.int(words.length)]));
      try {
        const line = parse(argv);
        const entry = all.find((e) => e.name === line.dataset.toLowerCase());
        if (entry && (line.command === 'run' || line.command === 'info' || line.command === 'download')) checkFlags(line, line.command, entry);
      } catch (e) {
        expect(e, JSON.stringify(argv)).toBeInstanceOf(UsageError);
      }
    }
  });
});

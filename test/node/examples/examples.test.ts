// Every example in examples/ runs as a user runs it: against a fresh `node scripts/build.mjs`
// (dist/), as a child process, with the data where the README says it is. NS1 examples skip
// with a printed reason when the release is absent (findNs1; under CI=true absence fails).
// The built `deepstrf` command is checked here too, since this file builds dist/.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNs1 } from '../../helpers/ns1-data.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const ns1 = findNs1('examples that read NS1').dir;

/** What each example must print (a line of it), and whether it needs the NS1 release. */
const EXPECTED: Record<string, { line: RegExp; ns1?: true }> = {
  // SyntheticDataset defaults: 32 neurons, 24 stimuli.
  '00-quickstart.mjs': { line: /^SyntheticDataset\(nNeurons=32, selected=32, nStims=24, dtMs=5\)$/m },
  // 24 stimuli, round(24 · 0.25) = 6 val, 18 est; rank 0 of 2 reads ceil(18 / 2) = 9.
  '01-loader.mjs': { line: /^rank 0 of 2 reads 9 of 18 items: /m },
  // The Rahman test split has 4 sounds; 20 repeats of 999 bins each.
  '02-ns1-quality.mjs': { line: /^responses 4 × \d+ × 20 × 999$/m, ns1: true },
};

const examples = readdirSync(join(repo, 'examples')).filter((f) => f.endsWith('.mjs')).sort();

function runNode(script: string, args: string[] = []): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [script, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', fail);
    p.on('close', (code) => done({ code, out, err }));
  });
}

describe('examples/', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, stdio: 'pipe' });
  }, 600_000);

  it('every example has an expectation here', () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.filter((f) => !(f in EXPECTED))).toEqual([]);
  });

  for (const file of examples) {
    const want = EXPECTED[file];
    it.skipIf(want?.ns1 && !ns1)(`${file} exits 0 and prints what it promises`, async () => {
      const r = await runNode(join(repo, 'examples', file));
      expect(r.err, `${file} stderr`).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(want.line);
    }, 120_000);
  }

  it('the built command (bin/deepstrf.mjs → dist/cli.js) runs the main job', async () => {
    const r = await runNode(join(repo, 'bin', 'deepstrf.mjs'), ['run', 'synthetic', '--batch-size', '8']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^epoch {6}3 batches, 24 items;/m); // ceil(24 / 8)
    expect((await runNode(join(repo, 'bin', 'deepstrf.mjs'), ['--version'])).out).toMatch(/^deepstrf \d+\.\d+\.\d+\n$/);
  }, 120_000);
});

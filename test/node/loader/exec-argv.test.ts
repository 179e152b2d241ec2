// Workers start whatever way the parent Node was started: -e with --input-type=module, a script
// on stdin, --import tsx, --experimental-* flags and --inspect. Each mode runs in a child process
// that imports the sources through tsx and takes two batches from a 2-worker loader (the second
// from the workers: the calling thread fetches the first while they start).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workerExecArgv } from '../../../src/platform/node-worker.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const index = pathToFileURL(`${root}src/index.ts`).href;
const code = `
import { DataLoader, SyntheticDataset } from '${index}';
const ds = new SyntheticDataset({ seed: 3, nNeurons: 4, nStims: 6, bins: [20, 30] });
const loader = new DataLoader(ds, { batchSize: 2, numWorkers: 2 });
let k = 0;
for await (const b of loader) if (++k === 2) { console.log('batch ' + b.stims.shape.join('x') + ' workers ' + loader.stats.liveWorkers); break; }
await loader.close();
console.log('closed ' + loader.stats.liveWorkers);
`;

function run(args: string[], stdin: string | null): Promise<{ code: number | 'timeout'; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: [stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (err += d));
    if (stdin !== null) child.stdin?.end(stdin);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: 'timeout', out, err });
    }, 45_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve({ code: c ?? -1, out, err });
    });
  });
}

describe('loader workers start however the parent was started', () => {
  const modes: Array<[string, string[], boolean]> = [
    ['-e with --input-type=module and --import tsx', ['--import', 'tsx', '--input-type=module', '-e', code], false],
    ['a script on stdin', ['--import', 'tsx', '--input-type=module'], true],
    ['--experimental-* flags and --expose-gc', ['--experimental-vm-modules', '--expose-gc', '--import=tsx', '--input-type=module', '--eval', code], false],
    ['--inspect (port 0)', ['--inspect=0', '--import', 'tsx', '--input-type=module', '-e', code], false],
  ];
  for (const [name, args, viaStdin] of modes) {
    it(name, async () => {
      const r = await run(args, viaStdin ? code : null);
      expect(r.err.replace(/Debugger listening.*\n|For help, see.*\n|.*ExperimentalWarning.*\n|\(Use `node --trace-warnings.*\n/g, '')).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/batch 2x1x\d+x\d+ workers 2/);
      expect(r.out).toContain('closed 0');
    });
  }
});

describe('workerExecArgv', () => {
  it('drops how the parent script was given, the inspector, tests, watch mode and hooks; keeps the rest', () => {
    const argv = [
      '--inspect=0', '--input-type=module', '-e', 'code()', '--import', 'tsx', '--expose-gc', '--experimental-vm-modules',
      '--max-old-space-size=2048', '-r', 'x.cjs', '--test-name-pattern', 'foo', '--conditions=custom', '--watch', '-p', '1+1',
    ];
    expect(workerExecArgv(argv, 'file:///a/w.mjs')).toEqual(['--expose-gc', '--experimental-vm-modules', '--max-old-space-size=2048', '--conditions=custom']);
  });

  it('keeps module hooks (with their values) for a TypeScript entry', () => {
    expect(workerExecArgv(['--import', 'tsx', '-e', 'x', '--require=y.cjs'], 'file:///a/w.ts')).toEqual(['--import', 'tsx', '--require=y.cjs']);
  });
});

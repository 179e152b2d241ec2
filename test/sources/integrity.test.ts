// The zoo integrity rule (src/zoo/integrity.ts): files present with their sizes, aliases, the
// error naming the first file at fault, allowPartial skipping what may be skipped with one warning,
// and the byte count checked on read.
import { describe, expect, it } from 'vitest';
import { MemorySource, SourceFileError } from '../../src/index.js';
import { runAsync, runSync } from '../../src/sources/build.js';
import { checkRelease, enforceRelease, readExpected } from '../../src/zoo/integrity.js';

const src = new MemorySource({
  'meta.mat': new Uint8Array(10),
  'units/u1.mat': new Uint8Array(4),
  'units/u2_1.mat': new Uint8Array(6),
  'units/u3.mat': new Uint8Array(5),
  'folder/inner.bin': new Uint8Array(1),
}, 'mem:');
const files = [
  { path: 'meta.mat', size: 10 },
  { path: 'units/u1.mat', size: 4 },
  { path: 'units/u2.mat', size: 6 }, // stored under its _1 twin
  { path: 'units/u3.mat', size: 7 }, // wrong size
  { path: 'units/u4.mat' }, // missing
  { path: 'folder' }, // a folder where a file is expected
];
const twin = (p: string) => p.replace(/\.mat$/, '_1.mat');

describe('checkRelease / enforceRelease', () => {
  it('finds files (aliases too) and reports each problem by expected path', async () => {
    const check = runSync(checkRelease(files, { alias: twin }), src);
    expect([...check.found]).toEqual([['meta.mat', 'meta.mat'], ['units/u1.mat', 'units/u1.mat'], ['units/u2.mat', 'units/u2_1.mat']]);
    expect(check.problems).toEqual([
      { path: 'units/u3.mat', problem: 'has 5 bytes, expected 7' },
      { path: 'units/u4.mat', problem: 'file not found' },
      { path: 'folder', problem: 'is a folder, expected a file' },
    ]);
    expect(await runAsync(checkRelease(files, { alias: twin }), src)).toEqual(check);
  });

  it('without allowPartial: a SourceFileError naming the first file and the others', () => {
    const check = runSync(checkRelease(files, { alias: twin }), src);
    const e = (() => { try { enforceRelease(check, { dataset: 'X', root: 'mem:', skippable: () => true }); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(SourceFileError);
    expect((e as SourceFileError).path).toBe('units/u3.mat');
    expect((e as Error).message).toBe(
      'mem:units/u3.mat: has 5 bytes, expected 7; 2 more: units/u4.mat (file not found), folder (is a folder, expected a file); ' +
      'the X release is damaged or incomplete (checked against its manifest), or pass allowPartial: true to build from the intact files',
    );
  });

  it('with allowPartial: skippable problems become one warning; the others stay errors', () => {
    const check = runSync(checkRelease(files.slice(0, 5), { alias: twin }), src);
    const warnings: string[] = [];
    const skipped = enforceRelease(check, { dataset: 'X', root: 'mem:', allowPartial: true, onWarning: (w) => warnings.push(w), skippable: (p) => p.startsWith('units/') });
    expect([...skipped]).toEqual(['units/u3.mat', 'units/u4.mat']);
    expect(warnings).toEqual(['X: allowPartial: skipped 2 damaged or missing files of mem:: units/u3.mat (has 5 bytes, expected 7), units/u4.mat (file not found)']);
    expect(() => enforceRelease(check, { dataset: 'X', root: 'mem:', allowPartial: true, skippable: (p) => p !== 'units/u4.mat' }))
      .toThrow('mem:units/u4.mat: file not found; X cannot be built without it, even with allowPartial');
    expect(enforceRelease(runSync(checkRelease(files.slice(0, 2)), src), { dataset: 'X', root: 'mem:', skippable: () => false }).size).toBe(0);
  });

  it('readExpected checks the byte count a source actually gives', () => {
    expect(runSync(readExpected('mem:', { path: 'units/u1.mat', size: 4 }), src)).toHaveLength(4);
    expect(runSync(readExpected('mem:', { path: 'units/u2.mat', size: 6 }, 'units/u2_1.mat'), src)).toHaveLength(6);
    expect(() => runSync(readExpected('mem:', { path: 'units/u3.mat', size: 7 }), src)).toThrow("mem:units/u3.mat: read 5 bytes, expected 7 (the release's manifest)");
  });
});

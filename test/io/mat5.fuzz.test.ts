import { describe, expect, it } from 'vitest';
import { unzlibSync, zlibSync } from 'fflate';
import { readMat, Rng } from '../../src/index.js';
import { matrix, mi, num, str, structArr, writeMat, type Spec } from './helpers/mat-writer.js';
import { MAX_CALL_MS, expectOnlyFormatError, iterations, mutate, randomBytes } from './helpers/fuzz.js';

const quiet = { onWarning: () => {} };
const read = (b: Uint8Array) => readMat(b, 'fuzz.mat', quiet);

/** A corpus exercising every element kind (both byte orders, compressed or not). */
function corpus(): Uint8Array[] {
  const rep = (t: number[]): Record<string, Spec> => ({ t: num('double', [1, t.length], t), id: num('double', [1, 1], [t.length], { stored: mi.UINT8 }) });
  const vars: [string, Spec][] = [
    ['d', num('double', [2, 3], [1, 2.5, -3, 4, 5, 6])],
    ['i64', num('int64', [1, 2], [-5n, 7n])],
    ['z', num('single', [1, 2], [1, 2], { imag: [3, 4] })],
    ['l', num('uint8', [1, 3], [1, 0, 1], { logical: true })],
    ['s', str('hello')],
    ['m', { t: 'char', shape: [2, 2], chars: 'abcd' }],
    ['c', { t: 'cell', shape: [1, 3], cells: [str('x'), { t: 'empty' }, num('int16', [1, 1], [-4])] }],
    ['st', structArr([1, 2], ['t', 'id'], [rep([1, 2]), rep([])])],
    ['sp', { t: 'sparse', m: 3, n: 2, ir: [0, 2], jc: [0, 1, 2], pr: [1, 2] }],
    ['o', { t: 'object', className: 'k', shape: [1, 1], fields: ['a'], elements: [{ a: str('q') }] }],
  ];
  const out: Uint8Array[] = [];
  for (const le of [true, false]) {
    for (const compress of [false, true]) out.push(writeMat(vars, { le, compress }));
    out.push(writeMat([vars[7]], { le }));
  }
  return out;
}

describe('readMat fuzzing (seeded): only FormatError, never a hang', () => {
  it('mutated files (3000 mutations in Node, 750 in Chromium, of a corpus of every class)', () => {
    const files = corpus();
    for (const f of files) expect(() => read(f)).not.toThrow();
    const rng = new Rng(20261129);
    let worst = 0;
    let parsed = 0;
    const n = iterations(3000);
    for (let i = 0; i < n; i++) {
      const src = files[rng.int(files.length)];
      const r = expectOnlyFormatError(read, mutate(src, rng, rng.int(4) === 0 ? 0 : 128), `mutation ${i}`);
      worst = Math.max(worst, r.ms);
      if (r.ok) parsed++;
    }
    expect(worst).toBeLessThan(MAX_CALL_MS);
    // Both outcomes occur: the mutations are neither all fatal nor all harmless.
    expect(parsed).toBeGreaterThan(n / 30);
    expect(parsed).toBeLessThan(n);
  });

  it('mutated payloads inside valid zlib streams (reaches the inflated-element parser)', () => {
    const rng = new Rng(7);
    const payloads = corpus().slice(0, 1).flatMap(() => [
      matrix(structArr([1, 2], ['a', 'b'], [{ a: str('x'), b: num('double', [1, 2], [1, 2]) }, { a: { t: 'empty' }, b: num('uint16', [1, 1], [9]) }]), 'v', true),
      matrix({ t: 'cell', shape: [2, 1], cells: [str('yy'), num('int32', [1, 1], [5])] }, 'c', true),
    ]);
    let worst = 0;
    for (let i = 0; i < iterations(1000); i++) {
      const inner = mutate(payloads[rng.int(payloads.length)], rng);
      const z = zlibSync(inner);
      const head = writeMat([]);
      const file = new Uint8Array(head.length + 8 + z.length);
      file.set(head);
      const v = new DataView(file.buffer);
      v.setUint32(head.length, 15, true);
      v.setUint32(head.length + 4, z.length, true);
      file.set(z, head.length + 8);
      worst = Math.max(worst, expectOnlyFormatError(read, file, `inflated mutation ${i}`).ms);
      // The `variables` path inflates only the start: same guarantee.
      expectOnlyFormatError((b) => readMat(b, 'fuzz.mat', { ...quiet, variables: ['v'] }), file, `peek mutation ${i}`);
    }
    expect(worst).toBeLessThan(MAX_CALL_MS);
    expect(unzlibSync(zlibSync(payloads[0]))).toEqual(payloads[0]);
  });

  it('random bytes behind a valid header, and wholly random files', () => {
    const rng = new Rng(99);
    const header = writeMat([]);
    let worst = 0;
    for (let i = 0; i < iterations(1500); i++) {
      const body = randomBytes(rng, rng.int(600));
      const withHeader = new Uint8Array(128 + body.length);
      withHeader.set(header);
      withHeader.set(body, 128);
      worst = Math.max(worst, expectOnlyFormatError(read, withHeader, `random body ${i}`).ms);
      worst = Math.max(worst, expectOnlyFormatError(read, randomBytes(rng, rng.int(300)), `random file ${i}`).ms);
    }
    expect(worst).toBeLessThan(MAX_CALL_MS);
  });
});

// readFiffRaw fuzzing (seeded mutations of valid files): only FormatError, never a hang.
import { describe, expect, it } from 'vitest';
import { Rng, readFiffRaw } from '../../src/index.js';
import { writeRawFiff } from './helpers/fiff-writer.js';
import { MAX_CALL_MS, expectOnlyFormatError, iterations, mutate } from './helpers/fuzz.js';

function corpus(): Uint8Array[] {
  const channels = [{ name: '1', cal: 1e-6 }, { name: '2' }, { name: 'STI', kind: 3 }];
  const annotations = { onset: [0.5, 1], duration: [0, 0.5], description: ['1', 'BAD_x'], origTime: [5, 0] as [number, number] };
  return [false, true].flatMap((directory) => [
    writeRawFiff({ sfreq: 500, channels, bads: ['2'], directory, buffers: [{ type: 'float32', values: [1, 2, 3, 4, 5, 6] }, { skip: 2 }, { type: 'dau16', values: [1, 2, 3, 4, 5, 6] }], annotations }),
    writeRawFiff({ sfreq: 100, channels, firstSample: 7, leadingSkip: 1, measDate: [5, 0], directory, dig: [{ kind: 3, ident: 1, r: [0, 0, 1] }],
      buffers: [{ type: 'int32', values: [1, 2, 3] }, { type: 'float64', values: [1, 2, 3] }, { type: 'int16', values: [1, 2, 3] }] }),
  ]);
}

describe('readFiffRaw fuzzing (seeded)', () => {
  it('mutated files give a result or a FormatError', () => {
    const files = corpus();
    for (const f of files) expect(() => readFiffRaw(f)).not.toThrow();
    const rng = new Rng(20261130);
    let worst = 0;
    const n = iterations(3000);
    for (let i = 0; i < n; i++) {
      const src = files[i % files.length];
      const { ms } = expectOnlyFormatError((b) => readFiffRaw(b, 'fuzz.fif'), mutate(src, rng), `mutation ${i}`);
      worst = Math.max(worst, ms);
    }
    expect(worst).toBeLessThan(MAX_CALL_MS);
  });

  it('every truncation gives a result or a FormatError', () => {
    const f = corpus()[0];
    for (let len = 0; len < f.length; len += 3) expectOnlyFormatError((b) => readFiffRaw(b, 'cut.fif'), f.subarray(0, len), `length ${len}`);
  });
});

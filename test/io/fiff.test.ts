// readFiffRaw on FIFF files written by test/io/helpers/fiff-writer.ts: values derived by hand
// from the format (physical = stored × range × cal, sample-major buffers, skips as zeros).
import { describe, expect, it } from 'vitest';
import { FIFF, FormatError, mneAnnotationOnsets, readFiffRaw, readFiffTree, findFiffBlocks, splitFiffNameList } from '../../src/index.js';
import { FiffWriter, i32, writeRawFiff, type RawFiffSpec } from './helpers/fiff-writer.js';
import { expectFormatError } from './helpers/errors.js';

const f = Math.fround;
const chans = [
  { name: '1', cal: 1e-6, range: 1, loc: [0.01, 0.02, 0.03] },
  { name: '2', cal: 2e-6, range: 0.5 },
  { name: 'STI 014', kind: 3 },
];
const base: RawFiffSpec = {
  sfreq: 500, channels: chans, bads: ['2'],
  buffers: [
    { type: 'float32', values: [1.5, 2, 3, 4, 5, 6] },
    { skip: 1 },
    { type: 'dau16', values: [10, 20, 30, -1, -2, -3] },
  ],
};

describe('readFiffRaw', () => {
  for (const directory of [false, true]) {
    it(`reads info, channels, bads and data (float32 + skip + DAU_PACK16; ${directory ? 'directory' : 'sequential scan'})`, () => {
      const raw = readFiffRaw(writeRawFiff({ ...base, directory }), 'a-raw.fif');
      expect(raw.sfreq).toBe(500);
      expect(raw.channels.map((c) => [c.name, c.kind, c.unit])).toEqual([['1', 2, 107], ['2', 2, 107], ['STI 014', 3, 107]]);
      expect(Array.from(raw.channels[0].loc.slice(0, 4))).toEqual([f(0.01), f(0.02), f(0.03), 0]);
      expect(raw.bads).toEqual(['2']);
      expect(raw.firstSamp).toBe(0);
      // 2 samples per buffer (6 values / 3 channels); the skip inserts 1 buffer = 2 zero samples.
      expect(raw.nSamples).toBe(6);
      const ch = (c: number) => Array.from(raw.data.subarray(c * 6, (c + 1) * 6));
      const k0 = f(1) * f(1e-6), k1 = f(0.5) * f(2e-6);
      expect(ch(0)).toEqual([1.5 * k0, 4 * k0, 0, 0, 10 * k0, -1 * k0]);
      expect(ch(1)).toEqual([2 * k1, 5 * k1, 0, 0, 20 * k1, -2 * k1]);
      expect(ch(2)).toEqual([3, 6, 0, 0, 30, -3]);
      expect(raw.annotations).toBe(null);
      expect(raw.measDate).toBe(null);
    });
  }

  it('int16, int32, float64 buffers, FIRST_SAMPLE and a leading DATA_SKIP (first_samp += skip·nsamp)', () => {
    const raw = readFiffRaw(writeRawFiff({
      sfreq: 250, channels: [{ name: 'a', cal: 0.5, range: 4 }], firstSample: 100, leadingSkip: 2,
      buffers: [{ type: 'int16', values: [1, -2, 3] }, { type: 'int32', values: [70000, -5, 6] }, { type: 'float64', values: [0.1, 0.2, 0.3] }],
    }));
    expect(raw.firstSamp).toBe(106);
    expect(Array.from(raw.data)).toEqual([1, -2, 3, 70000, -5, 6, 0.1, 0.2, 0.3].map((v) => v * 2));
  });

  it('picks: only the chosen channels are decoded', () => {
    const raw = readFiffRaw(writeRawFiff(base), 'p.fif', { picks: (c) => c.kind === FIFF.CH_EEG && c.name !== '1' });
    expect(raw.picks).toEqual([1]);
    const k1 = f(0.5) * f(2e-6);
    expect(Array.from(raw.data)).toEqual([2 * k1, 5 * k1, 0, 0, 20 * k1, -2 * k1]);
  });

  it('CONTINUOUS_DATA blocks, measurement date, dig points', () => {
    const raw = readFiffRaw(writeRawFiff({
      ...base, block: FIFF.B_CONTINUOUS_DATA, measDate: [1500000000, 250000], dig: [{ kind: 3, ident: 1, r: [0.1, 0.2, 0.3] }],
    }));
    expect(raw.nSamples).toBe(6);
    expect(raw.measDate).toBe(1500000000.25);
    expect(raw.dig).toEqual([{ kind: 3, ident: 1, r: [f(0.1), f(0.2), f(0.3)] }]);
  });

  it('annotations and MNE onset semantics (no orig_time: + first_samp/sfreq; equal: kept; different: shifted)', () => {
    const annotations = { onset: [0.5, 1, 2.5], duration: [0, 0, 0.25], description: ['1', '2', 'BAD_blink'] };
    const a = readFiffRaw(writeRawFiff({ ...base, firstSample: 250, annotations }));
    expect(a.annotations!.description).toEqual(['1', '2', 'BAD_blink']);
    expect(Array.from(a.annotations!.duration)).toEqual([0, 0, f(2.75) - 2.5]);
    expect(a.annotations!.origTime).toBe(null);
    expect(Array.from(mneAnnotationOnsets(a))).toEqual([1, 1.5, 3]);
    const b = readFiffRaw(writeRawFiff({ ...base, firstSample: 250, measDate: [1000, 0], annotations: { ...annotations, origTime: [1000, 0] } }));
    expect(Array.from(mneAnnotationOnsets(b))).toEqual([0.5, 1, 2.5]);
    const c = readFiffRaw(writeRawFiff({ ...base, measDate: [1000, 0], annotations: { ...annotations, origTime: [1002, 500000] } }));
    expect(Array.from(mneAnnotationOnsets(c))).toEqual([3, 3.5, 5]);
  });

  it('name lists: ";:" escapes a colon; strings decode &#nnn; escapes', () => {
    expect(splitFiffNameList('a;:b:c')).toEqual(['a:b', 'c']);
    expect(splitFiffNameList('')).toEqual([]);
    const raw = readFiffRaw(writeRawFiff({ ...base, bads: ['x:y', 'caf&#233;'] }));
    expect(raw.bads).toEqual(['x:y', 'café']);
  });

  it('the block tree', () => {
    const root = readFiffTree(writeRawFiff(base));
    expect(root.children.map((c) => c.block)).toEqual([FIFF.B_MEAS]);
    expect(root.children[0].children.map((c) => c.block)).toEqual([FIFF.B_MEAS_INFO, FIFF.B_RAW_DATA]);
    expect(findFiffBlocks(root, FIFF.B_MNE_BAD_CHANNELS)).toHaveLength(1);
  });

  it('bad and truncated files: FormatError naming the offset', () => {
    const good = writeRawFiff(base);
    expectFormatError(() => readFiffRaw(new Uint8Array(10), 'x.fif'), /x\.fif @ byte 0: expected a 16-byte tag header/, 0);
    const notFif = good.slice();
    new DataView(notFif.buffer).setInt32(0, 7);
    expectFormatError(() => readFiffRaw(notFif, 'x.fif'), /not a FIFF file: the first tag is kind 7/, 0);
    const cut = good.subarray(0, good.length - 20);
    const e = expectFormatError(() => readFiffRaw(cut, 'cut.fif'), /cut\.fif @ byte \d+: /);
    expect(e.offset).toBeGreaterThan(0);
    const noInfo = new FiffWriter().start(FIFF.B_MEAS).end(FIFF.B_MEAS).bytes();
    expectFormatError(() => readFiffRaw(noInfo), /no measurement info block/);
    const open = new FiffWriter().start(FIFF.B_MEAS).bytes();
    // FILE_ID (16 + 20 bytes) and DIR_POINTER (16 + 4) come first: the block starts at byte 56.
    expectFormatError(() => readFiffRaw(open), /file ends inside block 100 opened at byte 56/);
    const mismatch = new FiffWriter().start(FIFF.B_MEAS_INFO).int(FIFF.NCHAN, 2).float(FIFF.SFREQ, 100).end(FIFF.B_MEAS_INFO).bytes();
    expectFormatError(() => readFiffRaw(mismatch), /NCHAN is 2 but MEAS_INFO holds 0 CH_INFO records/);
    const complex = writeRawFiff({ ...base, buffers: [] });
    const w = new FiffWriter().start(FIFF.B_MEAS_INFO).int(FIFF.NCHAN, 0).float(FIFF.SFREQ, 100).end(FIFF.B_MEAS_INFO)
      .start(FIFF.B_RAW_DATA).tag(FIFF.DATA_BUFFER, 20, i32(1, 2)).end(FIFF.B_RAW_DATA);
    expect(readFiffRaw(complex).nSamples).toBe(0);
    expectFormatError(() => readFiffRaw(w.bytes()), /DATA_BUFFER of type 20 is not supported/);
    expect(() => readFiffRaw(cut)).toThrow(FormatError);
  });
});

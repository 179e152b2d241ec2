import { describe, expect, it } from 'vitest';
import {
  FormatError, MemorySource, Rng, ValueError, epochBounds, epochNamesMatching, extractEpoch, parseEpochs, parseSignalAttrs,
  readNemsRecording, readRaster, readTgz, scanTgz, ZipSource,
} from '../../src/index.js';
import { epochCsv, json, rasterCsv, tgz, writeH5, text, tar, zip } from '../helpers/zoo/nems.js';
import { expectOnlyFormatError, iterations, mutate } from './helpers/fuzz.js';
import { expectFormatError } from './helpers/errors.js';

describe('NEMS signal attributes', () => {
  it('reads chans, fs, segments, recording; length = last segment end', () => {
    const a = parseSignalAttrs('{"name":"resp","chans":["a-1","b-2"],"fs":100,"segments":[[0,300],[300,600]],"recording":"abc001a","norm_gain":NaN}', 'x.resp.json');
    expect(a).toEqual({ chans: ['a-1', 'b-2'], fs: 100, segments: [[0, 300], [300, 600]], recording: 'abc001a', length: 600 });
  });
  it('names the bad key', () => {
    expectFormatError(() => parseSignalAttrs('{"chans":["a"],"fs":0}', 'x.resp.json'), /x\.resp\.json: expected "fs" to be a positive number, found 0/);
    expectFormatError(() => parseSignalAttrs('{"chans":[1],"fs":1}', 'y.json'), /y\.json: expected "chans" to be a list of channel names/);
    expectFormatError(() => parseSignalAttrs('{"chans":[],"fs":1,"segments":[[0]]}', 'z.json'), /segments\[0\]/);
  });
});

describe('NEMS epoch tables', () => {
  it('reads columns by name, quoted names with commas, an unnamed index column', () => {
    const e = parseEpochs(',name,end,start\n0,"STIM_a, b.wav",1.5,0\n1,TRIAL,3,0.25\n', 'e.csv');
    expect(e.name).toEqual(['STIM_a, b.wav', 'TRIAL']);
    expect([...e.start]).toEqual([0, 0.25]);
    expect([...e.end]).toEqual([1.5, 3]);
  });
  it('names a missing column and a bad row', () => {
    expectFormatError(() => parseEpochs('start,stop,name\n0,1,a\n', 'e.csv'), /e\.csv: expected a "end" column/);
    expectFormatError(() => parseEpochs('start,end,name\n0,x,a\n', 'e.csv'), /row 1: expected numeric start and end/);
  });
  it('unique names matching at the start, first-seen order', () => {
    const e = parseEpochs(epochCsv([[0, 1, 'STIM_00cat_b'], [1, 2, 'STIM_cat_a'], [2, 3, 'STIM_00cat_a'], [3, 4, 'STIM_00cat_b'], [4, 5, 'X_STIM_00cat_c']]), 'e.csv');
    expect(epochNamesMatching(e, '^STIM_00cat')).toEqual(['STIM_00cat_b', 'STIM_00cat_a']);
    expect(epochNamesMatching(e, 'STIM_cat')).toEqual(['STIM_cat_a']);
  });
});

describe('extractEpoch', () => {
  // signal: 6 samples × 2 channels, value = 10·t + c
  const raster = readRaster(rasterCsv(Array.from({ length: 6 }, (_, t) => [10 * t, 10 * t + 1])), 's.csv');
  it('rasters parse %.18e and nan', () => {
    const r = readRaster('1.000000000000000000e+00,nan\n-2.500000000000000000e-01,3.000000000000000000e+00\n', 'r.csv');
    expect(r.rows).toBe(2);
    expect(r.cols).toBe(2);
    expect([...r.data]).toEqual([1, Number.NaN, -0.25, 3]);
  });
  it('rows [round(start·fs), round(end·fs)) with halves to even, stacked and NaN-padded', () => {
    // fs 10: 0.05·10 = 0.5 → 0; 0.25·10 = 2.5 → 2; 0.35·10 = 3.5 → 4; 0.65·10 = 6.5 → 6 (past the end: NaN)
    const e = parseEpochs(epochCsv([[0.05, 0.25, 'a'], [0.35, 0.65, 'a'], [0, 0.1, 'b']]), 'e.csv');
    expect(epochBounds(e, 'a', 10)).toEqual([[0, 2], [4, 6]]);
    const x = extractEpoch(raster, e, 'a', 10);
    expect(x.shape).toEqual([2, 2, 2]);
    expect([...x.data]).toEqual([0, 10, 1, 11, 40, 50, 41, 51]);
    const e2 = parseEpochs(epochCsv([[0.35, 0.75, 'c'], [0, 0.1, 'c']]), 'e.csv'); // [4,8) and [0,1)
    expect([...extractEpoch(raster, e2, 'c', 10).data]).toEqual([40, 50, NaN, NaN, 41, 51, NaN, NaN, 0, NaN, NaN, NaN, 1, NaN, NaN, NaN]);
  });
  it('an absent name is a ValueError', () => {
    const e = parseEpochs(epochCsv([[0, 1, 'a']]), 'e.csv');
    expect(() => extractEpoch(raster, e, 'zz', 10)).toThrow(ValueError);
    expect(() => extractEpoch(raster, e, 'zz', 10)).toThrow(/no epoch named "zz"/);
  });
});

describe('readNemsRecording', () => {
  it('reads a recording from a .tgz wrapped in one extra folder, and from a folder', async () => {
    const h5 = await writeH5({ 'ABC001a-01-1': { data: [0.01, 0.02], chunks: [1] } });
    const rec = {
      'w/ABC001a.meta.json': json({ stimfmt: 'ozgf' }),
      'w/ABC001a.resp.json': json({ chans: ['ABC001a-01-1'], fs: 1000, segments: [[0, 3000]] }),
      'w/ABC001a.resp.h5': h5,
      'w/ABC001a.resp.epoch.csv': epochCsv([[0, 1.5, 'STIM_"q", x']]),
      'w/ABC001a.stim.csv': rasterCsv([[1], [2]]),
    };
    const src = new MemorySource({ 'sites/ABC001a.tgz': tgz(rec), ...Object.fromEntries(Object.entries(rec).map(([k, v]) => [`plain/${k}`, v])) });
    for (const path of ['sites/ABC001a.tgz', 'plain']) {
      const r = await readNemsRecording(src, path, ['resp', 'stim']);
      expect(r.files).toEqual(['ABC001a.meta.json', 'ABC001a.resp.epoch.csv', 'ABC001a.resp.h5', 'ABC001a.resp.json', 'ABC001a.stim.csv']);
      expect(r.signals.resp.attrs?.length).toBe(3000);
      expect(r.signals.resp.epochs?.name).toEqual(['STIM_"q", x']);
      expect([...(r.signals.resp.hdf5?.get('ABC001a-01-1').data ?? [])]).toEqual([0.01, 0.02]);
      expect(r.signals.resp.raster).toBeNull();
      expect([...(r.signals.stim.raster?.data ?? [])]).toEqual([1, 2]);
    }
  });
  it('reads a recording from a .tgz inside a .zip, without extracting (ZipSource over the parent)', async () => {
    const site = tgz({
      's/s.meta.json': json({}),
      's/s.resp.json': json({ chans: ['s-1'], fs: 100, segments: [[0, 10]] }),
      's/s.resp.csv': rasterCsv([[1], [2], [3]]),
      's/s.resp.epoch.csv': epochCsv([[0, 0.02, 'STIM_a']]),
    });
    const parent = new MemorySource({ 'release.zip': zip({ 'sites/s.tgz': site, 'readme.txt': text('x') }) });
    const z = await ZipSource.open(parent, 'release.zip');
    const r = await readNemsRecording(z, 'sites/s.tgz');
    const { raster, epochs } = r.signals.resp;
    expect([...extractEpoch(raster!, epochs!, 'STIM_a', 100).data]).toEqual([1, 2]);
  });

  it('two files with the same suffix are a FormatError', async () => {
    const src = new MemorySource({ 'r/a.meta.json': json({}), 'r/a.resp.json': json({ chans: [], fs: 1 }), 'r/b.resp.json': json({ chans: [], fs: 1 }) });
    await expect(readNemsRecording(src, 'r')).rejects.toThrow(/expected one file ending in \.resp\.json, found 2/);
  });
});

describe('readTgz', () => {
  it('reads ustar members (prefix names, ._ dropped)', () => {
    const files = readTgz(tgz({ 'a/b.txt': text('hi'), 'a/._b.txt': text('x') }), 't.tgz');
    expect([...files.keys()]).toEqual(['a/b.txt']);
    expect(new TextDecoder().decode(files.get('a/b.txt'))).toBe('hi');
    const t = tar({ 'c.txt': text('z') });
    t[148] ^= 1;
    expectFormatError(() => readTgz(t, 'bad.tar'), /bad\.tar @ byte 0: tar header checksum/);
  });
  it('scanTgz streams chosen members in chunks (split across gzip blocks), keeps others, skips the rest', () => {
    const noise = new Rng(5);
    const big = new Uint8Array(9 << 20).map(() => noise.u32() & 0xff); // 9 MiB incompressible: streamed, several 1 MiB input slices
    const chunks: number[] = [];
    let ends = 0;
    let sum = 0;
    const kept = scanTgz(tgz({ 'r/big.bin': big, 'r/a.txt': text('keep me'), 'r/b.txt': text('skip') }), 's.tgz', (p) =>
      p.endsWith('big.bin') ? (c) => (c ? (chunks.push(c.length), (sum += c.reduce((x, y) => x + y, 0))) : ends++) : p.endsWith('a.txt') ? 'keep' : null,
    );
    expect([...kept.keys()]).toEqual(['r/a.txt']);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(big.length);
    expect(chunks.length).toBeGreaterThan(1);
    expect(sum).toBe(big.reduce((x, y) => x + y, 0));
    expect(ends).toBe(1);
    // until: stops once the wanted member is kept; the damaged tail is never inflated.
    const whole = tgz({ 'r/x.resp.json': text('{}'), 'r/big.bin': big });
    const damaged = whole.subarray(0, whole.length - 1_000_000);
    expect(() => readTgz(damaged, 'd.tgz')).toThrow(FormatError);
    const first = scanTgz(damaged, 'd.tgz', (p) => (p.endsWith('.resp.json') ? 'keep' : null), (k) => k.size > 0);
    expect([...first.keys()]).toEqual(['r/x.resp.json']);
    const cut = tar({ 'c.txt': new Uint8Array(1000) }).subarray(0, 900);
    expectFormatError(() => readTgz(cut, 'cut.tar'), /cut\.tar @ byte 0: the tar stream ends inside a member/);
  });

  it('fuzz: tar, attrs and epoch parsers throw only FormatError', () => {
    const rng = new Rng(99);
    const t = tar({ 'x/x.resp.json': json({ chans: ['a'], fs: 100, segments: [[0, 10]] }), 'x/x.resp.epoch.csv': epochCsv([[0, 1, 'a, b']]) });
    const attrs = json({ chans: ['a'], fs: 100, segments: [[0, 10]] });
    const ep = epochCsv([[0, 1, 'a, "b"'], [1, 2, 'c']]);
    for (let i = 0; i < iterations(800); i++) {
      expectOnlyFormatError((b) => readTgz(b, 'f.tar'), mutate(t, rng), `tar ${i}`);
      expectOnlyFormatError((b) => parseSignalAttrs(b, 'f.json'), mutate(attrs, rng), `json ${i}`);
      expectOnlyFormatError((b) => parseEpochs(b, 'f.csv'), mutate(ep, rng), `epochs ${i}`);
    }
    expect(FormatError).toBeDefined();
  });
});

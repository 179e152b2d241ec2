// NS1 on a damaged release: each damage is a typed error naming the file (never a silently
// different dataset); allowPartial builds from the rest and says what it skipped; errors raised
// while parsing name the file (rate 0, NaN sample, a folder where the metadata should be).
// Damaged copies live in a MemorySource, or in a temporary folder for the synchronous constructor.
import { cpSync, mkdirSync, mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, MemorySource, NS1Dataset, NS1_WAV_NAMES, SourceFileError, readMat } from '../../../src/index.js';
import type { MatStruct } from '../../../src/index.js';
import { findNs1 } from '../../helpers/ns1-data.js';
import { releaseFiles } from './ns1-release.js';

const { dir } = findNs1('NS1 integrity tests');
const WAV = (s: number) => `spikesandwav/SH.En.C/${NS1_WAV_NAMES[s]}`;
const u32 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset).getUint32(o, true);

/** Byte offset of the 'data' chunk's samples, found by walking the RIFF chunks (independently of decodeWav). */
function dataOffset(b: Uint8Array): number {
  let off = 12;
  while (off + 8 <= b.length) {
    const id = String.fromCharCode(...b.subarray(off, off + 4));
    if (id === 'data') return off + 8;
    off += 8 + u32(b, off + 4) + (u32(b, off + 4) & 1);
  }
  throw new Error('no data chunk');
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const r = await p.then(() => null, (e: unknown) => e as Error);
  if (r === null) throw new Error('expected the build to fail');
  return r;
}

describe.skipIf(!dir)('NS1 integrity (real release, damaged copies)', () => {
  let files: Map<string, Uint8Array>;
  let unit0: string;
  const damaged = (edit: (m: Map<string, Uint8Array>) => void) => {
    const m = new Map(files);
    edit(m);
    return new MemorySource(m, 'copy:');
  };
  beforeAll(() => {
    files = releaseFiles(dir!);
    files.delete('test_data_5ms.mat'); // the same outcome whether or not the folder has the DNet file
    const meta = readMat(files.get('MetadataSHEnCneurons.mat')!, 'meta');
    unit0 = `spikesandwav/${((meta.neuron as MatStruct).elements[0].path as { text: string }).text}`;
  }, 60_000);

  it('the WAV header as the release has it: rate 48 828 at byte 24, float32 mono', () => {
    const w = files.get(WAV(0))!;
    expect(String.fromCharCode(...w.subarray(12, 16))).toBe('fmt ');
    expect(u32(w, 24)).toBe(48828);
    expect(new DataView(w.buffer, w.byteOffset).getUint16(22, true)).toBe(1);
  });

  it('a missing unit MAT file: FormatError naming it; allowPartial skips the unit and lists it', async () => {
    const src = damaged((m) => m.delete(unit0));
    const e = await failure(NS1Dataset.load({ source: src, smooth: false }));
    expect(e).toBeInstanceOf(SourceFileError);
    expect(e).toBeInstanceOf(FormatError);
    expect((e as SourceFileError).path).toBe(unit0);
    expect(e.message).toMatch(new RegExp(`^copy:${unit0.replace(/[.]/g, '\\.')}: file not found; the NS1 release is damaged or incomplete`));
    expect(e.message).toMatch(/allowPartial: true/);
    const warnings: string[] = [];
    const ds = await NS1Dataset.load({ source: src, smooth: false, allowPartial: true, onWarning: (w) => warnings.push(w) });
    expect(ds.getN()).toBe(118);
    expect(warnings).toEqual([`NS1: allowPartial: skipped 1 damaged or missing file of copy:: ${unit0} (file not found)`]);
  }, 120_000);

  it('a truncated WAV: FormatError naming it with both sizes, even with allowPartial', async () => {
    const src = damaged((m) => m.set(WAV(4), m.get(WAV(4))!.subarray(0, 500_000)));
    const e = await failure(NS1Dataset.load({ source: src, singleUnitsOnly: true }));
    expect(e).toBeInstanceOf(SourceFileError);
    expect(e.message).toMatch(new RegExp(`^copy:${WAV(4).replace(/[.]/g, '\\.')}: has 500000 bytes, expected 976604;`));
    const e2 = await failure(NS1Dataset.load({ source: src, singleUnitsOnly: true, allowPartial: true }));
    expect(e2.message).toMatch(/frozen\.5: has 500000 bytes, expected 976604; NS1 cannot be built without it, even with allowPartial/);
  });

  it('a WAV whose header rate is patched to 8000, or to 0: FormatError naming the file and the field', async () => {
    for (const rate of [8000, 0]) {
      const src = damaged((m) => {
        const w = m.get(WAV(2))!.slice();
        new DataView(w.buffer).setUint32(24, rate, true);
        m.set(WAV(2), w);
      });
      const e = await failure(NS1Dataset.load({ source: src, singleUnitsOnly: true, spectrogram: 'causal-mel' }));
      expect(e).toBeInstanceOf(FormatError);
      expect(e.message).toBe(`copy:${WAV(2)}: 'fmt ' chunk: sample rate ${rate} Hz, expected 48828 (the release's rate)`);
      const w = await failure(NS1Dataset.load({ source: src, singleUnitsOnly: true, returnWaveform: true }));
      expect(w.message).toBe(e.message);
    }
  });

  it("a WAV whose 'data' chunk size is patched smaller: FormatError naming the file and both frame counts", async () => {
    const src = damaged((m) => {
      const w = m.get(WAV(17))!.slice();
      const at = dataOffset(w) - 4; // the data chunk's size field
      new DataView(w.buffer).setUint32(at, 4 * 1000, true);
      m.set(WAV(17), w);
    });
    const e = await failure(NS1Dataset.load({ source: src, singleUnitsOnly: true, spectrogram: 'causal-mel' }));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toBe(`copy:${WAV(17)}: 'data' chunk: 1000 frames, expected 244141`);
  });

  it('a NaN sample: FormatError naming the file and the sample', async () => {
    const k = 123_456;
    const src = damaged((m) => {
      const w = m.get(WAV(9))!.slice();
      new DataView(w.buffer).setFloat32(dataOffset(w) + 4 * k, Number.NaN, true);
      m.set(WAV(9), w);
    });
    const e = await failure(NS1Dataset.load({ source: src, singleUnitsOnly: true, spectrogram: 'causal-mel' }));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toBe(`copy:${WAV(9)}: 'data' chunk: sample ${k} is NaN; the sounds must be finite`);
  });

  it('a damaged unit file of the right size: the MAT reader error names it', async () => {
    const src = damaged((m) => {
      const b = m.get(unit0)!.slice();
      b.fill(0xff, 128, b.length); // everything after the header
      m.set(unit0, b);
    });
    const e = await failure(NS1Dataset.load({ source: src, smooth: false }));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message.startsWith(`copy:${unit0}`)).toBe(true);
  });

  it('HTTP-like sources whose stat trusts the manifest: a short read names the file', async () => {
    const short = new MemorySource(new Map([...files].map(([k, v]) => [k, k === WAV(1) ? v.subarray(0, 1000) : v])), 'copy:');
    const lying = Object.assign(Object.create(short) as MemorySource, {
      stat: async (p: string) => (p === WAV(1) ? { kind: 'file' as const, size: 976604 } : short.stat(p)),
    });
    const e = await failure(NS1Dataset.load({ source: lying, singleUnitsOnly: true, spectrogram: 'causal-mel' }));
    expect(e.message).toBe(`copy:${WAV(1)}: read 1000 bytes, expected 976604 (the release's manifest)`);
  });

  it('load({ signal }): an aborted signal stops the build before any file is read', async () => {
    const src = new MemorySource(files, 'copy:');
    let reads = 0;
    const counting = Object.assign(Object.create(src) as MemorySource, { read: async (p: string) => (reads++, src.read(p)) });
    await expect(NS1Dataset.load({ source: counting, signal: AbortSignal.abort(new Error('user cancelled')) })).rejects.toThrow('user cancelled');
    expect(reads).toBe(0);
  });

  describe('the synchronous constructor on a damaged folder', () => {
    let tmp: string;
    beforeAll(() => {
      tmp = mkdtempSync(join(tmpdir(), 'deepstrf-ns1-'));
      cpSync(dir!, tmp, { recursive: true });
      rmSync(join(tmp, 'test_data_5ms.mat'), { force: true });
    }, 60_000);
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('a truncated WAV', () => {
      truncateSync(join(tmp, WAV(7)), 1000);
      expect(() => new NS1Dataset({ path: tmp, singleUnitsOnly: true })).toThrow(FormatError);
      expect(() => new NS1Dataset({ path: tmp, singleUnitsOnly: true })).toThrow(`${tmp}/${WAV(7)}: has 1000 bytes, expected 976604;`);
      cpSync(join(dir!, WAV(7)), join(tmp, WAV(7)));
    });

    it('a metadata path that is a folder: FormatError naming it (no raw EISDIR)', () => {
      rmSync(join(tmp, 'MetadataSHEnCneurons.mat'));
      mkdirSync(join(tmp, 'MetadataSHEnCneurons.mat'));
      expect(() => new NS1Dataset({ path: tmp })).toThrow(FormatError);
      expect(() => new NS1Dataset({ path: tmp })).toThrow(`${tmp}/MetadataSHEnCneurons.mat: is a folder, expected a file; the NS1 release is damaged or incomplete`);
      rmSync(join(tmp, 'MetadataSHEnCneurons.mat'), { recursive: true });
      expect(() => new NS1Dataset({ path: tmp })).toThrow(`${tmp}/MetadataSHEnCneurons.mat: file not found; the NS1 release is damaged or incomplete`);
      cpSync(join(dir!, 'MetadataSHEnCneurons.mat'), join(tmp, 'MetadataSHEnCneurons.mat'));
    });

    it('the repaired copy builds the same as the original', () => {
      const a = new NS1Dataset({ path: tmp, singleUnitsOnly: true, smooth: false });
      expect(a.getN()).toBe(73);
    });
  });
});

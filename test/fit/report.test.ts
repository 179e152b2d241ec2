// The report's pieces: the PNG encoder checked against the PNG format (signature, IHDR, CRCs,
// the inflated rows), the colour map's ends, and the page built from a small fit.
import { describe, expect, it } from 'vitest';
import { unzlibSync } from 'fflate';
import { encodePng, viridis } from '../../src/fit/png.js';
import { fitReportHtml } from '../../src/fit/report.js';
import { fitStrfs } from '../../src/fit/fit.js';
import { SyntheticDataset, ValueError } from '../../src/index.js';

describe('encodePng', () => {
  it('writes a valid 2 × 2 RGB PNG: signature, IHDR, IDAT rows with filter 0, the fixed IEND chunk', () => {
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    const png = encodePng(2, 2, rgb);
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const v = new DataView(png.buffer, png.byteOffset);
    expect(v.getUint32(8)).toBe(13); // IHDR length
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    expect([v.getUint32(16), v.getUint32(20), png[24], png[25]]).toEqual([2, 2, 8, 2]); // 2 × 2, 8-bit RGB
    // IEND is always 00 00 00 00 'IEND' AE 42 60 82 (its CRC is a constant of the format).
    expect(Array.from(png.subarray(png.length - 12))).toEqual([0, 0, 0, 0, 73, 69, 78, 68, 0xae, 0x42, 0x60, 0x82]);
    const idatLen = v.getUint32(33);
    expect(String.fromCharCode(...png.subarray(37, 41))).toBe('IDAT');
    const rows = unzlibSync(png.subarray(41, 41 + idatLen));
    expect(Array.from(rows)).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 10, 20, 30]);
  });
  it('a size mismatch is a ValueError', () => {
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(ValueError);
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(/2 × 2 RGB needs 12 bytes, got 11/);
  });
  it('viridis runs from dark purple to yellow; NaN is grey', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(0.5)).toEqual([33, 145, 140]);
    expect(viridis(Number.NaN)).toEqual([128, 128, 128]);
  });
});

describe('fitReportHtml', () => {
  it('one self-contained page: settings, three PSTH charts, two histograms, a STRF per neuron', () => {
    const ds = new SyntheticDataset({ nNeurons: 4, nStims: 8 });
    const r = fitStrfs(ds, { lags: 4, folds: 2 });
    const html = fitReportHtml(ds, r, { title: 'a <test>', settings: [['lags', '4']] });
    expect(html).toContain('<title>a &lt;test&gt;</title>');
    expect(html).not.toMatch(/(src|href)="(?!data:)/);
    expect(html.match(/<img src="data:image\/png;base64,/g)?.length).toBe(4 + 1);
    expect(html.match(/<polyline /g)?.length).toBeGreaterThanOrEqual(6); // recorded + predicted × 3
    expect(html).toContain('time (ms)');
    expect(html).toContain('CCnorm (Schoppe)');
    expect(html).toContain('SNR (signal / noise power)');
    expect(html).toContain('<td>lags</td>');
  });
});

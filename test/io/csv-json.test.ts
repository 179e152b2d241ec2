import { describe, expect, it } from 'vitest';
import { CsvMatrixReader, FormatError, parseCsv, parseCsvMatrix, parseJson, Rng } from '../../src/index.js';
import { iterations, randomBytes } from './helpers/fuzz.js';
import { expectFormatError } from './helpers/errors.js';


describe('parseCsv', () => {
  it('RFC 4180: quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF, BOM', () => {
    const text = '\uFEFFstart,end,name\r\n0,1.5,"a, b"\r\n2,3,"say ""hi"""\r\n4,5,"two\r\nlines"\r\n';
    const t = parseCsv(text, 'epochs.csv');
    expect(t.header).toEqual(['start', 'end', 'name']);
    expect(t.rows).toEqual([
      ['0', '1.5', 'a, b'],
      ['2', '3', 'say "hi"'],
      ['4', '5', 'two\r\nlines'],
    ]);
  });

  it('no header; empty fields; trailing delimiter; no final newline; blank lines skipped', () => {
    const t = parseCsv('a,,c\n\n,x,\nlast,', 'h.csv', { header: false });
    expect(t.header).toBeNull();
    expect(t.rows).toEqual([['a', '', 'c'], ['', 'x', ''], ['last', '']]);
    expect(parseCsv('', 'e.csv')).toEqual({ header: [], rows: [] });
    expect(parseCsv('only\n', 'e.csv')).toEqual({ header: ['only'], rows: [] });
  });

  it('reads UTF-8 bytes, other delimiters, trimming (Python csv.reader + strip)', () => {
    const bytes = new TextEncoder().encode('név;ö\n 1 ; "q" \n');
    // A quote that does not open the field is literal (as in Python's csv.reader, then strip()).
    expect(parseCsv(bytes, 't.csv', { delimiter: ';', trim: true })).toEqual({ header: ['név', 'ö'], rows: [['1', '"q"']] });
    expect(parseCsv('a\tb\n1\t2', 't.tsv', { delimiter: '\t' }).rows).toEqual([['1', '2']]);
  });

  it('pads short rows to the header width, rejects longer ones', () => {
    expect(parseCsv('a,b,c\n1\n', 's.csv').rows).toEqual([['1', '', '']]);
    expectFormatError(() => parseCsv('a,b\n1,2\n1,2,3\n', 'wide.csv'), /wide\.csv: expected at most 2 fields \(the header's width\) in data row 2, found 3/);
  });

  it('pandas-like column inference: numbers, NA, booleans, text columns stay text', () => {
    const text = 'id,layer,rate,ok,note\n1,56,1.5e+00,True,\n2,1-3,nan,false,NA\n3,4,,TRUE,x\n';
    const t = parseCsv(text, 'cells.csv', { inferTypes: true });
    expect(t.rows.map((r) => r[0])).toEqual([1, 2, 3]);
    expect(t.rows.map((r) => r[1])).toEqual(['56', '1-3', '4']);
    expect(t.rows[0][2]).toBe(1.5);
    expect(Number.isNaN(t.rows[1][2])).toBe(true);
    expect(Number.isNaN(t.rows[2][2])).toBe(true);
    expect(t.rows.map((r) => r[3])).toEqual([true, false, true]);
    expect(t.rows.map((r) => r[4])).toEqual([null, null, 'x']);
    // Python float() syntax only: no hex, no empty-as-zero; inf accepted.
    const n = parseCsv('v\n0x10\n', 'n.csv', { inferTypes: true });
    expect(n.rows[0][0]).toBe('0x10');
    expect(parseCsv('v\n-inf\n.5\n', 'n.csv', { inferTypes: true }).rows).toEqual([[-Infinity], [0.5]]);
    expect(parseCsv('v\nNA\n', 'n.csv', { inferTypes: true, naValues: [] }).rows).toEqual([['NA']]);
  });

  it('unterminated quote and text after a closing quote are FormatErrors with line and offset', () => {
    expectFormatError(() => parseCsv('a,b\n1,"open\n2,3\n', 'q.csv'), /q\.csv @ byte 6: expected a closing quote for the field opened on line 2/, 6);
    expectFormatError(() => parseCsv('a,b\n"x"y,2\n', 'q2.csv'), /q2\.csv @ byte 7: expected a delimiter or a line end after the closing quote on line 2, found "y"/, 7);
    expect(() => parseCsv('a', 'd.csv', { delimiter: ';;' })).toThrow(TypeError);
  });

  it('parseCsvMatrix: NEMS-style numeric matrix, nan allowed, ragged rows rejected', () => {
    const m = parseCsvMatrix('1.000000000000000000e+00,nan\n-2.5e-01,3\n', 'x.resp.csv');
    expect([m.rows, m.cols]).toEqual([2, 2]);
    expect(m.data[0]).toBe(1);
    expect(Number.isNaN(m.data[1])).toBe(true);
    expect(Array.from(m.data.subarray(2))).toEqual([-0.25, 3]);
    expect(parseCsvMatrix('5\n6\n', 'one.csv')).toMatchObject({ rows: 2, cols: 1 });
    expectFormatError(() => parseCsvMatrix('1,2\n3\n', 'r.csv'), /r\.csv @ byte 4: expected 2 values on line 2 \(the first line's width\), found 1/, 4);
    expectFormatError(() => parseCsvMatrix('1,2\n5,x\n', 'r.csv'), /r\.csv @ byte 6: expected a number on line 2, column 2, found "x"/, 6);
    expectFormatError(() => parseCsvMatrix('0x10\n', 'h.csv'), /found "0x10"/);
    expectFormatError(() => parseCsvMatrix('1e\n', 'h.csv'), /found "1e"/);
  });

  it('CsvMatrixReader: any chunking gives the same matrix (BOM, CRLF, blank lines, empty cells, inf)', () => {
    const text = '\uFEFF1.000000000000000000e+00,nan, -2.5e-01\r\n\r\n3,,inf\n-0.125,1e300,4\n7,8,9';
    const bytes = new TextEncoder().encode(text);
    const whole = parseCsvMatrix(bytes, 'm.csv');
    expect([whole.rows, whole.cols]).toEqual([4, 3]);
    const expected = [1, NaN, -0.25, 3, NaN, Infinity, -0.125, 1e300, 4, 7, 8, 9];
    expect(Array.from(whole.data)).toEqual(expected);
    const rng = new Rng(8);
    for (let trial = 0; trial < 50; trial++) {
      const r = new CsvMatrixReader('m.csv');
      for (let pos = 0; pos < bytes.length; ) {
        const n = 1 + rng.int(7);
        r.push(bytes.subarray(pos, pos + n));
        pos += n;
      }
      const m = r.finish();
      expect([m.rows, m.cols]).toEqual([4, 3]);
      expect(Array.from(m.data)).toEqual(expected);
    }
    // Growth past the initial capacity.
    const big = Array.from({ length: 300 }, (_, i) => `${i},${i / 2},${-i},${i * 1e-3}`).join('\n');
    const m = parseCsvMatrix(big, 'big.csv');
    expect([m.rows, m.cols, m.data[4 * 299 + 1], m.data[4 * 299 + 3]]).toEqual([300, 4, 149.5, 0.299]);
  });

  it('random text never throws anything but FormatError and always terminates', () => {
    const rng = new Rng(3);
    const alphabet = 'ab,"\r\n 1.;';
    for (let i = 0; i < iterations(3000); i++) {
      const len = rng.int(40);
      let s = '';
      for (let k = 0; k < len; k++) s += alphabet[rng.int(alphabet.length)];
      try {
        const t = parseCsv(s, 'f.csv', { inferTypes: rng.int(2) === 0, header: rng.int(2) === 0 });
        expect(Array.isArray(t.rows)).toBe(true);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
      }
      try {
        const m = parseCsvMatrix(s.replace(/[ab"]/g, (c) => ({ a: 'nan', b: 'e', '"': '-' })[c] ?? c), 'f.csv');
        expect(m.data.length).toBe(m.rows * m.cols);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
      }
    }
  });
});

describe('parseJson', () => {
  it('standard JSON, and Python NaN / Infinity / -Infinity outside strings', () => {
    expect(parseJson('{"a": [1, 2.5e3, "x", true, null]}', 'a.json')).toEqual({ a: [1, 2500, 'x', true, null] });
    const v = parseJson('{"rms": NaN, "gain": -Infinity, "peak": Infinity, "s": "NaN \\" Infinity", "l": [NaN]}', 'p.json') as Record<string, unknown>;
    expect(Number.isNaN(v.rms)).toBe(true);
    expect(v.gain).toBe(-Infinity);
    expect(v.peak).toBe(Infinity);
    expect(v.s).toBe('NaN " Infinity');
    expect(Number.isNaN((v.l as number[])[0])).toBe(true);
  });

  it('the fallback parser agrees with JSON.parse on standard JSON (escapes, unicode, nesting)', () => {
    const doc = '{"k\\u00e9": ["\\n\\t\\/", -0.5e-2, {"__proto__": 1, "z": [[], {}]}], "e": ""}';
    const withNaN = doc.replace('"e": ""', '"e": NaN');
    const a = parseJson(withNaN, 'x.json') as Record<string, unknown>;
    const b = JSON.parse(doc) as Record<string, unknown>;
    expect(a['k\u00e9']).toEqual(b['k\u00e9']);
    expect(Object.keys((a['k\u00e9'] as unknown[])[2] as object)).toEqual(['__proto__', 'z']);
  });

  it('reads UTF-8 bytes with a BOM', () => {
    expect(parseJson(new TextEncoder().encode('\uFEFF{"n": "ö"}'), 'b.json')).toEqual({ n: 'ö' });
  });

  it('errors name the file, line, column, offset and what was expected', () => {
    expectFormatError(() => parseJson('{"a": 1,\n "b": }', 'bad.json'), /^bad\.json @ byte 15: line 2, column 7: expected a value .*found "}"/, 15);
    expectFormatError(() => parseJson('[1, 2', 'cut.json'), /cut\.json @ byte 5: line 1, column 6: expected ',' or '\]' in an array, found the end of the text/, 5);
    expectFormatError(() => parseJson('{"a" 1}', 'k.json'), /expected ':' after an object key/);
    expectFormatError(() => parseJson('"abc', 's.json'), /@ byte 0: .*expected a closing quote for the string/);
    expectFormatError(() => parseJson('[1] x', 't.json'), /expected the end of the text after the top-level value, found "x"/);
    expectFormatError(() => parseJson('"\\q"', 'e.json'), /expected a valid escape/);
    expectFormatError(() => parseJson('[nan]', 'n.json'), /expected a value/);
    expectFormatError(() => parseJson('['.repeat(5000), 'deep.json'), /expected at most 2000 levels of nesting/);
  });

  it('random bytes never throw anything but FormatError', () => {
    const rng = new Rng(11);
    const alphabet = '{}[]:,"\\ 0123456789-.eENaInfity\ntrue';
    for (let i = 0; i < iterations(3000); i++) {
      let s = '';
      const len = rng.int(30);
      for (let k = 0; k < len; k++) s += alphabet[rng.int(alphabet.length)];
      const inputs: (string | Uint8Array)[] = [s, randomBytes(rng, rng.int(20))];
      for (const inp of inputs) {
        try {
          parseJson(inp, 'r.json');
        } catch (e) {
          if (!(e instanceof FormatError)) throw e;
        }
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { zlibSync } from 'fflate';
import { FormatError, readMat } from '../../src/index.js';
import type { MatCell, MatChar, MatLogical, MatNumeric, MatSkipped, MatSparse, MatStruct, MatValue } from '../../src/index.js';
import { isMatV73 } from '../../src/io/mat5.js';
import { element, encode, matrix, mi, num, str, struct1, structArr, writeMat, type Spec } from './helpers/mat-writer.js';
import { expectFormatError } from './helpers/errors.js';

const quiet = { onWarning: () => {} };
const ORDERS = [
  { le: true, compress: false, label: 'little-endian' },
  { le: false, compress: false, label: 'big-endian' },
  { le: true, compress: true, label: 'little-endian compressed' },
  { le: false, compress: true, label: 'big-endian compressed' },
];

const read1 = (spec: Spec, o: { le: boolean; compress: boolean }): MatValue => readMat(writeMat([['v', spec]], o), 'test.mat', quiet).v;


describe('readMat: a file assembled byte by byte from the format document', () => {
  // x = 1.5 (1x1 double) and s = 'ab', little-endian, no compression. Every byte written by hand.
  const hand = (): Uint8Array => {
    const b = new Uint8Array(128 + 64 + 56);
    b.fill(0x20, 0, 116);
    b.set([..."MATLAB 5.0 MAT-file"].map((c) => c.charCodeAt(0)));
    b.set([0x00, 0x01, 0x49, 0x4d], 124); // version 0x0100 LE, 'IM'
    const x = [
      14, 0, 0, 0, 56, 0, 0, 0, // miMATRIX, 56 bytes
      6, 0, 0, 0, 8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, // flags: class 6 (double)
      5, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, // dims 1x1
      1, 0, 1, 0, 0x78, 0, 0, 0, // small element: miINT8, 1 byte, 'x'
      9, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, // miDOUBLE 1.5
    ];
    b.set(x, 128);
    const s = [
      14, 0, 0, 0, 48, 0, 0, 0,
      6, 0, 0, 0, 8, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, // class 4 (char)
      5, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, // dims 1x2
      1, 0, 1, 0, 0x73, 0, 0, 0, // 's'
      4, 0, 4, 0, 0x61, 0, 0x62, 0, // small miUINT16: 'a', 'b'
    ];
    b.set(s, 192);
    return b;
  };

  it('decodes it, and the test writer produces the same bytes', () => {
    const bytes = hand();
    const vars = readMat(bytes, 'hand.mat');
    expect(Object.keys(vars)).toEqual(['x', 's']);
    const x = vars.x as MatNumeric;
    expect(x).toMatchObject({ kind: 'numeric', class: 'double', shape: [1, 1] });
    expect(x.data[0]).toBe(1.5);
    expect((vars.s as MatChar).text).toBe('ab');
    const written = writeMat([['x', num('double', [1, 1], [1.5])], ['s', str('ab')]], { headerText: 'MATLAB 5.0 MAT-file' });
    expect(written.subarray(116)).toEqual(bytes.subarray(116));
  });

  it('reads the big-endian twin (every multi-byte field byte-swapped by hand)', () => {
    const b = new Uint8Array(128 + 64);
    b.fill(0x20, 0, 116);
    b.set([0x01, 0x00, 0x4d, 0x49], 124); // version 0x0100 BE, 'MI'
    b.set([
      0, 0, 0, 14, 0, 0, 0, 56,
      0, 0, 0, 6, 0, 0, 0, 8, 0, 0, 0, 6, 0, 0, 0, 0,
      0, 0, 0, 5, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 1,
      0, 1, 0, 1, 0x78, 0, 0, 0, // small element, BE: count 1 in the high half, type 1 in the low
      0, 0, 0, 9, 0, 0, 0, 8, 0xc0, 0x04, 0, 0, 0, 0, 0, 0, // -2.5
    ], 128);
    expect((readMat(b, 'be.mat').x as MatNumeric).data[0]).toBe(-2.5);
  });
});

describe('readMat: numeric classes', () => {
  const cases: [string, (number | bigint)[]][] = [
    ['double', [0, -1.25, 3e300, Number.NaN, -Infinity, 5e-324]],
    ['single', [0, -1.25, 3.5e38, 1.5]],
    ['int8', [-128, 127, 0, -1]],
    ['uint8', [0, 255, 7, 128]],
    ['int16', [-32768, 32767, -2, 1000]],
    ['uint16', [0, 65535, 40000, 1]],
    ['int32', [-2147483648, 2147483647, -7, 0]],
    ['uint32', [0, 4294967295, 3000000000, 9]],
    ['int64', [-9223372036854775808n, 9223372036854775807n, -1n, 0n]],
    ['uint64', [0n, 18446744073709551615n, 1n << 60n, 5n]],
  ];
  for (const o of ORDERS) {
    for (const [cls, data] of cases) {
      it(`${cls} 2xN (${o.label})`, () => {
        const v = read1(num(cls, [2, data.length / 2], data), o) as MatNumeric;
        expect(v.kind).toBe('numeric');
        expect(v.class).toBe(cls);
        expect(v.shape).toEqual([2, data.length / 2]);
        expect(Array.from(v.data as ArrayLike<number | bigint>)).toEqual(data.map((x) => (cls === 'single' ? Math.fround(Number(x)) : x)));
      });
    }
  }

  it('gives each class its typed array', () => {
    const ctors: Record<string, unknown> = {
      double: Float64Array, single: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
      int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
    };
    for (const [cls, data] of cases) expect((read1(num(cls, [1, 4], data.slice(0, 4)), ORDERS[0]) as MatNumeric).data).toBeInstanceOf(ctors[cls]);
  });

  it('converts data stored in a smaller type to the declared class (as MATLAB writes it)', () => {
    for (const o of ORDERS) {
      const d = read1(num('double', [1, 3], [1, 200, 3], { stored: mi.UINT8 }), o) as MatNumeric;
      expect(d.data).toBeInstanceOf(Float64Array);
      expect(Array.from(d.data as Float64Array)).toEqual([1, 200, 3]);
      const neg = read1(num('double', [1, 2], [-300, 7], { stored: mi.INT16 }), o) as MatNumeric;
      expect(Array.from(neg.data as Float64Array)).toEqual([-300, 7]);
      const i64 = read1(num('int64', [1, 2], [5, -6], { stored: mi.INT8 }), o) as MatNumeric;
      expect(Array.from(i64.data as BigInt64Array)).toEqual([5n, -6n]);
      const fromI64 = read1(num('double', [1, 1], [-9n], { stored: mi.INT64 }), o) as MatNumeric;
      expect(fromI64.data[0]).toBe(-9);
    }
  });

  it('keeps a 4-D array column-major: (n,f,h,t) at n + N(f + F(h + H t))', () => {
    const [N, F, H, T] = [3, 4, 1, 5];
    const data = Array.from({ length: N * F * H * T }, (_, i) => i * 0.5);
    for (const o of ORDERS) {
      const x = read1(num('double', [N, F, H, T], data), o) as MatNumeric;
      expect(x.shape).toEqual([N, F, H, T]);
      const at = (n: number, f: number, h: number, t: number) => x.data[n + N * (f + F * (h + H * t))];
      expect(at(2, 3, 0, 4)).toBe((2 + 3 * 3 + 12 * 4) * 0.5);
      expect(at(1, 0, 0, 2)).toBe((1 + 24) * 0.5);
    }
  });

  it('reads complex arrays into data + imag', () => {
    for (const o of ORDERS) {
      const z = read1(num('double', [1, 2], [1, 2], { imag: [-3, 4.5] }), o) as MatNumeric;
      expect(Array.from(z.data as Float64Array)).toEqual([1, 2]);
      expect(Array.from(z.imag as Float64Array)).toEqual([-3, 4.5]);
      const zi = read1(num('int16', [1, 1], [7], { imag: [-8] }), o) as MatNumeric;
      expect(zi.imag?.[0]).toBe(-8);
    }
  });

  it('reads empty arrays (0x0, 1x0, 0x3) and the zero-length placeholder element', () => {
    for (const o of ORDERS) {
      expect(read1(num('double', [0, 0], []), o)).toMatchObject({ kind: 'numeric', shape: [0, 0] });
      const e = read1(num('uint8', [1, 0], []), o) as MatNumeric;
      expect(e.shape).toEqual([1, 0]);
      expect(e.data.length).toBe(0);
      expect(read1(num('single', [0, 3], []), o)).toMatchObject({ class: 'single', shape: [0, 3] });
      const c = read1({ t: 'cell', shape: [1, 1], cells: [{ t: 'empty' }] }, o) as MatCell;
      expect(c.cells[0]).toMatchObject({ kind: 'numeric', class: 'double', shape: [0, 0] });
    }
  });

  it('returns arrays that do not alias the caller buffer', () => {
    const bytes = writeMat([['v', num('double', [1, 2], [1, 2])]]);
    const v = readMat(bytes).v as MatNumeric;
    bytes.fill(0);
    expect(Array.from(v.data as Float64Array)).toEqual([1, 2]);
  });

  it('copy: false gives zero-copy views into the caller buffer, and never writes to it', () => {
    const bytes = writeMat([['v', num('double', [1, 2], [1, 2])], ['l', num('uint8', [1, 2], [0, 7], { logical: true })]]);
    const before = bytes.slice();
    const vars = readMat(bytes, 'z.mat', { copy: false });
    const v = vars.v as MatNumeric;
    expect(v.data.buffer).toBe(bytes.buffer);
    expect(Array.from((vars.l as MatLogical).data)).toEqual([0, 1]);
    expect(bytes).toEqual(before); // the logical normalisation (7 -> 1) happened on a copy
    new DataView(bytes.buffer).setFloat64((v.data as Float64Array).byteOffset, 9, true);
    expect(v.data[0]).toBe(9);
  });
});

describe('readMat: logical, char, cell, struct, sparse, objects', () => {
  for (const o of ORDERS) {
    it(`logical (${o.label})`, () => {
      const l = read1(num('uint8', [2, 2], [1, 0, 0, 1], { logical: true }), o) as MatLogical;
      expect(l.kind).toBe('logical');
      expect(l.shape).toEqual([2, 2]);
      expect(Array.from(l.data)).toEqual([1, 0, 0, 1]);
      const fromDouble = read1(num('double', [1, 3], [2, 0, 1], { logical: true, stored: mi.UINT8 }), o) as MatLogical;
      expect(Array.from(fromDouble.data)).toEqual([1, 0, 1]);
    });

    it(`char in every encoding, char matrices column-major (${o.label})`, () => {
      expect((read1(str('hello'), o) as MatChar).text).toBe('hello');
      expect((read1(str('héllo ✓', 'utf16'), o) as MatChar).text).toBe('héllo ✓');
      expect((read1(str('plain', 'uint8'), o) as MatChar).text).toBe('plain');
      const u8 = read1({ t: 'char', shape: [1, 3], chars: 'é✓a', enc: 'utf8' }, o) as MatChar;
      expect(u8.text).toBe('é✓a');
      // ['abc'; 'xyz'] is stored a x b y c z.
      const m = read1({ t: 'char', shape: [2, 3], chars: 'axbycz' }, o) as MatChar;
      expect(m.rows).toEqual(['abc', 'xyz']);
      expect(m.text).toBe('abc\nxyz');
      expect(read1({ t: 'char', shape: [0, 0], chars: '' }, o)).toMatchObject({ kind: 'char', text: '', rows: [] });
    });

    it(`cells, nested and mixed (${o.label})`, () => {
      const c = read1({ t: 'cell', shape: [2, 2], cells: [str('a'), num('double', [1, 1], [2]), { t: 'cell', shape: [1, 1], cells: [str('deep')] }, num('int8', [1, 0], [])] }, o) as MatCell;
      expect(c.shape).toEqual([2, 2]);
      expect((c.cells[0] as MatChar).text).toBe('a');
      expect((c.cells[1] as MatNumeric).data[0]).toBe(2);
      expect(((c.cells[2] as MatCell).cells[0] as MatChar).text).toBe('deep');
      expect(c.cells[3]).toMatchObject({ kind: 'numeric', class: 'int8', shape: [1, 0] });
    });

    it(`structs, struct arrays in element order, nested struct arrays (${o.label})`, () => {
      const rep = (t: number[]) => ({ t: num('double', [1, t.length], t), id: num('uint8', [1, 1], [t.length]) });
      const sets = structArr([1, 3], ['name', 'repeats'], [
        { name: str('one'), repeats: structArr([1, 2], ['t', 'id'], [rep([1.5, 2.5]), rep([])]) },
        { name: str('two'), repeats: structArr([1, 1], ['t', 'id'], [rep([9])]) },
        { name: str(''), repeats: structArr([0, 0], ['t', 'id'], []) },
      ]);
      const data = read1(struct1({ set: sets, len: num('double', [1, 1], [5200]) }), o) as MatStruct;
      expect(data.shape).toEqual([1, 1]);
      expect(data.fieldNames).toEqual(['set', 'len']);
      const s = data.elements[0].set as MatStruct;
      expect(s.shape).toEqual([1, 3]);
      expect(s.fieldNames).toEqual(['name', 'repeats']);
      expect(s.elements.map((e) => (e.name as MatChar).text)).toEqual(['one', 'two', '']);
      const r0 = s.elements[0].repeats as MatStruct;
      expect(Array.from((r0.elements[0].t as MatNumeric).data as Float64Array)).toEqual([1.5, 2.5]);
      expect((r0.elements[1].t as MatNumeric).shape).toEqual([1, 0]);
      expect((r0.elements[0].id as MatNumeric).data[0]).toBe(2);
      expect((s.elements[2].repeats as MatStruct).elements).toEqual([]);
      expect(Object.keys(s.elements[1])).toEqual(['name', 'repeats']);
    });

    it(`a 2x2 struct array keeps column-major element order; 64-byte field names (${o.label})`, () => {
      const long = 'a_field_name_longer_than_thirty_one_characters_x';
      const els = [1, 2, 3, 4].map((k) => ({ [long]: num('double', [1, 1], [k]) }));
      const s = read1({ t: 'struct', shape: [2, 2], fields: [long], elements: els, fieldNameLength: 64 }, o) as MatStruct;
      expect(s.fieldNames).toEqual([long]);
      expect(s.elements.map((e) => (e[long] as MatNumeric).data[0])).toEqual([1, 2, 3, 4]);
    });

    it(`sparse to 0-based coordinates (${o.label})`, () => {
      // [0 5 0; 7 0 8] : columns 0: (1,0)=7; 1: (0,1)=5; 2: (1,2)=8.
      const s = read1({ t: 'sparse', m: 2, n: 3, ir: [1, 0, 1], jc: [0, 1, 2, 3], pr: [7, 5, 8] }, o) as MatSparse;
      expect(s.shape).toEqual([2, 3]);
      expect(Array.from(s.rows)).toEqual([1, 0, 1]);
      expect(Array.from(s.cols)).toEqual([0, 1, 2]);
      expect(Array.from(s.values)).toEqual([7, 5, 8]);
      const z = read1({ t: 'sparse', m: 2, n: 2, ir: [0], jc: [0, 0, 1], pr: [1], pi: [-1] }, o) as MatSparse;
      expect([z.rows[0], z.cols[0], z.values[0], z.imag?.[0]]).toEqual([0, 1, 1, -1]);
      const l = read1({ t: 'sparse', m: 3, n: 1, ir: [2], jc: [0, 1], pr: [1], logical: true }, o) as MatSparse;
      expect(l.logical).toBe(true);
      expect(l.values).toBeInstanceOf(Uint8Array);
      expect([l.rows[0], l.values[0]]).toEqual([2, 1]);
    });

    it(`objects are skipped with a warning (${o.label})`, () => {
      const warnings: string[] = [];
      const obj: Spec = { t: 'object', className: 'table', shape: [1, 1], fields: ['a'], elements: [{ a: num('double', [1, 1], [1]) }] };
      const bytes = writeMat([['tbl', obj], ['c', { t: 'cell', shape: [1, 2], cells: [obj, str('kept')] }], ['after', num('double', [1, 1], [3])]], o);
      const vars = readMat(bytes, 'obj.mat', { onWarning: (m) => warnings.push(m) });
      expect(Object.keys(vars)).toEqual(['c', 'after']);
      const c = vars.c as MatCell;
      expect(c.cells[0]).toEqual({ kind: 'skipped', matlabClass: 'object', className: 'table' } satisfies MatSkipped);
      expect((c.cells[1] as MatChar).text).toBe('kept');
      expect((vars.after as MatNumeric).data[0]).toBe(3);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/obj\.mat: skipped MATLAB object 'tbl' of class 'table'/);
    });
  }

  it('skips function handles and opaque values with a warning', () => {
    for (const le of [true, false]) {
      const b = (cls: number) => {
        const body = [element(mi.UINT32, encode(mi.UINT32, [cls, 0], le), le), element(mi.INT8, Uint8Array.from('fh', (ch) => ch.charCodeAt(0)), le), element(mi.INT8, new Uint8Array(12), le)];
        const len = body.reduce((a, x) => a + x.length, 0);
        const payload = new Uint8Array(len);
        let o = 0;
        for (const x of body) { payload.set(x, o); o += x.length; }
        return element(mi.MATRIX, payload, le, false);
      };
      const file = writeMat([['a', num('double', [1, 1], [1])]], { le });
      const full = new Uint8Array(file.length + 2 * b(17).length);
      full.set(file);
      full.set(b(17), file.length);
      full.set(b(16), file.length + b(17).length);
      const warnings: string[] = [];
      const vars = readMat(full, 'f.mat', { onWarning: (m) => warnings.push(m) });
      expect(Object.keys(vars)).toEqual(['a']);
      expect(warnings.join('|')).toMatch(/skipped opaque value 'fh'.*\|.*skipped function value 'fh'/);
    }
  });
});

describe('readMat: options and file-level behaviour', () => {
  it('variables: decodes only the named ones, compressed or not, without warnings for the others', () => {
    const obj: Spec = { t: 'object', className: 'x', shape: [1, 1], fields: [], elements: [{}] };
    for (const o of ORDERS) {
      const big = num('double', [1, 4000], Array.from({ length: 4000 }, (_, i) => Math.sin(i)));
      const bytes = writeMat([['big', big], ['o', obj], ['keep', str('yes')], ['big2', big]], o);
      const warnings: string[] = [];
      const vars = readMat(bytes, 'v.mat', { variables: ['keep'], onWarning: (m) => warnings.push(m) });
      expect(Object.keys(vars)).toEqual(['keep']);
      expect((vars.keep as MatChar).text).toBe('yes');
      expect(warnings).toEqual([]);
    }
  });

  it('skipFields: named struct fields at any depth are not decoded (shared placeholder, no warning)', () => {
    for (const o of ORDERS) {
      const rep = (t: number[]) => ({ t: num('double', [1, t.length], t), junk: { t: 'cell', shape: [1, 1], cells: [str('x')] } as Spec });
      const bytes = writeMat([['data', struct1({
        spikes: num('double', [1, 2], [1, 2]),
        set: structArr([1, 2], ['repeats', 'spikes'], [
          { repeats: structArr([1, 1], ['t', 'junk'], [rep([4])]), spikes: str('s') },
          { repeats: structArr([1, 1], ['t', 'junk'], [rep([])]), spikes: { t: 'empty' } },
        ]),
      })]], o);
      const warnings: string[] = [];
      const d = readMat(bytes, 'skip.mat', { skipFields: ['spikes', 'junk'], onWarning: (m) => warnings.push(m) }).data as MatStruct;
      expect(d.elements[0].spikes).toEqual({ kind: 'skipped', matlabClass: 'unread', className: '' });
      const set = d.elements[0].set as MatStruct;
      expect(set.fieldNames).toEqual(['repeats', 'spikes']);
      expect(set.elements[1].spikes).toMatchObject({ kind: 'skipped', matlabClass: 'unread' });
      const r0 = (set.elements[0].repeats as MatStruct).elements[0];
      expect(Array.from((r0.t as MatNumeric).data as Float64Array)).toEqual([4]);
      expect(r0.junk).toMatchObject({ kind: 'skipped', matlabClass: 'unread' });
      expect(warnings).toEqual([]);
    }
  });

  it('reads several variables inside one compressed element', () => {
    const inner = new Uint8Array([...matrix(num('double', [1, 1], [4]), 'a', true), ...matrix(str('z'), 'b', true)]);
    const z = zlibSync(inner);
    const file = writeMat([]);
    const tag = new Uint8Array(8);
    new DataView(tag.buffer).setUint32(0, 15, true);
    new DataView(tag.buffer).setUint32(4, z.length, true);
    const vars = readMat(new Uint8Array([...file, ...tag, ...z]), 'multi.mat');
    expect(Object.keys(vars)).toEqual(['a', 'b']);
    expect((vars.b as MatChar).text).toBe('z');
  });

  it('tolerates a trailing zero pad after the last element', () => {
    const f = writeMat([['x', num('double', [1, 1], [1])]]);
    const padded = new Uint8Array(f.length + 4);
    padded.set(f);
    expect(Object.keys(readMat(padded))).toEqual(['x']);
  });

  it('detects MATLAB v7.3 (HDF5) and says which function reads it', () => {
    const b = new Uint8Array(1024);
    b.fill(0x20, 0, 116);
    b.set([0x00, 0x02, 0x49, 0x4d], 124);
    b.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512);
    expect(isMatV73(b)).toBe(true);
    expectFormatError(() => readMat(b, 'v73.mat'), /^v73\.mat @ byte 512: .*v7\.3 \(HDF5\).*readMatAsync/, 512);
  });
});

describe('readMat: corrupt and truncated files give FormatError naming file, offset and expectation', () => {
  const good = writeMat([['x', num('double', [1, 3], [1, 2, 3])]]);

  it('too short for a header', () => {
    expectFormatError(() => readMat(good.subarray(0, 100), 'short.mat'), /short\.mat @ byte 100: expected a 128-byte MAT-file header/);
  });
  it('bad endian indicator', () => {
    const b = good.slice();
    b[126] = 0x41;
    expectFormatError(() => readMat(b, 'e.mat'), /expected the endian indicator 'IM' or 'MI'/, 126);
  });
  it('unknown version', () => {
    const b = good.slice();
    b[125] = 0x05;
    expectFormatError(() => readMat(b, 'ver.mat'), /expected MAT-file version 0x0100 at byte 124, found 0x0500/, 124);
  });
  it('truncated inside the matrix', () => {
    expectFormatError(() => readMat(good.subarray(0, good.length - 8), 'cut.mat'), /cut\.mat @ byte 128: expected \d+ bytes of miMATRIX data after the tag, only \d+ left \(truncated file\?\)/, 128);
    expectFormatError(() => readMat(good.subarray(0, 132), 'cut.mat'), /expected an 8-byte data element tag, only 4 bytes left/, 128);
  });
  it('element count that does not match the dimensions', () => {
    const b = writeMat([['x', num('double', [2, 3], [1, 2, 3])]]);
    // real data tag sits after tag(8) flags(16) dims(16) name(8) → 128 + 48
    expectFormatError(() => readMat(b, 'dims.mat'), /expected 6 real values \(the product of the dimensions\), found 3/, 176);
  });
  it('wrong sub-element type', () => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(136, 5, true); // array flags tag says miINT32
    expectFormatError(() => readMat(b, 'flags.mat'), /expected array flags \(miUINT32\), found miINT32/, 136);
  });
  it('unknown array class', () => {
    const b = good.slice();
    b[144] = 42;
    expectFormatError(() => readMat(b, 'cls.mat'), /expected a MATLAB array class \(1-17\), found class 42/, 136);
  });
  it('corrupt zlib stream', () => {
    const b = writeMat([['x', num('double', [1, 3], [1, 2, 3])]], { compress: true });
    b.fill(0xff, 140, 150);
    expectFormatError(() => readMat(b, 'z.mat'), /z\.mat @ byte 136: expected a valid zlib stream in the miCOMPRESSED element/);
  });
  it('errors inside a compressed element name the element and the inflated offset', () => {
    const b = writeMat([['x', num('double', [2, 3], [1, 2, 3])]], { compress: true });
    expectFormatError(() => readMat(b, 'zc.mat'), /zc\.mat @ byte 128: expected 6 real values .* \(at byte 48 of the inflated miCOMPRESSED element\)/, 128);
  });
  it('an unexpected top-level element', () => {
    const b = new Uint8Array([...writeMat([]), ...element(mi.DOUBLE, encode(mi.DOUBLE, [1], true), true)]);
    expectFormatError(() => readMat(b, 'top.mat'), /expected a top-level miMATRIX \(14\) or miCOMPRESSED \(15\) element, found miDOUBLE/, 128);
  });
  it('a small element claiming more than 4 bytes', () => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(168, (9 << 16) | 1, true); // the name element
    expectFormatError(() => readMat(b, 'small.mat'), /expected at most 4 bytes in a small data element, tag says 9/, 168);
  });
  it('a struct array claiming more elements than bytes', () => {
    const b = writeMat([['s', structArr([1, 2], ['a'], [{ a: num('double', [1, 1], [1]) }, { a: num('double', [1, 1], [2]) }])]]);
    new DataView(b.buffer).setInt32(164, 1_000_000_000, true); // second dimension
    expectFormatError(() => readMat(b, 'huge.mat'), /expected 1000000000 struct elements x 1 fields \(8\+ bytes each\)/);
  });
  it('a non-Uint8Array input is a TypeError', () => {
    expect(() => readMat([1, 2, 3] as unknown as Uint8Array, 'x')).toThrow(TypeError);
  });
});

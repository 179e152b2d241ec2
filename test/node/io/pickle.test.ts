// The pickle reader on hand-made pickles (hex written by CPython 3.11 `pickle.dumps`, expected
// values written down from the Python literal) and on the pandas 1.5.3 AA5 unit fixtures
// (test/fixtures/aa5/make_pickles.py: the expected values are that script's literals).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/index.js';
import { isPyTuple, loadPickle, loadPickles, PySlice, type PyValue } from '../../../src/io/pickle.js';
import { NDArray } from '../../../src/io/pickle-numpy.js';
import { PdDataFrame } from '../../../src/io/pickle-pandas.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g) as string[], (h) => parseInt(h, 16));
const FIXTURES = join(__dirname, '../../fixtures/aa5');
const fixture = (name: string) => loadPickles(new Uint8Array(readFileSync(join(FIXTURES, name))), name, 3);

// (1, -2**70, 1.5, 'é', b'ab', {'k': [None, True], 3: 'x'}, frozenset([2]), bytearray(b'z'), slice(1, 5, 2), 2**31, -1)
const TUPLE = {
  2: '8002284b018a090000000000000000c0473ff80000000000005802000000c3a97100635f636f646563730a656e636f64650a710158020000006162710258060000006c6174696e3171038671045271057d71062858010000006b71075d7108284e88654b03580100000078710975635f5f6275696c74696e5f5f0a66726f7a656e7365740a710a5d710b4b026185710c52710d635f5f6275696c74696e5f5f0a6279746561727261790a710e680158010000007a710f6803867110527111857112527113635f5f6275696c74696e5f5f0a736c6963650a71144b014b054b028771155271168a0500000080004affffffff7471172e',
  4: '8004958000000000000000284b018a090000000000000000c0473ff80000000000008c02c3a99443026162947d94288c016b945d94284e88654b038c01789475284b0291948c086275696c74696e73948c0962797465617272617994939443017a948594529468078c05736c6963659493944b014b054b02879452948a0500000080004affffffff74942e',
  5: '8005957300000000000000284b018a090000000000000000c0473ff80000000000008c02c3a99443026162947d94288c016b945d94284e88654b038c01789475284b0291949601000000000000007a948c086275696c74696e73948c05736c6963659493944b014b054b02879452948a0500000080004affffffff74942e',
};

describe('loadPickle: built-in values', () => {
  for (const [proto, h] of Object.entries(TUPLE)) {
    it(`protocol ${proto}`, () => {
      const bytes = hex(h);
      const { value, end } = loadPickle(bytes, 't.pkl');
      expect(end).toBe(bytes.length);
      expect(isPyTuple(value)).toBe(true);
      const v = value as readonly PyValue[];
      expect(v.slice(0, 4)).toEqual([1n, -(2n ** 70n), 1.5, 'é']);
      expect(Array.from(v[4] as Uint8Array)).toEqual([0x61, 0x62]);
      const d = v[5] as Map<unknown, unknown>;
      expect([...d.keys()]).toEqual(['k', 3n]);
      expect(d.get('k')).toEqual([null, true]);
      expect(isPyTuple(d.get('k'))).toBe(false);
      expect(d.get(3n)).toBe('x');
      expect([...(v[6] as Set<unknown>)]).toEqual([2n]);
      expect(Array.from(v[7] as Uint8Array)).toEqual([0x7a]);
      const s = v[8] as PySlice;
      expect(s).toBeInstanceOf(PySlice);
      expect(s.indices(10)).toEqual([1, 3]);
      expect(v.slice(9)).toEqual([2147483648n, -1n]);
    });
  }

  it('refuses a global that is not whitelisted, naming it, without running anything', () => {
    // protocol 4: 'os' 'system' STACK_GLOBAL ('echo',) REDUCE STOP
    const bytes = hex('80048c026f738c0673797374656d938c046563686f8552' + '2e');
    expect(() => loadPickle(bytes, 'evil.pkl')).toThrow(FormatError);
    expect(() => loadPickle(bytes, 'evil.pkl')).toThrow(/evil\.pkl @ byte 14: pickle: global os\.system is not one this reader reconstructs/);
    // protocol 2 GLOBAL opcode
    expect(() => loadPickle(hex('8002636275696c74696e730a6576616c0a2e'), 'g.pkl')).toThrow(/global builtins\.eval is not/);
  });

  it('reports truncation, bad memo references, unknown opcodes and protocol 0 text with the offset', () => {
    expect(() => loadPickle(hex('80048c05616263'), 'a.pkl')).toThrow(/a\.pkl @ byte 2: pickle: truncated: 5 byte\(s\) needed at byte 4, the data end at 7/);
    expect(() => loadPickle(hex('8004680a2e'), 'b.pkl')).toThrow(/b\.pkl @ byte 2: pickle: memo entry 10 was never stored/);
    expect(() => loadPickle(hex('8004ff2e'), 'c.pkl')).toThrow(/c\.pkl @ byte 2: pickle: unknown or unsupported opcode 0xff/);
    expect(() => loadPickle(hex('8006'), 'd.pkl')).toThrow(/protocol 6 is newer than 5/);
    expect(() => loadPickle(hex('2e'), 'e.pkl')).toThrow(/e\.pkl @ byte 0: pickle: stack underflow/);
    expect(() => loadPickles(hex('80044b012e'), 'f.pkl', 2)).toThrow(/f\.pkl @ byte 5: pickle: expected 2 consecutive pickles, the data end after 1/);
  });
});

describe('loadPickles: pandas 1.5.3 AA5 unit files', () => {
  it('protocol 4: unitInfo with NumPy scalars and arrays, DataFrames with an Int64Index and object columns', () => {
    const [info, abs, rel] = fixture('goodPlayback-e3-c12.pkl');
    const i = info as Map<string, PyValue>;
    expect([...i.keys()]).toEqual(['Bird', 'Electrode', 'Sort', 'SpikeSNR', 'RateThreshold', 'KDE_BW', 'nStim', 'SpikeShape', 'SpikeStd']);
    expect([i.get('Bird'), i.get('Electrode'), i.get('Sort'), i.get('SpikeSNR'), i.get('KDE_BW'), i.get('nStim')]).toEqual(['ZF4F', 3n, 2n, 6.25, 0.5, 2n]);
    expect(i.get('RateThreshold')).toBeNaN();
    const shape = i.get('SpikeShape') as NDArray;
    expect(shape.shape).toEqual([40]);
    expect(shape.dtype?.str).toBe('<f8');
    // round(sin(k/3)·100, 6) + 0.000049
    expect(shape.data[3]).toBeCloseTo(Math.round(Math.sin(1) * 100 * 1e6) / 1e6 + 0.000049, 12);
    expect((i.get('SpikeStd') as number[]).slice(0, 4)).toEqual([0.123449, 1.0, 2.00005, 0.0]);

    const a = abs as PdDataFrame;
    expect(a.index).toEqual([4n, 7n, 9n, 12n]);
    expect(a.columns).toEqual(['start_time', 'duration']);
    expect(a.column('start_time')).toEqual([100, 103.5, 110, NaN]);
    expect(a.column('duration')).toEqual([1, 2, 1.5, 1]);
    expect(a.rowOf(9n)).toBe(2);
    expect(a.rowOf(15n)).toBe(-1);

    const r = rel as PdDataFrame;
    expect(r.columns).toEqual(['file', 'tStim', 'stimWav', 'trialInd', 'spikeTimes', 'micWav', 'call_type', 'relation_short']);
    expect(r.column('file')).toEqual(['AbcDef0001_MAF_Te_1-1_fs25k.wav', 'stim1.wav']);
    expect(r.column('trialInd')).toEqual([[4n, 9n], [7n, 12n, 15n]]);
    expect(Array.from((r.column('stimWav')[0] as NDArray).data as Float64Array)).toEqual([0, 0, 1000, -1000, 32767, -32767, 0, 5]);
    expect(Array.from((r.column('tStim')[1] as NDArray).data as Float64Array)).toEqual([0, 1, 2, 3, 4, 5].map((k) => -0.5 + k / 32000));
    const sp = (r.column('spikeTimes')[1] as NDArray[]).map((x) => Array.from(x.data as Float64Array));
    expect(sp).toEqual([[1, 4.5], [0.002], [-0.1, 0.3]]);
    expect(r.column('call_type')).toEqual(['Te', 'So']);
    expect(r.column('relation_short')).toEqual(['Fam', 'Self']);
    expect(() => r.column('nope')).toThrow(/DataFrame has no column 'nope'/);
  });

  it('protocol 5 (in-band buffers): Python ints and an int64 trialInd array', () => {
    const [info, abs, rel] = fixture('goodPlayback-e0-c5.pkl');
    const i = info as Map<string, PyValue>;
    expect([i.get('Electrode'), i.get('SpikeSNR'), i.get('KDE_BW'), i.has('Bird')]).toEqual([0n, 4n, Infinity, false]);
    expect(Array.from((i.get('SpikeStd') as NDArray).data as Float64Array)).toEqual(new Array(40).fill(0.25));
    expect((abs as PdDataFrame).index).toEqual([4n, 9n]);
    const ti = (rel as PdDataFrame).column('trialInd')[0] as NDArray;
    expect([ti.dtype?.str, ti.item(0), ti.item(1)]).toEqual(['<i8', 9n, 4n]);
  });

  it('protocol 2: a RangeIndex and a NaN in an object column', () => {
    const [info, abs, rel] = fixture('goodPlayback-e2-c1.pkl');
    expect((info as Map<string, PyValue>).get('Bird')).toBe('ZF7F');
    expect((abs as PdDataFrame).index).toEqual([0n, 1n]);
    expect((abs as PdDataFrame).column('start_time')).toEqual([5, 8]);
    expect((rel as PdDataFrame).column('relation_short')).toEqual([NaN]);
    expect((rel as PdDataFrame).column('trialInd')).toEqual([[0n, 1n]]);
  });
});

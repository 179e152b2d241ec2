/**
 * Python pickle reader (protocols 2–5) that never executes anything: a pickle VM whose `GLOBAL` /
 * `STACK_GLOBAL` opcodes resolve only against a whitelist of reconstructors written here (built-in
 * types, NumPy arrays / dtypes / scalars, pandas 1.x DataFrames and their indexes and block
 * managers: src/io/pickle-globals.ts). Any other global is a `FormatError` naming it.
 *
 * Value model: Python `None` → `null`, `bool` → boolean, `int` → `bigint` (so JSON writers can
 * tell `3` from `3.0`), `float` → number, `str` → string, `bytes` / `bytearray` → `Uint8Array`,
 * `list` → array, `tuple` → frozen array ({@link isPyTuple}), `dict` → `Map`, `set` / `frozenset`
 * → `Set`, NumPy arrays → {@link NDArray}, NumPy scalars → their Python value, pandas DataFrames
 * → {@link PdDataFrame}. Format notes: docs/zoo/aa5.md ("Preparing the raw release").
 * @module
 */
import { FormatError } from '../errors.js';
import { findGlobal } from './pickle-globals.js';
import { isPyTuple, PickleDataError, PyCallable, PyObject, type PyKey, type PyValue } from './pickle-types.js';

export { isPyTuple, PickleDataError, PyCallable, PyObject, PySlice, type PyKey, type PyValue } from './pickle-types.js';

const MARK = Symbol('mark');
type Slot = PyValue | typeof MARK;
const dec = new TextDecoder('utf-8', { fatal: true });

function isKey(v: PyValue): v is PyKey {
  return v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string';
}

/** The VM state of one `load`. */
class Machine {
  private pos: number;
  private stack: Slot[] = [];
  private readonly memo = new Map<number, PyValue>();
  private op = 0;

  constructor(private readonly b: Uint8Array, private readonly file: string, start: number) {
    this.pos = start;
  }

  private fail(msg: string, at = this.op): never {
    throw new FormatError(this.file, `pickle: ${msg}`, at);
  }

  private need(n: number): number {
    if (!(n >= 0) || this.pos + n > this.b.length) this.fail(`truncated: ${n} byte(s) needed at byte ${this.pos}, the data end at ${this.b.length}`);
    const p = this.pos;
    this.pos += n;
    return p;
  }

  private u8(): number {
    return this.b[this.need(1)];
  }

  private uint(n: 2 | 4 | 8): number {
    const p = this.need(n);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + this.b[p + i];
    return v;
  }

  private bytes(n: number): Uint8Array {
    const p = this.need(n);
    return this.b.subarray(p, p + n);
  }

  private text(n: number): string {
    const raw = this.bytes(n);
    try {
      return dec.decode(raw);
    } catch {
      return this.fail('string is not valid UTF-8');
    }
  }

  private line(): string {
    const end = this.b.indexOf(10, this.pos);
    if (end < 0) this.fail('missing end of line');
    const s = String.fromCharCode(...this.b.subarray(this.pos, Math.min(end, this.pos + 4096)));
    this.pos = end + 1;
    return s;
  }

  private pop(): PyValue {
    const v = this.stack.pop();
    if (v === undefined) this.fail('stack underflow');
    if (v === MARK) this.fail('unexpected MARK on the stack');
    return v;
  }

  private top(): PyValue {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined) this.fail('stack underflow');
    if (v === MARK) this.fail('unexpected MARK on the stack');
    return v;
  }

  private popMark(): PyValue[] {
    const k = this.stack.lastIndexOf(MARK);
    if (k < 0) this.fail('no MARK on the stack');
    const items = this.stack.splice(k) as PyValue[];
    items.shift();
    return items;
  }

  private push(v: PyValue): void {
    this.stack.push(v);
  }

  private long(n: number): bigint {
    const p = this.need(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.b[p + i]);
    if (n > 0 && this.b[p + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v;
  }

  private setItems(d: PyValue, items: PyValue[]): void {
    if (!(d instanceof Map)) this.fail('SETITEM(S) on something that is not a dict');
    if (items.length % 2) this.fail('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) {
      const k = items[i];
      if (!isKey(k)) this.fail('dict key is not a str, int, float, bool or None');
      d.set(k, items[i + 1]);
    }
  }

  private addItems(s: PyValue, items: PyValue[]): Set<PyKey> {
    if (!(s instanceof Set)) this.fail('ADDITEMS on something that is not a set');
    for (const k of items) {
      if (!isKey(k)) this.fail('set element is not a str, int, float, bool or None');
      s.add(k);
    }
    return s;
  }

  private call(fn: PyValue, args: PyValue, kind: 'REDUCE' | 'NEWOBJ'): PyValue {
    if (!(fn instanceof PyCallable)) this.fail(`${kind} on something that is not a whitelisted global`);
    if (!isPyTuple(args)) this.fail(`${kind} arguments of ${fn.qualname} are not a tuple`);
    try {
      return kind === 'REDUCE' ? fn.call(args) : fn.newobj(args);
    } catch (e) {
      if (e instanceof PickleDataError) this.fail(`${fn.qualname}: ${e.message}`);
      throw e;
    }
  }

  private build(obj: PyValue, state: PyValue): void {
    if (!(obj instanceof PyObject)) this.fail('BUILD on something that is not a reconstructed object');
    try {
      obj.setState(state);
    } catch (e) {
      if (e instanceof PickleDataError) this.fail(`BUILD: ${e.message}`);
      throw e;
    }
  }

  private global(module: string, name: string): PyCallable {
    const g = findGlobal(module, name);
    if (!g) this.fail(`global ${module}.${name} is not one this reader reconstructs (it never executes code from a pickle)`);
    return g;
  }

  run(): { value: PyValue; end: number } {
    for (;;) {
      this.op = this.pos;
      const code = this.u8();
      switch (code) {
        case 0x80: { // PROTO
          const v = this.u8();
          if (v > 5) this.fail(`protocol ${v} is newer than 5`);
          break;
        }
        case 0x95: this.need(8); break; // FRAME: the frame's bytes follow inline
        case 0x2e: { // STOP
          const value = this.pop();
          return { value, end: this.pos };
        }
        case 0x28: this.stack.push(MARK); break; // MARK
        case 0x30: this.pop(); break; // POP
        case 0x31: this.popMark(); break; // POP_MARK
        case 0x32: this.push(this.top()); break; // DUP
        case 0x4e: this.push(null); break; // NONE
        case 0x88: this.push(true); break; // NEWTRUE
        case 0x89: this.push(false); break; // NEWFALSE
        case 0x4a: { const p = this.need(4); this.push(BigInt(new DataView(this.b.buffer, this.b.byteOffset + p, 4).getInt32(0, true))); break; } // BININT
        case 0x4b: this.push(BigInt(this.u8())); break; // BININT1
        case 0x4d: this.push(BigInt(this.uint(2))); break; // BININT2
        case 0x8a: this.push(this.long(this.u8())); break; // LONG1
        case 0x8b: { // LONG4
          const p = this.need(4);
          const n = new DataView(this.b.buffer, this.b.byteOffset + p, 4).getInt32(0, true);
          if (n < 0) this.fail(`LONG4 with negative length ${n}`);
          this.push(this.long(n));
          break;
        }
        case 0x47: { const p = this.need(8); this.push(new DataView(this.b.buffer, this.b.byteOffset + p, 8).getFloat64(0, false)); break; } // BINFLOAT
        case 0x49: { // INT (text)
          const s = this.line().trim();
          if (s === '00' || s === '01') this.push(s === '01');
          else if (/^[+-]?\d+$/.test(s)) this.push(BigInt(s));
          else this.fail(`bad INT '${s.slice(0, 40)}'`);
          break;
        }
        case 0x4c: { // LONG (text)
          const s = this.line().trim().replace(/L$/, '');
          if (!/^[+-]?\d+$/.test(s)) this.fail(`bad LONG '${s.slice(0, 40)}'`);
          this.push(BigInt(s));
          break;
        }
        case 0x46: { // FLOAT (text)
          const s = this.line().trim();
          const v = Number(s);
          if (s === '' || (Number.isNaN(v) && !/^[+-]?nan$/i.test(s))) this.fail(`bad FLOAT '${s.slice(0, 40)}'`);
          this.push(v);
          break;
        }
        case 0x8c: this.push(this.text(this.u8())); break; // SHORT_BINUNICODE
        case 0x58: this.push(this.text(this.uint(4))); break; // BINUNICODE
        case 0x8d: this.push(this.text(this.uint(8))); break; // BINUNICODE8
        case 0x43: this.push(this.bytes(this.u8())); break; // SHORT_BINBYTES
        case 0x42: this.push(this.bytes(this.uint(4))); break; // BINBYTES
        case 0x8e: this.push(this.bytes(this.uint(8))); break; // BINBYTES8
        case 0x96: this.push(this.bytes(this.uint(8)).slice()); break; // BYTEARRAY8
        case 0x55: this.push(String.fromCharCode(...this.bytes(this.u8()))); break; // SHORT_BINSTRING (Python 2 str, latin-1)
        case 0x54: { // BINSTRING
          const p = this.need(4);
          const n = new DataView(this.b.buffer, this.b.byteOffset + p, 4).getInt32(0, true);
          if (n < 0) this.fail(`BINSTRING with negative length ${n}`);
          const raw = this.bytes(n);
          let s = '';
          for (let i = 0; i < raw.length; i += 8192) s += String.fromCharCode(...raw.subarray(i, i + 8192));
          this.push(s);
          break;
        }
        case 0x5d: this.push([]); break; // EMPTY_LIST
        case 0x6c: this.push(this.popMark()); break; // LIST
        case 0x61: { const v = this.pop(); const l = this.top(); if (!Array.isArray(l) || Object.isFrozen(l)) this.fail('APPEND to something that is not a list'); (l as PyValue[]).push(v); break; } // APPEND
        case 0x65: { const items = this.popMark(); const l = this.top(); if (!Array.isArray(l) || Object.isFrozen(l)) this.fail('APPENDS to something that is not a list'); for (const v of items) (l as PyValue[]).push(v); break; } // APPENDS
        case 0x29: this.push(Object.freeze([])); break; // EMPTY_TUPLE
        case 0x74: this.push(Object.freeze(this.popMark())); break; // TUPLE
        case 0x85: { const a = this.pop(); this.push(Object.freeze([a])); break; } // TUPLE1
        case 0x86: { const b = this.pop(); const a = this.pop(); this.push(Object.freeze([a, b])); break; } // TUPLE2
        case 0x87: { const c = this.pop(); const b = this.pop(); const a = this.pop(); this.push(Object.freeze([a, b, c])); break; } // TUPLE3
        case 0x7d: this.push(new Map()); break; // EMPTY_DICT
        case 0x64: { const d = new Map<PyKey, PyValue>(); this.setItems(d, this.popMark()); this.push(d); break; } // DICT
        case 0x73: { const v = this.pop(); const k = this.pop(); this.setItems(this.top(), [k, v]); break; } // SETITEM
        case 0x75: { const items = this.popMark(); this.setItems(this.top(), items); break; } // SETITEMS
        case 0x8f: this.push(new Set()); break; // EMPTY_SET
        case 0x90: { const items = this.popMark(); this.addItems(this.top(), items); break; } // ADDITEMS
        case 0x91: this.push(this.addItems(new Set(), this.popMark())); break; // FROZENSET
        case 0x63: { const module = this.line(); const name = this.line(); this.push(this.global(module, name)); break; } // GLOBAL
        case 0x93: { // STACK_GLOBAL
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL needs two strings');
          this.push(this.global(module, name));
          break;
        }
        case 0x52: { const args = this.pop(); const fn = this.pop(); this.push(this.call(fn, args, 'REDUCE')); break; } // REDUCE
        case 0x81: { const args = this.pop(); const cls = this.pop(); this.push(this.call(cls, args, 'NEWOBJ')); break; } // NEWOBJ
        case 0x92: { // NEWOBJ_EX
          const kwargs = this.pop();
          const args = this.pop();
          const cls = this.pop();
          if (!(kwargs instanceof Map) || kwargs.size) this.fail('NEWOBJ_EX with keyword arguments is not supported');
          this.push(this.call(cls, args, 'NEWOBJ'));
          break;
        }
        case 0x62: { const state = this.pop(); this.build(this.top(), state); break; } // BUILD
        case 0x70: this.memo.set(this.memoIndex(this.line()), this.top()); break; // PUT
        case 0x71: this.memo.set(this.u8(), this.top()); break; // BINPUT
        case 0x72: this.memo.set(this.uint(4), this.top()); break; // LONG_BINPUT
        case 0x94: this.memo.set(this.memo.size, this.top()); break; // MEMOIZE
        case 0x67: this.push(this.get(this.memoIndex(this.line()))); break; // GET
        case 0x68: this.push(this.get(this.u8())); break; // BINGET
        case 0x6a: this.push(this.get(this.uint(4))); break; // LONG_BINGET
        case 0x98: break; // READONLY_BUFFER: the buffer on the stack is already read-only data
        case 0x97: this.fail('NEXT_BUFFER: out-of-band buffers are not supported'); break;
        case 0x50: case 0x51: this.fail('persistent ids are not supported'); break;
        case 0x82: case 0x83: case 0x84: this.fail('extension registry codes are not supported'); break;
        case 0x69: case 0x6f: this.fail('INST / OBJ (protocol 0/1 class instances) are not supported'); break;
        default: this.fail(`unknown or unsupported opcode 0x${code.toString(16).padStart(2, '0')}`);
      }
    }
  }

  private memoIndex(s: string): number {
    if (!/^\d+$/.test(s.trim())) this.fail(`bad memo index '${s.slice(0, 40)}'`);
    return Number(s.trim());
  }

  private get(i: number): PyValue {
    if (!this.memo.has(i)) this.fail(`memo entry ${i} was never stored`);
    return this.memo.get(i) as PyValue;
  }
}

/**
 * Reads one pickle starting at byte `start` of `bytes`.
 * @returns the value and the offset just after its STOP opcode
 * @throws FormatError naming `file`, the opcode's offset and the fault (truncation, unknown opcode, a global that is not whitelisted, inconsistent NumPy / pandas state)
 * @example
 * ```ts
 * const { value, end } = loadPickle(bytes, 'goodPlayback-e3-c12.pkl');
 * ```
 */
export function loadPickle(bytes: Uint8Array, file: string, start = 0): { value: PyValue; end: number } {
  return new Machine(bytes, file, start).run();
}

/**
 * Reads `count` consecutive pickles (each with its own memo, as `pickle.load` called `count`
 * times on one file does).
 * @throws FormatError as {@link loadPickle}
 * @example
 * ```ts
 * const [unitInfo, dfAbsTime, dfRelTime] = loadPickles(bytes, 'goodPlayback-e3-c12.pkl', 3);
 * ```
 */
export function loadPickles(bytes: Uint8Array, file: string, count: number): PyValue[] {
  const out: PyValue[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at >= bytes.length) throw new FormatError(file, `pickle: expected ${count} consecutive pickles, the data end after ${i}`, at);
    const r = loadPickle(bytes, file, at);
    out.push(r.value);
    at = r.end;
  }
  return out;
}

/**
 * JSON as Python's `json` module writes it: standard JSON plus the bare tokens `NaN`,
 * `Infinity` and `-Infinity` (non-finite floats). Valid standard JSON goes through the engine's
 * `JSON.parse`; anything else is re-read by a small strict parser that accepts the three
 * non-finite tokens and otherwise reports the first error with its line, column and offset.
 * @module
 */
import { FormatError } from '../errors.js';

/**
 * A parsed JSON value.
 * @example
 * ```ts
 * const v: JsonValue = parseJson(text, 'm.json'); if (Array.isArray(v)) v.length;
 * ```
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Nesting deeper than this is reported as an error instead of exhausting the stack. */
const MAX_DEPTH = 2000;

/**
 * Parses JSON text (or UTF-8 bytes), accepting Python's `NaN` / `Infinity` / `-Infinity`.
 * @throws FormatError naming the file, line, column and character offset of the first error, and what was expected
 * @example
 * ```ts
 * const pb = parseJson('{"rms": NaN, "gain": -Infinity}', 'playbacks.json') as { rms: number };
 * Number.isNaN(pb.rms); // true
 * ```
 */
export function parseJson(input: string | Uint8Array, fileName = '<text>'): JsonValue {
  let text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return new JsonParser(text, fileName).parseDocument();
  }
}

class JsonParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly file: string,
  ) {}

  private fail(what: string, at = this.i): never {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < this.s.length; k++) {
      if (this.s.charCodeAt(k) === 0x0a) {
        line++;
        col = 1;
      } else col++;
    }
    const found = at >= this.s.length ? 'the end of the text' : JSON.stringify(this.s.slice(at, at + 12));
    throw new FormatError(this.file, `line ${line}, column ${col}: expected ${what}, found ${found}`, at);
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  parseDocument(): JsonValue {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i < this.s.length) this.fail('the end of the text after the top-level value');
    return v;
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`at most ${MAX_DEPTH} levels of nesting`);
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 0x7b) return this.object(depth);
    if (c === 0x5b) return this.array(depth);
    if (c === 0x22) return this.string();
    if (s.startsWith('true', this.i)) return this.word(4, true);
    if (s.startsWith('false', this.i)) return this.word(5, false);
    if (s.startsWith('null', this.i)) return this.word(4, null);
    if (s.startsWith('NaN', this.i)) return this.word(3, Number.NaN);
    if (s.startsWith('Infinity', this.i)) return this.word(8, Infinity);
    if (s.startsWith('-Infinity', this.i)) return this.word(9, -Infinity);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    return this.fail('a value (object, array, string, number, true, false, null, NaN, Infinity)');
  }

  private word<T>(n: number, v: T): T {
    this.i += n;
    return v;
  }

  private number(): number {
    const re = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    re.lastIndex = this.i;
    const m = re.exec(this.s);
    if (!m || m[0] === '-' || m[0] === '') this.fail('a number');
    this.i += m[0].length;
    return Number(m[0]);
  }

  private string(): string {
    const s = this.s;
    const start = this.i;
    let i = this.i + 1;
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= s.length) this.fail('a closing quote for the string', start);
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) this.fail('no raw control character inside a string', i);
      if (c === 0x5c) {
        out += s.slice(chunk, i);
        const e = s[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && Object.prototype.hasOwnProperty.call(simple, e)) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
        } else this.fail('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)', i);
        chunk = i;
        continue;
      }
      i++;
    }
    out += s.slice(chunk, i);
    this.i = i + 1;
    return out;
  }

  private array(depth: number): JsonValue[] {
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) this.i++;
      else if (c === 0x5d) {
        this.i++;
        return out;
      } else this.fail("',' or ']' in an array");
    }
  }

  private object(depth: number): { [key: string]: JsonValue } {
    this.i++;
    const out: { [key: string]: JsonValue } = {};
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x22) this.fail('a string key in an object');
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x3a) this.fail("':' after an object key");
      this.i++;
      this.ws();
      const v = this.value(depth + 1);
      // defineProperty: a "__proto__" key is data, as with JSON.parse.
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) this.i++;
      else if (c === 0x7d) {
        this.i++;
        return out;
      } else this.fail("',' or '}' in an object");
    }
  }
}

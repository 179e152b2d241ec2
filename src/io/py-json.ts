/**
 * JSON text exactly as Python's `json.dumps(obj, indent=n)` writes it (ASCII-escaped, `", "`-less
 * separators `","` and `": "` with an indent, bare `NaN` / `Infinity` / `-Infinity`, floats in
 * Python's shortest `repr`). Python's `int` and `float` are told apart by type: a `bigint` is an
 * int (`3`), a `number` a float (`3.0`). The parser side is src/io/json.ts.
 * @module
 */

/**
 * A value Python's `json` module can write: bigint = int, number = float.
 * @example
 * ```ts
 * const v: PyJson = { trial: 3n, start_time: 10, mic_second: NaN };
 * ```
 */
export type PyJson = null | boolean | number | bigint | string | PyJson[] | { [key: string]: PyJson };

/**
 * Python's `repr(float)`: the shortest digits that round-trip, fixed notation for exponents
 * −4 … 15 (always with a fractional part: `10.0`), else scientific with a signed two-digit
 * exponent (`1e-05`, `1.5e+16`); `NaN`, `Infinity`, `-Infinity` as the json module writes them.
 * @example
 * ```ts
 * pyFloatRepr(10); // '10.0'
 * pyFloatRepr(1e-5); // '1e-05'
 * pyFloatRepr(1e16); // '1e+16'
 * ```
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = Math.abs(x).toExponential().split('e');
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${int}.${frac || '0'}`;
}

/** Python's `json` string encoding with `ensure_ascii=True`. */
function pyString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Python's `json.dumps(value, indent=indent)` (`indent` null = the compact `", "` / `": "` form).
 * @example
 * ```ts
 * pyJsonDumps([{ trial: 0n, t: 1.5, m: NaN }], 1);
 * // '[\n {\n  "trial": 0,\n  "t": 1.5,\n  "m": NaN\n }\n]'
 * ```
 */
export function pyJsonDumps(value: PyJson, indent: number | null = null): string {
  const item = indent === null ? ', ' : ',';
  const write = (v: PyJson, depth: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return pyFloatRepr(v);
    if (typeof v === 'string') return pyString(v);
    const entries = Array.isArray(v) ? v.map((x) => write(x, depth + 1)) : Object.entries(v).map(([k, x]) => `${pyString(k)}: ${write(x, depth + 1)}`);
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    if (indent === null) return open + entries.join(item) + close;
    const pad = '\n' + ' '.repeat(indent * (depth + 1));
    return open + pad + entries.join(item + pad) + '\n' + ' '.repeat(indent * depth) + close;
  };
  return write(value, 0);
}

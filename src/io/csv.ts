/**
 * CSV (RFC 4180): quoted fields with doubled quotes, embedded delimiters and line breaks; CRLF or
 * LF line ends; a UTF-8 BOM is dropped; blank lines are skipped (as pandas does). Optional header
 * row and pandas-like per-column type inference. `parseCsvMatrix` is the fast path for headerless
 * all-numeric files (NEMS rasterized signals).
 * @module
 */
import { FormatError } from '../errors.js';

/**
 * One parsed cell: text, or a number / boolean / null when `inferTypes` is on.
 * @example
 * ```ts
 * const c: CsvCell = table.rows[0][2]; if (typeof c === 'number') total += c;
 * ```
 */
export type CsvCell = string | number | boolean | null;

/**
 * Options of `parseCsv`.
 * @example
 * ```ts
 * parseCsv(text, 'cells.csv', { inferTypes: true, naValues: ['', 'NA'] });
 * ```
 */
export interface CsvOptions {
  /** Field separator (one character). Default `','`. */
  delimiter?: string;
  /** First row is the header. Default `true`. */
  header?: boolean;
  /** Trim spaces and tabs around unquoted fields. Default `false`. */
  trim?: boolean;
  /**
   * Per-column inference like pandas `read_csv`: a column whose non-missing cells are all
   * numbers (including `nan`, `inf`) becomes numbers (missing → `NaN`); all `true`/`false` (any
   * case) becomes booleans (missing → `null`); otherwise it stays text (missing → `null`), so a
   * column holding `56` and `1-3` stays text. Default `false` (every cell is a string).
   */
  inferTypes?: boolean;
  /** Cells treated as missing by `inferTypes`. Default: pandas' NA tokens (`''`, `NA`, `NaN`, `nan`, `null`, `None`, `N/A`, `#N/A`, `<NA>`, ...). */
  naValues?: readonly string[];
}

/**
 * A parsed table: `header` (or null) and `rows`; every row has the header's width when there is a header.
 * @example
 * ```ts
 * const { header, rows } = parseCsv('start,end,name\n0,1.5,"a, b"\n', 'e.csv', { inferTypes: true });
 * rows[0]; // [0, 1.5, 'a, b']
 * ```
 */
export interface CsvTable {
  header: string[] | null;
  rows: CsvCell[][];
}

/**
 * pandas' default NA strings.
 * @example
 * ```ts
 * parseCsv(text, 'x.csv', { inferTypes: true, naValues: [...PANDAS_NA_VALUES, '-'] });
 * ```
 */
export const PANDAS_NA_VALUES: readonly string[] = [
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA',
  'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
];

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_NUMBERS: Record<string, number> = {
  nan: Number.NaN, '+nan': Number.NaN, '-nan': Number.NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
  infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity,
};

/**
 * Parses a number the way Python's `float()` accepts it (no hex, no empty string), else null.
 * @example
 * ```ts
 * parseCsvNumber('1.5e+00'); // 1.5
 * parseCsvNumber('nan'); // NaN
 * parseCsvNumber('0x10'); // null
 * ```
 */
export function parseCsvNumber(s: string): number | null {
  if (NUMBER_RE.test(s)) return Number(s);
  const v = SPECIAL_NUMBERS[s.toLowerCase()];
  return v === undefined ? null : v;
}

const decode = (input: string | Uint8Array): string => {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
};

/** Splits CSV text into rows of raw string fields (RFC 4180). */
function tokenize(text: string, fileName: string, delimiter: string, trim: boolean): string[][] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new TypeError(`parseCsv(${fileName}): the delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  const d = delimiter.charCodeAt(0);
  const rows: string[][] = [];
  let row: string[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let rowIsBlank = true;
  while (i <= n) {
    // Start of a field.
    if (i < n && text.charCodeAt(i) === 0x22) {
      const startLine = line;
      const start = i;
      i++;
      let value = '';
      let chunk = i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          throw new FormatError(fileName, `expected a closing quote for the field opened on line ${startLine}`, start);
        }
        for (let k = i; k < q; k++) if (text.charCodeAt(k) === 0x0a) line++;
        if (text.charCodeAt(q + 1) === 0x22) {
          value += text.slice(chunk, q + 1);
          i = q + 2;
          chunk = i;
          continue;
        }
        value += text.slice(chunk, q);
        i = q + 1;
        break;
      }
      // After the closing quote: spaces (tolerated when trimming), then a delimiter or a line end.
      if (trim) while (i < n && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
      const c = i < n ? text.charCodeAt(i) : -1;
      if (c !== d && c !== 0x0a && c !== 0x0d && c !== -1) {
        throw new FormatError(fileName, `expected a delimiter or a line end after the closing quote on line ${line}, found ${JSON.stringify(text[i])}`, i);
      }
      row.push(value);
      rowIsBlank = false;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === d || c === 0x0a || c === 0x0d) break;
        j++;
      }
      let value = text.slice(i, j);
      if (trim) value = value.trim();
      if (value !== '' || j < n && text.charCodeAt(j) === d) rowIsBlank = false;
      row.push(value);
      i = j;
    }
    // End of field: delimiter → next field; line end or end of text → end of row.
    const c = i < n ? text.charCodeAt(i) : -1;
    if (c === d) {
      i++;
      if (i === n) {
        row.push('');
        rows.push(row);
        break;
      }
      continue;
    }
    if (!(rowIsBlank && row.length === 1)) rows.push(row);
    row = [];
    rowIsBlank = true;
    if (c === 0x0d) i += text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
    else if (c === 0x0a) i++;
    else break;
    line++;
    if (i === n) break;
  }
  return rows;
}

/**
 * Parses CSV text (or UTF-8 bytes).
 * @throws FormatError for an unterminated quote, text after a closing quote, or a row wider than the header (file, character offset, line)
 * @example
 * ```ts
 * const t = parseCsv(await readText('cell_list.csv'), 'cell_list.csv', { inferTypes: true });
 * const layer = t.rows.map((r) => r[t.header!.indexOf('layer')]);
 * ```
 */
export function parseCsv(input: string | Uint8Array, fileName = '<text>', options: CsvOptions = {}): CsvTable {
  const text = decode(input);
  const rows = tokenize(text, fileName, options.delimiter ?? ',', options.trim ?? false);
  let header: string[] | null = null;
  let body: CsvCell[][] = rows;
  if (options.header ?? true) {
    header = rows.length > 0 ? rows[0] : [];
    body = rows.slice(1);
    const w = header.length;
    for (let r = 0; r < body.length; r++) {
      const row = body[r];
      if (row.length > w) {
        throw new FormatError(fileName, `expected at most ${w} fields (the header's width) in data row ${r + 1}, found ${row.length}`);
      }
      while (row.length < w) row.push('');
    }
  }
  if (options.inferTypes) inferColumns(body, new Set(options.naValues ?? PANDAS_NA_VALUES));
  return { header, rows: body };
}

function inferColumns(rows: CsvCell[][], na: Set<string>): void {
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  for (let c = 0; c < width; c++) {
    let numeric = true;
    let boolean = true;
    for (const row of rows) {
      const s = row[c] as string | undefined;
      if (s === undefined || na.has(s)) continue;
      if (numeric && parseCsvNumber(s.trim()) === null) numeric = false;
      if (boolean) {
        const l = s.toLowerCase();
        if (l !== 'true' && l !== 'false') boolean = false;
      }
      if (!numeric && !boolean) break;
    }
    for (const row of rows) {
      if (c >= row.length) continue;
      const s = row[c] as string;
      if (na.has(s)) row[c] = numeric ? Number.NaN : null;
      else if (numeric) row[c] = parseCsvNumber(s.trim());
      else if (boolean) row[c] = s.toLowerCase() === 'true';
    }
  }
}

/** A numeric matrix read from CSV: `data[r * cols + c]`. */
export interface CsvMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/**
 * Incremental reader of a headerless all-numeric CSV (NEMS `*.resp.csv` / `*.stim.csv`: values
 * like `1.000000000000000000e+00`, missing as `nan`, every row the same width) fed in byte chunks,
 * so files larger than a JavaScript string can hold are read with memory bounded by the output
 * and one chunk. Cells: Python `float()` syntax (`nan`, `inf`, exponents); an empty cell is `NaN`
 * (as pandas reads it). Blank lines are skipped; CRLF and a UTF-8 BOM are accepted; quotes are
 * not (numeric files have none).
 * @example
 * ```ts
 * const r = new CsvMatrixReader('A1.resp.csv');
 * for await (const chunk of stream) r.push(chunk);
 * const { rows, cols, data } = r.finish();
 * ```
 */
export class CsvMatrixReader {
  private carry: Uint8Array = new Uint8Array(0);
  private consumed = 0; // bytes before `carry`
  private line = 0;
  private cols = -1;
  private count = 0;
  private data = new Float64Array(1024);
  private readonly delim: number;
  private readonly decoder = new TextDecoder('utf-8');
  private done = false;

  constructor(
    readonly fileName = '<stream>',
    options: { delimiter?: string } = {},
  ) {
    const d = options.delimiter ?? ',';
    if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
      throw new TypeError(`CsvMatrixReader(${fileName}): the delimiter must be one character other than a quote or line break, got ${JSON.stringify(d)}`);
    }
    this.delim = d.charCodeAt(0);
  }

  /** Parses every complete line of `chunk` (with what was left over from the previous chunk). */
  push(chunk: Uint8Array): void {
    if (this.done) throw new TypeError(`CsvMatrixReader(${this.fileName}): push after finish`);
    let buf: Uint8Array;
    if (this.carry.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
    }
    let start = 0;
    if (this.consumed === 0 && this.line === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) break;
      this.parseLine(buf, start, nl);
      start = nl + 1;
    }
    this.consumed += start;
    this.carry = buf.slice(start);
  }

  /** Parses the last line (if it has no final newline) and returns the matrix. */
  finish(): CsvMatrix {
    if (!this.done) {
      if (this.carry.length > 0) this.parseLine(this.carry, 0, this.carry.length);
      this.consumed += this.carry.length;
      this.carry = new Uint8Array(0);
      this.done = true;
    }
    const cols = Math.max(0, this.cols);
    return { rows: cols === 0 ? 0 : this.count / cols, cols, data: this.data.slice(0, this.count) };
  }

  private parseLine(buf: Uint8Array, from: number, to: number): void {
    this.line++;
    let end = to;
    if (end > from && buf[end - 1] === 0x0d) end--;
    if (end === from) return; // blank line
    const text = this.decoder.decode(buf.subarray(from, end));
    const lineStart = this.consumed + from;
    const d = this.delim;
    let a = 0;
    let col = 0;
    for (;;) {
      let b = a;
      while (b < text.length && text.charCodeAt(b) !== d) b++;
      this.append(this.cell(text, a, b, col, lineStart));
      col++;
      if (b >= text.length) break;
      a = b + 1;
    }
    if (this.cols < 0) this.cols = col;
    else if (col !== this.cols) {
      throw new FormatError(this.fileName, `expected ${this.cols} values on line ${this.line} (the first line's width), found ${col}`, lineStart);
    }
  }

  private cell(text: string, a: number, b: number, col: number, lineStart: number): number {
    while (a < b && (text.charCodeAt(a) === 0x20 || text.charCodeAt(a) === 0x09)) a++;
    while (b > a && (text.charCodeAt(b - 1) === 0x20 || text.charCodeAt(b - 1) === 0x09)) b--;
    if (a === b) return Number.NaN;
    const s = text.slice(a, b);
    // Number() is fast but also accepts hex/octal/binary prefixes and 'Infinity': only trust it on
    // plain decimal characters; anything else goes through the strict Python-float check.
    let plain = true;
    for (let i = 0; i < s.length && plain; i++) {
      const c = s.charCodeAt(i);
      plain = (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2b || c === 0x2d || c === 0x65 || c === 0x45;
    }
    const v = plain ? Number(s) : Number.NaN;
    if (!Number.isNaN(v)) return v;
    const strict = parseCsvNumber(s);
    if (strict === null) {
      throw new FormatError(this.fileName, `expected a number on line ${this.line}, column ${col + 1}, found ${JSON.stringify(s.slice(0, 40))}`, lineStart + a);
    }
    return strict;
  }

  private append(v: number): void {
    if (this.count === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.count++] = v;
  }
}

/**
 * A headerless all-numeric CSV as a row-major matrix, in one call (see `CsvMatrixReader` for
 * the rules and for reading in chunks).
 * @throws FormatError naming the line (and column) of a non-numeric cell or a ragged row, with its byte offset
 * @example
 * ```ts
 * const { rows, cols, data } = parseCsvMatrix(text, 'site.resp.csv'); // data[r * cols + c]
 * ```
 */
export function parseCsvMatrix(input: string | Uint8Array, fileName = '<text>', options: { delimiter?: string } = {}): CsvMatrix {
  const reader = new CsvMatrixReader(fileName, options);
  reader.push(typeof input === 'string' ? new TextEncoder().encode(input) : input);
  return reader.finish();
}

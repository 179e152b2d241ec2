/**
 * CSV (RFC 4180): quoted fields with doubled quotes, embedded delimiters and line breaks; CRLF or
 * LF line ends; a UTF-8 BOM is dropped; blank lines are skipped (as pandas does). Optional header
 * row and pandas-like per-column type inference. `parseCsvMatrix` is the fast path for headerless
 * all-numeric files (NEMS rasterized signals).
 * @module
 */
import { FormatError } from '../errors.js';

/** One parsed cell: text, or a number / boolean / null when `inferTypes` is on. */
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

/** pandas' default NA strings. */
export const PANDAS_NA_VALUES: readonly string[] = [
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA',
  'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
];

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_NUMBERS: Record<string, number> = {
  nan: Number.NaN, '+nan': Number.NaN, '-nan': Number.NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
  infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity,
};

/** Parses a number the way Python's `float()` accepts it (no hex, no empty string), else null. */
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

/**
 * A headerless all-numeric CSV as a row-major matrix (NEMS `*.resp.csv` / `*.stim.csv`: values
 * like `1.0e+00`, missing as `nan`). Every row must have the same width.
 * @throws FormatError naming the line and column of a non-numeric cell or a ragged row
 * @example
 * ```ts
 * const { rows, cols, data } = parseCsvMatrix(text, 'site.resp.csv'); // data[r * cols + c]
 * ```
 */
export function parseCsvMatrix(input: string | Uint8Array, fileName = '<text>', options: { delimiter?: string } = {}): { rows: number; cols: number; data: Float64Array } {
  const rows = tokenize(decode(input), fileName, options.delimiter ?? ',', true);
  const cols = rows.length > 0 ? rows[0].length : 0;
  const data = new Float64Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== cols) throw new FormatError(fileName, `expected ${cols} values on line ${r + 1} (the first line's width), found ${row.length}`);
    for (let c = 0; c < cols; c++) {
      const v = parseCsvNumber(row[c]);
      if (v === null) throw new FormatError(fileName, `expected a number on line ${r + 1}, column ${c + 1}, found ${JSON.stringify(row[c])}`);
      data[r * cols + c] = v;
    }
  }
  return { rows: rows.length, cols, data };
}

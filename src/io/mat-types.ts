/**
 * The values `readMat` returns: one tagged union, `MatValue`, discriminated by `kind`.
 *
 * Layout convention (decided once for every kind): **arrays stay in MATLAB's column-major
 * order and keep MATLAB's shape**, nothing is transposed or squeezed. Element `(i, j, k)` of an
 * array of shape `[d0, d1, d2]` is at linear index `i + d0 * (j + d1 * k)`; a MATLAB `1xN`
 * vector is shape `[1, N]` and its values are simply `data[0..N-1]`. Every MAT array has at
 * least two dimensions. Loaders squeeze or unwrap `1x1` values themselves (see `matScalar`,
 * `matString` in `mat5.ts`).
 * @module
 */

/**
 * MATLAB numeric classes.
 * @example
 * ```ts
 * if (v.kind === 'numeric' && v.class === 'uint8') bytes = v.data as Uint8Array;
 * ```
 */
export type MatNumericClass =
  | 'double'
  | 'single'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64';

/**
 * The typed array holding each numeric class (`int64`/`uint64` use `BigInt64Array`/`BigUint64Array`).
 * @example
 * ```ts
 * const d: MatClassArrays['double'] = (v as MatNumeric<'double'>).data; // Float64Array
 * ```
 */
export interface MatClassArrays {
  double: Float64Array;
  single: Float32Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  int64: BigInt64Array;
  uint64: BigUint64Array;
}

/**
 * Any typed array `MatNumeric.data` can be.
 * @example
 * ```ts
 * const d: MatNumericData = (v as MatNumeric).data;
 * ```
 */
export type MatNumericData = MatClassArrays[MatNumericClass];

/**
 * A full numeric array, column-major, converted to its declared class even when the file stores
 * it in a smaller type (MATLAB writes e.g. a double `[1 2 3]` as uint8 bytes).
 * @example
 * ```ts
 * const x = readMat(bytes).X_nfht as MatNumeric; // shape [20, 34, 1, 999]
 * const v = x.data[n + 20 * (f + 34 * (0 + 1 * t))];
 * ```
 */
export interface MatNumeric<C extends MatNumericClass = MatNumericClass> {
  readonly kind: 'numeric';
  readonly class: C;
  readonly shape: number[];
  readonly data: MatClassArrays[C];
  /** Imaginary parts of a complex array (same class and length), else absent. */
  readonly imag?: MatClassArrays[C];
}

/**
 * A logical array: one byte per element, 0 or 1 (any non-zero stored value becomes 1).
 * @example
 * ```ts
 * const m = readMat(bytes).mask as MatLogical; m.data[0] === 1;
 * ```
 */
export interface MatLogical {
  readonly kind: 'logical';
  readonly shape: number[];
  readonly data: Uint8Array;
}

/**
 * A char array. `rows[r]` is row `r` of the (first dimension × the rest) character matrix
 * (trailing spaces kept, as MATLAB stores them); `text` is `rows.join('\n')`, so a `1xN` char
 * gives `text === rows[0]`, the usual MATLAB string.
 * @example
 * ```ts
 * const p = readMat(bytes).name as MatChar; p.text; // 'cluster.03.data.mat'
 * ```
 */
export interface MatChar {
  readonly kind: 'char';
  readonly shape: number[];
  readonly text: string;
  readonly rows: string[];
}

/**
 * A cell array: `cells` in column-major order (`cells.length === product(shape)`).
 * @example
 * ```ts
 * const c = readMat(bytes).names as MatCell; (c.cells[0] as MatChar).text;
 * ```
 */
export interface MatCell {
  readonly kind: 'cell';
  readonly shape: number[];
  readonly cells: MatValue[];
}

/**
 * A struct or struct array. `elements` is column-major (`elements.length === product(shape)`),
 * each element a plain object with exactly `fieldNames` as keys, in the file's field order.
 * A `1x1` struct has one element.
 * @example
 * ```ts
 * const data = readMat(bytes, 'cluster.03.data.mat').data as MatStruct;
 * const sets = data.elements[0].set as MatStruct;              // 1x32
 * const reps = sets.elements[0].repeats as MatStruct;          // 1x20
 * const t = (reps.elements[0].t as MatNumeric).data;           // spike times (ms)
 * ```
 */
export interface MatStruct {
  readonly kind: 'struct';
  readonly shape: number[];
  readonly fieldNames: string[];
  readonly elements: Record<string, MatValue>[];
}

/**
 * A sparse matrix as 0-based coordinate triplets in column-major order (MATLAB's CSC order):
 * entry `k` is `(rows[k], cols[k]) = values[k]` (+ `imag[k]`·i when complex). `values` is a
 * `Float64Array` (double) or a `Uint8Array` of 0/1 when `logical`.
 * @example
 * ```ts
 * const s = readMat(bytes).S as MatSparse; // s.shape [m, n]
 * for (let k = 0; k < s.values.length; k++) dense[s.rows[k] + s.shape[0] * s.cols[k]] = s.values[k];
 * ```
 */
export interface MatSparse {
  readonly kind: 'sparse';
  readonly shape: [number, number];
  readonly logical: boolean;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly values: Float64Array | Uint8Array;
  readonly imag?: Float64Array;
}

/**
 * A MATLAB object, function handle or opaque value (class `object`, `function`, `opaque`):
 * not decoded. `readMat` warns once per such value; at the top level the variable is left out
 * of the result, inside a struct or cell this placeholder keeps the other elements in place.
 * @example
 * ```ts
 * if (v.kind === 'skipped') console.log(v.matlabClass, v.className);
 * ```
 */
export interface MatSkipped {
  readonly kind: 'skipped';
  /** `'unread'`: a struct field left undecoded on request (`ReadMatOptions.skipFields`). */
  readonly matlabClass: 'object' | 'function' | 'opaque' | 'unread';
  /** The object's class name when the file gives one (e.g. `'table'`), else `''`. */
  readonly className: string;
}

/**
 * Every value a MAT file can hold, after decoding.
 * @example
 * ```ts
 * const v: MatValue = readMat(bytes).x;
 * if (v.kind === 'numeric' && v.class === 'double') sum(v.data);
 * ```
 */
export type MatValue = MatNumeric | MatLogical | MatChar | MatCell | MatStruct | MatSparse | MatSkipped;

/**
 * Options of `readMat` / `readMatAsync`.
 * @example
 * ```ts
 * readMat(bytes, 'big.mat', { variables: ['trial'], onWarning: (m) => log.push(m) });
 * ```
 */
export interface ReadMatOptions {
  /**
   * Decode only these top-level variables. Others are skipped without being decoded; a
   * compressed variable is inflated only far enough to read its name.
   */
  variables?: readonly string[];
  /** Receives warnings (skipped objects, unusual encodings). Default: `console.warn`. */
  onWarning?: (message: string) => void;
  /**
   * `true` (default): numeric arrays are views into one private copy of the file, so the caller's
   * buffer is neither aliased nor retained. `false`: arrays of uncompressed variables are views
   * straight into `bytes` (zero-copy; fastest for one-shot loaders that drop the bytes after
   * reading) — do not modify `bytes` while the result is in use. Compressed variables always
   * live in their own inflated buffers.
   */
  copy?: boolean;
  /**
   * Struct fields (any depth) not to decode: their bytes are skipped and each element's value is
   * a shared `{ kind: 'skipped', matlabClass: 'unread' }` placeholder (no warning). E.g. NS1's
   * loader needs `repeats` but not the `spikes` copy of the same times: `skipFields: ['spikes']`.
   */
  skipFields?: readonly string[];
  /**
   * Decode only struct fields (any depth) with these names; every other field is skipped as with
   * `skipFields`. For structs whose other fields are unknown, e.g. Downer's `spike` (a large events
   * matrix next to `spktimes`): `keepFields: ['spktimes']`.
   */
  keepFields?: readonly string[];
}

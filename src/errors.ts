/**
 * Typed errors of deepstrf. Each message names what is wrong: the index, shape, field or file.
 * The reference's assertions map to these classes (CONTRACT, deliberate difference 5); index
 * errors are the built-in `RangeError`, wrong argument kinds the built-in `TypeError`.
 * @module
 */

/**
 * A bad value for an option or argument (the reference's `ValueError`).
 * @example
 * ```ts
 * try { mseLoss(p, g, { reduction: 'MEAN' as 'mean' }); }
 * catch (e) { if (e instanceof ValueError) console.log(e.message); }
 * ```
 */
export class ValueError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Tensors whose shapes do not fit together (rank, axis sizes, broadcasting).
 * @example
 * ```ts
 * import { fillMissingData, ShapeError } from 'deepstrf';
 * try { fillMissingData([a2d, b3d], -1, 0); } catch (e) { console.log(e instanceof ShapeError); }
 * ```
 */
export class ShapeError extends ValueError {}

/**
 * A dataset that breaks the data contract, thrown by `validate()` (the reference's assertions).
 * @example
 * ```ts
 * try { ds.validate(); } catch (e) { if (e instanceof DatasetValidationError) console.error(e.message); }
 * ```
 */
export class DatasetValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetValidationError';
  }
}

/**
 * A file that cannot be parsed or a resource that cannot be read. `file` names the file,
 * `offset` the byte offset where parsing failed (when known).
 * @example
 * ```ts
 * try { readMat(bytes, 'cell.mat'); } catch (e) { if (e instanceof FormatError) console.log(e.file, e.offset); }
 * ```
 */
export class FormatError extends Error {
  readonly file: string;
  readonly offset: number | undefined;
  constructor(file: string, message: string, offset?: number, options?: { cause?: unknown }) {
    super(`${file}${offset === undefined ? '' : ` @ byte ${offset}`}: ${message}`, options);
    this.name = 'FormatError';
    this.file = file;
    this.offset = offset;
  }
}

/**
 * Typed errors of deepstrf. Each message names what is wrong: the index, shape, field or file.
 * The reference's assertions map to these classes (docs/contract.md, deliberate differences); index
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

const MiB = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

/**
 * The wasm heap cannot grow enough for an allocation. `requested` is the block asked for,
 * `held` what the heap's blocks in use hold, `limit` the most the memory may grow to (4 GiB in
 * wasm32, less when the engine refuses). Freeing memory (`dispose()` of datasets, `close()` of
 * loaders) makes room again: the heap keeps working. See docs/memory.md.
 * @example
 * ```ts
 * try { new NS1Dataset({ path }); }
 * catch (e) { if (e instanceof HeapExhaustedError) console.log(e.requested, e.held, e.limit); }
 * ```
 */
export class HeapExhaustedError extends RangeError {
  /** Bytes asked for (the block, header included). */
  readonly requested: number;
  /** Bytes held by blocks in use when it failed. */
  readonly held: number;
  /** The most the memory may grow to, in bytes. */
  readonly limit: number;
  constructor(requested: number, held: number, limit: number) {
    super(
      `deepstrf wasm heap exhausted: asked for ${requested} bytes (${MiB(requested)}) while ${held} bytes (${MiB(held)}) are held, ` +
        `limit ${limit} bytes (${MiB(limit)}); dispose() datasets and close() loaders you no longer use (docs/memory.md)`,
    );
    this.name = 'HeapExhaustedError';
    this.requested = requested;
    this.held = held;
    this.limit = limit;
  }
}

/**
 * A dataset (or a tensor of its store) used after `dispose()`.
 * @example
 * ```ts
 * ds.dispose();
 * try { ds.get(0); } catch (e) { if (e instanceof DisposedError) console.log(e.message); }
 * ```
 */
export class DisposedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DisposedError';
  }
}

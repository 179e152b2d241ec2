// Public entry of deepstrf: named re-exports only.
export { ValueError, ShapeError, DatasetValidationError, FormatError } from './errors.js';
export type { DType, DTypeArrays, TypedArray, Tensor } from './tensor.js';
export { tensor, full, shapeSize, isTensor, asFloat32 } from './tensor.js';
export { Rng } from './util/random.js';

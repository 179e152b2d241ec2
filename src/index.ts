// Public entry of deepstrf: named re-exports only.
export { ValueError, ShapeError, DatasetValidationError, FormatError } from './errors.js';
export type { DType, DTypeArrays, TypedArray, Tensor } from './tensor.js';
export { tensor, full, shapeSize, isTensor, asFloat32 } from './tensor.js';
export { Rng } from './util/random.js';
// io
export { readMat, isMatV73 } from './io/mat5.js';
export type {
  MatValue, MatNumeric, MatNumericClass, MatNumericData, MatClassArrays, MatLogical, MatChar, MatCell, MatStruct,
  MatSparse, MatSkipped, ReadMatOptions,
} from './io/mat-types.js';
export { readNpy, readNpz, writeNpy } from './io/npy.js';
export type { NpyArray, NpyDType, NpyData, NpyDTypeArrays, ReadNpyOptions } from './io/npy.js';
export { parseCsv, parseCsvMatrix, CsvMatrixReader, parseCsvNumber, PANDAS_NA_VALUES } from './io/csv.js';
export type { CsvCell, CsvOptions, CsvTable, CsvMatrix } from './io/csv.js';
export { parseJson } from './io/json.js';
export type { JsonValue } from './io/json.js';
export { readHdf5, hdf5SignatureOffset } from './io/hdf5.js';
export type { Hdf5Data, Hdf5Dataset, Hdf5Group, Hdf5Link, Hdf5Node, Hdf5Reference } from './io/hdf5.js';
export { readMatAsync, matFromHdf5 } from './io/mat73.js';
export { matStruct, matField, matText, matNumber, matNumbers } from './io/mat-access.js';

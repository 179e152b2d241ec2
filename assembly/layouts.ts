// The binary layouts that the kernels and TypeScript share, each declared once, here: an
// unmanaged class is a plain struct in linear memory (the compiler assigns field offsets, as
// offsetof<T>("field") reports them). scripts/wasm-layouts.mjs reads the compiled classes and
// generates src/memory/layouts.generated.ts (byte offsets, readers and writers) from them, so
// neither side spells an offset by hand. Kernels view a descriptor with changetype<T>(address).

/** One response cell of a collate batch: a row-major R × T float32 block somewhere in the heap. */
@unmanaged export class CellDesc {
  /** Byte address of the cell's first float32. */
  src: u32;
  /** R (repeats). */
  rows: i32;
  /** T (time bins). */
  cols: i32;
  /** Bit set of CELL_CLEAN. */
  flags: u32;
}

/**
 * CellDesc.flags bit: the packer proved the cell holds no NaN, so its mask rows are 1 over
 * [0, T) without reading the data.
 */
export const CELL_CLEAN: u32 = 1;

/** One stimulus of a collate batch: a fixed number of rows of T float32 each, row-major. */
@unmanaged export class StimDesc {
  /** Byte address of the first float32. */
  src: u32;
  /** T (time bins, the row length). */
  cols: i32;
}

/**
 * How to take real DFTs of one size N, four frames at a time (built once per size by
 * src/spectral/fft-plan.ts, in the wasm heap; the algorithm is described at the top of
 * assembly/fft.ts). Tables are f32 arrays; work buffers hold one f32x4 (four frames) per
 * element. Work buffers live in the plan, so a plan belongs to one thread.
 */
@unmanaged export class FftPlan {
  /** N, the real DFT size. */
  n: i32;
  /** M, the complex DFT size: N / 2 when N is even (packed), else N. */
  m: i32;
  /** L, the size of the FFTs the stages run: M, or Bluestein's convolution length 2^k ≥ 2M − 1. */
  l: i32;
  /** 1 when N is even: the N reals are packed as M complex values. */
  packed: i32;
  /** 1 when the complex DFT runs as Bluestein's chirp-z. */
  bluestein: i32;
  /** Number of Stockham stages of the size-L FFT. */
  stageCount: i32;
  /** MixedStage[stageCount]. */
  stages: usize;
  /** Twiddles of the stages, and the cos / sin tables of the generic odd radices (real parts). */
  twRe: usize;
  /** Imaginary parts of twRe. */
  twIm: usize;
  /** f32[M], e^{−iπn²/M} (real parts; Bluestein only). */
  chirpRe: usize;
  /** Imaginary parts of chirpRe. */
  chirpIm: usize;
  /** f32[L], the FFT of the conjugate chirp divided by L (real parts; Bluestein only). */
  bRe: usize;
  /** Imaginary parts of bRe. */
  bIm: usize;
  /** f32[M + 1], e^{−2πik/N}, the twiddles of the packed split step (real parts). */
  postRe: usize;
  /** Imaginary parts of postRe. */
  postIm: usize;
  /** f32x4[L] work buffer (real parts). */
  w1Re: usize;
  /** f32x4[L] work buffer (imaginary parts). */
  w1Im: usize;
  /** Second f32x4[L] work buffer (real parts). */
  w2Re: usize;
  /** Second f32x4[L] work buffer (imaginary parts). */
  w2Im: usize;
  /** f32x4[M + 1], bins 0 … M of four frames (real parts; N even only). */
  specRe: usize;
  /** Imaginary parts of specRe. */
  specIm: usize;
  /** Scratch of the generic odd radices (24 f32x4), or 0. */
  oddScratch: usize;
}

/** One stage of a mixed-radix FFT (assembly/mixed.ts describes the stage it runs). */
@unmanaged export class MixedStage {
  /** The radix r. */
  r: i32;
  /** The stride s: the product of the radices of the earlier stages. */
  s: i32;
  /** m = M / (s·r). */
  m: i32;
  /** Index of the stage's first twiddle in FftPlan.mixedTwRe / mixedTwIm. */
  tw: i32;
  /** For the generic odd radices (7, 11, 13): index of r values cos(2πt/r) in mixedTwRe and sin(2πt/r) in mixedTwIm. */
  dft: i32;
}

/** One band of a sparse filterbank (a table of them, one per band): its non-zero weights. */
@unmanaged export class FilterBand {
  /** First frequency bin with a non-zero weight. */
  start: i32;
  /** Number of consecutive bins from `start` (0 for an empty band). */
  count: i32;
  /** Index of the band's first weight in the filterbank's f32 weight array. */
  weight: i32;
}

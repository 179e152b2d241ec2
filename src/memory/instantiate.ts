/**
 * The one module that instantiates WebAssembly. It uses `@assemblyscript/loader` (named by the
 * design card; deprecated upstream, so it stays behind this file) and hands out the raw kernel
 * exports, which take byte addresses into the imported memory.
 * @module
 */
import { instantiateSync } from '@assemblyscript/loader';
import { platform } from '#platform';
import { PLAIN_WASM_BASE64, SHARED_WASM_BASE64 } from './bytes.generated.js';

/** The raw exports of assembly/index.ts. Addresses are byte offsets into the memory. */
export interface KernelExports {
  heapBase(): number;
  fillF32(dst: number, count: number, value: number): void;
  nanMask(src: number, count: number, dst: number): void;
  anyNaN(src: number, count: number): number;
  cellsValid(desc: number, count: number, dst: number): void;
  anyPerBlock(mask: number, blocks: number, cellLen: number, dst: number): void;
  collateCells(desc: number, count: number, rMax: number, tMax: number, out: number, mask: number): void;
  padRows(desc: number, count: number, rows: number, tMax: number, out: number): void;
  // spectral (assembly/fft.ts; plan layout documented there, built by src/spectral/fft-plan.ts)
  stftFrames(
    plan: number, x: number, frames: number, hop: number, window: number, onesided: number, mode: number,
    out: number, binStride: number, frameStride: number,
  ): void;
  filterbankFrames(
    plan: number, x: number, frames: number, hop: number, window: number, power: number,
    fb: number, weights: number, bands: number, out: number, bandStride: number, frameStride: number,
  ): void;
  resamplePoly(x: number, out: number, outLen: number, orig: number, up: number, taps: number, nTaps: number, starts: number): void;
  // --- metrics ---
  cellGram(src: number, rows: number, len: number, y: number, gram: number): number;
  gramF64(y: number, rows: number, len: number, gram: number): void;
  splitHalfRho(gram: number, rv: number, rc: number, pairs: number, subsets: number, changeFrom: number, work: number): number;
  // --- smoothing (assembly/smooth.ts) ---
  firRows(src: number, dst: number, rows: number, cols: number, taps: number, nTaps: number, tmp: number): void;
  // --- ridge (assembly/ridge.ts) ---
  choleskyF64(a: number, d: number, shift: number, l: number): number;
  choleskySolveF64(l: number, d: number, b: number, m: number): void;
}

const compiled: { plain?: WebAssembly.Module; shared?: WebAssembly.Module } = {};

/** The compiled kernels module for a plain or a shared memory (compiled once per thread). */
export function kernelModule(shared: boolean): WebAssembly.Module {
  const key = shared ? 'shared' : 'plain';
  let mod = compiled[key];
  if (!mod) {
    mod = new WebAssembly.Module(platform.decodeBase64(shared ? SHARED_WASM_BASE64 : PLAIN_WASM_BASE64));
    compiled[key] = mod;
  }
  return mod;
}

/** Instantiates the kernels over `memory` (shared or not, matching the module variant). */
export function instantiateKernels(memory: WebAssembly.Memory, shared: boolean): KernelExports {
  const result = instantiateSync<Record<string, unknown>>(kernelModule(shared), {
    env: {
      memory,
      abort: (_msg: number, _file: number, line: number, col: number) => {
        throw new Error(`deepstrf wasm kernel aborted at ${line}:${col}`);
      },
    },
  });
  return result.instance.exports as unknown as KernelExports;
}

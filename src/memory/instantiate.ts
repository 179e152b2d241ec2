/**
 * The one module that instantiates WebAssembly. It uses `@assemblyscript/loader` (named by the
 * design card; deprecated upstream, so it stays behind this file) and hands out the raw kernel
 * exports, which take byte addresses into the imported memory.
 * @module
 */
import { instantiateSync } from '@assemblyscript/loader';
import { platform } from '#platform';
import { PLAIN_WASM_BASE64, SHARED_WASM_BASE64 } from './bytes.generated.js';
import type { KernelExports } from './layouts.generated.js';

export type { KernelExports };

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

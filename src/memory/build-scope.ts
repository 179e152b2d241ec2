/**
 * Failed builds give back their wasm memory. A dataset's build (a generator, see
 * src/sources/build.ts) may allocate heap tensors — response cells written straight into the
 * store — and fail later on a corrupt file. {@link heapScoped} runs each step of the build in a
 * heap scope: if the build throws, or is abandoned (`return()`, an aborted load), every block it
 * allocated (and did not free) is freed; if it returns, the blocks stay, and the dataset's
 * `validate()` takes them into its store (see docs/memory.md).
 * @module
 */
import type { Build, SourceRequest } from '../sources/build.js';
import { defaultHeap, type WasmHeap } from './heap.js';

/**
 * `build`, with its heap allocations given back if it throws.
 * @example
 * ```ts
 * const built = runSync(heapScoped(buildNs1(options)), source); // a corrupt WAV frees the cells parsed so far
 * ```
 */
export function* heapScoped<T>(build: Build<T>, heap: WasmHeap = defaultHeap()): Build<T> {
  const record = new Set<number>();
  let input: { thrown: false; value: unknown } | { thrown: true; error: unknown } = { thrown: false, value: undefined };
  let settled = false;
  try {
    for (;;) {
      heap.openScope(record);
      let step: IteratorResult<SourceRequest, T>;
      try {
        step = input.thrown ? build.throw(input.error) : build.next(input.value);
      } catch (e) {
        settled = true;
        heap.closeScope(record, 'rollback');
        throw e;
      }
      if (step.done) {
        settled = true;
        heap.closeScope(record, 'commit');
        return step.value;
      }
      heap.closeScope(record, 'suspend');
      try {
        input = { thrown: false, value: yield step.value };
      } catch (e) {
        input = { thrown: true, error: e };
      }
    }
  } finally {
    if (!settled) {
      // Abandoned at a request (the driver called return(), e.g. on abort): the build's own
      // finally blocks run, then what it allocated is freed.
      heap.openScope(record);
      try {
        build.return(undefined as T);
      } finally {
        heap.closeScope(record, 'rollback');
      }
    }
  }
}

/**
 * Opening an HDF5 file that a platform has just placed at `path` (a temp file in Node, the
 * in-memory file system in browsers): the handle's `close()` closes it and removes the file,
 * and a file h5wasm refuses is removed at once. The HDF5 library prints its error stack
 * ("HDF5-DIAG: Error detected in HDF5 …") on the C `stderr` of h5wasm's Emscripten module, which
 * goes to the process's stderr in Node and to `console.error` in browsers, whether or not the
 * caller handles the failure. h5wasm has no call that turns that printing off (its
 * `activate_throwing_error_handler` throws from inside the C library instead), so the module's
 * stream 2 is replaced, once, by one that keeps the text for `hdf5Diagnostics`: src/io/hdf5.ts puts
 * the library's reason in its `FormatError`s.
 * @module
 */
import type { H5WasmModule, Hdf5Handle } from './types.js';

/** The parts of Emscripten's FS used here (createStream with a fixed fd replaces that stream). */
interface EmscriptenFs {
  createStream(stream: object, fd: number): unknown;
}

/** Keep at most this many characters of diagnostics (the end: HDF5 prints its deepest error last). */
const MAX_TEXT = 1 << 16;

/** The captured error text of each h5wasm module (keyed by its FS object). */
const sinks = new WeakMap<object, { text: string }>();

/** The sink of `h5`'s module, its stderr redirected there on first use. */
function stderrSink(h5: H5WasmModule): { text: string } {
  const fs = h5.FS as unknown as EmscriptenFs | null;
  if (!fs) throw new Error('h5wasm: the module is not ready (await h5wasm.ready first)');
  let sink = sinks.get(fs);
  if (sink) return sink;
  const s = { text: '' };
  const decoder = new TextDecoder();
  fs.createStream({
    node: { mode: 0o020666 }, // a character device, write-only, not seekable
    flags: 1,
    seekable: false,
    stream_ops: {
      write: (_stream: unknown, buffer: Uint8Array, offset: number, length: number) => {
        s.text = (s.text + decoder.decode(buffer.subarray(offset, offset + length), { stream: true })).slice(-MAX_TEXT);
        return length;
      },
    },
  }, 2);
  sinks.set(fs, (sink = s));
  return sink;
}

/**
 * The deepest error of an HDF5 error stack as `": <function>(): <description>"` (the stack's last
 * `#nnn: <file> line <n> in <function>(): <description>` line), or `''` when there is none.
 * @example
 * ```ts
 * hdf5Reason('  #003: H5Fsuper.c line 5 in H5F__super_read(): file signature not found\n'); // ': H5F__super_read(): file signature not found'
 * ```
 */
export function hdf5Reason(diagnostics: string): string {
  const last = [...diagnostics.matchAll(/^\s*#\d+: .* in (\w+\(\)): (.*)$/gm)].at(-1);
  return last ? `: ${last[1]}: ${last[2].trim()}` : '';
}

/**
 * What the HDF5 library of `h5` printed on its error stream since the last call, then forgets it
 * (h5wasm calls are synchronous: read it right after the call that failed).
 * @example
 * ```ts
 * try { group.keys(); } catch (e) { console.log(hdf5Reason(hdf5Diagnostics(h5))); }
 * ```
 */
export function hdf5Diagnostics(h5: H5WasmModule): string {
  const sink = stderrSink(h5);
  const t = sink.text;
  sink.text = '';
  return t;
}

/**
 * Opens `path` read-only; `cleanup` runs when the handle closes or the open fails.
 * @example
 * ```ts
 * const handle = openHdf5At(h5, '/deepstrf-1.h5', () => fs.unlink('/deepstrf-1.h5'));
 * ```
 */
export function openHdf5At(h5: H5WasmModule, path: string, cleanup: () => void): Hdf5Handle {
  hdf5Diagnostics(h5); // what an earlier file left
  try {
    const file = new h5.File(path, 'r');
    // h5wasm returns a File even when H5Fopen failed: its id is then negative.
    if (file.file_id < 0n) throw new Error(`H5Fopen failed${hdf5Reason(hdf5Diagnostics(h5))}`);
    return {
      h5,
      file,
      close: () => {
        try {
          file.close();
        } finally {
          cleanup();
        }
      },
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}

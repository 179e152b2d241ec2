/**
 * Opening HDF5 bytes with h5wasm, the same way in Node and browsers: h5wasm's ESM build (the one
 * the `h5wasm` package exports to both) keeps its files in Emscripten's in-memory file system
 * (MEMFS), never the machine's. The bytes become a MEMFS file without a copy (`canOwn`) for as
 * long as the handle is open.
 *
 * A file may name other files: a dataset's External File List (object header message 0x0007)
 * keeps its raw data in files given by path, a virtual dataset (layout class 3) maps source
 * datasets of other files, an external link points into another file. The HDF5 library opens
 * those by name when the data is read. A file read from the internet must never make deepstrf
 * read anything else, so while a handle works (`openHdf5`, `Hdf5Handle.read`) the module's
 * `FS.open` refuses every path but the file's own, as if it did not exist, and records the name:
 * `refusedFiles` gives it to src/io/hdf5.ts for its `FormatError`. Every file the library opens
 * goes through `FS.open` (Emscripten's `open` system call), so nothing else can be read, not even
 * the MEMFS devices (`/dev/stdin` reads the process's standard input in Node, prompts in a page),
 * `/proc/self/fd/*` or another file deepstrf has open at the same time.
 *
 * The HDF5 library prints its error stack ("HDF5-DIAG: Error detected in HDF5 …") on the C
 * `stderr` of h5wasm's Emscripten module, which goes to the process's stderr in Node and to
 * `console.error` in browsers, whether or not the caller handles the failure. h5wasm has no call
 * that turns that printing off (its `activate_throwing_error_handler` throws from inside the C
 * library instead), so the module's stream 2 is replaced, once, by one that keeps the text for
 * `hdf5Diagnostics`: src/io/hdf5.ts puts the library's reason in its `FormatError`s.
 * @module
 */

/**
 * The h5wasm module namespace.
 * @example
 * ```ts
 * const h5: H5WasmModule = (await openHdf5(bytes)).h5; h5.Dataset;
 * ```
 */
export type H5WasmModule = typeof import('h5wasm');

/**
 * An HDF5 file opened from memory by {@link openHdf5}.
 * @example
 * ```ts
 * const handle = await openHdf5(bytes);
 * try { const names = handle.read(() => handle.file.keys()); } finally { handle.close(); }
 * ```
 */
export interface Hdf5Handle {
  readonly h5: H5WasmModule;
  readonly file: import('h5wasm').File;
  /** Runs `work` (h5wasm calls on `file`) with every other file closed off. */
  read<T>(work: () => T): T;
  /** Closes the file and removes it from the in-memory file system. */
  close(): void;
}

/** The parts of Emscripten's FS used here (createStream with a fixed fd replaces that stream). */
interface EmscriptenFs {
  createStream(stream: object, fd: number): unknown;
  open(path: unknown, flags: unknown, mode?: unknown): unknown;
  writeFile(path: string, data: Uint8Array, opts: { canOwn: boolean }): void;
  unlink(path: string): void;
  cwd(): string;
  ErrnoError: new (errno: number) => Error;
}

/** Emscripten's errno for "no such file or directory". */
const ENOENT = 44;

/** Keep at most this many characters of diagnostics (the end: HDF5 prints its deepest error last). */
const MAX_TEXT = 1 << 16;

/** The captured error text and the file guard of each h5wasm module (keyed by its FS object). */
interface ModuleState {
  text: string;
  /** The one path `FS.open` accepts while a handle works, or `null` when no handle works. */
  allowed: string | null;
  /** Names the library tried to open while a handle worked, in order, until `refusedFiles`. */
  refused: string[];
}

const states = new WeakMap<object, ModuleState>();

function moduleFs(h5: H5WasmModule): EmscriptenFs {
  const fs = h5.FS as unknown as EmscriptenFs | null;
  if (!fs) throw new Error('h5wasm: the module is not ready (await h5wasm.ready first)');
  return fs;
}

/** The state of `h5`'s module: on first use, its stderr is redirected and `FS.open` guarded. */
function moduleState(h5: H5WasmModule): ModuleState {
  const fs = moduleFs(h5);
  let state = states.get(fs);
  if (state) return state;
  const s: ModuleState = { text: '', allowed: null, refused: [] };
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
  const open = fs.open;
  fs.open = function guardedOpen(this: EmscriptenFs, path: unknown, flags: unknown, mode?: unknown) {
    if (s.allowed !== null && path !== s.allowed) {
      s.refused.push(nameAsGiven(fs, path));
      throw new fs.ErrnoError(ENOENT);
    }
    return open.call(this, path, flags, mode);
  };
  states.set(fs, (state = s));
  return state;
}

/** A path `open` received, relative again if the library gave a relative name (the system call prefixes the working folder and '/'). */
function nameAsGiven(fs: EmscriptenFs, path: unknown): string {
  if (typeof path !== 'string') return String(path);
  const prefix = fs.cwd() === '/' ? '//' : `${fs.cwd()}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** Runs `work` with `FS.open` accepting only `path` (nested calls restore the outer setting). */
function closedOff<T>(state: ModuleState, path: string, work: () => T): T {
  const outer = state.allowed;
  state.allowed = path;
  try {
    return work();
  } finally {
    state.allowed = outer;
  }
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
  const state = moduleState(h5);
  const t = state.text;
  state.text = '';
  return t;
}

/**
 * The files the HDF5 library of `h5` tried to open, and was refused, since the last call (each
 * name as the library gave it), then forgets them.
 * @example
 * ```ts
 * const value = handle.read(() => dataset.value);
 * const names = refusedFiles(handle.h5); // ['/etc/hostname'] for an external raw data file
 * ```
 */
export function refusedFiles(h5: H5WasmModule): string[] {
  const state = moduleState(h5);
  const names = state.refused;
  state.refused = [];
  return names;
}

let loading: Promise<H5WasmModule> | null = null;
let counter = 0;

/**
 * Opens HDF5 bytes read-only in h5wasm's in-memory file system (module notes). The bytes must not
 * change until the handle closes (the file system uses them in place).
 * @throws Error when the library cannot open the file (its reason appended)
 * @example
 * ```ts
 * const handle = await openHdf5(bytes);
 * try { handle.read(() => handle.file.keys()); } finally { handle.close(); }
 * ```
 */
export async function openHdf5(bytes: Uint8Array): Promise<Hdf5Handle> {
  loading ??= import('h5wasm').then(async (m) => {
    await m.ready;
    return m as unknown as H5WasmModule;
  });
  const h5 = await loading;
  const fs = moduleFs(h5);
  const state = moduleState(h5);
  const path = `/deepstrf-${++counter}.h5`;
  fs.writeFile(path, bytes, { canOwn: true });
  const cleanup = () => fs.unlink(path);
  hdf5Diagnostics(h5); // what an earlier file left
  refusedFiles(h5);
  try {
    const file = closedOff(state, path, () => new h5.File(path, 'r'));
    // h5wasm returns a File even when H5Fopen failed: its id is then negative.
    if (file.file_id < 0n) throw new Error(`H5Fopen failed${hdf5Reason(hdf5Diagnostics(h5))}`);
    return {
      h5,
      file,
      read: (work) => closedOff(state, path, work),
      close: () => {
        try {
          closedOff(state, path, () => file.close());
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

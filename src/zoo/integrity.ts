/**
 * The zoo's integrity rule: before a build parses anything, every file it will read is checked
 * against the release's manifest (present, a file, the listed size); after reading, the byte count
 * is checked again (a source whose `stat` answers from a list, such as `HttpSource`, only learns
 * the real size then). A damaged or incomplete release is an error naming the file; a partial
 * build needs the loader's `allowPartial: true`, which skips what may be skipped and says so
 * through `onWarning`. See docs/zoo/README.md.
 * @module
 */
import { fs, SourceFileError, type Build } from '../sources/build.js';

/**
 * A file a build expects: its path in the release and, when the manifest knows it, its size.
 * @example
 * ```ts
 * const f: ExpectedFile = { path: 'MetadataSHEnCneurons.mat', size: 5217 };
 * ```
 */
export interface ExpectedFile {
  readonly path: string;
  readonly size?: number;
}

/**
 * What is wrong with one expected file.
 * @example
 * ```ts
 * const p: FileProblem = { path: 'a.mat', problem: 'file not found' };
 * ```
 */
export interface FileProblem {
  readonly path: string;
  /** `file not found`, `is a folder, expected a file`, or `has N bytes, expected M`. */
  readonly problem: string;
}

/**
 * The result of {@link checkRelease}.
 * @example
 * ```ts
 * const { found, problems } = yield* checkRelease(files);
 * ```
 */
export interface ReleaseCheck {
  /** Expected path → the path where the file was found (itself, or its alias). */
  readonly found: ReadonlyMap<string, string>;
  /** Files missing, not files, or of the wrong size, in the order given (by expected path). */
  readonly problems: readonly FileProblem[];
}

/**
 * Checks that every expected file is present with its size. `alias(path)` names a second place
 * to look when a file is absent (NS1's `_1.mat` twins).
 * @example
 * ```ts
 * function* build(): Build<void> {
 *   const check = yield* checkRelease([{ path: 'a.mat', size: 10 }]);
 *   if (check.problems.length) throw new Error(check.problems[0].problem);
 * }
 * ```
 */
export function* checkRelease(files: readonly ExpectedFile[], options: { alias?: (path: string) => string | undefined } = {}): Build<ReleaseCheck> {
  const found = new Map<string, string>();
  const problems: FileProblem[] = [];
  for (const f of files) {
    let where = f.path;
    let info = yield* fs.stat(where);
    const alt = options.alias?.(f.path);
    if (info === null && alt !== undefined) {
      const altInfo = yield* fs.stat(alt);
      if (altInfo !== null) [where, info] = [alt, altInfo];
    }
    const as = where === f.path ? '' : `stored as ${where}, `;
    if (info === null) problems.push({ path: f.path, problem: 'file not found' });
    else if (info.kind !== 'file') problems.push({ path: f.path, problem: `${as}is a folder, expected a file` });
    else if (f.size !== undefined && info.size !== f.size) problems.push({ path: f.path, problem: `${as}has ${info.size} bytes, expected ${f.size}` });
    else found.set(f.path, where);
  }
  return { found, problems };
}

/**
 * Options of {@link enforceRelease}; every zoo loader exposes `allowPartial` and `onWarning`.
 * @example
 * ```ts
 * const o: PartialUseOptions = { allowPartial: true, onWarning: console.warn };
 * ```
 */
export interface PartialUseOptions {
  /** Build from what is intact, skipping damaged or missing files that may be skipped (default false). */
  allowPartial?: boolean;
  /** Receives the list of what was skipped. */
  onWarning?: (message: string) => void;
}

/**
 * Applies the rule to a {@link ReleaseCheck}: no problem → nothing; a problem in a file that may
 * not be skipped (`skippable` false), or any problem without `allowPartial` → a
 * `SourceFileError` naming the first file at fault (and how many more); otherwise one warning
 * listing the skipped files, whose expected paths are returned.
 * @example
 * ```ts
 * const skipped = enforceRelease(check, { dataset: 'NS1', root, allowPartial, onWarning, skippable: (p) => p.endsWith('.mat') });
 * ```
 */
export function enforceRelease(
  check: ReleaseCheck,
  options: PartialUseOptions & { dataset: string; root: string; skippable: (path: string) => boolean; hint?: string },
): Set<string> {
  const { problems } = check;
  if (problems.length === 0) return new Set();
  const fatal = options.allowPartial ? problems.filter((p) => !options.skippable(p.path)) : problems;
  if (fatal.length > 0) {
    const [first, ...rest] = fatal;
    const more = rest.length ? `; ${rest.length} more: ${rest.slice(0, 4).map((p) => `${p.path} (${p.problem})`).join(', ')}${rest.length > 4 ? ', …' : ''}` : '';
    const advice = options.allowPartial
      ? `${options.dataset} cannot be built without ${fatal.length === 1 ? 'it' : 'them'}, even with allowPartial`
      : `the ${options.dataset} release is damaged or incomplete (checked against its manifest)${options.hint ? `: ${options.hint}` : ''}, or pass allowPartial: true to build from the intact files`;
    throw new SourceFileError(options.root, first.path, `${first.problem}${more}; ${advice}`);
  }
  options.onWarning?.(
    `${options.dataset}: allowPartial: skipped ${problems.length} damaged or missing file${problems.length === 1 ? '' : 's'} of ${options.root}: ` +
      problems.map((p) => `${p.path} (${p.problem})`).join(', '),
  );
  return new Set(problems.map((p) => p.path));
}

/**
 * Reads a whole file and checks its byte count against the expected size (sources whose `stat`
 * answers from a list learn the real size only here).
 * @example
 * ```ts
 * const bytes = yield* readExpected(root, { path: 'a.mat', size: 10 });
 * ```
 */
export function* readExpected(root: string, file: ExpectedFile, storedAt = file.path): Build<Uint8Array> {
  const bytes = yield* fs.read(storedAt);
  if (file.size !== undefined && bytes.length !== file.size) {
    throw new SourceFileError(root, storedAt, `read ${bytes.length} bytes, expected ${file.size} (the release's manifest)`);
  }
  return bytes;
}

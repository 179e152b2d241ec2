/**
 * Streaming extraction of zip, tar and tar.gz archives from any `FileSource` into a
 * `WritableSource` (the Node cache folder, OPFS), member by member: neither the archive nor a
 * member is ever held in memory. Zip members come from `ZipSource` (src/sources/zip.ts, CRC-32
 * verified per member), tar members from one streaming pass of `tarEvents`
 * (src/sources/tar.ts; gzip CRC-32 and ISIZE verified).
 *
 * Safety and atomicity: an entry whose name (or link target) would land outside the target folder
 * (absolute path, drive letter, `..` component, link pointing outside) is refused with an
 * `ArchiveError`. Members are written into a staging folder (`.<archive>.extract.part/` next to
 * the output) and renamed into place only after the whole archive has been read and verified; on
 * any error the staging folder is removed, so a refused or corrupt archive writes nothing.
 * Links that stay inside are written as regular files holding their target's content (OPFS has no
 * links). macOS AppleDouble members (`._*`) and `__MACOSX/` are skipped.
 * @module
 */
import type { FileSource, FileWriter, WritableSource } from '../sources/types.js';
import { ZipSource } from '../sources/zip.js';
import { notFound, resolveLink } from '../sources/archive-common.js';
import { readChunks, tarEvents, tarStream, type TarEntry } from '../sources/tar.js';
import type { ArchiveKind } from './manifest.js';
import { joinPath, relativePathProblem, splitPath } from './manifest.js';
import { ArchiveError } from './errors.js';

/**
 * Progress of {@link extractArchive}: member bytes written so far.
 * @example
 * ```ts
 * onProgress: (p: ExtractProgress) => console.log(p.member, p.bytes, p.total)
 * ```
 */
export interface ExtractProgress {
  /** Uncompressed bytes written so far. */
  readonly bytes: number;
  /** Bytes to write in all, when known before reading (zip); undefined for tar. */
  readonly total: number | undefined;
  /** The member being written (its name in the archive). */
  readonly member: string;
}

/**
 * Options of {@link extractArchive}.
 * @example
 * ```ts
 * const opts: ExtractOptions = { into: 'AA2', stripComponents: 2, filter: (n) => n.endsWith('.wav') };
 * ```
 */
export interface ExtractOptions {
  /** The format; default from the name (`.zip`, `.tar.gz` / `.tgz`, `.tar`), else sniffed from the first bytes. A tar is gunzipped when it starts with the gzip magic, whichever tar kind is given. */
  kind?: ArchiveKind;
  /** Folder of the target to extract into ('' = its root, the default). */
  into?: string;
  /** Drop the first path component when every member shares it (a single top-level folder). */
  stripRoot?: boolean;
  /** Drop this many leading path components; members with no more components than that are skipped (GNU tar). */
  stripComponents?: number;
  /** Extract only the members whose name (as stored, normalised, before stripping) passes. */
  filter?: (name: string) => boolean;
  /** Called after every chunk written. */
  onProgress?: (p: ExtractProgress) => void;
  /** Aborts between chunks (the staging folder is removed). */
  signal?: AbortSignal;
  /** Bytes per range read of the archive (default 4 MiB). */
  chunkSize?: number;
}

/** A member of either format, as extraction sees it. */
interface Member {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  linkTarget: string;
  /** Header offset, for messages. */
  offset: number;
}

/** An accepted member: its safe relative path and, once written, its staged file. */
interface Planned {
  member: Member;
  path: string;
  /** Links: the path (relative to the archive) of the file they copy. */
  linkPath?: string;
  staged?: string;
}

/**
 * The entry's safe path relative to the extraction folder, or an `ArchiveError` naming it.
 * @example
 * ```ts
 * safeEntryPath('a.zip', 'dir/./x.mat'); // 'dir/x.mat'
 * safeEntryPath('a.zip', '../evil');     // throws ArchiveError
 * ```
 */
function safeEntryPath(archive: string, name: string, offset?: number): string {
  const problem = relativePathProblem(name);
  if (problem) throw new ArchiveError(archive, name, `${problem}: it would be written outside the target folder`, offset);
  return splitPath(name).join('/');
}

/** Where a link points, relative to the archive root; throws when it escapes. */
function linkDestination(archive: string, m: Member & { kind: 'symlink' | 'hardlink' }): string {
  const to = resolveLink(m.name, m.kind, m.linkTarget);
  if (to === null) throw new ArchiveError(archive, m.name, `link to "${m.linkTarget}" points outside the target folder`, m.offset);
  return to;
}

/** Default bytes per range read of the archive. */
const CHUNK = 4 << 20;

/** Longest zip symbolic-link target read (PATH_MAX). */
const MAX_LINK_TARGET = 4096;

/** macOS metadata: AppleDouble `._name` files and the `__MACOSX/` folder. */
const isAppleDouble = (path: string): boolean => {
  const parts = splitPath(path);
  return parts[0] === '__MACOSX' || (parts.length > 0 && parts[parts.length - 1].startsWith('._'));
};

/** The archive format from the name, else from the magic bytes. */
async function detectKind(source: FileSource, path: string): Promise<ArchiveKind> {
  const lower = path.toLowerCase();
  if (lower.endsWith('.zip') || lower.endsWith('.npz')) return 'zip';
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  const m = await source.read(path, 0, 4);
  if (m.length >= 4 && m[0] === 0x50 && m[1] === 0x4b && m[2] === 3 && m[3] === 4) return 'zip';
  return m[0] === 0x1f && m[1] === 0x8b ? 'tar.gz' : 'tar';
}

/** Writes chunks into a fresh staged file, reporting progress. */
class Stager {
  private count = 0;
  bytes = 0;
  /** Bytes to write in all, when known. */
  total: number | undefined;
  constructor(
    readonly target: WritableSource,
    readonly dir: string,
    readonly options: ExtractOptions,
  ) {}

  async open(): Promise<{ path: string; writer: FileWriter }> {
    const path = `${this.dir}/${this.count++}`;
    return { path, writer: await this.target.openWriter(path, { append: false }) };
  }

  async write(w: FileWriter, chunk: Uint8Array, member: string): Promise<void> {
    this.options.signal?.throwIfAborted();
    await w.write(chunk);
    this.bytes += chunk.length;
    this.options.onProgress?.({ bytes: this.bytes, total: this.total, member });
  }
}

/**
 * Extracts the archive `archivePath` of `source` into `target` (folder `options.into`), streaming
 * member by member; see the module notes for safety and atomicity. Returns the written file
 * paths (relative to the target's root), in archive order. Throws `ArchiveError` (a
 * `FormatError`) naming the archive and the member: unsafe entry, malformed archive, bad CRC-32.
 * @example
 * ```ts
 * import { platform } from '#platform';
 * const cache = await platform.openWritableSource('/data/AA1');
 * await extractArchive(cache, 'crcns-aa1.zip', cache, { stripRoot: true,
 *   onProgress: (p) => console.log(p.member, p.bytes, p.total) });
 * ```
 */
export async function extractArchive(source: FileSource, archivePath: string, target: WritableSource, options: ExtractOptions = {}): Promise<string[]> {
  const kind = options.kind ?? (await detectKind(source, archivePath));
  const into = joinPath(options.into ?? '');
  const base = splitPath(archivePath).pop() ?? 'archive';
  const staging = joinPath(into, `.${base}.extract.part`);
  const plan: Planned[] = [];
  const accept = (m: Member): Planned | undefined => {
    if (m.kind === 'other') return undefined;
    const path = safeEntryPath(archivePath, m.name, m.offset);
    if (path === '' || isAppleDouble(path)) return undefined;
    const linkPath = m.kind === 'symlink' || m.kind === 'hardlink' ? linkDestination(archivePath, { ...m, kind: m.kind }) : undefined;
    if (options.filter && !options.filter(path)) return undefined;
    const p: Planned = { member: m, path, linkPath };
    plan.push(p);
    return p;
  };
  await target.remove(staging); // a leftover of an interrupted run
  const stager = new Stager(target, staging, options);
  try {
    if (kind === 'zip') await stageZip(source, archivePath, stager, accept);
    else await stageTar(source, archivePath, stager, accept);
    await stageLinks(plan, stager);
    const written: string[] = [];
    for (const [p, dest] of destinations(plan, options)) {
      const to = joinPath(into, dest);
      if (p.member.kind === 'directory') await target.mkdir(to);
      else if (p.staged !== undefined) {
        await target.rename(p.staged, to);
        written.push(to);
      }
    }
    return written;
  } finally {
    await target.remove(staging);
  }
}

/** Validates every zip member first (so a refused archive writes nothing), then stages the files. */
async function stageZip(source: FileSource, archivePath: string, stager: Stager, accept: (m: Member) => Planned | undefined): Promise<void> {
  const zip = await ZipSource.open(source, archivePath, { chunkSize: stager.options.chunkSize ?? CHUNK });
  const accepted: Array<[Planned, string]> = [];
  for (const e of zip.entries) {
    // A zip symlink's target is its content: read it (a short path) to validate before writing anything.
    if (e.kind === 'symlink' && e.size > MAX_LINK_TARGET) {
      throw new ArchiveError(archivePath, e.name, `symbolic link target of ${e.size} bytes is implausibly long`, e.centralOffset);
    }
    const linkTarget = e.kind === 'symlink' ? new TextDecoder().decode(await zip.read(e.name)) : '';
    const p = accept({ name: e.name, kind: e.kind, linkTarget, offset: e.centralOffset });
    if (p && e.kind === 'file') accepted.push([p, e.name]);
  }
  let total = 0;
  for (const [p] of accepted) total += zip.entry(p.path)?.size ?? 0;
  stager.total = total;
  for (const [p, name] of accepted) {
    const { path, writer } = await stager.open();
    try {
      for await (const chunk of zip.stream(name)) await stager.write(writer, chunk, name);
    } finally {
      await writer.close();
    }
    p.staged = path;
  }
}

/** One pass over the tar stream: each member validated as it comes, files staged. */
async function stageTar(source: FileSource, archivePath: string, stager: Stager, accept: (m: Member) => Planned | undefined): Promise<void> {
  const st = await source.stat(archivePath);
  if (!st || st.kind !== 'file') throw notFound(source.root, archivePath);
  let open: { writer: FileWriter; entry: TarEntry } | undefined;
  try {
    for await (const ev of tarEvents(await tarStream(source, archivePath, st.size, stager.options.chunkSize ?? CHUNK), archivePath)) {
      if (ev.type === 'entry') {
        const p = accept({ name: ev.entry.name, kind: ev.entry.kind, linkTarget: ev.entry.linkTarget, offset: ev.entry.headerOffset });
        if (p && ev.entry.kind === 'file') {
          const { path, writer } = await stager.open();
          p.staged = path;
          open = { writer, entry: ev.entry };
        }
      } else if (ev.type === 'data' && open) await stager.write(open.writer, ev.bytes, open.entry.name);
      else if (ev.type === 'end' && open) {
        await open.writer.close();
        open = undefined;
      }
    }
  } finally {
    await open?.writer.close();
  }
}

/** Stages a copy of each link's target file (links to folders or to nothing are dropped). */
async function stageLinks(plan: Planned[], stager: Stager): Promise<void> {
  const target = stager.target;
  const files = new Map<string, Planned>();
  for (const p of plan) {
    if (p.linkPath === undefined && p.staged !== undefined) files.set(p.path, p);
  }
  for (const p of plan) {
    if (p.linkPath === undefined) continue;
    const t = files.get(p.linkPath);
    if (!t?.staged) continue;
    const size = (await target.stat(t.staged))?.size ?? 0;
    const { path, writer } = await stager.open();
    try {
      for await (const chunk of readChunks(target, t.staged, 0, size)) await stager.write(writer, chunk, p.member.name);
    } finally {
      await writer.close();
    }
    p.staged = path;
  }
}

/** Each planned member with its destination after `stripComponents` and `stripRoot` (skipped ones left out). */
function destinations(plan: Planned[], options: ExtractOptions): Array<[Planned, string]> {
  const n = options.stripComponents ?? 0;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`extractArchive: stripComponents must be a non-negative integer, got ${n}`);
  let out: Array<[Planned, string[]]> = [];
  for (const p of plan) {
    const parts = splitPath(p.path);
    if (parts.length > n) out.push([p, parts.slice(n)]);
  }
  if (options.stripRoot && out.length > 0) {
    const root = out[0][1][0];
    const shared = out.every(([p, parts]) => parts[0] === root && (parts.length > 1 || p.member.kind === 'directory'));
    if (shared) out = out.filter(([, parts]) => parts.length > 1).map(([p, parts]) => [p, parts.slice(1)]);
  }
  // A name written twice keeps the later member, as tar does.
  const last = new Map<string, Planned>();
  for (const [p, parts] of out) if (p.member.kind !== 'directory') last.set(parts.join('/'), p);
  return out.filter(([p, parts]) => p.member.kind === 'directory' || last.get(parts.join('/')) === p).map(([p, parts]) => [p, parts.join('/')]);
}

/** `MemorySource`: a file tree held in a map (tests, files already in memory). @module */
import type { EntryInfo, SyncFileSource } from './types.js';

const clean = (p: string): string => p.replace(/^\/+|\/+$/g, '');

/**
 * A read-only file tree from a map of relative paths to bytes; folders are implied by the paths.
 * Answers both synchronously and asynchronously.
 * @example
 * ```ts
 * const src = new MemorySource({ 'spikes/u1.txt': new TextEncoder().encode('1 2 3') });
 * src.listSync('spikes'); // [{ name: 'u1.txt', kind: 'file' }]
 * await src.read('spikes/u1.txt', 0, 1); // Uint8Array [49]
 * ```
 */
export class MemorySource implements SyncFileSource {
  readonly root: string;
  private readonly files: Map<string, Uint8Array>;

  constructor(files: Record<string, Uint8Array> | Map<string, Uint8Array>, root = 'memory:') {
    this.root = root;
    const entries = files instanceof Map ? [...files] : Object.entries(files);
    this.files = new Map(entries.map(([k, v]) => [clean(k), v]));
  }

  statSync(path: string): EntryInfo | null {
    const p = clean(path);
    const f = this.files.get(p);
    if (f) return { kind: 'file', size: f.length };
    if (p === '') return { kind: 'directory', size: 0 };
    for (const k of this.files.keys()) if (k.startsWith(p + '/')) return { kind: 'directory', size: 0 };
    return null;
  }

  readSync(path: string, start = 0, end?: number): Uint8Array {
    const f = this.files.get(clean(path));
    if (!f) throw Object.assign(new Error(`ENOENT: no such file in ${this.root}: ${path}`), { code: 'ENOENT' });
    return f.subarray(Math.min(start, f.length), Math.min(end ?? f.length, f.length));
  }

  listSync(path: string): Array<{ name: string; kind: 'file' | 'directory' }> {
    const p = clean(path);
    const prefix = p === '' ? '' : p + '/';
    const out = new Map<string, 'file' | 'directory'>();
    for (const k of this.files.keys()) {
      if (!k.startsWith(prefix)) continue;
      const rest = k.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) out.set(rest, 'file');
      else out.set(rest.slice(0, slash), 'directory');
    }
    return [...out].map(([name, kind]) => ({ name, kind }));
  }

  async stat(path: string): Promise<EntryInfo | null> {
    return this.statSync(path);
  }

  async read(path: string, start?: number, end?: number): Promise<Uint8Array> {
    return this.readSync(path, start, end);
  }

  async list(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>> {
    return this.listSync(path);
  }
}

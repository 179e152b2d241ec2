/** The folder structure implied by a list of file paths (sources without real folders). @module */

/**
 * Folders and their entries, built from file paths.
 * @example
 * ```ts
 * const t = new PathTree();
 * t.add(['a', 'b.txt']);
 * t.isDirectory('a'); // true
 * t.list('a'); // [{ name: 'b.txt', kind: 'file' }]
 * ```
 */
export class PathTree {
  private readonly dirs = new Map<string, Map<string, 'file' | 'directory'>>([['', new Map()]]);

  /** Adds a file given by its path components. */
  add(parts: readonly string[]): void {
    for (let d = 0; d < parts.length; d++) {
      const parent = parts.slice(0, d).join('/');
      const entries = this.dirs.get(parent) ?? new Map<string, 'file' | 'directory'>();
      this.dirs.set(parent, entries);
      entries.set(parts[d], d === parts.length - 1 ? 'file' : 'directory');
    }
  }

  /** True for a folder (`''` is the root). */
  isDirectory(key: string): boolean {
    return this.dirs.has(key);
  }

  /** Entries directly inside a folder, sorted by name; empty when it does not exist. */
  list(key: string): Array<{ name: string; kind: 'file' | 'directory' }> {
    const entries = this.dirs.get(key);
    return entries ? [...entries].map(([name, kind]) => ({ name, kind })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : [];
  }
}

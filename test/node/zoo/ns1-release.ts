// The real NS1 release read into memory (relative path → bytes), for tests that build damaged
// or augmented copies in a MemorySource.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir`, by `/`-separated relative path. */
export function releaseFiles(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (rel: string) => {
    for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(r);
      else out.set(r, new Uint8Array(readFileSync(join(dir, r))));
    }
  };
  walk('');
  return out;
}

/** Locates the real NS1 release for Node-only tests (see CONTRIBUTING: real-data tests). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The NS1 folder, or null (with the reason) when the data are not on this machine. */
export function ns1Dir(): { dir: string | null; reason: string } {
  const base = process.env.DEEPSTRF_DATA_DIR ?? resolve(repoRoot, '../shared/datasets');
  const dir = join(base, 'NS1');
  if (existsSync(join(dir, 'MetadataSHEnCneurons.mat'))) return { dir, reason: '' };
  const reason = `NS1 release not found at ${dir} (set DEEPSTRF_DATA_DIR)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
  console.warn(`SKIPPED real-data tests: ${reason}`);
  return { dir: null, reason };
}

// Where the real NS1 release is, for Node-only tests: $DEEPSTRF_DATA_DIR/NS1, else
// ../shared/zoo/NS1 beside the repository. Absent → the suite skips with a printed reason,
// except under CI=true, where absence is a failure.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** The NS1 folder, or null with the reason; `who` names the suite in the skip message. */
export function findNs1(who: string): { dir: string | null; reason: string } {
  const candidates = [
    process.env.DEEPSTRF_DATA_DIR ? join(process.env.DEEPSTRF_DATA_DIR, 'NS1') : '',
    join(repoRoot, '..', 'shared', 'datasets', 'NS1'),
  ].filter(Boolean);
  for (const c of candidates) if (existsSync(join(c, 'MetadataSHEnCneurons.mat'))) return { dir: c, reason: '' };
  const reason = `NS1 release not found (looked in ${candidates.join(', ')}; set DEEPSTRF_DATA_DIR)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires the real data`);
  console.warn(`SKIPPED ${who}: ${reason}`);
  return { dir: null, reason };
}

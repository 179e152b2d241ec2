// Node only: the downer fixture release (test/helpers/zoo/downer.ts) written into a temporary folder.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { downerFiles } from './downer.js';

/** Writes the fixture into a new temporary folder and returns its path. */
export function writeDownerFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'downer-'));
  for (const [rel, bytes] of Object.entries(downerFiles())) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), bytes);
  }
  return root;
}

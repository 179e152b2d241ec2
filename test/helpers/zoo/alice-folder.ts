// Node only: the alice fixture release (test/helpers/zoo/alice.ts) written into a temporary folder.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { aliceFiles } from './alice.js';

/** Writes the fixture into a new temporary folder and returns its path. */
export function writeAliceFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'alice-'));
  for (const [rel, bytes] of Object.entries(aliceFiles())) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), bytes);
  }
  return root;
}

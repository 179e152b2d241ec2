// Node-only: writes a fixture file map into a fresh temp folder (removed by cleanupTrees()).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

export function writeTree(files: Record<string, Uint8Array>, tag = 'zoo'): string {
  const dir = mkdtempSync(join(tmpdir(), `deepstrf-${tag}-`));
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), bytes);
  }
  made.push(dir);
  return dir;
}

export function cleanupTrees(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

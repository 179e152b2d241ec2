// DEEPSTRF_VERSION (written into every export's provenance) is package.json's version.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEEPSTRF_VERSION } from '../../../src/index.js';

describe('DEEPSTRF_VERSION', () => {
  it("equals package.json's version", () => {
    expect(DEEPSTRF_VERSION).toBe(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version);
  });
});

import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

// Projects over one test tree:
// - node: every test under test/ (files under test/browser/ are browser-only);
// - browser: the isomorphic suites (kernels, contract, loader, spectral, metrics) again in
//   real Chromium, in a cross-origin-isolated page (shared wasm memory available).
//   Node-only suites live under test/node/ and are excluded there.
// - browser-noniso: `*.noniso.test.ts` files, in Chromium WITHOUT cross-origin isolation (no
//   SharedArrayBuffer), for the paths that must work there (the loader's copy fallback).
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NONISO = '**/*.noniso.test.ts';
// The browser projects' loopback server for the NS1 release (HttpSource and page builds).
const NS1_SERVER = 'test/browser/setup/ns1-server.ts';
// Every project's in-memory loopback server (tests upload a folder and read it over HTTP).
const SCRATCH_SERVER = 'test/setup/scratch-server.ts';

const browser = (name: string) => ({
  enabled: true,
  headless: true,
  provider: playwright({
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  }),
  instances: [{ browser: 'chromium' as const, name: `${name} (chromium)` }],
});

export default defineConfig({
  server: {
    headers: {
      // Cross-origin isolation, so that pages may use SharedArrayBuffer / shared wasm memory.
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', NONISO],
          globalSetup: [SCRATCH_SERVER],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/**/*.test.ts'],
          exclude: ['test/node/**', NONISO],
          globalSetup: [NS1_SERVER, SCRATCH_SERVER],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          browser: browser('browser'),
        },
      },
      {
        extends: true,
        // The default policies: the page is not cross-origin isolated.
        server: { headers: { 'Cross-Origin-Opener-Policy': 'unsafe-none', 'Cross-Origin-Embedder-Policy': 'unsafe-none' } },
        test: {
          name: 'browser-noniso',
          include: [`test/${NONISO}`],
          globalSetup: [NS1_SERVER, SCRATCH_SERVER],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          browser: browser('browser-noniso'),
        },
      },
    ],
  },
});

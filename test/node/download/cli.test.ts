// The `deepstrf` command in a child process: bundled with esbuild exactly as dist/cli.js is,
// launched through bin/deepstrf.mjs, downloading the real NS1 release from a loopback server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { findNs1, startServer, type TestServer } from './helpers.js';
import { NS1_RELEASE_FILES } from '../../../src/download/manifests/ns1-files.js';
import { listDatasets } from '../../../src/zoo/catalog.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const ns1 = findNs1();

/** Runs the launcher; resolves with exit code, stdout, stderr. */
function run(bin: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const env0 = { ...process.env, ...env };
    delete env0.DEEPSTRF_NS1_MIRROR;
    const p = spawn(process.execPath, [bin, ...args], { env: env0, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', fail);
    p.on('close', (code) => done({ code, out, err }));
  });
}

describe.skipIf(!ns1.dir)('deepstrf CLI (child process, loopback server, real NS1)', () => {
  let server: TestServer;
  let tmp: string;
  let bin: string;

  beforeAll(async () => {
    server = await startServer(join(ns1.dir as string, '..'));
    tmp = await mkdtemp(join(tmpdir(), 'deepstrf-cli-'));
    // The package layout in miniature: <pkg>/dist/cli.js + <pkg>/bin/deepstrf.mjs; it sits
    // under node_modules/ so the external dependency (fflate) resolves as in an install.
    const pkg = join(repo, 'node_modules', '.cache', `deepstrf-cli-test-${process.pid}`);
    await mkdir(join(pkg, 'bin'), { recursive: true });
    await build({
      entryPoints: [join(repo, 'src', 'cli', 'main.ts')], outfile: join(pkg, 'dist', 'cli.js'),
      bundle: true, format: 'esm', platform: 'node', conditions: ['node'], packages: 'external', target: 'es2022', logLevel: 'warning',
    });
    bin = join(pkg, 'bin', 'deepstrf.mjs');
    await copyFile(join(repo, 'bin', 'deepstrf.mjs'), bin);
    return () => rm(pkg, { recursive: true, force: true });
  });
  afterAll(async () => {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('info on an empty folder: nothing present, exit 1', async () => {
    const r = await run(bin, ['info', 'ns1', '--path', join(tmp, 'empty')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/release files +0 of 140 present \(0\.0 MB of 103\.5 MB\)/);
    expect(r.out).toMatch(/unit spike files +0 of 119/);
    expect(r.out).toMatch(/stimulus sounds +0 of 20/);
    expect(r.out).toMatch(/status +incomplete/);
  });

  it('download with progress lines, exit 0, files verified; then info lists the counts', async () => {
    const dest = join(tmp, 'NS1');
    const r = await run(bin, ['download', 'ns1', '--path', dest, '--mirror', `${server.url}/NS1`, '--no-spectrogram']);
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    // Not a TTY: one plain line per 10 % step, each with percent, MB, MB/s, ETA, file count.
    const lines = r.err.split('\n').filter((l) => /^NS1: +\d+\.\d%/.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines[lines.length - 1]).toMatch(/^NS1: 100\.0% +103\.5\/103\.5 MB +\d+\.\d MB\/s +ETA 0:00 +file 140\/140$/);
    expect(r.err).not.toContain('\r');
    expect(r.err).toMatch(/NS1: 140 file\(s\) downloaded \(103\.5 MB\), 0 already present/);
    for (const f of [NS1_RELEASE_FILES[0], NS1_RELEASE_FILES[77], NS1_RELEASE_FILES[139]]) {
      expect(createHash('sha256').update(await readFile(join(dest, f.path))).digest('hex')).toBe(f.sha256);
    }
    const info = await run(bin, ['info', 'ns1', '--path', dest, '--verify']);
    expect(info.code).toBe(0);
    expect(info.out).toMatch(/release files +140 of 140 present \(103\.5 MB of 103\.5 MB\), SHA-256 verified/);
    expect(info.out).toMatch(/unit spike files +119 of 119/);
    expect(info.out).toMatch(/stimulus sounds +20 of 20/);
    expect(info.out).toMatch(/status +complete/);
    expect(info.out).toMatch(/neurons +119 \(73 single units at known depth\)/);
    expect(info.out).toMatch(/stimuli +20 natural sounds, 999 bins of 5 ms/);
    expect(info.out).toMatch(/repeats +20 per cell/);
    expect(info.out).toMatch(/quality +median CCmax 0\.\d{3} \(single units 0\.\d{3}\), median SNR \d+\.\d{3}/);
    const json = JSON.parse((await run(bin, ['info', 'ns1', '--path', dest, '--json'])).out);
    expect(json).toMatchObject({ files: 140, present: 140, bytes: 103_455_889, complete: true, missing: [], neurons: 119, singleUnits: 73, stimuli: 20, repeats: [20, 20] });
    // again: everything is skipped, nothing requested
    server.requests.length = 0;
    const again = await run(bin, ['download', 'ns1', '--path', dest, '--mirror', `${server.url}/NS1`, '--no-spectrogram']);
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/0 file\(s\) downloaded \(0\.0 MB\), 140 already present/);
    expect(server.requests).toEqual([]);
  });

  it('a failing download exits 1 naming the file; usage errors exit 2', async () => {
    const bad = await run(bin, ['download', 'ns1', '--path', join(tmp, 'bad'), '--mirror', `${server.url}/nowhere`, '--no-spectrogram', '--quiet']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/deepstrf: DownloadError: MetadataSHEnCneurons\.mat: HTTP 404/);
    const unknown = await run(bin, ['download', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(`unknown dataset "nosuch" (known: ${listDatasets().map((d) => d.name).join(', ')})`);
    const opt = await run(bin, ['info', 'ns1', '--bogus']);
    expect(opt.code).toBe(2);
    expect(opt.err).toContain('unknown option --bogus');
    const help = await run(bin, ['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('deepstrf download <dataset>');
  });
});

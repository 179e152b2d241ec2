// The real `deepstrf` process (test/node/cli/launch.ts runs runCliProcess from sources, as
// bin/deepstrf.mjs runs it from dist/cli.js): Ctrl-C, exit codes, network failures explained,
// flags that do not apply, --version and --help.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { findNs1 } from '../../helpers/ns1-data.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const launch = join(repo, 'test', 'node', 'cli', 'launch.ts');
const ns1 = findNs1('deepstrf info ns1 on the real release').dir;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  /** Run time, ms. */
  ms: number;
  /** When the child closed (performance.now()). */
  endedAt: number;
}

/** Spawns the CLI; `onOutput` sees stdout and stderr as they grow (and may signal the child). */
function cli(args: string[], onOutput?: (out: string, kill: (s: NodeJS.Signals) => void, err: string) => void): Promise<Run> {
  return new Promise((done, fail) => {
    const env = { ...process.env };
    delete env.DEEPSTRF_NS1_MIRROR;
    const t0 = performance.now();
    const p = spawn(process.execPath, ['--import', 'tsx', launch, ...args], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => {
      out += d;
      onOutput?.(out, (s) => p.kill(s), err);
    });
    p.stderr.on('data', (d) => {
      err += d;
      onOutput?.(out, (s) => p.kill(s), err);
    });
    p.on('error', fail);
    p.on('close', (code, signal) => done({ code, signal, out, err, ms: performance.now() - t0, endedAt: performance.now() }));
  });
}

/** A loopback port with nothing listening: bound, then released. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'deepstrf-cli-process-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('Ctrl-C', () => {
  it('SIGINT during `run` stops the job promptly with exit code 130', async () => {
    let sentAt = 0;
    // 2000 epochs of 24 one-item batches: minutes of work if nothing stops it.
    const r = await cli(['run', 'synthetic', '--epochs', '2000', '--batch-size', '1'], (out, kill) => {
      if (!sentAt && /^batch +1 /m.test(out)) {
        sentAt = performance.now();
        kill('SIGINT');
      }
    });
    expect(sentAt).toBeGreaterThan(0);
    expect(r.signal).toBeNull(); // it exited by itself, not killed by the signal
    expect(r.code).toBe(130);
    expect(r.err).toContain('deepstrf: interrupted');
    expect(r.out).not.toMatch(/^2000 epochs/m); // no summary: the epochs did not run to the end
    expect(r.endedAt - sentAt).toBeLessThan(5000); // the 5 s watchdog of runCliProcess never had to fire
  }, 60_000);
});

describe('Ctrl-C during a download', () => {
  it('SIGINT while a file is arriving: exit 130, the partial file kept for a resume', async () => {
    // A mirror that sends the first 100 bytes of a 5217-byte file, then nothing.
    let requested = false;
    const server = createServer((_q, res) => {
      requested = true;
      res.writeHead(200, { 'content-length': '5217', 'content-type': 'application/octet-stream' });
      res.write(new Uint8Array(100));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const dest = join(tmp, 'interrupted');
    const part = join(dest, 'MetadataSHEnCneurons.mat.part');
    let sent = false;
    let killer: ((s: NodeJS.Signals) => void) | undefined;
    // Ctrl-C once the 100 bytes are on disk (the first progress line hands us the child).
    const poll = setInterval(() => {
      if (!sent && killer && requested && existsSync(part) && statSync(part).size === 100) {
        sent = true;
        killer('SIGINT');
      }
    }, 20);
    const r = await cli(['download', 'ns1', '--path', dest, '--mirror', `http://127.0.0.1:${port}/NS1`, '--no-spectrogram'], (_out, kill) => {
      killer = kill;
    });
    clearInterval(poll);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.err).toContain('deepstrf: interrupted; partial files are kept and the next download resumes them');
    expect((await readFile(part)).length).toBe(100);
  }, 60_000);
});

describe('download: bad mirrors', () => {
  let tlsServer: Server;
  let tlsPort: number;
  beforeAll(async () => {
    tlsServer = createServer((_q, res) => res.end('plain http'));
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', () => r()));
    tlsPort = (tlsServer.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => tlsServer.close(() => r())));

  it('--mirror not-a-url is a usage error (exit 2) at once', async () => {
    const r = await cli(['download', 'ns1', '--path', join(tmp, 'a'), '--mirror', 'not-a-url']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--mirror must be an http:// or https:// URL, got "not-a-url"');
  });

  it('a refused connection fails at once (no retries), saying so', async () => {
    const port = await closedPort();
    const r = await cli(['download', 'ns1', '--path', join(tmp, 'b'), '--mirror', `http://127.0.0.1:${port}/NS1`, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`connection refused by 127.0.0.1:${port}`);
    expect(r.ms).toBeLessThan(10_000); // the retry schedule (0.5 + 1 + 2 + 4 + 8 s) would take 15.5 s
  }, 30_000);

  it('an unknown host fails at once, saying the DNS lookup failed', async () => {
    // `.invalid` never resolves (RFC 2606): the resolver answers locally, without network.
    const r = await cli(['download', 'ns1', '--path', join(tmp, 'c'), '--mirror', 'http://deepstrf-mirror.invalid/NS1', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('host deepstrf-mirror.invalid not found (DNS lookup failed');
    expect(r.ms).toBeLessThan(10_000);
  }, 30_000);

  it('https:// to a plain http server is a TLS failure, said plainly, at once', async () => {
    const r = await cli(['download', 'ns1', '--path', join(tmp, 'd'), '--mirror', `https://127.0.0.1:${tlsPort}/NS1`, '--quiet']);
    expect(r.code).toBe(1);
    // OpenSSL names the mismatch WRONG_VERSION_NUMBER (3.0) or PACKET_LENGTH_TOO_LONG (later).
    expect(r.err).toMatch(new RegExp(`TLS handshake with 127\\.0\\.0\\.1:${tlsPort} failed \\(ERR_SSL_[A-Z_]+; an https:// URL for a plain http server\\?\\)`));
    expect(r.ms).toBeLessThan(10_000);
  }, 30_000);
});

describe('info exit codes', () => {
  it('an empty folder is incomplete: exit 1', async () => {
    const r = await cli(['info', 'ns1', '--path', join(tmp, 'empty')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/status +incomplete/);
    expect(r.err).toMatch(/the ns1 folder is incomplete or damaged/);
  });

  it('a damaged file (wrong size) fails: exit 1, the file named', async () => {
    const dir = join(tmp, 'damaged');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'MetadataSHEnCneurons.mat'), 'MATLAB 5.0 MAT-file, truncated');
    const r = await cli(['info', 'ns1', '--path', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/metadata +damaged/);
    expect(r.out).toMatch(/damaged +1: MetadataSHEnCneurons\.mat/);
  });

  it.skipIf(!ns1)('the complete real release: exit 0', async () => {
    const r = await cli(['info', 'ns1', '--path', ns1!]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/status +complete/);
  }, 60_000);

  it('info synthetic describes the generated dataset: exit 0', async () => {
    const r = await cli(['info', 'synthetic', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/neurons +32 \(/);
    expect(r.out).toMatch(/stimuli +24 spectrograms of 16 bands/);
  });
});

describe('flags that do not apply', () => {
  it('run ns1 --area PEG --seed 2 is a usage error naming the flag', async () => {
    const r = await cli(['run', 'ns1', '--area', 'PEG', '--seed', '2']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('run ns1: --area is not accepted: it does not apply to ns1');
  });

  it('run ns1 --seed 2 alone: the same, naming --seed', async () => {
    const r = await cli(['run', 'ns1', '--seed', '2']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('run ns1: --seed is not accepted');
  });

  it('run synthetic --path and download ns1 --batch-size are usage errors', async () => {
    const a = await cli(['run', 'synthetic', '--path', tmp]);
    expect(a.code).toBe(2);
    expect(a.err).toContain('run synthetic: --path is not accepted: synthetic is generated in memory');
    const b = await cli(['download', 'ns1', '--batch-size', '2']);
    expect(b.code).toBe(2);
    expect(b.err).toContain('download ns1: --batch-size is not accepted: download has no such option');
  });
});

describe('--version and --help', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`deepstrf ${pkg.version}\n`);
  });

  it('--help lists the commands and every dataset, synthetic included', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['info', 'download', 'run', 'fit', 'export']) expect(r.out).toContain(`deepstrf ${c} <dataset>`);
    expect(r.out).toMatch(/^ {2}synthetic +embedded generated dataset/m);
    expect(r.out).toMatch(/^ {2}ns1 +NS1 natural sounds/m);
    expect(r.out).toContain('--version');
  });
});

describe('the main job', () => {
  it('npm start\'s job, `fit synthetic`, prints the table and writes the report from the real process', async () => {
    const out = await mkdtemp(join(tmpdir(), 'deepstrf-main-job-'));
    try {
      const r = await cli(['fit', 'synthetic', '--lags', '8', '--out', out]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^neuron +λ\/\(trC\/D\) +CC +CCnorm +CCmax +SNR +truth r$/m);
      expect(r.out).toMatch(/over 22 neurons/);
      expect(statSync(join(out, 'report.html')).size).toBeGreaterThan(10_000);
      expect(JSON.parse(await readFile(join(out, 'model.json'), 'utf8')).format).toBe('deepstrf-linear-strf');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('states the selection once, consistently', async () => {
    const r = await cli(['run', 'synthetic', '--seed', '0']);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('selected=');
    const lines = r.out.split('\n');
    expect(lines.filter((l) => /neurons/.test(l) && /of 32/.test(l))).toHaveLength(1);
    expect(r.out).toMatch(/^dataset +SyntheticDataset: 32 neurons, 24 stimuli, 5 ms bins$/m);
    // SyntheticDataset puts neuron n in PEG when n % 3 === 2 (10 of 0..31), in A1 otherwise: 22.
    expect(r.out).toMatch(/^selection +area = "A1" → 22 of 32 neurons, 24 of 24 stimuli iterable$/m);
  }, 60_000);
});

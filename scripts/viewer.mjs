// `npm run viewer`: builds the viewer page (web/) into build/viewer/, then serves it on loopback
// with the headers that make the page cross-origin isolated (shared wasm memory for the loader's
// workers) and Range support (HttpSource reads byte ranges). docs/viewer.md describes it.
//
//   node scripts/viewer.mjs [--port N] [--data DIR] [--no-build] [--build-only]
//
// --data DIR also serves DIR at /data/ (same origin): type /data/ into the page's URL field.
// Any folder under it answers `files.json` (every file below it, `[{ path, size }]`) unless it
// holds one: what the page's HttpSource needs to know the tree (HTTP cannot list folders).
// The bundling follows scripts/build.mjs's browser build (one esbuild run with code splitting, the
// worker URLs rewritten to sibling `workers/<name>.js` files); chunks sit beside the entry so
// that `new URL('./workers/…', import.meta.url)` resolves from whichever file holds it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerUrlPlugin } from './worker-url-plugin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'viewer');

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};

/** Bundles web/ (entry, render worker) and the library's workers into build/viewer/. */
async function buildViewer() {
  if (!existsSync(join(root, 'src', 'memory', 'bytes.generated.ts'))) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs')], { stdio: 'inherit' });
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const workers = readdirSync(join(root, 'workers')).filter((f) => f.endsWith('.ts'));
  const result = await build({
    entryPoints: {
      main: join(root, 'web', 'main.ts'),
      'render-worker': join(root, 'web', 'render-worker.ts'),
      ...Object.fromEntries(workers.map((f) => [`workers/${f.replace(/\.ts$/, '')}`, join(root, 'workers', f)])),
    },
    outdir: out,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    conditions: ['browser'],
    splitting: true,
    minify: true,
    keepNames: true,
    chunkNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
    plugins: [workerUrlPlugin],
  });
  writeFileSync(join(out, 'meta.json'), JSON.stringify(result.metafile));
  for (const f of ['index.html', 'viewer.css']) copyFileSync(join(root, 'web', f), join(out, f));
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png', '.mat': 'application/octet-stream',
};

/** Every file under `dir`, relative `/`-separated paths with sizes. */
function listing(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = join(dir, e.name);
    const rel = prefix + e.name;
    const s = statSync(abs);
    return s.isDirectory() ? listing(abs, `${rel}/`) : s.isFile() ? [{ path: rel, size: s.size }] : [];
  });
}

/** Serves build/viewer at / and `dataDir` (when given) at /data/, on 127.0.0.1. */
function serve(port, dataDir) {
  const server = createServer((req, res) => {
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-cache',
    };
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [base, rel] = dataDir && path.startsWith('/data/') ? [dataDir, path.slice(6)] : [out, path === '/' ? 'index.html' : path.slice(1)];
    const abs = normalize(join(base, rel));
    let size = -1;
    try {
      const s = statSync(abs);
      if (s.isFile() && abs.startsWith(normalize(base) + sep)) size = s.size;
    } catch {
      // absent: 404 below
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, headers).end();
    if (size < 0 && base === dataDir && rel.endsWith('files.json')) {
      const dir = dirname(abs);
      if ((dir + sep).startsWith(normalize(base) + sep) && existsSync(dir) && statSync(dir).isDirectory()) {
        const body = JSON.stringify(listing(dir));
        return void res.writeHead(200, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }).end(req.method === 'HEAD' ? undefined : body);
      }
    }
    if (size < 0) return void res.writeHead(404, headers).end('not found');
    const type = TYPES[extname(abs)] ?? 'application/octet-stream';
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (m) {
      const first = Number(m[1]);
      if (first >= size) return void res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` }).end();
      const last = Math.min(m[2] === '' ? size - 1 : Number(m[2]), size - 1);
      res.writeHead(206, { ...headers, 'Content-Type': type, 'Content-Range': `bytes ${first}-${last}/${size}`, 'Content-Length': String(last - first + 1), 'Accept-Ranges': 'bytes' });
      return void (req.method === 'HEAD' ? res.end() : createReadStream(abs, { start: first, end: last }).pipe(res));
    }
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(size), 'Accept-Ranges': 'bytes' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(abs).pipe(res);
  });
  server.listen(port, '127.0.0.1', () => {
    console.log(`viewer: http://127.0.0.1:${server.address().port}/${dataDir ? `  (data: ${dataDir} at /data/)` : ''}`);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
}

if (!flag('--no-build')) {
  const t0 = Date.now();
  await buildViewer();
  console.log(`built ${out} in ${Date.now() - t0} ms`);
}
if (!flag('--build-only')) {
  const data = value('--data', undefined);
  serve(Number(value('--port', '8080')), data ? resolve(data) : undefined);
}

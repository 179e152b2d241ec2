// The zoo's build benchmarks: runs every `bench*` function exported by bench/zoo/*.ts (one per
// dataset), in file order. `npm run bench -- zoo` runs it; each function prints its own ratios.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'zoo');
const only = process.env.DEEPSTRF_BENCH_ZOO ?? '';
for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && n.includes(only)).sort()) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as Record<string, unknown>;
  for (const [name, fn] of Object.entries(mod)) {
    if (!name.startsWith('bench') || typeof fn !== 'function') continue;
    console.log(`\n--- bench/zoo/${f}: ${name} ---`);
    await (fn as () => Promise<void>)();
  }
}

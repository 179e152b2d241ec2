// `npx tsx scripts/dataset-table.ts`: rewrites the README's dataset table from the registry
// (src/zoo/catalog.ts), the one place the datasets' names, species, sizes, licences and citations
// live. test/node/cli/registry.test.ts checks that the README agrees.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listDatasets } from '../src/zoo/catalog.js';

const readme = join(import.meta.dirname, '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const header = '| name | class | species | area, signal | size | licence | account needed | citation |';
const start = text.indexOf(header);
if (start < 0) throw new Error(`README.md: no dataset table (expected the header ${header})`);
let end = text.indexOf('\n\n', start);
if (end < 0) end = text.length;
const cell = (s: string) => s.replace(/\|/g, '\\|');
const rows = listDatasets().map((e) =>
  `| \`${e.name}\` | \`${e.className}\` | ${[e.species, e.area, e.size, e.licence].map(cell).join(' | ')} | ${e.accountNeeded ? 'yes' : 'no'} | ${cell(e.citation)} |`);
const table = [header, '|---|---|---|---|---|---|---|---|', ...rows].join('\n');
writeFileSync(readme, text.slice(0, start) + table + text.slice(end));
console.log(`README.md: dataset table rewritten (${rows.length} datasets)`);

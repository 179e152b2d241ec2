// Child process of wingert-zip64.test.ts: builds Wingert2026Dataset from a folder holding
// cell_list.csv and a sparse ZIP64 recordings.zip, then prints what it built and its peak RSS.
import { Wingert2026Dataset } from '../../../src/zoo/wingert2026.js';

const rss0 = process.memoryUsage().rss;
const ds = await Wingert2026Dataset.load({ path: process.argv[2] });
const sum = ds.responses.flat().reduce((a, t) => a + (t.data.length > 1 ? Array.from(t.data).reduce((x, y) => x + y, 0) : 0), 0);
console.log(JSON.stringify({
  names: ds.stimMeta.map((m) => `${m.session}/${m.name}`),
  cells: ds.nrnMeta.map((m) => m.cellId),
  sum,
  rss0,
  peak: process.resourceUsage().maxRSS * 1024,
}));

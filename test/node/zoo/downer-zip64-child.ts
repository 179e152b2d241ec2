// Child process of downer2025-zip64.test.ts: builds Downer2025Dataset straight from the ZIP64
// archive (a ZipSource over the folder holding it) and prints the result and its peak RSS.
import { Downer2025Dataset } from '../../../src/index.js';
import { NodeFolderSource } from '../../../src/sources/node-folder.js';
import { ZipSource } from '../../../src/sources/zip.js';

const [dir, name] = process.argv.slice(2);
const zip = await ZipSource.open(new NodeFolderSource(dir), name);
const ds = await Downer2025Dataset.load({ source: zip, smooth: false });
process.stdout.write(JSON.stringify({
  cellIds: ds.nrnMeta.map((m) => m.cellId), stims: ds.stims.length, maxRssBytes: process.resourceUsage().maxRSS * 1024,
}));

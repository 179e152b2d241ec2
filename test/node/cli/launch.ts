// The `deepstrf` command from sources, as bin/deepstrf.mjs runs it from dist/cli.js:
//   node --import tsx test/node/cli/launch.ts <args>
import { runCliProcess } from '../../../src/cli/main.js';

await runCliProcess();

// Entry of the server process started by test/helpers/static-server-process.ts:
//   node --import tsx static-server-main.ts <folder> <latency ms>
// Sends { url } once listening, answers latency / stats / reset requests, and ends when the
// parent disconnects.
import { serveFolder } from './static-server.js';
import type { ServerReply, ServerRequest } from './static-server-process.js';

const [root, latency] = process.argv.slice(2);
const server = await serveFolder(root, { latencyMs: Number(latency ?? 0) });
const send = (m: ServerReply) => process.send!(m);
process.on('message', (m: ServerRequest) => {
  if (m.op === 'latency') server.latencyMs = m.ms;
  else if (m.op === 'reset') server.resetStats();
  send({ id: m.id, stats: { ...server.stats } });
});
process.on('disconnect', () => void server.close());
send({ url: server.url });

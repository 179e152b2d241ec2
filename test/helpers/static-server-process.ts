// The static server of test/helpers/static-server.ts in its own Node process, so that a busy
// event loop in the reading process (collating a batch) cannot delay the server's answers: what
// a benchmark measures is then the network's latency, not its own. Controlled over IPC.
//   const server = await serveFolderProcess('/tmp/store', { latencyMs: 20 });
//   await server.setLatency(0); await server.stats(); await server.close();
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StaticServerOptions, StaticServerStats } from './static-server.js';

export interface StaticServerProcess {
  readonly url: string;
  setLatency(ms: number): Promise<void>;
  /** The counters since the last `resetStats()`. */
  stats(): Promise<StaticServerStats>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

/** Messages between the parent and test/helpers/static-server-main.ts. */
export type ServerOp = { op: 'latency'; ms: number } | { op: 'stats' } | { op: 'reset' };
export type ServerRequest = ServerOp & { id: number };
export type ServerReply = { id: number; stats?: StaticServerStats } | { url: string };

const main = fileURLToPath(new URL('./static-server-main.ts', import.meta.url));

/** Starts the server process for `root`; resolves once it listens. */
export async function serveFolderProcess(root: string, options: StaticServerOptions = {}): Promise<StaticServerProcess> {
  const child: ChildProcess = fork(main, [root, String(options.latencyMs ?? 0)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: ServerReply) => ('url' in m ? resolve(m.url) : reject(new Error('static server: unexpected first message'))));
    child.once('exit', (code) => reject(new Error(`static server exited with ${code}`)));
  });
  let next = 0;
  const waiting = new Map<number, (r: ServerReply) => void>();
  child.on('message', (m: ServerReply) => {
    if ('id' in m) {
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    }
  });
  const ask = (req: ServerOp) =>
    new Promise<ServerReply>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      child.send({ ...req, id });
    });
  return {
    url,
    setLatency: async (ms) => void (await ask({ op: 'latency', ms })),
    stats: async () => (await ask({ op: 'stats' }) as { stats: StaticServerStats }).stats,
    resetStats: async () => void (await ask({ op: 'reset' })),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

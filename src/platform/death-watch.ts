/**
 * Death bookkeeping shared by the Node and browser worker handles: the first unexpected failure
 * is remembered and reported to every listener (also to listeners added later); failures after
 * `stopping()` (our own terminate) are ignored.
 * @module
 */

/**
 * A fresh watch for one worker.
 * @example
 * ```ts
 * const watch = deathWatch();
 * worker.on('exit', (code) => watch.die(new Error(`exited with code ${code}`)));
 * return { onDeath: watch.onDeath, terminate: async () => { watch.stopping(); await worker.terminate(); } };
 * ```
 */
export function deathWatch(): { die(e: Error): void; onDeath(listener: (e: Error) => void): void; stopping(): void; readonly isStopping: boolean } {
  let stopping = false;
  let dead: Error | null = null;
  const listeners: Array<(e: Error) => void> = [];
  return {
    die(e) {
      if (stopping || dead) return;
      dead = e;
      for (const l of listeners) l(e);
    },
    onDeath(l) {
      if (dead) l(dead);
      else listeners.push(l);
    },
    stopping() {
      stopping = true;
    },
    get isStopping() {
      return stopping;
    },
  };
}

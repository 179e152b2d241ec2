/**
 * The page's side of the render worker: one worker, one promise per request. A panel passes its
 * own key; a newer request for the same key makes the older answer stale (`null`, bitmap closed),
 * so fast keyboard stepping never draws an old picture over a new one.
 * @module
 */
import type { RenderReply, RenderRequest } from './render-protocol.js';

/**
 * The render worker client.
 * @example
 * ```ts
 * const r = new Renderer();
 * const pic = await r.draw('stim', { kind: 'heat', data, rows: F, cols: T });
 * if (pic) ctx.drawImage(pic.bitmap!, x, y, w, h);
 * ```
 */
export class Renderer {
  private readonly worker = new Worker(new URL('./render-worker.js', import.meta.url), { type: 'module', name: 'viewer-render' });
  private readonly pending = new Map<number, (r: RenderReply) => void>();
  private readonly latest = new Map<string, number>();
  private nextId = 1;

  constructor() {
    this.worker.onmessage = (ev: MessageEvent<RenderReply>) => {
      const done = this.pending.get(ev.data.id);
      this.pending.delete(ev.data.id);
      done?.(ev.data);
    };
  }

  /** Renders `req` for the panel `key`; `null` when a newer request for `key` was made meanwhile. */
  async draw(key: string, req: RenderRequest, transfer: Transferable[] = []): Promise<RenderReply | null> {
    const id = this.nextId++;
    this.latest.set(key, id);
    const reply = await new Promise<RenderReply>((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ ...req, id }, transfer);
    });
    if (reply.error) throw new Error(`render worker (${req.kind}): ${reply.error}`);
    if (this.latest.get(key) !== id) {
      reply.bitmap?.close();
      return null;
    }
    return reply;
  }
}

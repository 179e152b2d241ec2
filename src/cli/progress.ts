/**
 * The CLI's download progress display on stderr: a bar redrawn in place with `\r` on a
 * terminal, plain lines every 10 % otherwise (logs, CI, pipes).
 * @module
 */
import type { DownloadProgress } from '../download/download.js';

/** The slice of a stream the progress display writes to. */
export interface ProgressSink {
  write(text: string): unknown;
  /** True on a terminal: the bar is redrawn in place. */
  isTTY?: boolean;
  /** Terminal width. */
  columns?: number;
}

const MB = 1e6;

/** `1234567` → `'1.2'` (MB, one decimal). */
export const megabytes = (bytes: number): string => (bytes / MB).toFixed(1);

/** Seconds → `'m:ss'` (or `'h:mm:ss'`); `'--:--'` when unknown. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Draws download progress: percent, MB done / total, MB/s (over the whole run), ETA, file count.
 * @example
 * ```ts
 * const bar = new ProgressBar(process.stderr, 'NS1', () => performance.now());
 * await downloadDataset(m, { onProgress: (p) => bar.update(p) });
 * bar.finish();
 * ```
 */
export class ProgressBar {
  private readonly started: number;
  private lastDraw = -Infinity;
  private lastStep = -1;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly label: string,
    private readonly now: () => number,
    /** What `fileIndex` / `fileCount` count (`file`; `chunk` for an export). */
    private readonly unit = 'file',
  ) {
    this.started = now();
  }

  /** The status text for a progress report (no bar). */
  status(p: DownloadProgress): string {
    const seconds = (this.now() - this.started) / 1000;
    const rate = seconds > 0 ? p.overallLoaded / seconds : 0;
    const total = Math.max(p.overallTotal, p.overallLoaded);
    const pct = total > 0 ? (100 * p.overallLoaded) / total : 0;
    const eta = rate > 0 && total > 0 ? (total - p.overallLoaded) / rate : NaN;
    return `${pct.toFixed(1).padStart(5)}%  ${megabytes(p.overallLoaded)}/${megabytes(total)} MB  ${megabytes(rate)} MB/s  ETA ${formatEta(eta)}  ${this.unit} ${p.fileIndex + 1}/${p.fileCount}`;
  }

  /** Takes a progress report; draws when due (TTY: every 100 ms; otherwise each 10 % step). */
  update(p: DownloadProgress): void {
    const t = this.now();
    if (this.sink.isTTY) {
      const complete = p.overallLoaded >= p.overallTotal && p.fileIndex + 1 === p.fileCount;
      if (t - this.lastDraw < 100 && !complete) return;
      this.lastDraw = t;
      const text = this.status(p);
      const width = Math.max(10, Math.min(40, (this.sink.columns ?? 80) - text.length - this.label.length - 6));
      const frac = p.overallTotal > 0 ? Math.min(1, p.overallLoaded / p.overallTotal) : 0;
      const full = Math.round(frac * width);
      this.sink.write(`\r${this.label} [${'#'.repeat(full)}${'-'.repeat(width - full)}] ${text}\x1b[K`);
      this.drawn = true;
      return;
    }
    const step = p.overallTotal > 0 ? Math.floor((10 * p.overallLoaded) / p.overallTotal) : 0;
    if (step > this.lastStep) {
      this.lastStep = step;
      this.sink.write(`${this.label}: ${this.status(p).trim()}\n`);
    }
  }

  /** Ends the bar's line (TTY) so later output starts on a fresh line. */
  finish(): void {
    if (this.drawn) this.sink.write('\n');
    this.drawn = false;
  }
}

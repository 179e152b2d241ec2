// The CLI progress display with a fake clock: TTY redraw in place (throttled), plain lines per
// 10 % step otherwise; the figures (percent, MB, MB/s, ETA) computed by hand.
import { describe, expect, it } from 'vitest';
import { ProgressBar, formatEta } from '../../src/cli/progress.js';
import type { DownloadProgress } from '../../src/download/download.js';

const report = (overallLoaded: number, fileIndex = 0): DownloadProgress => ({
  file: 'f', loaded: overallLoaded, total: 10e6, bytesPerSecond: 0, fileIndex, fileCount: 2, overallLoaded, overallTotal: 10e6,
});

describe('ProgressBar', () => {
  it('formatEta', () => {
    expect(formatEta(0)).toBe('0:00');
    expect(formatEta(61.4)).toBe('1:01');
    expect(formatEta(3725)).toBe('1:02:05');
    expect(formatEta(NaN)).toBe('--:--');
  });

  it('plain lines: one per 10 % step, with MB, MB/s and ETA', () => {
    let t = 0;
    const out: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => out.push(s), isTTY: false }, 'NS1', () => t);
    t = 1000;
    bar.update(report(2e6)); // 20 %: 2 MB in 1 s → 2.0 MB/s, 8 MB left → 4 s
    bar.update(report(2.5e6)); // same 10 % step: no line
    t = 2000;
    bar.update(report(5e6, 1)); // 50 %: 2.5 MB/s, 5 MB left → 2 s
    bar.finish();
    expect(out).toEqual([
      'NS1: 20.0%  2.0/10.0 MB  2.0 MB/s  ETA 0:04  file 1/2\n',
      'NS1: 50.0%  5.0/10.0 MB  2.5 MB/s  ETA 0:02  file 2/2\n',
    ]);
  });

  it('TTY: redraws with \\r at most every 100 ms, always at completion, newline at the end', () => {
    let t = 0;
    const out: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => out.push(s), isTTY: true, columns: 120 }, 'NS1', () => t);
    t = 1000;
    bar.update(report(5e6));
    t = 1050;
    bar.update(report(6e6)); // throttled
    t = 1100;
    bar.update(report(10e6, 1)); // complete: drawn
    bar.finish();
    expect(out.length).toBe(3);
    expect(out[0]).toMatch(/^\rNS1 \[#{20}-{20}\]  50\.0%  5\.0\/10\.0 MB  5\.0 MB\/s  ETA 0:01  file 1\/2\x1b\[K$/);
    expect(out[1]).toMatch(/^\rNS1 \[#{40}\] 100\.0%  10\.0\/10\.0 MB/);
    expect(out[2]).toBe('\n');
  });
});

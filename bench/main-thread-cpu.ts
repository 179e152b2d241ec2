// The main thread's own CPU time for the loader benchmarks (Linux /proc; NaN elsewhere).
// `process.cpuUsage()` counts every thread of the process, workers included.
import { readFileSync } from 'node:fs';

/**
 * CPU nanoseconds the main thread has run: the first field of /proc/self/task/<pid>/schedstat
 * (nanoseconds), or from /proc/self/task/<pid>/stat (utime + stime in 10 ms ticks) when the
 * kernel has no schedstat; NaN off Linux.
 */
export function mainThreadCpuNs(): number {
  const task = `/proc/self/task/${process.pid}`;
  try {
    return Number(readFileSync(`${task}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    try {
      const f = readFileSync(`${task}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) * 1e7;
    } catch {
      return Number.NaN;
    }
  }
}

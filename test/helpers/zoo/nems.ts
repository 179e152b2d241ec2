/**
 * Writers of NEMS recordings for tests (Node and Chromium): HDF5 files through h5wasm with
 * h5py's default format settings (oldest library version bound), rasterized CSV signals printed
 * like `%.18e`, epoch tables as pandas writes them, signal JSON, and ustar `.tgz` / `.zip` packing.
 */
import * as h5 from 'h5wasm';
import { gzipSync, zipSync } from 'fflate';
import { writeTar } from '../archive-writer.js';

let counter = 0;
const enc = new TextEncoder();
export const text = (s: string): Uint8Array => enc.encode(s);

export interface H5Entry {
  data: number[] | Float64Array;
  shape?: number[];
  /** Chunk shape; with gzip (default true when chunks given). */
  chunks?: number[];
  gzip?: boolean;
  shuffle?: boolean;
}

/** An HDF5 file of root-level float64 datasets, as h5py writes it by default (superblock v0). */
export async function writeH5(datasets: Record<string, H5Entry>): Promise<Uint8Array> {
  const module = await h5.ready;
  const path = `/nems-writer-${++counter}.h5`;
  const file = new h5.File(path, 'w', { libver: ['earliest', 'v108'] });
  try {
    for (const [name, e] of Object.entries(datasets)) {
      const data = e.data instanceof Float64Array ? e.data : new Float64Array(e.data);
      const shape = e.shape ?? [data.length];
      const chunked = e.chunks !== undefined;
      file.create_dataset({
        name, data, shape, dtype: '<d',
        ...(chunked ? { chunks: e.chunks, maxshape: shape.map(() => null), ...(e.gzip === false ? {} : { compression: 'gzip' }), ...(e.shuffle ? { shuffle: true } : {}) } : {}),
      } as Parameters<typeof file.create_dataset>[0]);
    }
  } finally {
    file.close();
  }
  const bytes = module.FS.readFile(path) as Uint8Array;
  module.FS.unlink(path);
  return new Uint8Array(bytes);
}

/** `%.18e` as NumPy's `savetxt` prints it (`nan` for NaN). */
export function fmt18e(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  const s = x.toExponential(18);
  const [m, e] = s.split('e');
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** A rasterized signal CSV: `rows` (T) × channels, no header. */
export function rasterCsv(rows: number[][]): Uint8Array {
  return text(rows.map((r) => r.map(fmt18e).join(',')).join('\n') + '\n');
}

/** A pandas epoch table (header `start,end,name` by default; names quoted when needed). */
export function epochCsv(epochs: Array<[number, number, string]>, order: Array<'start' | 'end' | 'name'> = ['start', 'end', 'name']): Uint8Array {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = epochs.map(([s, e, n]) => order.map((c) => (c === 'start' ? String(s) : c === 'end' ? String(e) : q(n))).join(','));
  return text([order.join(','), ...lines].join('\n') + '\n');
}

export const json = (v: unknown): Uint8Array => text(JSON.stringify(v));

/** A ustar archive of regular files (directories implied), gzip-compressed. */
export function tgz(files: Record<string, Uint8Array>): Uint8Array {
  return gzipSync(tar(files));
}

/** A ustar archive of the files, each folder on their paths first as its own member. */
export function tar(files: Record<string, Uint8Array>): Uint8Array {
  const dirs = new Set<string>();
  for (const name of Object.keys(files)) {
    const segs = name.split('/');
    for (let i = 1; i < segs.length; i++) dirs.add(segs.slice(0, i).join('/') + '/');
  }
  return writeTar([...[...dirs].map((name) => ({ name, type: '5' })), ...Object.entries(files).map(([name, data]) => ({ name, data }))]);
}

/** A zip (deflate) of the files. */
export function zip(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(files, { level: 1 });
}

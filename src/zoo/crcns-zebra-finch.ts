/**
 * What the CRCNS zebra-finch datasets of the Theunissen lab (AA1, AA2, AA4) share beyond their
 * parsing (src/zoo/theunissen.ts): the dataset fields set from the resolved options, and the
 * download-then-build of `load()` (the constructor's build: src/zoo/zoo-build.ts).
 * @module
 */
import { platform } from '#platform';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import type { BuiltData } from '../contract/types.js';
import { runAsync, type Build } from '../sources/build.js';
import { defaultCacheDir } from '../download/cache.js';
import type { ZooLoadOptions } from './registry.js';
import { downloadCrcnsArchives, ZEBRA_FINCH_HEARING_HZ, type CrcnsArchive, type CrcnsServerOptions, type ResolvedTheunissen } from './theunissen.js';

/**
 * The base of `CRCNSAA1Dataset`, `CRCNSAA2Dataset` and `CRCNSAA4Dataset`: takes a build's output
 * and the resolved options, smooths when asked and validates.
 * @example
 * ```ts
 * class X extends CrcnsZebraFinchDataset { constructor() { super('/data/X', resolveTheunissen({}, 32000), built); } }
 * ```
 */
export abstract class CrcnsZebraFinchDataset extends AudioNeuralDataset {
  /** Species. */
  readonly species = 'zebra finch';
  /** Spectrogram compression as given (`'cubic'`, `'log1p'`, anything else = none). */
  readonly compression: string;
  /** STFT window in ms. */
  readonly windowMs: number;
  /** Whether responses were smoothed. */
  readonly smooth: boolean;

  protected constructor(path: string, r: ResolvedTheunissen, b: BuiltData) {
    super(path, r.dtMs);
    this.compression = r.compression;
    this.windowMs = r.windowMs;
    this.smooth = r.smooth;
    this.F = r.nMels;
    this.returnWaveform = r.returnWaveform;
    this.audioFs = r.returnWaveform ? r.audioFs : null;
    this.hearingRangeHz = [...ZEBRA_FINCH_HEARING_HZ];
    this.assignBuilt(b);
    if (r.smooth) this.smoothResponses({ windowMs: 21 });
    this.validate();
  }
}

/**
 * `load()`'s work: the dataset's folder (or `source`), the CRCNS download of `archives` when asked,
 * then `build` run on the source.
 * @example
 * ```ts
 * const { path, built } = await zebraFinchLoad(options, 'CRCNS_AA1', AA1_DOWNLOAD, (root) => buildAA1(options, r, root));
 * ```
 */
export async function zebraFinchLoad<B>(
  o: ZooLoadOptions & CrcnsServerOptions & { username?: string; password?: string },
  cacheName: string,
  archives: readonly CrcnsArchive[],
  build: (root: string) => Build<B>,
): Promise<{ path: string; built: B }> {
  const path = o.path ?? o.source?.root ?? defaultCacheDir(cacheName);
  if (o.download) {
    await downloadCrcnsArchives(path, archives, {
      username: o.username, password: o.password, ...o.crcnsServer, onProgress: o.onProgress, signal: o.signal,
    });
  }
  const source = o.source ?? (await platform.openWritableSource(path));
  return { path, built: await runAsync(build(source.root), source) };
}

/**
 * The LBHB Bitbucket mirror of the Espejo NAT sounds (not on Zenodo): each file is tried under
 * the sub-folders `sounds_set3`, then `sounds`, its name URL-quoted as Python's
 * `urllib.parse.quote` does (`/` kept), and cached as `nat_waveforms/<file>`.
 * @module
 */
import type { WritableSource } from '../sources/types.js';
import { fetchFile, type FetchFileOptions } from './fetch-file.js';

/** Base URL of the mirror's `@NaturalSounds` folder. @example `${ESPEJO_MIRROR_BASE}/sounds/x.wav` */
export const ESPEJO_MIRROR_BASE = 'https://bitbucket.org/lbhb/baphy/raw/master/Config/lbhb/SoundObjects/%40NaturalSounds';
/** Sub-folders tried in order. @example `ESPEJO_MIRROR_SUBDIRS[0] // 'sounds_set3'` */
export const ESPEJO_MIRROR_SUBDIRS: readonly string[] = ['sounds_set3', 'sounds'];
/** Cache folder of the sounds, relative to the dataset folder. @example `${ESPEJO_WAVEFORM_DIR}/cat_a.wav` */
export const ESPEJO_WAVEFORM_DIR = 'nat_waveforms';

/**
 * Python's `urllib.parse.quote(s, safe='/')`: UTF-8 bytes percent-encoded (upper-case hex)
 * except letters, digits, `_.-~` and the `safe` characters.
 * @example
 * ```ts
 * pythonQuote('a b,c(1)/d.wav'); // 'a%20b%2Cc%281%29/d.wav'
 * ```
 */
export function pythonQuote(s: string, safe = '/'): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_.~-]/.test(c) || (b < 0x80 && safe.includes(c)) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The mirror URL of a sound in one sub-folder.
 * @example
 * ```ts
 * espejoMirrorUrl('sounds_set3', 'cat 1.wav'); // '…/%40NaturalSounds/sounds_set3/cat%201.wav'
 * ```
 */
export const espejoMirrorUrl = (sub: string, file: string, base: string = ESPEJO_MIRROR_BASE): string =>
  `${base.replace(/\/+$/, '')}/${sub}/${pythonQuote(file)}`;

/**
 * Options of {@link downloadEspejoNatWaveforms}.
 * @example
 * ```ts
 * const o: EspejoWaveformOptions = { base: 'http://127.0.0.1:8080/NaturalSounds', onWarning: console.warn };
 * ```
 */
export interface EspejoWaveformOptions extends FetchFileOptions {
  /** Replaces {@link ESPEJO_MIRROR_BASE} (a mirror or a test server). */
  base?: string;
  /** Called once with the names found nowhere. */
  onWarning?: (message: string) => void;
}

/**
 * Fetches the sounds of `stimNames` (`STIM_` stripped, duplicates once, order kept) that are not
 * yet in `nat_waveforms/`: each sub-folder in turn, any error → the next. Returns the files
 * fetched and those found nowhere (warned about, not thrown: the dataset then refuses to build).
 * @example
 * ```ts
 * const { missing } = await downloadEspejoNatWaveforms(['STIM_cat_a.wav'], await platform.openWritableSource(path));
 * ```
 */
export async function downloadEspejoNatWaveforms(
  stimNames: readonly string[],
  store: WritableSource,
  options: EspejoWaveformOptions = {},
): Promise<{ fetched: string[]; missing: string[] }> {
  const files = [...new Set(stimNames.map((n) => n.replace(/^STIM_/, '')))];
  const fetched: string[] = [];
  const missing: string[] = [];
  for (const file of files) {
    const path = `${ESPEJO_WAVEFORM_DIR}/${file}`;
    if ((await store.stat(path))?.kind === 'file') continue;
    let ok = false;
    for (const sub of ESPEJO_MIRROR_SUBDIRS) {
      try {
        await fetchFile(store, espejoMirrorUrl(sub, file, options.base), { path }, { ...options, retries: options.retries ?? 1 });
        ok = true;
        break;
      } catch {
        options.signal?.throwIfAborted();
      }
    }
    (ok ? fetched : missing).push(file);
  }
  if (missing.length > 0) options.onWarning?.(`Espejo NAT waveforms not found on the mirror: ${missing.join(', ')}`);
  return { fetched, missing };
}

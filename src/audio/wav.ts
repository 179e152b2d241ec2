/**
 * WAV decoding with libsndfile semantics (soundfile.read as float) and encoding for tests and
 * exports. Works on bytes, so it runs unchanged in Node and browsers.
 * @module
 */
import { FormatError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** Sample encodings {@link encodeWav} can write and {@link decodeWav} reads. */
export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

/** Options of {@link decodeWav}. */
export interface DecodeWavOptions {
  /** Name used in error messages (default `'<wav bytes>'`). */
  name?: string;
  /** Output precision (default float32). */
  dtype?: 'float32' | 'float64';
  /** First frame to read (default 0): random access into long recordings. */
  start?: number;
  /** Number of frames to read (default: to the end). */
  frames?: number;
}

/** A decoded WAV file. */
export interface DecodedWav<D extends 'float32' | 'float64' = 'float32' | 'float64'> {
  /** The header's integer sample rate (NS1's 48 828.125 Hz hardware is stored as 48 828). */
  sampleRate: number;
  channels: number;
  /** Frames in the file's data chunk. */
  totalFrames: number;
  format: WavSampleFormat;
  /** `(channels, frames)`: PCM scaled to [−1, 1); float data as stored (not clipped). */
  data: Tensor<D>;
}

const KSDATAFORMAT_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const fourcc = (b: Uint8Array, o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);

/**
 * Decodes a RIFF/WAVE file: PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE with a
 * PCM or float sub-format, any channel count; unknown chunks are skipped (odd sizes padded).
 * PCM is scaled as libsndfile does: 8-bit (x − 128)/128, 16-bit x/2^15, 24-bit x/2^23, 32-bit
 * x/2^31. A data chunk that runs past the end of the bytes is read up to the last whole frame.
 * @example
 * ```ts
 * const wav = decodeWav(bytes); // wav.data.shape = [channels, frames], wav.sampleRate
 * ```
 */
export function decodeWav(bytes: Uint8Array, options: DecodeWavOptions & { dtype: 'float64' }): DecodedWav<'float64'>;
export function decodeWav(bytes: Uint8Array, options?: DecodeWavOptions & { dtype?: 'float32' }): DecodedWav<'float32'>;
export function decodeWav(bytes: Uint8Array, options?: DecodeWavOptions): DecodedWav;
export function decodeWav(bytes: Uint8Array, options: DecodeWavOptions = {}): DecodedWav {
  const name = options.name ?? '<wav bytes>';
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name}: decodeWav expects a Uint8Array`);
  if (bytes.length < 12) throw new FormatError(name, `file of ${bytes.length} bytes is too short for a RIFF header`, 0);
  if (fourcc(bytes, 0) !== 'RIFF') throw new FormatError(name, `not a RIFF file (starts with '${fourcc(bytes, 0)}')`, 0);
  if (fourcc(bytes, 8) !== 'WAVE') throw new FormatError(name, `RIFF form type is '${fourcc(bytes, 8)}', expected 'WAVE'`, 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { code: number; channels: number; rate: number; blockAlign: number; bits: number } | undefined;
  let dataStart = -1, dataBytes = 0;
  let off = 12;
  while (off + 8 <= bytes.length) {
    const id = fourcc(bytes, off);
    const size = view.getUint32(off + 4, true);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new FormatError(name, `'fmt ' chunk of ${size} bytes is too short`, off);
      let code = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const rate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bits = view.getUint16(body + 14, true);
      if (code === 0xfffe) {
        if (size < 40 || body + 40 > bytes.length) throw new FormatError(name, `WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk of ${size} bytes, expected 40`, off);
        const guid = bytes.subarray(body + 24, body + 40);
        if (!KSDATAFORMAT_TAIL.every((v, i) => guid[2 + i] === v)) {
          throw new FormatError(name, 'WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID', body + 24);
        }
        code = view.getUint16(body + 24, true);
      }
      if (channels < 1) throw new FormatError(name, 'fmt chunk declares 0 channels', body + 2);
      fmt = { code, channels, rate, blockAlign, bits };
    } else if (id === 'data') {
      dataStart = body;
      // A streaming writer may leave 0 or 0xFFFFFFFF: take what the file holds.
      dataBytes = Math.min(size, bytes.length - body);
      if (size === 0 || size === 0xffffffff) dataBytes = bytes.length - body;
      if (fmt) break; // chunks after data are irrelevant once fmt is known
    }
    off = body + size + (size & 1);
  }
  if (!fmt) throw new FormatError(name, "no 'fmt ' chunk", 12);
  if (dataStart < 0) throw new FormatError(name, "no 'data' chunk", 12);
  const { code, channels, rate, bits } = fmt;
  let format: WavSampleFormat;
  if (code === 1 && (bits === 8 || bits === 16 || bits === 24 || bits === 32)) format = `pcm${bits}` as WavSampleFormat;
  else if (code === 3 && (bits === 32 || bits === 64)) format = `float${bits}` as WavSampleFormat;
  else throw new FormatError(name, `unsupported sample format: format code ${code} with ${bits} bits per sample`, 20);
  const bytesPerSample = bits / 8;
  const frameBytes = bytesPerSample * channels;
  if (fmt.blockAlign !== 0 && fmt.blockAlign !== frameBytes) {
    throw new FormatError(name, `block align ${fmt.blockAlign} does not match ${channels} channels × ${bytesPerSample} bytes`, 32);
  }
  const totalFrames = Math.floor(dataBytes / frameBytes);
  const start = options.start ?? 0;
  if (!Number.isInteger(start) || start < 0 || start > totalFrames) {
    throw new RangeError(`${name}: start frame ${start} is outside [0, ${totalFrames}]`);
  }
  const frames = options.frames ?? totalFrames - start;
  if (!Number.isInteger(frames) || frames < 0 || start + frames > totalFrames) {
    throw new RangeError(`${name}: ${frames} frames from ${start} exceed the ${totalFrames} frames of the file`);
  }
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new ValueError(`dtype must be 'float32' or 'float64', got '${String(dtype)}'`);
  const out = dtype === 'float32' ? new Float32Array(channels * frames) : new Float64Array(channels * frames);
  const p0 = dataStart + start * frameBytes;
  for (let c = 0; c < channels; c++) {
    const row = c * frames;
    let p = p0 + c * bytesPerSample;
    switch (format) {
      case 'pcm8':
        for (let i = 0; i < frames; i++, p += frameBytes) out[row + i] = (bytes[p] - 128) / 128;
        break;
      case 'pcm16':
        for (let i = 0; i < frames; i++, p += frameBytes) out[row + i] = view.getInt16(p, true) / 32768;
        break;
      case 'pcm24':
        for (let i = 0; i < frames; i++, p += frameBytes) {
          const v = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16);
          out[row + i] = ((v << 8) >> 8) / 8388608;
        }
        break;
      case 'pcm32':
        for (let i = 0; i < frames; i++, p += frameBytes) out[row + i] = view.getInt32(p, true) / 2147483648;
        break;
      case 'float32':
        // Mono float32 at an aligned offset: one bulk copy (every supported platform is little-endian).
        if (channels === 1 && dtype === 'float32' && (bytes.byteOffset + p) % 4 === 0) {
          out.set(new Float32Array(bytes.buffer, bytes.byteOffset + p, frames), row);
          break;
        }
        for (let i = 0; i < frames; i++, p += frameBytes) out[row + i] = view.getFloat32(p, true);
        break;
      case 'float64':
        for (let i = 0; i < frames; i++, p += frameBytes) out[row + i] = view.getFloat64(p, true);
        break;
    }
  }
  return {
    sampleRate: rate, channels, totalFrames, format,
    data: dtype === 'float32'
      ? { dtype: 'float32', shape: [channels, frames], data: out as Float32Array }
      : { dtype: 'float64', shape: [channels, frames], data: out as Float64Array },
  };
}

/** Options of {@link encodeWav}. */
export interface EncodeWavOptions {
  /** Default `'pcm16'`. */
  format?: WavSampleFormat;
  /** Write WAVE_FORMAT_EXTENSIBLE (40-byte fmt chunk) instead of the plain format code. */
  extensible?: boolean;
  /** Extra chunks written before `data` (id: 4 ASCII characters), e.g. a `LIST` chunk. */
  extraChunks?: Array<{ id: string; body: Uint8Array }>;
}

/**
 * Encodes `(channels, frames)` samples (or one `Float32Array` channel) as a WAV file. PCM is
 * round(x·2^(bits−1)) clipped to the integer range (8-bit offset by 128); float is written as is.
 * @example
 * ```ts
 * const bytes = encodeWav({ dtype: 'float32', shape: [1, 3], data: new Float32Array([0, .5, -.5]) }, 16000);
 * ```
 */
export function encodeWav(samples: Tensor | Float32Array, sampleRate: number, options: EncodeWavOptions = {}): Uint8Array {
  const t = samples instanceof Float32Array ? { shape: [1, samples.length], data: samples } : samples;
  if (t.shape.length !== 2) throw new ValueError(`encodeWav expects (channels, frames), got shape [${t.shape.join(', ')}]`);
  const [channels, frames] = t.shape;
  if (channels < 1 || channels > 65535) throw new ValueError(`encodeWav: channel count ${channels} out of range`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new ValueError(`sampleRate must be a positive integer, got ${sampleRate}`);
  const format = options.format ?? 'pcm16';
  const isFloat = format.startsWith('float');
  const bits = Number(format.replace(/^\D+/, ''));
  if (![8, 16, 24, 32, 64].includes(bits) || (isFloat && bits < 32) || (!isFloat && bits > 32)) {
    throw new ValueError(`unknown WAV sample format '${format}'`);
  }
  const bps = bits / 8;
  const fmtSize = options.extensible ? 40 : 16;
  const extra = options.extraChunks ?? [];
  const extraBytes = extra.reduce((s, c) => s + 8 + c.body.length + (c.body.length & 1), 0);
  const dataBytes = channels * frames * bps;
  const total = 12 + 8 + fmtSize + extraBytes + 8 + dataBytes + (dataBytes & 1);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  const ascii = (o: number, s: string) => { for (let i = 0; i < 4; i++) out[o + i] = s.charCodeAt(i); };
  ascii(0, 'RIFF'); v.setUint32(4, total - 8, true); ascii(8, 'WAVE');
  ascii(12, 'fmt '); v.setUint32(16, fmtSize, true);
  const code = isFloat ? 3 : 1;
  v.setUint16(20, options.extensible ? 0xfffe : code, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * bps, true);
  v.setUint16(32, channels * bps, true);
  v.setUint16(34, bits, true);
  let o = 36;
  if (options.extensible) {
    v.setUint16(36, 22, true); // cbSize
    v.setUint16(38, bits, true); // valid bits
    v.setUint32(40, channels === 1 ? 4 : 3, true); // channel mask
    v.setUint16(44, code, true);
    out.set(KSDATAFORMAT_TAIL, 46);
    o = 60;
  }
  for (const c of extra) {
    if (c.id.length !== 4) throw new ValueError(`chunk id '${c.id}' must be 4 characters`);
    ascii(o, c.id); v.setUint32(o + 4, c.body.length, true);
    out.set(c.body, o + 8);
    o += 8 + c.body.length + (c.body.length & 1);
  }
  ascii(o, 'data'); v.setUint32(o + 4, dataBytes, true);
  o += 8;
  const scale = 2 ** (bits - 1);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++, o += bps) {
      const x = t.data[c * frames + i];
      if (format === 'float32') { v.setFloat32(o, x, true); continue; }
      if (format === 'float64') { v.setFloat64(o, x, true); continue; }
      const q = Math.max(-scale, Math.min(scale - 1, Math.round(x * scale)));
      if (bits === 8) out[o] = q + 128;
      else if (bits === 16) v.setInt16(o, q, true);
      else if (bits === 24) { out[o] = q & 0xff; out[o + 1] = (q >> 8) & 0xff; out[o + 2] = (q >> 16) & 0xff; }
      else v.setInt32(o, q, true);
    }
  }
  return out;
}

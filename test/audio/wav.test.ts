// WAV decoding against hand-built bytes (libsndfile scaling), round trips for every sample
// format, chunk skipping, random access and typed errors.
import { describe, expect, it } from 'vitest';
import { FormatError, decodeWav, encodeWav, tensor } from '../../src/index.js';

/** A minimal WAV built byte by byte, independent of encodeWav. */
function handWav(code: number, bits: number, channels: number, rate: number, payload: number[], extra: Uint8Array[] = []): Uint8Array {
  const fmt = [
    ...u16(code), ...u16(channels), ...u32(rate), ...u32((rate * channels * bits) / 8), ...u16((channels * bits) / 8), ...u16(bits),
  ];
  const chunks = [...extra.flatMap((c) => Array.from(c)), ...ascii('fmt '), ...u32(16), ...fmt, ...ascii('data'), ...u32(payload.length), ...payload];
  return Uint8Array.from([...ascii('RIFF'), ...u32(4 + chunks.length), ...ascii('WAVE'), ...chunks]);
}
const u16 = (v: number) => [v & 255, (v >> 8) & 255];
const u32 = (v: number) => [v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

describe('decodeWav scaling (libsndfile semantics)', () => {
  it('16-bit: x / 32768', () => {
    const w = decodeWav(handWav(1, 16, 1, 8000, [...u16(0x8000), ...u16(0x4000), ...u16(0xffff), ...u16(0x7fff)]));
    expect(w.format).toBe('pcm16');
    expect(Array.from(w.data.data)).toEqual([-1, 0.5, -1 / 32768, 32767 / 32768]);
    expect([w.sampleRate, w.channels, w.totalFrames]).toEqual([8000, 1, 4]);
  });
  it('8-bit unsigned: (x − 128) / 128', () => {
    const w = decodeWav(handWav(1, 8, 1, 8000, [0, 128, 255, 64]));
    expect(Array.from(w.data.data)).toEqual([-1, 0, 127 / 128, -0.5]);
  });
  it('24-bit: sign-extended x / 2^23', () => {
    const w = decodeWav(handWav(1, 24, 1, 8000, [0, 0, 0x80, 0xff, 0xff, 0xff, 0, 0, 0x40]));
    expect(Array.from(w.data.data)).toEqual([-1, -1 / 8388608, 0.5]);
  });
  it('32-bit: x / 2^31', () => {
    const w = decodeWav(handWav(1, 32, 1, 8000, [...u32(0x80000000), ...u32(0x40000000)]));
    expect(Array.from(w.data.data)).toEqual([-1, 0.5]);
  });
  it('float32 and float64 pass through as stored, not clipped', () => {
    const f32 = new Uint8Array(new Float32Array([14.25, -3.5, 0.125]).buffer);
    expect(Array.from(decodeWav(handWav(3, 32, 1, 48828, Array.from(f32))).data.data)).toEqual([14.25, -3.5, 0.125]);
    const f64 = new Uint8Array(new Float64Array([1e-9, -20]).buffer);
    const w = decodeWav(handWav(3, 64, 1, 8000, Array.from(f64)), { dtype: 'float64' });
    expect(w.data.dtype).toBe('float64');
    expect(Array.from(w.data.data)).toEqual([1e-9, -20]);
  });
  it('channels come out channel-first: interleaved L R L R → (2, frames)', () => {
    const w = decodeWav(handWav(1, 16, 2, 8000, [...u16(1), ...u16(2), ...u16(3), ...u16(4), ...u16(5), ...u16(6)]));
    expect(w.data.shape).toEqual([2, 3]);
    expect(Array.from(w.data.data, (v) => v * 32768)).toEqual([1, 3, 5, 2, 4, 6]);
  });
  it('skips unknown chunks before fmt and data, honouring the pad byte of odd sizes', () => {
    const junk = Uint8Array.from([...ascii('JUNK'), ...u32(3), 1, 2, 3, 0]); // odd size + pad
    const list = Uint8Array.from([...ascii('LIST'), ...u32(4), ...ascii('INFO')]);
    const w = decodeWav(handWav(1, 16, 1, 8000, [...u16(0x4000)], [junk, list]));
    expect(Array.from(w.data.data)).toEqual([0.5]);
  });
});

describe('encodeWav → decodeWav round trips', () => {
  const formats = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64'] as const;
  for (const format of formats) {
    it(`${format}, 3 channels, plain and extensible headers, with an odd LIST chunk`, () => {
      const bits = Number(format.replace(/\D+/, ''));
      const frames = 257, C = 3;
      // values on the format's grid so that the round trip is exact
      const q = format.startsWith('pcm') ? 2 ** (bits - 1) : 0;
      // float64 input so that 32-bit PCM values survive; float32 data stay float32-representable
      const data = Float64Array.from({ length: C * frames }, (_, i) => {
        const v = Math.sin(i * 0.37) * (format.startsWith('float') ? 3 : 1);
        return q ? Math.min(Math.round(v * q), q - 1) / q : format === 'float32' ? Math.fround(v) : v;
      });
      if (q) { data[0] = -1; data[1] = (q - 1) / q; }
      for (const extensible of [false, true]) {
        const bytes = encodeWav(tensor('float64', [C, frames], data), 44100, {
          format, extensible, extraChunks: [{ id: 'LIST', body: Uint8Array.from([1, 2, 3]) }],
        });
        const w = decodeWav(bytes, { dtype: 'float64' });
        expect([w.format, w.sampleRate, w.channels, w.totalFrames]).toEqual([format, 44100, C, frames]);
        expect(w.data.shape).toEqual([C, frames]);
        for (let i = 0; i < data.length; i++) if (w.data.data[i] !== data[i]) expect.fail(`${format} [${i}]: ${w.data.data[i]} vs ${data[i]}`);
      }
    });
  }

  it('PCM encoding clips out-of-range values to the integer range', () => {
    const w = decodeWav(encodeWav(Float32Array.from([2, -2]), 8000, { format: 'pcm16' }));
    expect(Array.from(w.data.data)).toEqual([32767 / 32768, -1]);
  });
});

describe('decodeWav random access and tolerance', () => {
  it('reads a frame range', () => {
    const data = Float32Array.from({ length: 2 * 100 }, (_, i) => i / 256);
    const bytes = encodeWav(tensor('float32', [2, 100], data), 8000, { format: 'float32' });
    const w = decodeWav(bytes, { start: 10, frames: 5 });
    expect(w.data.shape).toEqual([2, 5]);
    expect(Array.from(w.data.data)).toEqual([...data.subarray(10, 15), ...data.subarray(110, 115)]);
    expect(() => decodeWav(bytes, { start: 99, frames: 2 })).toThrow(RangeError);
    expect(() => decodeWav(bytes, { start: 101 })).toThrow(/start frame 101 is outside \[0, 100\]/);
  });
  it('reads a truncated data chunk up to its last whole frame', () => {
    const bytes = encodeWav(Float32Array.from([0.5, 0.25, -0.5]), 8000, { format: 'pcm16' });
    const w = decodeWav(bytes.subarray(0, bytes.length - 1));
    expect(Array.from(w.data.data)).toEqual([0.5, 0.25]);
  });
  it('decodes from a Uint8Array at an odd byte offset (no alignment assumption)', () => {
    const bytes = encodeWav(Float32Array.from([0.5, -0.25]), 8000, { format: 'float32' });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(Array.from(decodeWav(shifted.subarray(1)).data.data)).toEqual([0.5, -0.25]);
  });
});

describe('decodeWav errors name the file and the byte offset', () => {
  it('not RIFF / not WAVE / too short', () => {
    expect(() => decodeWav(Uint8Array.from([1, 2, 3]), { name: 'a.wav' })).toThrow(FormatError);
    expect(() => decodeWav(Uint8Array.from([1, 2, 3]), { name: 'a.wav' })).toThrow(/a\.wav @ byte 0: file of 3 bytes is too short/);
    const riff = Uint8Array.from([...ascii('RIFX'), ...u32(4), ...ascii('WAVE')]);
    expect(() => decodeWav(riff, { name: 'b.wav' })).toThrow(/b\.wav @ byte 0: not a RIFF file \(starts with 'RIFX'\)/);
    const avi = Uint8Array.from([...ascii('RIFF'), ...u32(4), ...ascii('AVI ')]);
    expect(() => decodeWav(avi)).toThrow(/@ byte 8: RIFF form type is 'AVI ', expected 'WAVE'/);
  });
  it('missing fmt or data chunk', () => {
    const noFmt = Uint8Array.from([...ascii('RIFF'), ...u32(12), ...ascii('WAVE'), ...ascii('data'), ...u32(0)]);
    expect(() => decodeWav(noFmt, { name: 'c' })).toThrow(/c @ byte 12: no 'fmt ' chunk/);
    const full = handWav(1, 16, 1, 8000, [0, 0]);
    expect(() => decodeWav(full.subarray(0, 36), { name: 'd' })).toThrow(/no 'data' chunk/);
  });
  it('unsupported sample formats (A-law, 12-bit PCM) and inconsistent block align', () => {
    expect(() => decodeWav(handWav(6, 8, 1, 8000, [0]), { name: 'alaw.wav' })).toThrow(/alaw\.wav @ byte 20: unsupported sample format: format code 6 with 8 bits/);
    expect(() => decodeWav(handWav(1, 12, 1, 8000, [0, 0]))).toThrow(/format code 1 with 12 bits/);
    const bad = handWav(1, 16, 2, 8000, [0, 0, 0, 0]);
    bad[32] = 3;
    expect(() => decodeWav(bad)).toThrow(/block align 3 does not match 2 channels × 2 bytes/);
  });
  it('non-bytes input is a TypeError', () => {
    expect(() => decodeWav([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });
});

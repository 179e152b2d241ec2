/**
 * The viewer's render worker: turns numbers into pictures (web/render-protocol.ts), so the page's
 * main thread never loops over pixels.
 * @module
 */
import { logFrequencySpectrogram } from '../src/spectral/log-frequency.js';
import { VIRIDIS_LUT } from './colormap.js';
import { VALIDITY_COLOURS, type RenderReply, type RenderRequest } from './render-protocol.js';

const NAN_RGB = [217, 217, 217];

function finiteRange(data: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

function toBitmap(px: Uint8ClampedArray, width: number, height: number): ImageBitmap {
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.putImageData(new ImageData(px as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return canvas.transferToImageBitmap();
}

function heat(data: Float32Array, rows: number, cols: number, lo?: number, hi?: number): Omit<RenderReply, 'id'> {
  const [fLo, fHi] = finiteRange(data);
  const a = lo ?? fLo;
  const b = hi ?? fHi;
  const scale = b > a ? 255 / (b - a) : 0;
  const px = new Uint8ClampedArray(rows * cols * 4);
  for (let r = 0; r < rows; r++) {
    const dst = (rows - 1 - r) * cols * 4;
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c];
      const o = dst + c * 4;
      if (Number.isNaN(v)) {
        px[o] = NAN_RGB[0]; px[o + 1] = NAN_RGB[1]; px[o + 2] = NAN_RGB[2]; px[o + 3] = 255;
      } else {
        const i = Math.min(255, Math.max(0, Math.round((v - a) * scale))) * 4;
        px[o] = VIRIDIS_LUT[i]; px[o + 1] = VIRIDIS_LUT[i + 1]; px[o + 2] = VIRIDIS_LUT[i + 2]; px[o + 3] = 255;
      }
    }
  }
  return { bitmap: toBitmap(px, cols, rows), width: cols, height: rows, lo: a, hi: b };
}

function raster(data: Float32Array, rows: number, cols: number, width: number, height: number): Omit<RenderReply, 'id'> {
  const px = new Uint8ClampedArray(width * height * 4).fill(255);
  const rowH = height / rows;
  const colW = width / cols;
  const paint = (r: number, c: number, rgb: readonly number[]) => {
    const y0 = Math.floor(r * rowH + (rowH > 3 ? 1 : 0));
    const y1 = Math.max(y0 + 1, Math.floor((r + 1) * rowH - (rowH > 3 ? 1 : 0)));
    const x0 = Math.floor(c * colW);
    const x1 = Math.max(x0 + 1, Math.floor((c + 1) * colW));
    for (let y = y0; y < Math.min(y1, height); y++) {
      for (let x = x0; x < Math.min(x1, width); x++) {
        const o = (y * width + x) * 4;
        px[o] = rgb[0]; px[o + 1] = rgb[1]; px[o + 2] = rgb[2];
      }
    }
  };
  let hi = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > hi) hi = data[i];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c];
      if (Number.isNaN(v)) paint(r, c, NAN_RGB);
      else if (v > 0) {
        // darker for more spikes in the bin: viridis from 0.45 (one) down to 0 (the most)
        const i = Math.round(255 * 0.45 * (1 - (hi > 1 ? (v - 1) / (hi - 1) : 0))) * 4;
        paint(r, c, [VIRIDIS_LUT[i], VIRIDIS_LUT[i + 1], VIRIDIS_LUT[i + 2]]);
      }
    }
  }
  return { bitmap: toBitmap(px, width, height), width, height, lo: 0, hi };
}

function validity(cells: Array<Float32Array | null>, shapes: Array<[number, number]>, rMax: number, tMax: number): Omit<RenderReply, 'id'> {
  const rows = Math.max(1, cells.length * rMax);
  const cols = Math.max(1, tMax);
  const px = new Uint8ClampedArray(rows * cols * 4);
  const put = (o: number, rgb: readonly number[]) => {
    px[o] = rgb[0]; px[o + 1] = rgb[1]; px[o + 2] = rgb[2]; px[o + 3] = 255;
  };
  cells.forEach((cell, s) => {
    const [R, T] = shapes[s];
    for (let r = 0; r < rMax; r++) {
      const row = s * rMax + r;
      for (let t = 0; t < tMax; t++) {
        const o = (row * cols + t) * 4;
        if (cell === null) put(o, VALIDITY_COLOURS.missing);
        else if (r >= R || t >= T) put(o, VALIDITY_COLOURS.padding);
        else put(o, Number.isNaN(cell[r * T + t]) ? VALIDITY_COLOURS.nan : VALIDITY_COLOURS.valid);
      }
    }
  });
  return { bitmap: toBitmap(px, cols, rows), width: cols, height: rows, lo: 0, hi: 1 };
}

function waveSpec(wave: Float32Array, fs: number, dtMs: number): Omit<RenderReply, 'id'> {
  // Bands from 100 Hz up to the Nyquist frequency, one frame per response bin, a window of at
  // least 25 ms (≈ 40 Hz resolution, so the lowest bands stay apart).
  const { spec, freqs } = logFrequencySpectrogram(wave, { sampleRate: fs, dtMs, windowMs: Math.max(2 * dtMs, 25), fMax: Math.min(45000, fs / 2) });
  const [rows, cols] = spec.shape;
  const [, top] = finiteRange(spec.data); // already in dB: show the top 80 dB
  return { ...heat(spec.data, rows, cols, top - 80, top), freqs };
}

function render(req: RenderRequest): Omit<RenderReply, 'id'> {
  switch (req.kind) {
    case 'heat': return heat(req.data, req.rows, req.cols, req.lo, req.hi);
    case 'raster': return raster(req.data, req.rows, req.cols, req.width, req.height);
    case 'validity': return validity(req.cells, req.shapes, req.rMax, req.tMax);
    case 'wavespec': return waveSpec(req.wave, req.fs, req.dtMs);
  }
}

self.onmessage = (ev: MessageEvent<RenderRequest & { id: number }>) => {
  const { id } = ev.data;
  try {
    const r = render(ev.data);
    (self as unknown as Worker).postMessage({ id, ...r }, r.bitmap ? [r.bitmap] : []);
  } catch (e) {
    (self as unknown as Worker).postMessage({ id, width: 0, height: 0, lo: 0, hi: 0, error: e instanceof Error ? e.message : String(e) });
  }
};

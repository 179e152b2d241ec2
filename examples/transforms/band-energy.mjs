// A per-item transform module for examples/01-loader.mjs: waveform (1, T · hop) → log band
// energies (1, F, T), one causal frame per response bin (a plain DFT over `options.nFft`
// samples, summed into F log-spaced bands). The loader imports it in each worker; it must
// export `transform` (or a default function) taking (item, context) and returning an item.
const cache = new Map();

function bands(F, fs, nFft) {
  const key = `${F}:${fs}:${nFft}`;
  if (!cache.has(key)) {
    const edges = Array.from({ length: F + 1 }, (_, f) => 100 * ((0.45 * fs) / 100) ** (f / F));
    const bin = (hz) => Math.min(nFft / 2, Math.round((hz * nFft) / fs));
    cache.set(key, edges.slice(0, F).map((lo, f) => [bin(lo), Math.max(bin(lo) + 1, bin(edges[f + 1]))]));
  }
  return cache.get(key);
}

export function transform(item, ctx) {
  const { audioFs: fs, hop, F } = ctx.dataset;
  const nFft = ctx.options?.nFft ?? 256;
  const x = item.stims.data;
  const T = x.length / hop;
  const out = new Float32Array(F * T);
  const ranges = bands(F, fs, nFft);
  for (let t = 0; t < T; t++) {
    const end = (t + 1) * hop;
    for (let f = 0; f < F; f++) {
      const [k0, k1] = ranges[f];
      let e = 0;
      for (let k = k0; k < k1; k++) {
        let re = 0, im = 0;
        for (let i = 0; i < nFft; i++) {
          const s = end - nFft + i;
          if (s < 0) continue;
          const a = (2 * Math.PI * k * i) / nFft;
          re += x[s] * Math.cos(a);
          im -= x[s] * Math.sin(a);
        }
        e += re * re + im * im;
      }
      out[f * T + t] = Math.log(1e-6 + e);
    }
  }
  return { ...item, stims: { dtype: 'float32', shape: [1, F, T], data: out } };
}

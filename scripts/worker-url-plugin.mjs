// The esbuild plugin both bundles (scripts/build.mjs, scripts/viewer.mjs) use for the workers'
// URLs (collate, fit): sources point at workers/<name>.ts, bundles at their sibling
// workers/<name>.js (esbuild keeps `new URL('./x', import.meta.url)` as written).
export const workerUrlPlugin = {
  name: 'deepstrf-worker-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]loader[\\/]worker-url\.ts$/ }, () => ({
      loader: 'ts',
      contents: "export function collateWorkerUrl(): URL { return new URL('./workers/collate-worker.js', import.meta.url); }\n" +
        "export function fitWorkerUrl(): URL { return new URL('./workers/fit-worker.js', import.meta.url); }\n",
    }));
  },
};

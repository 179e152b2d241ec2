import { NS1Dataset } from './src/datasets/ns1.js';
let t = performance.now();
const ds = new NS1Dataset({ path: '/work/shared/datasets/NS1' });
console.log('spec build ms', performance.now() - t, String(ds), ds.stims[0].shape, ds.responses[0][0].shape);
t = performance.now();
const w = new NS1Dataset({ path: '/work/shared/datasets/NS1', returnWaveform: true });
console.log('wave build ms', performance.now() - t, w.stims[0].shape, w.hop);

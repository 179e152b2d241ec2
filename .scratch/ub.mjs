import * as h5 from 'h5wasm';
const M = await h5.ready;
const f = new h5.File('/w.h5', 'w');
f.create_dataset({ name: 'x', data: new Float64Array([1, 2, 3]) });
f.close();
const bytes = M.FS.readFile('/w.h5');
console.log('sb version', bytes[8], 'len', bytes.length);
const jam = new Uint8Array(512 + bytes.length); jam.set(bytes, 512);
M.FS.writeFile('/j.h5', jam);
try { const r = new h5.File('/j.h5', 'r'); console.log('opened', r.keys(), r.get('x').value); r.close(); } catch (e) { console.log('ERR', e.message); }

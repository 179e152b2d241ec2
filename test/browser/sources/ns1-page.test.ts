// A page builds NS1 from a user-picked folder (File objects as <input webkitdirectory> gives
// them, here fetched from the loopback server) and from an HTTP base URL; both equal, and the
// responses equal an independent count from the spike file.
import { describe, expect, inject, it } from 'vitest';
import { FileListSource, HttpSource, NS1Dataset, NS1_RELEASE_FILES, PickedFolderSource, readMat } from '../../../src/index.js';
import type { MatStruct } from '../../../src/index.js';

const base = inject('ns1BaseUrl');
if (!base) console.warn(`SKIPPED NS1 in a page (Chromium): ${inject('ns1Missing')}`);

async function pickedFolder(): Promise<File[]> {
  return Promise.all(NS1_RELEASE_FILES.map(async (f) => {
    const res = await fetch(`${base}ns1/${f.path.split('/').map(encodeURIComponent).join('/')}`);
    const file = new File([await res.arrayBuffer()], f.path.split('/').pop()!);
    Object.defineProperty(file, 'webkitRelativePath', { value: `NS1/${f.path}` });
    return file;
  }));
}

describe.skipIf(!base)('NS1 in a page (Chromium)', () => {
  it('from picked files and from an HTTP base URL: the same 73 single units; responses as counted from the spike structs', async () => {
    const files = await pickedFolder();
    const picked = new FileListSource(files);
    expect(picked.root).toBe('NS1');
    const a = await NS1Dataset.load({ source: picked, singleUnitsOnly: true, smooth: false });
    const b = await NS1Dataset.load({ source: new HttpSource(`${base}ns1/`, { files: NS1_RELEASE_FILES }), singleUnitsOnly: true, smooth: false });
    expect([a.getN(), a.getS(), b.getN()]).toEqual([73, 20, 73]);
    expect(a.stims[0].shape).toEqual([1, 34, 999]);
    for (const s of [0, 11, 19]) {
      expect(b.stims[s].data).toEqual(a.stims[s].data);
      for (const n of [0, 40, 72]) expect(b.responses[s][n].data).toEqual(a.responses[s][n].data);
    }
    // independent count for unit 0, sound 3: distinct rounded ms (half to even) in [0, 4995)
    const meta = readMat(new Uint8Array(await files.find((f) => f.webkitRelativePath === 'NS1/MetadataSHEnCneurons.mat')!.arrayBuffer()), 'meta');
    const units = (meta.neuron as MatStruct).elements;
    const first = units.find((u) => NS1Dataset.isSingleUnit({ singleT: (u.singleT as { text: string }).text, depthUm: Number((u.depth as { data: ArrayLike<number> }).data[0]) }))!;
    const path = `NS1/spikesandwav/${(first.path as { text: string }).text}`;
    const data = readMat(new Uint8Array(await files.find((f) => f.webkitRelativePath === path)!.arrayBuffer()), path).data as MatStruct;
    const reps = ((data.elements[0].set as MatStruct).elements[3].repeats as MatStruct).elements;
    let expected = 0;
    for (const rep of reps) {
      const ms = new Set<number>();
      for (const x of Array.from((rep.t as { data: ArrayLike<number> }).data, Number)) {
        const r = Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x);
        if (r >= 0 && r < 4995) ms.add(r);
      }
      expected += ms.size;
    }
    expect(a.responses[3][0].shape[0]).toBe(reps.length);
    expect(Array.from(a.responses[3][0].data).reduce((x, y) => x + y, 0)).toBe(expected);
  }, 180_000);

  it('a damaged picked folder (one spike file missing) is an error naming the file', async () => {
    const files = (await pickedFolder()).filter((f) => !f.webkitRelativePath.endsWith('exp45_1x32/P04-SH.En.C.D/cluster.03.data.mat'));
    await expect(NS1Dataset.load({ source: new FileListSource(files), smooth: false })).rejects.toThrow(
      /^NS1\/spikesandwav\/exp45_1x32\/P04-SH\.En\.C\.D\/cluster\.03\.data\.mat: file not found/,
    );
  }, 120_000);

  it('from a picked folder handle (the release written into a folder of the OPFS): the same dataset as from the files', async () => {
    const files = await pickedFolder();
    const top = await navigator.storage.getDirectory();
    const name = `deepstrf-ns1-picked-${Date.now()}`;
    const root = await top.getDirectoryHandle(name, { create: true });
    try {
      for (const f of files) {
        const parts = f.webkitRelativePath.split('/').slice(1);
        let dir = root;
        for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
        const w = await (await dir.getFileHandle(parts[parts.length - 1], { create: true })).createWritable();
        await w.write(f);
        await w.close();
      }
      const a = await NS1Dataset.load({ source: new PickedFolderSource(root), singleUnitsOnly: true, smooth: false, returnWaveform: true, audioFs: 16000 });
      const b = await NS1Dataset.load({ source: new FileListSource(files), singleUnitsOnly: true, smooth: false, returnWaveform: true, audioFs: 16000 });
      expect([a.getN(), a.stims[5].shape]).toEqual([73, [1, 999 * 80]]);
      expect(a.stims[5].data).toEqual(b.stims[5].data);
      expect(a.responses[7][33].data).toEqual(b.responses[7][33].data);
    } finally {
      await top.removeEntry(name, { recursive: true });
    }
  }, 180_000);
});

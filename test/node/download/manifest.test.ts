// The NS1 manifest: public OSF/GitHub URLs by default, a mirror from the option or
// DEEPSTRF_NS1_MIRROR, digests of all 140 release files; path validation of manifests.
import { afterEach, describe, expect, it } from 'vitest';
import { NS1_MANIFEST, ns1Manifest, downloadDataset, ValueError } from '../../../src/index.js';
import { normaliseRelativePath } from '../../../src/download/manifest.js';

describe('NS1 manifest', () => {
  const saved = process.env.DEEPSTRF_NS1_MIRROR;
  afterEach(() => {
    if (saved === undefined) delete process.env.DEEPSTRF_NS1_MIRROR;
    else process.env.DEEPSTRF_NS1_MIRROR = saved;
  });

  it('default: the OSF GUID URLs (docs/zoo/ns1.md) and the DNet raw URL; spikesandwav.zip unpacked in place', () => {
    expect(NS1_MANIFEST.name).toBe('NS1');
    expect(NS1_MANIFEST.files.map((f) => [f.path, f.url])).toEqual([
      ['MetadataSHEnCneurons.mat', 'https://osf.io/download/gdwyd/'],
      ['spikesandwav.zip', 'https://osf.io/download/5nxga/'],
      ['ReadMe.rtf', 'https://osf.io/download/f3rtm/'],
      ['test_data_5ms.mat', 'https://raw.githubusercontent.com/monzilur/DNet/master/test_data_5ms.mat'],
    ]);
    const zip = NS1_MANIFEST.files[1];
    expect(zip.archive).toBe('zip');
    expect(zip.extractTo).toBe('');
    expect(zip.members?.length).toBe(139);
    expect(zip.members?.every((m) => m.path.startsWith('spikesandwav/') && m.size! > 0 && /^[0-9a-f]{64}$/.test(m.sha256!))).toBe(true);
    expect(NS1_MANIFEST.files[0].size).toBe(5217);
  });

  it('a mirror: 140 files under their relative paths, URL-encoded, plus the DNet file unless disabled', () => {
    const m = ns1Manifest({ mirror: 'https://m.example.org/data/NS1/' });
    expect(m.files.length).toBe(141);
    expect(m.files[0].url).toBe('https://m.example.org/data/NS1/MetadataSHEnCneurons.mat');
    const total = m.files.reduce((s, f) => s + (f.size ?? 0), 0);
    expect(total).toBe(103_455_889);
    expect(m.files[140].url).toMatch(/raw\.githubusercontent\.com/);
    expect(ns1Manifest({ mirror: 'http://x', spectrogram: false }).files.length).toBe(140);
    expect(ns1Manifest({ mirror: 'http://x/a b' }).files[0].url).toBe('http://x/a b/MetadataSHEnCneurons.mat');
  });

  it('DEEPSTRF_NS1_MIRROR is read at call time; an explicit empty mirror means the public hosts', () => {
    process.env.DEEPSTRF_NS1_MIRROR = 'http://127.0.0.1:9/NS1';
    expect(ns1Manifest().files[0].url).toBe('http://127.0.0.1:9/NS1/MetadataSHEnCneurons.mat');
    expect(ns1Manifest({ mirror: '' }).files[0].url).toBe('https://osf.io/download/gdwyd/');
  });

  it('manifest paths must stay inside the cache folder', async () => {
    expect(normaliseRelativePath('a/./b//c')).toBe('a/b/c');
    expect(() => normaliseRelativePath('../x')).toThrow(ValueError);
    await expect(downloadDataset({ name: 'X', files: [{ path: '/etc/x', url: 'http://127.0.0.1:9/' }] }, { root: '/tmp/never-created' }))
      .rejects.toThrow(/X manifest path "\/etc\/x": is an absolute path/);
  });
});

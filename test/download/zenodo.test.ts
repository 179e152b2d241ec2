import { describe, expect, it } from 'vitest';
import { zenodoFileUrl, zenodoManifest } from '../../src/index.js';

describe('zenodo URLs', () => {
  it('builds records/<id>/files/<name>/content, name encoded', () => {
    expect(zenodoFileUrl(18331549, 'cell_list.csv')).toBe('https://zenodo.org/api/records/18331549/files/cell_list.csv/content');
    expect(zenodoFileUrl('1', 'a b#.tgz', 'http://127.0.0.1:9/api/')).toBe('http://127.0.0.1:9/api/records/1/files/a%20b%23.tgz/content');
  });
  it('makes a manifest keeping archive fields', () => {
    const m = zenodoManifest('NAT4', '8044773', [{ name: 'wav.zip', archive: 'zip', anchor: 'wav' }, { name: 'x.csv', path: 'sub/x.csv' }]);
    expect(m).toEqual({
      name: 'NAT4',
      files: [
        { path: 'wav.zip', url: 'https://zenodo.org/api/records/8044773/files/wav.zip/content', archive: 'zip', anchor: 'wav' },
        { path: 'sub/x.csv', url: 'https://zenodo.org/api/records/8044773/files/x.csv/content' },
      ],
    });
  });
});

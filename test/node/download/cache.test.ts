// Cache folder resolution (docs/download.md) for each OS, and defaultCacheDir in this process.
import { afterEach, describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { cacheDirFor, defaultCacheDir } from '../../../src/index.js';

describe('cacheDirFor', () => {
  const home = '/home/ada';
  it('DEEPSTRF_DATA_DIR wins, with ~ expanded and trailing slashes dropped', () => {
    expect(cacheDirFor('NS1', { env: { DEEPSTRF_DATA_DIR: '/data/' }, os: 'linux', home })).toBe('/data/NS1');
    expect(cacheDirFor('AA1', { env: { DEEPSTRF_DATA_DIR: '~/ds' }, os: 'darwin', home })).toBe('/home/ada/ds/AA1');
    expect(cacheDirFor('NS1', { env: { DEEPSTRF_DATA_DIR: 'D:\\data' }, os: 'win32', home: 'C:\\Users\\ada' })).toBe('D:\\data\\NS1');
  });
  it('an empty DEEPSTRF_DATA_DIR is ignored', () => {
    expect(cacheDirFor('NS1', { env: { DEEPSTRF_DATA_DIR: '' }, os: 'linux', home })).toBe('/home/ada/.cache/deepSTRF/NS1');
  });
  it('Linux: XDG_CACHE_HOME when absolute, else ~/.cache', () => {
    expect(cacheDirFor('NS1', { env: { XDG_CACHE_HOME: '/xdg' }, os: 'linux', home })).toBe('/xdg/deepSTRF/NS1');
    expect(cacheDirFor('NS1', { env: { XDG_CACHE_HOME: 'rel' }, os: 'linux', home })).toBe('/home/ada/.cache/deepSTRF/NS1');
    expect(cacheDirFor('CRCNS_AC1', { env: {}, os: 'linux', home })).toBe('/home/ada/.cache/deepSTRF/CRCNS_AC1');
  });
  it('macOS: ~/Library/Caches', () => {
    expect(cacheDirFor('NS1', { env: {}, os: 'darwin', home: '/Users/ada' })).toBe('/Users/ada/Library/Caches/deepSTRF/NS1');
  });
  it('Windows: %LOCALAPPDATA%\\deepSTRF\\deepSTRF\\Cache\\<name>', () => {
    expect(cacheDirFor('NS1', { env: { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, os: 'win32', home: 'C:\\Users\\ada' }))
      .toBe('C:\\Users\\ada\\AppData\\Local\\deepSTRF\\deepSTRF\\Cache\\NS1');
    expect(cacheDirFor('NS1', { env: {}, os: 'win32', home: 'C:\\Users\\ada' }))
      .toBe('C:\\Users\\ada\\AppData\\Local\\deepSTRF\\deepSTRF\\Cache\\NS1');
  });
});

describe('defaultCacheDir (this process)', () => {
  const saved = { data: process.env.DEEPSTRF_DATA_DIR, xdg: process.env.XDG_CACHE_HOME };
  afterEach(() => {
    for (const [k, v] of [['DEEPSTRF_DATA_DIR', saved.data], ['XDG_CACHE_HOME', saved.xdg]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  it('reads the environment at call time', () => {
    process.env.DEEPSTRF_DATA_DIR = '/tmp/dsdata';
    expect(defaultCacheDir('NS1')).toBe('/tmp/dsdata/NS1');
    delete process.env.DEEPSTRF_DATA_DIR;
    process.env.XDG_CACHE_HOME = '/tmp/xdgc';
    expect(defaultCacheDir('NS1')).toBe(process.platform === 'linux' ? '/tmp/xdgc/deepSTRF/NS1' : expect.any(String));
    delete process.env.XDG_CACHE_HOME;
    if (process.platform === 'linux') expect(defaultCacheDir('NS1')).toBe(`${homedir()}/.cache/deepSTRF/NS1`);
  });
});

// The CRCNS download of AA1 (a zip whose single root folder is stripped) and AA2 (three tar.gz
// under crcns/aa2/, 2 components stripped) through the loopback CRCNS server
// (test/node/download/crcns-server.ts): login, file fetch, unpacking, idempotence, a bad password.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, CRCNSAA1Dataset, CRCNSAA2Dataset } from '../../../src/index.js';
import { aa1Files } from '../../helpers/zoo/aa1.js';
import { aa2Files } from '../../helpers/zoo/aa2.js';
import { writeTar } from '../../helpers/archive-writer.js';
import { startCrcnsServer, type CrcnsServer } from '../download/crcns-server.js';

const USER = 'finch', PASSWORD = 'song';
let server: CrcnsServer;
const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'deepstrf-crcns-zoo-'));
  dirs.push(d);
  return d;
};
beforeAll(async () => {
  server = await startCrcnsServer(USER, PASSWORD);
  server.files.set('aa-1/crcns-aa1.zip', zipSync(Object.fromEntries(Object.entries(aa1Files()).map(([k, v]) => [`crcns-aa1/${k}`, v]))));
  const files = aa2Files();
  const tarOf = (pick: (k: string) => boolean) => gzipSync(writeTar(Object.entries(files).filter(([k]) => pick(k)).map(([k, v]) => ({ name: `crcns/aa2/${k}`, data: v }))));
  server.files.set('aa-2/crcns-aa2-docs.tar.gz', tarOf((k) => !k.includes('/')));
  server.files.set('aa-2/crcns-aa2-all_cells.tar.gz', tarOf((k) => k.startsWith('all_cells/')));
  server.files.set('aa-2/crcns-aa2-all_stims.tar.gz', tarOf((k) => k.startsWith('all_stims/')));
});
afterAll(async () => {
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const crcnsServer = () => ({ loginUrl: server.loginUrl, downloadBase: server.downloadBase });

describe('CRCNS downloads of the zoo', () => {
  it('AA1: login, the zip, its root folder stripped, then the build; a second load asks for nothing', async () => {
    const path = fresh();
    const ds = await CRCNSAA1Dataset.load({ path, download: true, username: USER, password: PASSWORD, crcnsServer: crcnsServer(), smooth: false });
    expect(ds.nrnMeta.map((m) => m.cellId)).toEqual(['x1_1_A', 'yy2_3', 'weird_x', 'zz3_2_B']);
    const fetched = server.requests.filter((r) => r.path.endsWith('crcns-aa1.zip')).length;
    expect(fetched).toBeGreaterThan(0);
    const before = server.requests.length;
    await CRCNSAA1Dataset.load({ path, download: true, username: USER, password: PASSWORD, crcnsServer: crcnsServer(), smooth: false });
    expect(server.requests.length).toBe(before); // Field_L_cells/ exists: no login, no request
  });

  it('AA2: three archives, 2 components stripped, then the build', async () => {
    const path = fresh();
    const ds = await CRCNSAA2Dataset.load({ path, download: true, username: USER, password: PASSWORD, crcnsServer: crcnsServer(), smooth: false });
    expect(ds.nrnMeta.map((m) => `${m.cellId}:${m.area}`)).toEqual(['c1_1_A:L2a', 'c2_3:mld', 'c6_1:OV', 'c3_4:None']);
  });

  it('a wrong password is an AuthenticationError and unpacks nothing', async () => {
    // Another user: sessions are cached per user name for the process, as the reference does.
    const path = fresh();
    const bad = { path, download: true, username: 'robin', password: 'nope', crcnsServer: crcnsServer() };
    await expect(CRCNSAA1Dataset.load(bad)).rejects.toThrow(AuthenticationError);
    await expect(CRCNSAA1Dataset.load(bad)).rejects.toThrow(/CRCNS login failed/);
    expect(existsSync(join(path, 'Field_L_cells'))).toBe(false);
  });
});

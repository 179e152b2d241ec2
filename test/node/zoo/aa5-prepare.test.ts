// prepareAA5 on the real pandas 1.5.3 unit pickles of test/fixtures/aa5/ (their content is the
// literals of make_pickles.py): one site as a streamed .tar.gz, one as an extracted PlaybackPkl
// folder. Every expected value below is worked out by hand from those literals and the rules of
// docs/zoo/aa5.md; the dataset built from the prepared cache is checked bin by bin.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CRCNSAA5Dataset, FormatError, ValueError, decodeWav, isSentinel, readNpz } from '../../../src/index.js';
import { parseJson } from '../../../src/io/json.js';
import { prepareAA5 } from '../../../src/zoo/aa5-prepare.js';
import { aa5PickleArchive } from '../../helpers/zoo/aa5-archive.js';

const A = 'ZF4F_9t_190101_120000'; // not a release site: no size check
const B = 'ZF7F_1t_190101_120000';
const CALL = 'AbcDef0001_MAF_Te_1-1_fs25k.wav';
const SONG = 'stim1.wav';
const pkl = (n: string) => new Uint8Array(readFileSync(join(__dirname, '../../fixtures/aa5', n)));
const E3 = 'goodPlayback-e3-c12.pkl', E0 = 'goodPlayback-e0-c5.pkl', E2 = 'goodPlayback-e2-c1.pkl';
const CALL_WAV = [0, 0, 1000, -1000, 32767, -32767, 0, 5];
const SONG_WAV = [0, 0.5, -1000.25, 2, 0, 0];
const sha1 = (b: ArrayBufferView) => createHash('sha1').update(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)).digest('hex');

let raw: string;
let cache: string;
const text = (p: string) => readFileSync(join(cache, p), 'utf8');
const json = (p: string) => parseJson(text(p), p) as never;

beforeEach(() => {
  raw = mkdtempSync(join(tmpdir(), 'aa5raw-'));
  cache = mkdtempSync(join(tmpdir(), 'aa5cache-'));
  mkdirSync(join(raw, 'ZF4F'), { recursive: true });
  writeFileSync(join(raw, 'ZF4F', `${A}.tar.gz`), aa5PickleArchive(A, [[E3, pkl(E3)], [E0, pkl(E0)]]));
  writeFileSync(join(raw, 'ZF4F', `._${A}.tar.gz`), 'AppleDouble');
  mkdirSync(join(raw, 'deep', B, 'PlaybackPkl'), { recursive: true });
  writeFileSync(join(raw, 'deep', B, 'PlaybackPkl', E2), pkl(E2));
});
afterEach(() => {
  rmSync(raw, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

describe('prepareAA5', () => {
  it('writes the cache of A.1–A.5 from an archive and a folder', async () => {
    const seen: string[] = [];
    const warnings: string[] = [];
    expect(await prepareAA5(raw, cache, { progress: (p) => seen.push(`${p.site}:${p.units}:${p.playbacks}`), onWarning: (w) => warnings.push(w) })).toEqual([A, B]);
    // The mic check runs by default; these 6–8-sample signals are too short to frame, so every
    // playback is reported and stored without mic fields (as the reference does).
    expect(warnings.map((w) => w.split(':')[0])).toEqual([4, 9, 7, 12, 15].map((t) => `CRCNS-AA5 mic alignment failed for ${A} trial ${t}`).concat([0, 1].map((t) => `CRCNS-AA5 mic alignment failed for ${B} trial ${t}`)));
    // Archive members in stream order; playbacks counted as first seen.
    expect(seen).toEqual([`${A}:1:5`, `${A}:2:5`, `${B}:1:2`]);

    // units.json: pickle order, Python json (indent 1, 4.0 for the int SNR, null for NaN / inf).
    const units = json(`ZF4F/${A}/units.json`) as Array<Record<string, unknown>>;
    expect(units.map((u) => [u.cell_id, u.file, u.bird, u.site, u.electrode, u.cluster, u.sort, u.spike_snr, u.rate_threshold, u.kde_bw, u.n_stim])).toEqual([
      [`${A}_e3-c12`, E3, 'ZF4F', A, 3, 12, 2, 6.25, null, 0.5, 2],
      [`${A}_e0-c5`, E0, 'ZF4F', A, 0, 5, 1, 4, 1.5, null, 0],
    ]);
    // round(round(sin(k/3)·100, 6) + 0.000049, 4) and round([0.123449, 1.0, 2.00005], 4)
    expect((units[0].spike_shape as number[]).slice(0, 3)).toEqual([0, 32.7195, 61.837]);
    expect((units[0].spike_std as number[]).slice(0, 4)).toEqual([0.1234, 1, 2, 0]);
    expect(units[1].spike_std).toEqual(new Array(40).fill(0.25));
    expect(text(`ZF4F/${A}/units.json`)).toContain(`[\n {\n  "cell_id": "${A}_e3-c12",\n  "file": "${E3}",`);
    expect(text(`ZF4F/${A}/units.json`)).toContain('  "spike_snr": 4.0,\n  "rate_threshold": 1.5,\n  "kde_bw": null,\n  "n_stim": 0,\n  "spike_shape": [\n   0.0,\n');

    // playbacks.json: one per trial id, sorted; times from dfAbsTime (NaN and absent → null);
    // next_onset_s in onset order: 103.5 − 100, 110 − 103.5; the last timed one and untimed ones get none.
    const pbs = json(`ZF4F/${A}/playbacks.json`) as Array<Record<string, unknown>>;
    const callSha = sha1(Int16Array.from(CALL_WAV));
    const songSha = sha1(Float32Array.from(SONG_WAV));
    expect(pbs).toEqual([
      { trial: 4, file: CALL, call_type: 'Te', relation_short: 'Fam', stim_sha1: callSha, start_time: 100, duration: 1, next_onset_s: 3.5 },
      { trial: 7, file: SONG, call_type: 'So', relation_short: 'Self', stim_sha1: songSha, start_time: 103.5, duration: 2, next_onset_s: 6.5 },
      { trial: 9, file: CALL, call_type: 'Te', relation_short: 'Fam', stim_sha1: callSha, start_time: 110, duration: 1.5 },
      { trial: 12, file: SONG, call_type: 'So', relation_short: 'Self', stim_sha1: songSha, start_time: null, duration: 1 },
      { trial: 15, file: SONG, call_type: 'So', relation_short: 'Self', stim_sha1: songSha, start_time: null, duration: null },
    ]);
    expect(text(`ZF7F/${B}/playbacks.json`)).toContain('"relation_short": NaN,');
    expect(text(`ZF4F/${A}/playbacks.json`)).toContain('"start_time": 100.0,\n  "duration": 1.0,\n  "next_onset_s": 3.5\n }');

    // spikes.npz: records in pickle / row / trialInd order; unit e0-c5's trialInd is [9, 4].
    const z = readNpz(new Uint8Array(readFileSync(join(cache, 'ZF4F', A, 'spikes.npz'))), 'spikes.npz', { int64AsNumber: true });
    expect(Object.keys(z)).toEqual(['unit', 'trial', 'start', 'stop', 'spike_times']);
    expect([z.unit.dtype, z.trial.dtype, z.start.dtype, z.stop.dtype, z.spike_times.dtype]).toEqual(['i4', 'i4', 'i8', 'i8', 'f8']);
    expect(Array.from(z.unit.data as ArrayLike<number>)).toEqual([0, 0, 0, 0, 0, 1, 1]);
    expect(Array.from(z.trial.data as ArrayLike<number>)).toEqual([4, 9, 7, 12, 15, 9, 4]);
    expect(Array.from(z.start.data as ArrayLike<number>)).toEqual([0, 3, 3, 5, 6, 8, 9]);
    expect(Array.from(z.stop.data as ArrayLike<number>)).toEqual([3, 3, 5, 6, 8, 9, 11]);
    expect(Array.from(z.spike_times.data as ArrayLike<number>)).toEqual([-0.5, 0, 0.25, 1, 4.5, 0.002, -0.1, 0.3, 0.5, 0.125, 0.375]);

    // Stimuli: integer-valued → 16-bit PCM, else float32; indexed once, in first-seen order.
    expect(json('stimuli/index.json')).toEqual({
      [CALL]: { fs: 25000, n_samples: 8, sha1: callSha, t_start_s: -0.5, integer_pcm: true },
      [SONG]: { fs: 32000, n_samples: 6, sha1: songSha, t_start_s: -0.5, integer_pcm: false },
    });
    expect(text('stimuli/index.json')).toContain('"fs": 25000,\n  "n_samples": 8,');
    const call = decodeWav(new Uint8Array(readFileSync(join(cache, 'stimuli', CALL))));
    expect([call.format, call.sampleRate]).toEqual(['pcm16', 25000]);
    expect(Array.from(call.data.data, (x) => x * 32768)).toEqual(CALL_WAV);
    const song = decodeWav(new Uint8Array(readFileSync(join(cache, 'stimuli', SONG))));
    expect([song.format, song.sampleRate, Array.from(song.data.data)]).toEqual(['float32', 32000, SONG_WAV]);

    // manifest.json, written last; no temporary folder left.
    const m = json(`ZF4F/${A}/manifest.json`) as Record<string, unknown>;
    expect({ ...m, created: 'x' }).toEqual({
      cache_version: 1, deepstrf_version: JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')).version,
      site: A, bird: 'ZF4F', depth_turns: 9, depth_um: 2250, date: '190101', time: '120000',
      source: `${A}.tar.gz`, source_bytes: statSync(join(raw, 'ZF4F', `${A}.tar.gz`)).size,
      n_units: 2, n_playbacks: 5, n_trial_records: 7, window_s: [-0.5, 4.5], mic_alignment_check: true, created: 'x',
    });
    expect(m.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(text(`ZF4F/${A}/manifest.json`)).toContain('"depth_turns": 9.0,\n "depth_um": 2250.0,');
    expect((json(`ZF7F/${B}/manifest.json`) as Record<string, unknown>).source_bytes).toBeNull();
    expect(existsSync(join(cache, 'ZF4F', `.${A}.tmp`))).toBe(false);
  });

  it('the dataset built from the prepared cache: bins, drops and metadata by hand', async () => {
    const ds = await CRCNSAA5Dataset.load({ rawPath: raw, path: cache, smooth: false, returnWaveform: true });
    expect(ds.sites).toEqual([A, B]);
    expect(ds.stimMeta.map((s) => s.name)).toEqual([CALL, SONG]);
    // No mic fields: nothing misaligned. next_onset_s < 4.5 drops trial 4 (3.5) of A and trial 0 (3.0) of B.
    expect(ds.playbackMeta[A].map((p) => p.dropped)).toEqual([true, false, false, false, false]);
    expect(ds.playbackMeta[B].map((p) => p.dropped)).toEqual([true, false]);
    expect(ds.trialIds).toEqual([[[9], [9], []], [[7, 12, 15], [], [1]]]);
    // bin = floor((t + 0.5)·200): trial 7: 1.0 → 300 (4.5 → out); 12: 0.002 → 100; 15: −0.1 → 80, 0.3 → 160.
    const song = ds.responses[1][0];
    expect(song.shape).toEqual([3, 1000]);
    const ones = (r: number) => [...song.data.subarray(r * 1000, (r + 1) * 1000)].flatMap((v, b) => (v ? [[b, v]] : []));
    expect([ones(0), ones(1), ones(2)]).toEqual([[[300, 1]], [[100, 1]], [[80, 1], [160, 1]]]);
    expect([...ds.responses[0][0].data].every((v) => v === 0)).toBe(true); // trial 9 of e3-c12: no spikes
    expect([...ds.responses[0][1].data].flatMap((v, b) => (v ? [b] : []))).toEqual([200]); // e0-c5 trial 9: 0.5 s
    expect(isSentinel(ds.responses[1][1])).toBe(true);
    expect(isSentinel(ds.responses[0][2])).toBe(true);
    // auditory z over every record: e3-c12 dz = [2, 0, 0, 2, 0] → 0.8 / sqrt(0.96); e0-c5 [0, 4] → 1; e2-c1 [0, 0] → NaN.
    const z = ds.nrnMeta.map((n) => n.auditoryZ as number);
    expect(z[0]).toBeCloseTo(0.8 / Math.sqrt(0.96), 12);
    expect(z.slice(1)).toEqual([1, NaN]);
    expect(ds.nrnMeta.map((n) => [n.cellId, n.animalId, n.electrode, n.cluster, n.depthTurns, n.spikeSnr, n.kdeBw, n.nTrials])).toEqual([
      [`${A}_e3-c12`, 'ZF4F', 3, 12, 9, 6.25, 0.5, 4],
      [`${A}_e0-c5`, 'ZF4F', 0, 5, 9, 4, null, 1],
      [`${B}_e2-c1`, 'ZF7F', 2, 1, 1, 5.5, 0.25, 1],
    ]);
    // Call stimulus: first / last non-zero samples 2 and 7 at 25 kHz.
    expect([ds.stimMeta[0].soundOnsetS, ds.stimMeta[0].soundOffsetS]).toEqual([2 / 25000 - 0.5, 7 / 25000 - 0.5]);
    ds.dispose();
  });

  it('skips prepared sites, rebuilds with overwrite, deletes sources, checks release archive sizes', async () => {
    await prepareAA5(raw, cache, { sites: null });
    const manifest = join(cache, 'ZF4F', A, 'manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"n_units": 2', '"n_units": 99'));
    await prepareAA5(raw, cache);
    expect(readFileSync(manifest, 'utf8')).toContain('"n_units": 99'); // prepared: left alone
    await prepareAA5(raw, cache, { overwrite: true, birds: ['ZF4F'] });
    expect(readFileSync(manifest, 'utf8')).toContain('"n_units": 2');

    // A release site whose archive has the wrong size is skipped with a warning.
    const REL = 'ZF4F_4t_190614_094759'; // 17784 bytes in the release
    writeFileSync(join(raw, `${REL}.tar.gz`), aa5PickleArchive(REL, [[E3, pkl(E3)]]));
    const warnings: string[] = [];
    expect(await prepareAA5(raw, cache, { sites: [REL], onWarning: (w) => warnings.push(w) })).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^CRCNS-AA5: ${REL}\\.tar\\.gz is \\d+ bytes, expected 17784 — incomplete download\\? Skipping\\.$`))]);
    rmSync(join(raw, `${REL}.tar.gz`));

    await prepareAA5(raw, cache, { deleteSources: true });
    expect(existsSync(join(raw, 'ZF4F', `${A}.tar.gz`))).toBe(false);
    expect(existsSync(join(raw, 'deep', B))).toBe(false);
    expect(existsSync(join(raw, 'deep'))).toBe(true);
  });

  it('typed errors: unknown sites, a hostile pickle (no manifest written)', async () => {
    await expect(prepareAA5(raw, cache, { sites: ['ZF4F_99t_000000_000000'] })).rejects.toThrow(new ValueError('unknown AA5 site(s): ZF4F_99t_000000_000000 (see AA5_SITES)'));
    // protocol 4: 'os' 'system' STACK_GLOBAL ('echo',) REDUCE STOP, three times over.
    const evil = Uint8Array.from('80048c026f738c0673797374656d938c046563686f85522e'.match(/../g) as string[], (h) => parseInt(h, 16));
    writeFileSync(join(raw, 'ZF4F', `${A}.tar.gz`), aa5PickleArchive(A, [[E3, pkl(E3)], ['goodPlayback-e9-c9.pkl', evil]]));
    const err = await prepareAA5(raw, cache, { sites: null, birds: ['ZF4F'] }).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toBe('goodPlayback-e9-c9.pkl @ byte 14: pickle: global os.system is not one this reader reconstructs (it never executes code from a pickle)');
    expect(existsSync(join(cache, 'ZF4F', A, 'manifest.json'))).toBe(false);
  });

  it('mic alignment on a full 5 s trial window: offsets, confidence, loudness before / after', async () => {
    const C = 'ZF5M_3t_190101_120000';
    const raw2 = mkdtempSync(join(tmpdir(), 'aa5raw2-'));
    mkdirSync(join(raw2, C, 'PlaybackPkl'), { recursive: true });
    writeFileSync(join(raw2, C, 'PlaybackPkl', 'goodPlayback-e7-c7.pkl'), gunzipSync(readFileSync(join(__dirname, '../../fixtures/aa5/goodPlayback-e7-c7.pkl.gz'))));
    await prepareAA5(raw2, cache);
    rmSync(raw2, { recursive: true, force: true });
    const [p0, p1] = json(`ZF5M/${C}/playbacks.json`) as Array<Record<string, number>>;
    expect(Object.keys(p0)).toEqual(['trial', 'file', 'call_type', 'relation_short', 'stim_sha1', 'start_time', 'duration', 'mic_offset_ms', 'mic_peak', 'mic_second', 'mic_pre_peak_db', 'mic_post_peak_db', 'next_onset_s']);
    // Trial 0: the burst 250 samples (10 ms) late; trial 1: 125 samples (5 ms) early.
    expect([p0.mic_offset_ms, p1.mic_offset_ms]).toEqual([10, -5]);
    for (const p of [p0, p1]) {
      expect(p.mic_peak).toBeGreaterThan(0.9);
      expect(p.mic_second).toBeLessThan(p.mic_peak);
    }
    // Silence before / after is the 1e-20 floor re. the same half-amplitude burst level.
    expect(p0.mic_post_peak_db).toBeCloseTo(p0.mic_pre_peak_db, 9);
    expect(p1.mic_pre_peak_db).toBeCloseTo(p0.mic_pre_peak_db, 9);
    // Trial 1's loud 2000 over [45000, 45500): the post segment starts at 14874 + 2500 = 17374, so its
    // frame [44874, 45374) holds 374 of those samples: mean square 374 · 2000² / 500.
    expect(p1.mic_post_peak_db - p1.mic_pre_peak_db).toBeCloseTo(10 * Math.log10((374 * 2000 ** 2) / 500) - 10 * Math.log10(1e-20), 6);
    // Against NumPy / SciPy (test/fixtures/aa5/make_mic_expected.py): the float32 mel differs in its last digits.
    const ref = JSON.parse(readFileSync(join(__dirname, '../../fixtures/aa5/mic-expected.json'), 'utf8')) as { trials: Array<Record<string, number>> };
    for (const [p, r] of [[p0, ref.trials[0]], [p1, ref.trials[1]]]) {
      expect([p.mic_offset_ms, p.mic_pre_peak_db, p.mic_post_peak_db]).toEqual([r.mic_offset_ms, r.mic_pre_peak_db, r.mic_post_peak_db]);
      expect(p.mic_peak).toBeCloseTo(r.mic_peak, 5);
      expect(p.mic_second).toBeCloseTo(r.mic_second, 5);
    }
    expect((json(`ZF5M/${C}/manifest.json`) as Record<string, unknown>).mic_alignment_check).toBe(true);
    expect(text(`ZF5M/${C}/playbacks.json`)).toContain('  "call_type": null,\n  "relation_short": "None",');
  });

  it('the synchronous constructor points rawPath and download at load()', () => {
    expect(() => new CRCNSAA5Dataset({ path: cache, rawPath: raw })).toThrow(new ValueError('CRCNSAA5Dataset: rawPath prepares the cache asynchronously: use `await CRCNSAA5Dataset.load({ ... })` (docs/zoo/aa5.md)'));
    expect(() => new CRCNSAA5Dataset({ path: cache, download: true })).toThrow(/download: true prepares the cache asynchronously/);
  });
});

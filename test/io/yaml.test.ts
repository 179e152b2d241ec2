// parseYaml: the constructs of Downer's sessions_metadata.yml, YAML 1.1 scalars, and FormatError
// (file and line) on bad input, fuzzed with seeded mutations.
import { describe, expect, it } from 'vitest';
import { FormatError, Rng, parseYaml } from '../../src/index.js';
import { mutate } from './helpers/fuzz.js';


const DOC = `# sessions of the squirrel monkeys
c_RH_sessions: [180627, 180719]
b_RH_sessions:
  - 180413   # AL
  - '180420'
area_wise_sessions:
  core: [180627]
  non-primary: [180413, 180420]
session_coordinates:
  180413: [0.4, -0.4]
  180627: [1, 2.5e-1]
bad_sessions: []
stim_wise_num_repeats: {timit: 11, mVocs: 15}
flags: [yes, No, ~, 0x1A, 1_000]
`;

describe('parseYaml', () => {
  it('reads block and flow collections, comments, integer keys as strings', () => {
    const v = parseYaml(new TextEncoder().encode(DOC), 'sessions_metadata.yml') as Record<string, unknown>;
    expect(v.c_RH_sessions).toEqual([180627, 180719]);
    expect(v.b_RH_sessions).toEqual([180413, '180420']);
    expect(v.area_wise_sessions).toEqual({ core: [180627], 'non-primary': [180413, 180420] });
    expect(v.session_coordinates).toEqual({ '180413': [0.4, -0.4], '180627': [1, 0.25] });
    expect(v.bad_sessions).toEqual([]);
    expect(v.stim_wise_num_repeats).toEqual({ timit: 11, mVocs: 15 });
    // YAML 1.1 (PyYAML safe_load): yes/No are booleans, ~ null, 0x1A = 26, 1_000 = 1000.
    expect(v.flags).toEqual([true, false, null, 26, 1000]);
  });

  it('bad syntax → FormatError naming the file and line', () => {
    const bad = 'a: [1, 2\nb: 3\n';
    expect(() => parseYaml(bad, 'm.yml')).toThrow(FormatError);
    expect(() => parseYaml(bad, 'm.yml')).toThrow(/^m\.yml: YAML line \d+, column \d+:/);
    expect(() => parseYaml('a: 1\na: 2\n', 'dup.yml')).toThrow(/dup\.yml: YAML line 2, column 1: Map keys must be unique/);
    expect(() => parseYaml('a: !!python/object x\n', 'tag.yml')).toThrow(/tag\.yml: YAML line 1, column 4: .*python\/object/);
    expect(() => parseYaml(new Uint8Array([0x61, 0xff, 0xfe]), 'bin.yml')).toThrow(/bin\.yml: not valid UTF-8 text/);
  });

  it('fuzz: seeded mutations give a value or a FormatError', () => {
    const rng = new Rng(13);
    const src = new TextEncoder().encode(DOC);
    for (let i = 0; i < 300; i++) {
      const b = mutate(src, rng);
      try { parseYaml(b, 'fuzz.yml'); } catch (e) { expect(e).toBeInstanceOf(FormatError); }
    }
  });
});

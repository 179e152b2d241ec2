/**
 * YAML reading (the `yaml` package, YAML 1.1 rules as PyYAML's `safe_load`: `yes`/`no` booleans,
 * sexagesimal and octal numbers). Mapping keys become strings (an integer key `180413` is the
 * string `'180413'`). Syntax errors and unknown tags (which `safe_load` refuses) become a `FormatError` naming the file and line.
 * @module
 */
import { parseDocument, type YAMLError } from 'yaml';
import { FormatError } from '../errors.js';

/** A parsed YAML value: plain JSON-like data (dates stay strings). @example `const v: YamlValue = { core: [180627] }` */
export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };

/**
 * Parses YAML text or UTF-8 bytes.
 * @param fileName named in error messages
 * @throws FormatError on bad syntax, with the line and column
 * @example
 * ```ts
 * const meta = parseYaml('b_RH_sessions: [180413]\n', 'sessions_metadata.yml');
 * // { b_RH_sessions: [180413] }
 * ```
 */
export function parseYaml(input: string | Uint8Array, fileName = '<yaml>'): YamlValue {
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch (e) {
    throw new FormatError(fileName, 'not valid UTF-8 text', undefined, { cause: e });
  }
  const doc = parseDocument(text, { version: '1.1', schema: 'yaml-1.1', uniqueKeys: true, logLevel: 'silent' });
  // Unknown tags are warnings for the parser but errors for PyYAML's safe_load: refuse both.
  const problem: YAMLError | undefined = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const pos = problem.linePos?.[0];
    const where = pos ? `line ${pos.line}, column ${pos.col}` : `character ${problem.pos[0]}`;
    throw new FormatError(fileName, `YAML ${where}: ${problem.message.split('\n')[0]}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 }) as YamlValue;
  } catch (e) {
    throw new FormatError(fileName, `YAML: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
  }
}

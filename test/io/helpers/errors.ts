// Asserts that `fn` throws a FormatError whose message matches (and, when given, at `offset`).
import { expect } from 'vitest';
import { FormatError } from '../../../src/index.js';

export function expectFormatError(fn: () => unknown, match: RegExp, offset?: number): FormatError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(FormatError);
  const fe = err as FormatError;
  expect(fe.message).toMatch(match);
  if (offset !== undefined) expect(fe.offset).toBe(offset);
  return fe;
}

/** Locates the real NS1 release for the reader tests (see test/helpers/ns1-data.ts). */
import { findNs1 } from '../../helpers/ns1-data.js';

/** The NS1 folder, or null (with the reason) when the data are not on this machine. */
export const ns1Dir = () => findNs1('MAT reader tests on NS1');

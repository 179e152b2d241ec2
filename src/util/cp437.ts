/**
 * IBM code page 437: the encoding of zip member names without the UTF-8 flag (general-purpose
 * bit 11), as Python's `zipfile` decodes them. Bytes 0x00–0x7F are ASCII.
 * @module
 */

/** The characters of bytes 0x80–0xFF, in order. */
const HIGH =
  'ÇüéâäàåçêëèïîìÄÅ' +
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧' +
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩' +
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/**
 * Decodes CP437 bytes to a string.
 * @example
 * ```ts
 * decodeCp437(new Uint8Array([0x81, 0x62, 0x65, 0x72])); // 'über'
 * ```
 */
export function decodeCp437(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : HIGH[b - 0x80];
  return s;
}

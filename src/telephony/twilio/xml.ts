/**
 * Escaping for TwiML, as xmlbuilder (twilio's library) does it, except that characters XML 1.0
 * cannot carry are dropped instead of thrown: a caller must get a document whatever a flow says.
 */

// Outside XML 1.0's Char production: C0 controls other than tab/newline/return, lone surrogates, U+FFFE/U+FFFF.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTRIBUTE_SPECIAL = /[&<"\t\n\r]/g;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};
const entity = (c: string) => ENTITIES[c];

export function xmlText(s: string): string {
  return s.replace(NOT_XML, '').replace(TEXT_SPECIAL, entity);
}

export function xmlAttribute(s: string): string {
  return s.replace(NOT_XML, '').replace(ATTRIBUTE_SPECIAL, entity);
}

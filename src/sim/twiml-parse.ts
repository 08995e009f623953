import { XMLParser } from 'fast-xml-parser';

export interface Verb {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Verb[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

function toVerbs(nodes: Node[]): Verb[] {
  const out: Verb[] = [];
  for (const n of nodes) {
    const name = Object.keys(n).find((k) => k !== ':@' && k !== '#text');
    if (!name || name === '?xml') continue;
    const inner = (n[name] as Node[]) ?? [];
    out.push({
      name,
      attrs: n[':@'] ?? {},
      text: inner.filter((c) => '#text' in c).map((c) => String(c['#text'])).join(''),
      children: toVerbs(inner),
    });
  }
  return out;
}

/** Parses a TwiML document into its verbs, in order. Throws if it is not a <Response>. */
export function parseTwiml(xml: string): Verb[] {
  const doc = toVerbs(parser.parse(xml) as Node[]);
  const response = doc.find((v) => v.name === 'Response');
  if (!response) throw new Error(`not a TwiML document: ${xml.slice(0, 120)}`);
  return response.children;
}

import type { Flow, Prompt } from './schema';

const MAX_DERIVED = 48;

/** The prompt in the flow's default language, else the first it has. */
function defaultText(flow: Flow, p: Prompt | undefined): string | null {
  if (p === undefined) return null;
  if (typeof p === 'string') return p;
  return p[flow.languages.default] ?? Object.values(p)[0] ?? null;
}

/** The first sentence, cut at a word when long: enough to recognise a menu by what it says. */
function firstSentence(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const end = t.search(/[.!?](\s|$)/);
  const sentence = end === -1 ? t : t.slice(0, end);
  if (sentence.length <= MAX_DERIVED) return sentence;
  const cut = sentence.slice(0, MAX_DERIVED);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_DERIVED / 2 ? cut.slice(0, space) : cut).replace(/[,;:]$/, '')}…`;
}

/**
 * What staff call a node: its `label` in the flow file, else the target a transfer rings, else the
 * start of what the node says. Node ids (`main`, `person_unavailable`) are for flow authors.
 */
export function nodeLabel(flow: Flow, nodeId: string): string | null {
  const node = flow.nodes[nodeId];
  if (!node) return null;
  if (node.label) return node.label;
  switch (node.type) {
    case 'transfer':
      return flow.targets[node.target]?.label ?? null;
    case 'queue':
      return flow.queues[node.queue]?.label ?? null;
    case 'message':
    case 'hangup': {
      const text = defaultText(flow, node.say);
      return text ? firstSentence(text) : null;
    }
    case 'menu':
    case 'language':
    case 'directory': {
      const text = defaultText(flow, node.prompt);
      return text ? firstSentence(text) : null;
    }
    case 'backup':
      return defaultText(flow, node.say) ? firstSentence(defaultText(flow, node.say)!) : null;
    case 'survey':
    case 'hours':
      return null;
    case 'callback': {
      const text = defaultText(flow, node.say);
      return text ? firstSentence(text) : null;
    }
  }
}

import { routeSay, type Flow, type FlowNode, type Prompt } from '../schema';

/** One text of a prompt: the language it is spoken in and where it sits in the file. */
export interface PromptText {
  language: string;
  text: string;
  path: string;
}

export function promptTexts(prompt: Prompt | undefined, path: string, defaultLanguage: string): PromptText[] {
  if (prompt === undefined) return [];
  if (typeof prompt === 'string') return [{ language: defaultLanguage, text: prompt, path }];
  return Object.entries(prompt).map(([language, text]) => ({ language, text, path: `${path}.${language}` }));
}

/** Every prompt a node can say, with its path: what the translation rule walks. */
export function nodePrompts(id: string, node: FlowNode): { prompt: Prompt; path: string }[] {
  const at = `nodes.${id}`;
  const list: { prompt: Prompt | undefined; path: string }[] = [];
  switch (node.type) {
    case 'message':
      list.push({ prompt: node.say, path: `${at}.say` });
      break;
    case 'hangup':
      list.push({ prompt: node.say, path: `${at}.say` });
      break;
    case 'hours':
      list.push({ prompt: routeSay(node.closed), path: `${at}.closed.say` });
      break;
    case 'menu':
      list.push(
        { prompt: node.prompt, path: `${at}.prompt` },
        { prompt: node.invalidPrompt, path: `${at}.invalidPrompt` },
        { prompt: node.noInputPrompt, path: `${at}.noInputPrompt` },
        { prompt: routeSay(node.onExhausted), path: `${at}.onExhausted.say` },
      );
      break;
    case 'language':
      list.push({ prompt: node.prompt, path: `${at}.prompt` });
      break;
    case 'transfer':
      list.push(
        { prompt: node.say, path: `${at}.say` },
        { prompt: routeSay(node.onNoAnswer), path: `${at}.onNoAnswer.say` },
        { prompt: routeSay(node.onBusy), path: `${at}.onBusy.say` },
        { prompt: routeSay(node.onFailed), path: `${at}.onFailed.say` },
        { prompt: routeSay(node.onNotice), path: `${at}.onNotice.say` },
      );
      break;
    case 'backup':
      list.push(
        { prompt: node.say, path: `${at}.say` },
        { prompt: routeSay(node.noBackup), path: `${at}.noBackup.say` },
        { prompt: routeSay(node.onNoAnswer), path: `${at}.onNoAnswer.say` },
        { prompt: routeSay(node.onBusy), path: `${at}.onBusy.say` },
        { prompt: routeSay(node.onFailed), path: `${at}.onFailed.say` },
      );
      break;
    case 'directory':
      list.push(
        { prompt: node.prompt, path: `${at}.prompt` },
        { prompt: node.invalidPrompt, path: `${at}.invalidPrompt` },
        { prompt: node.connectingPrompt, path: `${at}.connectingPrompt` },
        { prompt: routeSay(node.onExhausted), path: `${at}.onExhausted.say` },
        { prompt: routeSay(node.onNoAnswer), path: `${at}.onNoAnswer.say` },
        { prompt: routeSay(node.onBusy), path: `${at}.onBusy.say` },
        { prompt: routeSay(node.onFailed), path: `${at}.onFailed.say` },
        { prompt: routeSay(node.onNotice), path: `${at}.onNotice.say` },
      );
      break;
    case 'queue':
      list.push(
        { prompt: node.say, path: `${at}.say` },
        { prompt: node.keysPrompt, path: `${at}.keysPrompt` },
        { prompt: routeSay(node.onMaxWait), path: `${at}.onMaxWait.say` },
        { prompt: routeSay(node.onFull), path: `${at}.onFull.say` },
      );
      break;
    case 'callback':
      list.push({ prompt: node.say, path: `${at}.say` }, { prompt: routeSay(node.onExhausted), path: `${at}.onExhausted.say` });
      break;
    case 'survey':
      break;
    default: {
      // A node type added to the schema must say here what it speaks, or its texts go unchecked.
      const unhandled: never = node;
      throw new Error(`nodePrompts: node type ${(unhandled as FlowNode).type} not handled`);
    }
  }
  return list.filter((p): p is { prompt: Prompt; path: string } => p.prompt !== undefined);
}

export function allPrompts(flow: Flow): { prompt: Prompt; path: string }[] {
  const list = Object.entries(flow.nodes).flatMap(([id, node]) => nodePrompts(id, node));
  for (const [key, prompt] of Object.entries(flow.survey.prompts ?? {})) {
    if (prompt !== undefined) list.push({ prompt, path: `survey.prompts.${key}` });
  }
  return list;
}

/**
 * Keys a text tells the caller to press: "tryck 1", "tryck på 0", "press 9", "tryck stjärna".
 * Only the key right after the verb counts ("tryck 1 eller 2" announces 1), which keeps the rule
 * free of false alarms at the price of missing some announcements.
 */
const ANNOUNCEMENT = /\b(tryck(?:\s+på)?|press|dial)\s+([0-9*#](?![0-9])|stjärna(?:n)?|fyrkant(?:en)?|star|hash|pound)/giu;
const KEY_WORDS: Record<string, string> = { 'stjärna': '*', 'stjärnan': '*', star: '*', fyrkant: '#', fyrkanten: '#', hash: '#', pound: '#' };

export function announcedKeys(text: string): { key: string; phrase: string }[] {
  const found: { key: string; phrase: string }[] = [];
  for (const m of text.matchAll(ANNOUNCEMENT)) {
    const word = m[2].toLowerCase();
    const key = KEY_WORDS[word] ?? word;
    if (!found.some((f) => f.key === key)) found.push({ key, phrase: m[0] });
  }
  return found;
}

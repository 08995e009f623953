import type { Flow, Prompt } from './schema';
import type { Say } from './actions';
import { builtInText, type BuiltInTextKey } from './texts';

/** The text of a prompt in the caller's language, falling back to the flow's default language. */
export function promptText(flow: Flow, prompt: Prompt, language: string): { text: string; language: string } {
  if (typeof prompt === 'string') return { text: prompt, language: flow.languages.default };
  if (prompt[language]) return { text: prompt[language], language };
  if (prompt[flow.languages.default]) return { text: prompt[flow.languages.default], language: flow.languages.default };
  const [lang, text] = Object.entries(prompt)[0];
  return { text, language: lang };
}

export function voiceFor(flow: Flow, language: string): string {
  return flow.languages.voices[language] ?? flow.languages.voices[flow.languages.default] ?? 'Polly.Astrid';
}

export function sayPrompt(flow: Flow, prompt: Prompt, language: string): Say {
  const p = promptText(flow, prompt, language);
  return { kind: 'say', text: p.text, language: p.language, voice: voiceFor(flow, p.language) };
}

/** A built-in sentence, unless the flow's survey prompts override it. */
export function sayBuiltIn(flow: Flow, key: BuiltInTextKey, language: string): Say {
  const override = (flow.survey.prompts as Record<string, Prompt> | undefined)?.[key];
  if (override) return sayPrompt(flow, override, language);
  return { kind: 'say', text: builtInText(key, language), language, voice: voiceFor(flow, language) };
}

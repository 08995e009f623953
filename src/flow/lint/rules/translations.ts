import type { LintResult } from '../result';
import type { FlowAnalysis } from '../analysis';
import { allPrompts } from '../prompts';
import { BUILT_IN_TEXTS } from '../../texts';

/**
 * Texts missing in a language a caller can choose. The engine then falls back to the default
 * language (see prompt.ts), so nothing breaks, but an English caller suddenly hears Swedish.
 */
export function missingTranslations(a: FlowAnalysis): LintResult[] {
  const { flow } = a.graph;
  const def = flow.languages.default;
  const chosen = new Set<string>([def]);
  for (const id of a.reachable) {
    const node = flow.nodes[id];
    if (node.type === 'language') Object.values(node.options).forEach((l) => chosen.add(l));
  }
  if (chosen.size < 2) return [];
  const languages = [...chosen];
  const results: LintResult[] = [];
  for (const { prompt, path } of allPrompts(flow)) {
    const have = typeof prompt === 'string' ? [def] : Object.keys(prompt);
    const missing = languages.filter((l) => !have.includes(l));
    if (!missing.length) continue;
    const heard = have.includes(def) ? def : have[0];
    results.push({
      severity: 'warning',
      code: 'missing-translation',
      file: a.file,
      path,
      message: `no ${missing.join(', ')} text: callers who chose ${missing.join(' or ')} hear the ${heard} text`,
    });
  }
  for (const language of languages) {
    // builtInText falls back to another variant of the same language before Swedish.
    if (Object.keys(BUILT_IN_TEXTS).some((l) => l.slice(0, 2) === language.slice(0, 2))) continue;
    results.push({
      severity: 'warning',
      code: 'missing-translation',
      file: a.file,
      path: `languages.voices.${language}`,
      message: `callpath has no built-in wording in ${language} (wrong key, no input, connecting, goodbye, survey): callers who chose ${language} hear those sentences in sv-SE`,
    });
  }
  return results;
}

import type { LintResult } from '../result';
import { inFileOrder, type FlowAnalysis } from '../analysis';
import { announcedKeys, promptTexts } from '../prompts';
import type { Prompt } from '../../schema';

/**
 * Keys and what the caller is told: a key a prompt announces must lead somewhere (else the caller
 * who follows the instruction hears "that option does not exist"); a routed key nobody is told
 * about is probably a forgotten sentence; a person search with an empty directory refuses everyone.
 */
export function keyRules(a: FlowAnalysis): LintResult[] {
  const { flow } = a.graph;
  const results: LintResult[] = [];
  const operatorKey = flow.operator?.key;

  const checkAnnounced = (id: string, prompts: { prompt: Prompt | undefined; path: string }[], valid: Set<string>) => {
    for (const p of prompts) {
      for (const t of promptTexts(p.prompt, p.path, flow.languages.default)) {
        for (const k of announcedKeys(t.text)) {
          if (valid.has(k.key)) continue;
          results.push({
            severity: 'error',
            code: 'digit-not-routed',
            file: a.file,
            path: t.path,
            message: `the prompt says "${k.phrase}" but key ${k.key} leads nowhere at "${id}"`,
          });
        }
      }
    }
  };
  /** `routes`: each key with what it does, in words ("leads to "bye"", "chooses en-GB"). */
  const checkUnannounced = (id: string, prompt: Prompt, routes: Record<string, string>, path: (key: string) => string, does: (to: string) => string) => {
    const texts = promptTexts(prompt, '', flow.languages.default);
    const announced = new Set(texts.flatMap((t) => announcedKeys(t.text).map((k) => k.key)));
    if (!announced.size) return;
    for (const [key, to] of Object.entries(routes)) {
      if (announced.has(key)) continue;
      results.push({
        severity: 'warning',
        code: 'key-not-announced',
        file: a.file,
        path: path(key),
        message: `key ${key} at "${id}" ${does(to)} but the prompt never tells the caller`,
      });
    }
  };

  for (const id of inFileOrder(a.graph, a.graph.nodes.keys())) {
    const node = flow.nodes[id];
    const at = `nodes.${id}`;
    if (node.type === 'menu') {
      const valid = new Set(Object.keys(node.routes));
      if (operatorKey !== undefined && node.operatorKey) valid.add(operatorKey);
      checkAnnounced(id, [
        { prompt: node.prompt, path: `${at}.prompt` },
        { prompt: node.invalidPrompt, path: `${at}.invalidPrompt` },
        { prompt: node.noInputPrompt, path: `${at}.noInputPrompt` },
      ], valid);
      // The engine itself offers a key that leads to a backup node, naming the backup.
      const written = Object.fromEntries(Object.entries(node.routes).filter(([, to]) => flow.nodes[to]?.type !== 'backup'));
      checkUnannounced(id, node.prompt, written, (k) => `${at}.routes.${k}`, (to) => `leads to "${to}"`);
    } else if (node.type === 'language') {
      checkAnnounced(id, [{ prompt: node.prompt, path: `${at}.prompt` }], new Set(Object.keys(node.options)));
      checkUnannounced(id, node.prompt, node.options, (k) => `${at}.options.${k}`, (language) => `chooses ${language}`);
    } else if (node.type === 'directory') {
      checkAnnounced(id, [
        { prompt: node.prompt, path: `${at}.prompt` },
        { prompt: node.invalidPrompt, path: `${at}.invalidPrompt` },
      ], new Set(operatorKey !== undefined ? [operatorKey] : []));
      if (!Object.keys(flow.directory).length) {
        results.push({
          severity: 'error',
          code: 'directory-empty',
          file: a.file,
          path: at,
          message: `person search "${id}" collects ${node.digits} digits but the directory is empty: every extension a caller keys is refused`,
        });
      }
    }
  }
  return results;
}

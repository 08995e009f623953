/**
 * The flow change the demo measures: Kristinehamn-style, a caller whose person does not answer is
 * put through to the operator at once instead of being offered a menu of keys.
 */
import { parseFlow } from '../flow/loader';
import type { Flow, FlowFile } from '../flow/schema';

/** The nodes a node can send the caller to. */
function routesOf(node: FlowFile['nodes'][string]): string[] {
  const out: string[] = [];
  const add = (r: unknown) => {
    if (typeof r === 'string') out.push(r);
    else if (r && typeof r === 'object' && 'next' in r) out.push(String((r as { next: string }).next));
  };
  if ('routes' in node) Object.values(node.routes).forEach(add);
  for (const key of ['next', 'onExhausted', 'onNoAnswer', 'onBusy', 'onFailed', 'onNotice', 'noBackup'] as const) if (key in node) add((node as Record<string, unknown>)[key]);
  return out;
}

/** The candidate flow: when the person sought does not answer or is busy, the caller goes straight to the operator. */
export function noAnswerToOperator(flow: Flow): Flow {
  const { version: _version, source: _source, ...file } = flow;
  const next: FlowFile = structuredClone(file);
  const operatorNode = next.operator?.node ?? 'operator';
  const say = { 'sv-SE': 'Den du söker kan inte svara just nu. Du kopplas till växeln.', 'en-GB': 'The person you are looking for cannot answer. Connecting you to the switchboard.' };
  const searches = Object.values(next.nodes).filter((n) => n.type === 'directory');
  if (!searches.length) throw new Error(`flow ${flow.id} has no person search (directory node) to change`);
  for (const node of searches) {
    node.onNoAnswer = { next: operatorNode, say };
    node.onBusy = { next: operatorNode, say };
  }
  // A caller whose person has no backup goes the same way (a backup is still rung straight away after a notice).
  for (const node of Object.values(next.nodes)) if (node.type === 'backup') node.noBackup = { next: operatorNode, say };
  // A fallback menu nothing leads to any more goes, as an admin editing the file would remove it.
  const reachable = (f: FlowFile) => new Set([f.start, operatorNode, ...Object.values(f.nodes).flatMap(routesOf)]);
  const before = reachable(file);
  const after = reachable(next);
  for (const id of Object.keys(next.nodes)) if (before.has(id) && !after.has(id)) delete next.nodes[id];
  return parseFlow(JSON.stringify(next), `${flow.id}-no-answer-to-operator.json`);
}

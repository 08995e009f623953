import type { FallbackReason } from '../../journey/events';
import { buildGraph, type FlowEdge, type FlowGraph } from '../lint/graph';
import { backupConnecting, backupOf, routeThroughBackups } from '../backups';
import { menuRouteOpen, withBackupOffers } from '../nodes/menu';
import { promptText, sayBuiltIn } from '../prompt';
import { MAX_HOPS_PER_STEP } from '../context';
import { routeNext, routeSay, type Flow, type Prompt, type TargetKind } from '../schema';
import type { Intent, IntentAttempt } from './intent';
import type { CallerModel } from './model';

/**
 * The cheapest way a flow serves an intent: fewest key presses, then shortest time, with the same
 * fallbacks happening on the way (the person sought still does not answer). A search over the
 * places a caller decides (menus, language choice, person search), with everything between them
 * (messages, dials, fallbacks) followed as the engine would.
 */
export interface Cost {
  keys: number;
  /** Time in the IVR before the final transfer starts, ringing excluded. */
  menuMs: number;
  /** Time spent on transfers nobody answered (what is said on the way into them included). */
  ringMs: number;
}

export interface PathEstimate extends Cost {
  /** "welcome", "main [5]", "person [4711]", "ring person 4711: no-answer", "person_unavailable [0]", "ring operator" */
  steps: string[];
}

interface Search {
  flow: Flow;
  graph: FlowGraph;
  model: CallerModel;
  intent: Intent;
  /** The language the caller wants at the end, where the flow can give it. */
  language: string | null;
}

interface Reach extends Cost {
  node: string;
  attempt: number;
  lang: string;
  /** The extension or target last rung or found absent (the engine's state `p`): whom a backup node rings the backup of. */
  sought: string | undefined;
  steps: string[];
  goal: boolean;
}

export function cheapestPath(flow: Flow, intent: Intent, model: CallerModel): PathEstimate | null {
  const graph = buildGraph(flow);
  const offered = new Set([flow.languages.default, ...Object.values(flow.nodes).flatMap((n) => (n.type === 'language' ? Object.values(n.options) : []))]);
  const s: Search = { flow, graph, model, intent, language: intent.language && offered.has(intent.language) ? intent.language : null };

  const queue: Reach[] = [];
  const settled = new Set<string>();
  const start: Reach = { node: '', attempt: 0, lang: flow.languages.default, sought: undefined, keys: 0, menuMs: 0, ringMs: 0, steps: [], goal: false };
  queue.push(...arrive(s, start, flow.start, 0, [], 0));
  while (queue.length) {
    queue.sort(cheaperFirst);
    const p = queue.shift()!;
    if (p.goal) return { keys: p.keys, menuMs: p.menuMs, ringMs: p.ringMs, steps: p.steps };
    const key = `${p.node}|${p.attempt}|${p.lang}|${p.sought ?? ''}`;
    if (settled.has(key)) continue;
    settled.add(key);
    for (const e of graph.nodes.get(p.node)!.out) queue.push(...leave(s, p, e));
    queue.push(...dialExtension(s, p));
  }
  return null;
}

const cheaperFirst = (a: Reach, b: Reach) => a.keys - b.keys || a.menuMs + a.ringMs - (b.menuMs + b.ringMs) || Number(b.goal) - Number(a.goal);

/** How long the caller hears a text, by the caller model. */
const spoken = (s: Search, text: string) => text.length * s.model.speechMsPerChar;
const speech = (s: Search, prompt: Prompt | undefined, lang: string) => (prompt === undefined ? 0 : spoken(s, promptText(s.flow, prompt, lang).text));

function answerMs(s: Search, keys: number): number {
  return s.model.thinkMs + Math.max(0, keys - 1) * s.model.digitMs;
}

/** A choice at an input node: a menu key, the operator key, a language option, or letting the language menu pass. */
function leave(s: Search, p: Reach, e: FlowEdge): Reach[] {
  if (e.kind !== 'key' && e.kind !== 'operator-key' && e.kind !== 'timeout') return [];
  const node = s.flow.nodes[p.node];
  if (node.type !== 'menu' && node.type !== 'language' && node.type !== 'directory') return [];
  // A key to a backup node is no choice when the person sought has no backup (nodes/menu.ts).
  if (node.type === 'menu' && e.kind === 'key' && !menuRouteOpen(s.flow, e.to, p.sought)) return [];
  const heard =
    node.type === 'menu'
      ? spoken(s, withBackupOffers(s.flow, node, p.sought, p.lang, promptText(s.flow, node.prompt, p.lang).text))
      : speech(s, node.prompt, p.lang);
  const waited = e.kind === 'timeout' ? node.timeoutSeconds * 1000 : answerMs(s, e.keys);
  const next: Reach = {
    ...p,
    lang: e.language ?? p.lang,
    keys: p.keys + e.keys,
    menuMs: p.menuMs + heard + waited,
    steps: [...p.steps, e.kind === 'timeout' ? `${p.node} [no key]` : `${p.node} [${e.label.split(' ')[0]}]`],
  };
  return arrive(s, next, e.to, 0, [], 0);
}

/** Keying an extension at a person search, when the intent's next attempt is a person this directory knows. */
function dialExtension(s: Search, p: Reach): Reach[] {
  const node = s.flow.nodes[p.node];
  const want = attemptAt(s, p.attempt);
  if (node.type !== 'directory' || !want || want.kind !== 'person') return [];
  const extension = Object.keys(s.flow.directory).find((ext) => ext === want.target || (!!want.number && s.flow.directory[ext].number === want.number));
  if (!extension) return [];
  const keyed: Reach = {
    ...p,
    keys: p.keys + extension.length,
    menuMs: p.menuMs + speech(s, node.prompt, p.lang) + answerMs(s, extension.length),
    steps: [...p.steps, `${p.node} [${extension}]`],
  };
  // A notice is said instead of the connecting sentence (nodes/directory.ts); its words are the person's own, not estimated.
  const connecting =
    want.outcome === 'notice' ? 0 : node.connectingPrompt !== undefined ? speech(s, node.connectingPrompt, p.lang) : spoken(s, sayBuiltIn(s.flow, 'connecting', p.lang).text);
  // The person search was entered in an earlier step, the one that asked for the extension.
  return dialled(s, keyed, p.node, extension, connecting, node.ringSeconds, 0);
}

function attemptAt(s: Search, i: number): IntentAttempt | undefined {
  return s.intent.kind === 'transfers' ? s.intent.attempts[i] : undefined;
}

const languageOk = (s: Search, p: Reach) => s.language === null || p.lang === s.language;

/**
 * Follows the engine from entering a node up to the next place the caller decides: messages move
 * on, what they say waits to be spoken with whatever comes next (inside a menu's prompt, or after a
 * dial has started), a transfer rings the intent's next target or blocks the way.
 */
function arrive(s: Search, p: Reach, id: string, pendingMs: number, pendingSteps: string[], hops: number): Reach[] {
  // `hops` nodes entered before this one in the step: the engine stops at the one past its limit (a loop of messages).
  if (hops >= MAX_HOPS_PER_STEP) return [];
  const node = s.flow.nodes[id];
  if (!node) return [];
  switch (node.type) {
    case 'message':
      if (node.next) return arrive(s, p, node.next, pendingMs + speech(s, node.say, p.lang), [...pendingSteps, id], hops + 1);
      return selfServiceGoal(s, p, id, pendingMs, pendingSteps);
    case 'hangup':
    case 'survey':
    case 'callback':
      return selfServiceGoal(s, p, id, pendingMs, pendingSteps);
    case 'hours':
      // The calls replayed reached someone or something in the flow: they called while it was open.
      return arrive(s, p, node.next, pendingMs, [...pendingSteps, id], hops + 1);
    case 'menu':
    case 'language':
    case 'directory':
      return [{ ...p, node: id, menuMs: p.menuMs + pendingMs, steps: [...p.steps, ...pendingSteps], goal: false }];
    case 'transfer': {
      const target = s.flow.targets[node.target];
      const want = attemptAt(s, p.attempt);
      if (!target || !want || !matches(want, { kind: target.kind, id: node.target, number: target.number })) return [];
      // Only a person has absence notices (nodes/transfer.ts).
      if (want.outcome === 'notice' && target.kind !== 'person') return [];
      const here: Reach = { ...p, steps: [...p.steps, ...pendingSteps] };
      // A notice is said instead of the transfer's words.
      return dialled(s, here, id, node.target, pendingMs + (want.outcome === 'notice' ? 0 : speech(s, node.say, p.lang)), node.timeoutSeconds, hops + 1);
    }
    case 'backup': {
      // It rings the backup of the person sought before (nodes/backup.ts).
      const b = backupOf(s.flow, p.sought);
      if (!b) {
        if (node.noBackup) return arrive(s, p, routeNext(node.noBackup), pendingMs + speech(s, routeSay(node.noBackup), p.lang), [...pendingSteps, id], hops + 1);
        if (s.flow.operator && s.flow.operator.node !== id) return arrive(s, p, s.flow.operator.node, pendingMs, [...pendingSteps, id], hops + 1);
        return [];
      }
      const want = attemptAt(s, p.attempt);
      if (!want || !matches(want, b) || (want.outcome === 'notice' && b.kind !== 'person')) return [];
      const here: Reach = { ...p, steps: [...p.steps, ...pendingSteps] };
      const connecting = want.outcome === 'notice' ? 0 : node.say ? speech(s, node.say, p.lang) : spoken(s, backupConnecting(s.flow, p.sought!, b, p.lang));
      return dialled(s, here, id, b.id, pendingMs + connecting, node.timeoutSeconds, hops + 1);
    }
    case 'queue': {
      // A queue is answered by its operators: it serves a caller who wanted the operator.
      const want = attemptAt(s, p.attempt);
      if (!want || want.kind !== 'operator') return [];
      const here: Reach = { ...p, steps: [...p.steps, ...pendingSteps] };
      // A queue seeks no one: a backup node after it still rings the backup of the person sought before.
      return dialled(s, here, id, p.sought, pendingMs + speech(s, node.say, p.lang), node.maxWaitSeconds, hops + 1);
    }
  }
}

function selfServiceGoal(s: Search, p: Reach, id: string, pendingMs: number, pendingSteps: string[]): Reach[] {
  if (s.intent.kind !== 'self-service' || s.intent.node !== id || !languageOk(s, p)) return [];
  return [{ ...p, node: id, menuMs: p.menuMs + pendingMs, steps: [...p.steps, ...pendingSteps, id], goal: true }];
}

/**
 * The intent's attempt rings at node `id` (or meets an absence notice there): either that is where the
 * caller wanted to get, or its fallback happens. `sought` is whom the engine now seeks (state `p`);
 * `entered` the nodes entered in this step so far, `id` included when it was entered in it: a
 * notice's route goes on in the same step.
 */
function dialled(s: Search, p: Reach, id: string, sought: string | undefined, connectingMs: number, timeoutSeconds: number, entered: number): Reach[] {
  const want = attemptAt(s, p.attempt)!;
  const last = s.intent.kind === 'transfers' && p.attempt === s.intent.attempts.length - 1;
  const target = want.kind === 'person' ? `person ${want.target}` : want.kind === 'operator' ? 'operator' : want.target;
  if (want.outcome === 'answered' || want.outcome === 'unanswered') {
    if (!last || !languageOk(s, p)) return [];
    return [{ ...p, node: id, sought, steps: [...p.steps, `ring ${target}`], goal: true }];
  }
  const reason: FallbackReason = want.outcome;
  // A dial nobody answers rings for its timeout; a queue keeps the caller for its longest wait.
  const ringMs = p.ringMs + connectingMs + (reason === 'no-answer' || reason === 'max-wait' ? timeoutSeconds * 1000 : 0);
  const steps = [...p.steps, `ring ${target}: ${reason}`];
  if (last) return languageOk(s, p) ? [{ ...p, node: id, sought, ringMs, steps, goal: true }] : [];
  // A notice without a route of its own goes along onNoAnswer, as in the engine (nodes/dial.ts).
  const out = s.graph.nodes.get(id)!.out.filter((e) => e.kind === 'fallback');
  const edge = out.find((e) => e.reason === reason) ?? (reason === 'notice' ? out.find((e) => e.reason === 'no-answer') : undefined);
  if (!edge) return [];
  // After a dial, a route to a backup node, for a person without a backup, is the backup node's noBackup
  // route instead (dialFinished, noticeInsteadOfRing); a queue follows its route as written (nodes/queue.ts).
  const written = edge.say ? { next: edge.to, say: edge.say } : edge.to;
  const route = s.flow.nodes[id].type === 'queue' ? written : routeThroughBackups(s.flow, written, sought);
  // A notice moves the caller on in the step it is met in; a dial's result starts a step of its own.
  return arrive(s, { ...p, sought, ringMs, steps, attempt: p.attempt + 1 }, routeNext(route), speech(s, routeSay(route), p.lang), [], reason === 'notice' ? entered : 0);
}

/** The same person or department: the same number, or the same kind and id; any operator will do. */
export function matches(want: IntentAttempt, dial: { kind: TargetKind; id: string; number: string }): boolean {
  if (want.kind === 'operator') return dial.kind === 'operator';
  if (want.number && dial.number === want.number) return true;
  return dial.kind === want.kind && dial.id === want.target;
}

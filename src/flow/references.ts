import type { FlowIssue } from '../errors';
import type { FlowFile, Prompt, Route } from './schema';

/** Checks that every id a flow mentions (nodes, targets, languages) exists. The schema cannot see across keys. */
export function checkReferences(flow: FlowFile, file: string): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const add = (path: string, message: string) => issues.push({ file, path, message });
  const nodeIds = new Set(Object.keys(flow.nodes));
  const node = (path: string, id: string | undefined) => {
    if (id !== undefined && !nodeIds.has(id)) add(path, `unknown node "${id}"`);
  };
  const route = (path: string, r: Route | undefined) => {
    if (r === undefined) return;
    if (typeof r === 'string') node(path, r);
    else {
      node(`${path}.next`, r.next);
      prompt(`${path}.say`, r.say);
    }
  };
  const languages = new Set(Object.keys(flow.languages.voices));
  if (!languages.has(flow.languages.default)) {
    add('languages.default', `no voice configured for "${flow.languages.default}" in languages.voices`);
  }
  const prompt = (path: string, p: Prompt | undefined) => {
    if (p === undefined || typeof p === 'string') return;
    for (const lang of Object.keys(p)) if (!languages.has(lang)) add(`${path}.${lang}`, `language "${lang}" has no voice in languages.voices`);
  };

  node('start', flow.start);
  if (flow.operator) {
    node('operator.node', flow.operator.node);
  }
  for (const [id, n] of Object.entries(flow.nodes)) {
    const at = `nodes.${id}`;
    switch (n.type) {
      case 'message':
        prompt(`${at}.say`, n.say);
        node(`${at}.next`, n.next);
        break;
      case 'menu':
        prompt(`${at}.prompt`, n.prompt);
        prompt(`${at}.invalidPrompt`, n.invalidPrompt);
        prompt(`${at}.noInputPrompt`, n.noInputPrompt);
        for (const [digit, to] of Object.entries(n.routes)) node(`${at}.routes.${digit}`, to);
        route(`${at}.onExhausted`, n.onExhausted);
        if (flow.operator && n.operatorKey && n.routes[flow.operator.key] !== undefined && n.routes[flow.operator.key] !== flow.operator.node) {
          add(`${at}.routes.${flow.operator.key}`, `key ${flow.operator.key} is the operator key of this flow; route it to "${flow.operator.node}" or set operatorKey: false`);
        }
        break;
      case 'language':
        prompt(`${at}.prompt`, n.prompt);
        node(`${at}.next`, n.next);
        for (const [digit, lang] of Object.entries(n.options)) {
          if (!languages.has(lang)) add(`${at}.options.${digit}`, `language "${lang}" has no voice in languages.voices`);
        }
        break;
      case 'transfer':
        if (!flow.targets[n.target]) add(`${at}.target`, `unknown target "${n.target}"`);
        prompt(`${at}.say`, n.say);
        route(`${at}.onNoAnswer`, n.onNoAnswer);
        route(`${at}.onBusy`, n.onBusy);
        route(`${at}.onFailed`, n.onFailed);
        route(`${at}.onNotice`, n.onNotice);
        break;
      case 'backup':
        prompt(`${at}.say`, n.say);
        route(`${at}.noBackup`, n.noBackup);
        route(`${at}.onNoAnswer`, n.onNoAnswer);
        route(`${at}.onBusy`, n.onBusy);
        route(`${at}.onFailed`, n.onFailed);
        break;
      case 'directory':
        prompt(`${at}.prompt`, n.prompt);
        prompt(`${at}.invalidPrompt`, n.invalidPrompt);
        prompt(`${at}.connectingPrompt`, n.connectingPrompt);
        route(`${at}.onExhausted`, n.onExhausted);
        route(`${at}.onNoAnswer`, n.onNoAnswer);
        route(`${at}.onBusy`, n.onBusy);
        route(`${at}.onFailed`, n.onFailed);
        route(`${at}.onNotice`, n.onNotice);
        for (const ext of Object.keys(flow.directory)) {
          if (ext.length !== n.digits) add(`directory.${ext}`, `extension has ${ext.length} digits but node "${id}" collects ${n.digits}`);
        }
        break;
      case 'hangup':
        prompt(`${at}.say`, n.say);
        break;
      case 'survey':
        break;
      case 'callback':
        prompt(`${at}.say`, n.say);
        node(`${at}.next`, n.next);
        route(`${at}.onExhausted`, n.onExhausted);
        break;
      case 'hours':
        node(`${at}.next`, n.next);
        route(`${at}.closed`, n.closed);
        break;
      case 'queue':
        if (!flow.queues[n.queue]) add(`${at}.queue`, `unknown queue "${n.queue}": add it under queues`);
        prompt(`${at}.say`, n.say);
        prompt(`${at}.keysPrompt`, n.keysPrompt);
        route(`${at}.onMaxWait`, n.onMaxWait);
        route(`${at}.onFull`, n.onFull);
        for (const [digit, to] of Object.entries(n.keys)) node(`${at}.keys.${digit}`, to);
        if (Object.keys(n.keys).length && !n.keysPrompt) add(`${at}.keysPrompt`, 'the node has keys: say what they do in keysPrompt, or callers will not know them');
        break;
    }
  }
  for (const [key, p] of Object.entries(flow.survey.prompts ?? {})) prompt(`survey.prompts.${key}`, p);
  const cbHours = flow.callback?.hours;
  if (typeof cbHours === 'string' && flow.nodes[cbHours]?.type !== 'hours') add('callback.hours', `"${cbHours}" is not an hours node: name one, or give the hours here`);
  checkQueues(flow, add, prompt);
  return issues;
}

/** Agent numbers answer operators: one per queue, none a number a flow answers callers on, operators' numbers unique. */
function checkQueues(flow: FlowFile, add: (path: string, message: string) => void, prompt: (path: string, p: Prompt | undefined) => void): void {
  const agentNumbers = new Map<string, string>();
  for (const [key, q] of Object.entries(flow.queues)) {
    const at = `queues.${key}`;
    prompt(`${at}.connectingPrompt`, q.connectingPrompt);
    if (flow.numbers.includes(q.agentNumber)) add(`${at}.agentNumber`, 'is also in numbers: callers and operators need different numbers');
    const other = agentNumbers.get(q.agentNumber);
    if (other) add(`${at}.agentNumber`, `is also the agent number of queue "${other}"`);
    else agentNumbers.set(q.agentNumber, key);
    const seen = new Map<string, string>();
    for (const [id, o] of Object.entries(q.operators)) {
      if (seen.has(o.number)) add(`${at}.operators.${id}.number`, `is also operator "${seen.get(o.number)}"'s number`);
      else seen.set(o.number, id);
    }
  }
}

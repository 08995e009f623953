import fs from 'node:fs';
import path from 'node:path';
import { buildGraph } from '../../src/flow/lint/graph';
import { lintFlowText } from '../../src/flow/lint/lint';
import { renderMermaid } from '../../src/flow/render/mermaid';
import { loadFlowFile } from '../../src/flow/loader';

/** A queue node as the flow tools see it: the loader's checks, the key-press graph, lint and the picture. */
const QUEUE_FLOW = path.join(__dirname, '../fixtures/flows/queue/vaxel-ko.yaml');
const text = fs.readFileSync(QUEUE_FLOW, 'utf8');

const errorsOf = (yaml: string) => lintFlowText(yaml, 'q.yaml').results.filter((r) => r.severity === 'error').map((r) => [r.path, r.message]);

describe('a queue node in the flow tools', () => {
  test('the loader names a queue no flow defines, keys without words, and numbers used twice', () => {
    expect(errorsOf(text.replace('queue: vaxeln', 'queue: vaxel'))).toEqual([['nodes.operator.queue', 'unknown queue "vaxel": add it under queues']]);
    expect(errorsOf(text.replace(/\n    keysPrompt: .*\n/, '\n'))).toEqual([['nodes.operator.keysPrompt', 'the node has keys: say what they do in keysPrompt, or callers will not know them']]);
    expect(errorsOf(text.replace('agentNumber: "+46101300199"', 'agentNumber: "+46101300000"'))).toEqual([
      ['queues.vaxeln.agentNumber', 'is also in numbers: callers and operators need different numbers'],
    ]);
    expect(errorsOf(text.replace('number: "+46701110002"', 'number: "+46701110001"'))).toEqual([['queues.vaxeln.operators.omar.number', 'is also operator "lena"\'s number']]);
    expect(errorsOf(text.replace('    operators:\n      lena: { name: Lena Ek, number: "+46701110001" }\n      omar: { name: Omar Haddad, number: "+46701110002" }\n', '    operators: {}\n'))).toEqual([
      ['queues.vaxeln.operators', 'a queue needs at least one operator'],
    ]);
  });

  test('the graph has the queue’s leave key, its two fallbacks, and counts it as reaching the operator', () => {
    const graph = buildGraph(loadFlowFile(QUEUE_FLOW));
    const out = graph.nodes.get('operator')!.out.map((e) => [e.kind, e.to, e.reason ?? e.choice]);
    expect(out).toEqual([
      ['key', 'person', '1'],
      ['fallback', 'operator_closed', 'max-wait'],
      ['fallback', 'operator_closed', 'queue-full'],
    ]);
    expect(graph.operatorNodes.has('operator')).toBe(true);
    expect(graph.nodes.get('operator')!.ends).toEqual([{ kind: 'human', targetKind: 'operator', target: 'vaxeln' }]);
  });

  test('lint finds nothing wrong with a sound queue flow and reports how the queue ends', () => {
    const report = lintFlowText(text, 'q.yaml');
    expect(report.results).toEqual([]);
  });

  test('the picture draws the queue with its label, its longest wait and its keys', () => {
    const mermaid = renderMermaid(loadFlowFile(QUEUE_FLOW));
    expect(mermaid).toContain("queue: operator<br/>⏳ Växeln, at most 300 s; leave: 1 → person");
    expect(mermaid).toContain('n3_operator -->|"1 (in queue)"| n2_person');
    expect(mermaid).toMatch(/-\.->\|"max-wait, queue-full"\|/);
  });
});

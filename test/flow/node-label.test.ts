import path from 'node:path';
import { loadFlowDir, parseFlow } from '../../src/flow/loader';
import { nodeLabel } from '../../src/flow/node-label';

const demo = loadFlowDir(path.join(__dirname, '../../ivr-flows')).find((f) => f.id === 'vaxel')!;

describe('node labels', () => {
  test("the flow file's label wins", () => {
    expect(nodeLabel(demo, 'main')).toBe('Huvudmeny');
    expect(nodeLabel(demo, 'person_unavailable')).toBe('Personen svarar inte');
  });

  test("a transfer without a label shows the target it rings; a queue its own label", () => {
    expect(nodeLabel(demo, 'skola')).toBe('Förskola och skola');
    expect(nodeLabel(demo, 'operator')).toBe('Kö till växeln');
  });

  test('other nodes show the first sentence of what they say, in the default language, cut at a word', () => {
    expect(nodeLabel(demo, 'welcome')).toBe('Välkommen till Exempelstads kommun');
    const flow = parseFlow(JSON.stringify({
      id: 'x',
      name: 'X',
      languages: { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' } },
      targets: { op: { label: 'Växeln', number: '+46101300100', kind: 'operator' } },
      start: 'm',
      nodes: {
        m: { type: 'menu', prompt: { 'en-GB': 'Press 1.', 'sv-SE': 'För frågor om bygglov, detaljplaner och strandskydd i hela kommunen, tryck 1.' }, routes: { '1': 'op' } },
        op: { type: 'transfer', target: 'op', onNoAnswer: 's' },
        s: { type: 'survey' },
      },
    }), 'x.json');
    expect(nodeLabel(flow, 'm')).toBe('För frågor om bygglov, detaljplaner och…');
    expect(nodeLabel(flow, 's')).toBeNull();
    expect(nodeLabel(flow, 'nope')).toBeNull();
  });
});

import path from 'node:path';
import { loadFlowFile, parseFlow } from '../../src/flow/loader';
import { renderMermaid } from '../../src/flow/render/mermaid';

const good = (name: string) => loadFlowFile(path.join(__dirname, '../fixtures/flows/good', name));

describe('Mermaid rendering of a flow', () => {
  test('a small flow, whole: node types and prompt text, keys on arrows, fallbacks dotted, the operator marked', () => {
    expect(renderMermaid(good('minimal.yaml'))).toBe(
      [
        'flowchart TD',
        '  start(("start")) --> n0_main',
        '  n0_main{{"menu: main<br/>För skola, tryck 1. För växeln, tryck 0."}}',
        '  n1_skola[["transfer: skola<br/>→ Skola (department), 25 s"]]',
        '  n2_operator[["transfer: operator<br/>→ Växeln (operator), 25 s"]]',
        '  n3_closed(["hangup: closed<br/>Växeln är stängd. Hej då."])',
        '  n0_main -->|"1"| n1_skola',
        '  n0_main -->|"0 (operator)"| n2_operator',
        '  n0_main -.->|"retries used up"| n2_operator',
        '  n1_skola -.->|"no-answer, busy, failed"| n2_operator',
        '  n2_operator -.->|"no-answer, busy, failed"| n3_closed',
        '  classDef operator fill:#e3f2e6,stroke:#2e7d32,stroke-width:2px',
        '  classDef human fill:#e8f0fe,stroke:#1a56c4',
        '  classDef ending fill:#f3f3f3,stroke:#777',
        '  class n2_operator operator',
        '  class n1_skola human',
        '  class n3_closed ending',
        '',
      ].join('\n'),
    );
  });

  test('the demo: person search with its digits, fallbacks per route, prompts in the chosen language and cut short', () => {
    const text = renderMermaid(good('vaxel.yaml'), { language: 'en-GB' });
    expect(text).toContain('  n7_person{{"directory: person (4 digits, 4 people)<br/>Enter the four digits of the extension."}}\n');
    expect(text).toContain('  n7_person -.->|"4 digits + no-answer, busy"| n8_person_unavailable\n');
    expect(text).toContain('  n7_person -.->|"4 digits + failed, retries used up"| n9_operator\n');
    expect(text).toContain('  n2_language -->|"1 (en-GB), 2 (sv-SE), no choice"| n1_main\n');
    expect(text).toContain('  n1_main{{"menu: main<br/>For preschool and school, press 1. For health and social ca…"}}\n');
    expect(renderMermaid(good('vaxel.yaml'))).toContain('  n1_main{{"menu: main<br/>För förskola och skola, tryck 1. För vård och omsorg, tryck…"}}\n');
  });

  test('quotes and angle brackets in prompts cannot break out of a label; odd node ids become safe ids', () => {
    const flow = parseFlow(
      ['id: t', 'name: t', 'targets: {}', 'start: say-hi', 'nodes:', '  say-hi: { type: message, say: \'He said "<b>hi</b>"\' }'].join('\n'),
      't.yaml',
    );
    const text = renderMermaid(flow);
    expect(text).toContain('  n0_say_hi("message: say-hi<br/>He said #quot;#lt;b#gt;hi#lt;/b#gt;#quot;")\n');
    expect(text).toContain('  class n0_say_hi ending\n');
  });
});

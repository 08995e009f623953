/**
 * renderMermaid (src/flow/render/mermaid.ts), arrows and classes: each edge kind (keys, the operator
 * key, moving on, a language menu let pass, opening hours, fallbacks, exhausted retries) solid or
 * dotted with its label, edges of one pair and style merged into one arrow, the digits prefix of a
 * person search said once, and the operator, human and ending classes (a class line only when it has nodes).
 */
import { renderMermaid } from '../../../src/flow/render/mermaid';
import { parseFlow } from '../../../src/flow/loader';
import { flowOf } from '../lint/flows';

const CLASS_DEFS = [
  '  classDef operator fill:#e3f2e6,stroke:#2e7d32,stroke-width:2px',
  '  classDef human fill:#e8f0fe,stroke:#1a56c4',
  '  classDef ending fill:#f3f3f3,stroke:#777',
];

describe('renderMermaid: arrows', () => {
  test('a callback\'s way on and a backup node\'s way for people without a backup are labelled; a message moving on is not', () => {
    const flow = flowOf((f) => {
      f.nodes.main.routes['2'] = 'ring';
      f.nodes.main.routes['3'] = 'colleague';
      f.nodes.ring = { type: 'callback', next: 'bye' };
      f.nodes.colleague = { type: 'backup', onNoAnswer: 'operator', noBackup: 'bye' };
      f.nodes.note = { type: 'message', say: 'Hej.', next: 'bye' };
    });
    const arrows = renderMermaid(flow).split('\n').filter((l) => l.includes('--'));
    expect(arrows.filter((l) => /^ {2}n[4-6]_(ring|colleague|note) --.* n3_bye$/.test(l))).toEqual([
      '  n4_ring -->|"callback requested"| n3_bye',
      '  n5_colleague -->|"no backup"| n3_bye',
      '  n6_note --> n3_bye',
    ]);
  });

  test('every edge kind, whole: solid keys, moving on and hours; dotted fallbacks and exhausted retries; labels merged per pair and style', () => {
    const flow = flowOf((f) => {
      f.languages = { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' } };
      f.start = 'open';
      f.nodes.skola = { type: 'transfer', target: 'skola', onNoAnswer: 'operator', onBusy: 'bye', onFailed: 'operator' };
      f.nodes.open = { type: 'hours', open: { 'mon-fri': '08:00-16:00' }, holidays: 'none', next: 'welcome', closed: { next: 'bye', say: 'Stängt.' } };
      f.nodes.welcome = { type: 'message', say: 'Hej.', next: 'lang' };
      f.nodes.lang = { type: 'language', prompt: 'Språk?', options: { '1': 'en-GB', '2': 'sv-SE' }, next: 'main' };
    });
    expect(renderMermaid(flow)).toBe(
      [
        'flowchart TD',
        '  start(("start")) --> n4_open',
        '  n0_main{{"menu: main<br/>För skola, tryck 1. För växeln, tryck 0."}}',
        '  n1_skola[["transfer: skola<br/>→ Skola (department), 25 s"]]',
        '  n2_operator[["transfer: operator<br/>→ Växeln (operator), 25 s"]]',
        '  n3_bye(["hangup: bye<br/>Hej då."])',
        '  n4_open{"hours: open<br/>mon-fri 08:00-16:00"}',
        '  n5_welcome("message: welcome<br/>Hej.")',
        '  n6_lang{{"language: lang<br/>Språk?"}}',
        '  n0_main -->|"1"| n1_skola',
        '  n0_main -->|"0 (operator)"| n2_operator',
        '  n0_main -.->|"retries used up"| n2_operator',
        '  n1_skola -.->|"no-answer, failed"| n2_operator',
        '  n1_skola -.->|"busy"| n3_bye',
        '  n2_operator -.->|"no-answer, busy, failed"| n3_bye',
        '  n4_open -->|"open"| n5_welcome',
        '  n4_open -->|"closed"| n3_bye',
        '  n5_welcome --> n6_lang',
        '  n6_lang -->|"1 (en-GB), 2 (sv-SE), no choice"| n0_main',
        ...CLASS_DEFS,
        '  class n2_operator operator',
        '  class n1_skola human',
        '  class n3_bye ending',
        '',
      ].join('\n'),
    );
  });

  test('a person search: the digits said once per arrow, before the reasons that share them', () => {
    const flow = flowOf((f) => {
      f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711' } };
      f.nodes.main.routes = { '5': 'person' };
      f.nodes.person = { type: 'directory', prompt: 'Slå anknytningen.', digits: 4, onNoAnswer: 'bye', onBusy: 'bye', onFailed: 'operator', onNotice: 'operator' };
    });
    const arrows = renderMermaid(flow)
      .split('\n')
      .filter((l) => l.startsWith('  n4_person -'));
    expect(arrows).toEqual([
      '  n4_person -->|"0 (operator)"| n2_operator',
      '  n4_person -.->|"4 digits + no-answer, busy"| n3_bye',
      '  n4_person -.->|"4 digits + failed, notice, retries used up"| n2_operator',
    ]);
  });

  test('a queue: its keys solid, its longest wait and full queue dotted', () => {
    const flow = flowOf((f) => {
      f.queues = { vaxeln: { label: 'Växelns kö', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };
      f.nodes.main.routes = { '1': 'q' };
      f.nodes.q = { type: 'queue', queue: 'vaxeln', keys: { '1': 'main' }, keysPrompt: 'Tryck 1.', onMaxWait: 'operator', onFull: 'bye' };
    });
    const arrows = renderMermaid(flow)
      .split('\n')
      .filter((l) => l.startsWith('  n4_q -'));
    expect(arrows).toEqual(['  n4_q -->|"1 (in queue)"| n0_main', '  n4_q -.->|"max-wait"| n2_operator', '  n4_q -.->|"queue-full"| n3_bye']);
  });
});

describe('renderMermaid: classes', () => {
  test('a flow without operator or transfers: only the ending class, the other class lines left out', () => {
    const flow = parseFlow(
      JSON.stringify({ id: 't', name: 't', targets: {}, start: 'hi', nodes: { hi: { type: 'message', say: 'Hej.', next: 'end' }, end: { type: 'hangup' } } }),
      't.json',
    );
    expect(renderMermaid(flow)).toBe(
      [
        'flowchart TD',
        '  start(("start")) --> n0_hi',
        '  n0_hi("message: hi<br/>Hej.")',
        '  n1_end(["hangup: end<br/>(silent)"])',
        '  n0_hi --> n1_end',
        ...CLASS_DEFS,
        '  class n1_end ending',
        '',
      ].join('\n'),
    );
  });

  test('several nodes of a class on one line, in the order of the flow; a queue is the operator', () => {
    const flow = flowOf((f) => {
      f.targets.omsorg = { label: 'Omsorg', number: '+46101300220', kind: 'department' };
      f.queues = { vaxeln: { label: 'Växelns kö', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };
      f.nodes.main.routes = { '1': 'skola', '2': 'omsorg', '3': 'q' };
      f.nodes.omsorg = { type: 'transfer', target: 'omsorg', onNoAnswer: 'quiet' };
      f.nodes.quiet = { type: 'hangup' };
      f.nodes.q = { type: 'queue', queue: 'vaxeln', onMaxWait: 'bye', onFull: 'bye' };
    });
    expect(renderMermaid(flow).split('\n').slice(-4)).toEqual(['  class n2_operator,n6_q operator', '  class n1_skola,n4_omsorg human', '  class n3_bye,n5_quiet ending', '']);
  });
});

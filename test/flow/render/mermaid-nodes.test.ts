/**
 * renderMermaid (src/flow/render/mermaid.ts), one line per node: the shape of each node type and its
 * label (type, id, and what the node says or does: targets, timeouts, digits and people, queue and its
 * keys, callback promise, opening hours), in the order the flow lists its nodes.
 */
import { renderMermaid } from '../../../src/flow/render/mermaid';
import type { Flow } from '../../../src/flow/schema';
import { flowOf, type Raw } from '../lint/flows';

const QUEUES = { vaxeln: { label: 'Växelns kö', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };

/** The node lines: after the flowchart line and the start arrow, one per node. */
const nodeLines = (flow: Flow): string[] => renderMermaid(flow).split('\n').slice(2, 2 + Object.keys(flow.nodes).length);

/** The lint base flow (main, skola, operator, bye) plus `nodes`, added after them. */
const withNodes = (nodes: Record<string, unknown>, change: (f: Raw) => void = () => {}): Flow =>
  flowOf((f) => {
    f.queues = QUEUES;
    Object.assign(f.nodes, nodes);
    change(f);
  });

describe('renderMermaid: each node type, its shape and its label', () => {
  test('every node type at once, in the order of the flow', () => {
    const flow = withNodes(
      {
        info: { type: 'message', say: 'Vi har öppet vardagar.', next: 'main' },
        quiet: { type: 'hangup' },
        lang: { type: 'language', prompt: 'Välj språk.', options: { '1': 'en-GB' }, next: 'main' },
        person: { type: 'directory', prompt: 'Slå anknytningen.', digits: 4, onNoAnswer: 'operator' },
        bk: { type: 'backup', timeoutSeconds: 30, onNoAnswer: 'bye' },
        q: { type: 'queue', queue: 'vaxeln', say: 'Du står i kö.', maxWaitSeconds: 120, keys: { '1': 'cb', '2': 'bye' }, keysPrompt: 'Tryck 1 eller 2.', onMaxWait: 'bye', onFull: 'bye' },
        q2: { type: 'queue', queue: 'vaxeln', onMaxWait: 'bye', onFull: 'bye' },
        survey: { type: 'survey' },
        cb: { type: 'callback', say: 'Vi ringer upp dig.' },
        open: { type: 'hours', open: { 'mon-fri': '08:00-16:00', sat: '10:00-14:00' }, next: 'main', closed: 'bye' },
        open2: { type: 'hours', open: { 'mon-fri': '08:00-16:00' }, holidays: 'none', next: 'main', closed: 'bye' },
      },
      (f) => {
        f.languages = { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' } };
        f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711' } };
        f.callback = { promise: { within: { hours: 4 } } };
        f.nodes.skola.say = 'Du kopplas till skolan.';
      },
    );
    expect(nodeLines(flow)).toEqual([
      '  n0_main{{"menu: main<br/>För skola, tryck 1. För växeln, tryck 0."}}',
      '  n1_skola[["transfer: skola<br/>→ Skola (department), 25 s<br/>Du kopplas till skolan."]]',
      '  n2_operator[["transfer: operator<br/>→ Växeln (operator), 25 s"]]',
      '  n3_bye(["hangup: bye<br/>Hej då."])',
      '  n4_info("message: info<br/>Vi har öppet vardagar.")',
      '  n5_quiet(["hangup: quiet<br/>(silent)"])',
      '  n6_lang{{"language: lang<br/>Välj språk."}}',
      '  n7_person{{"directory: person (4 digits, 1 person)<br/>Slå anknytningen."}}',
      '  n8_bk[["backup: bk<br/>→ the backup of the person sought, 30 s"]]',
      '  n9_q[["queue: q<br/>⏳ Växelns kö, at most 120 s; leave: 1 → cb, 2 → bye<br/>Du står i kö."]]',
      '  n10_q2[["queue: q2<br/>⏳ Växelns kö, at most 300 s"]]',
      '  n11_survey(["survey: survey<br/>bemotande, enkelhet"])',
      '  n12_cb[/"callback: cb<br/>☎ callback, within 4 working hours<br/>Vi ringer upp dig."/]',
      '  n13_open{"hours: open<br/>mon-fri 08:00-16:00; sat 10:00-14:00; closed on Swedish holidays"}',
      '  n14_open2{"hours: open2<br/>mon-fri 08:00-16:00"}',
    ]);
  });

  test('a person search counts the people of the directory: none, one person, two people', () => {
    const person = { type: 'directory', prompt: 'Slå anknytningen.', digits: 4, onNoAnswer: 'operator' };
    const line = (directory: Record<string, unknown>) => nodeLines(withNodes({ person }, (f) => (f.directory = directory)))[4];
    expect(line({})).toBe('  n4_person{{"directory: person (4 digits, 0 people)<br/>Slå anknytningen."}}');
    expect(line({ '4711': { name: 'Anna Lind', number: '+46101304711' }, '4712': { name: 'Johan Berg', number: '+46101304712' } })).toBe(
      '  n4_person{{"directory: person (4 digits, 2 people)<br/>Slå anknytningen."}}',
    );
  });

  test('a one-digit person search says "1 digit"', () => {
    const person = { type: 'directory', prompt: 'Slå anknytningen.', digits: 1, onNoAnswer: 'operator' };
    const lines = nodeLines(withNodes({ person }, (f) => (f.directory = { '7': { name: 'Anna Lind', number: '+46101304711' } })));
    expect(lines[4]).toBe('  n4_person{{"directory: person (1 digit, 1 person)<br/>Slå anknytningen."}}');
  });

  test('a callback without a promise configured, and without words of its own', () => {
    expect(nodeLines(withNodes({ cb: { type: 'callback' } }))[4]).toBe('  n4_cb[/"callback: cb<br/>☎ callback, no promise"/]');
  });

  test('a callback promised by a time the next working day', () => {
    const flow = withNodes({ cb: { type: 'callback' } }, (f) => (f.callback = { promise: { byNextWorkingDay: '12:00' } }));
    expect(nodeLines(flow)[4]).toBe('  n4_cb[/"callback: cb<br/>☎ callback, by 12:00 the next working day"/]');
  });

  test('the survey lists the questions the flow asks', () => {
    const flow = withNodes({ survey: { type: 'survey' } }, (f) => (f.survey = { questions: ['answered'] }));
    expect(nodeLines(flow)[4]).toBe('  n4_survey(["survey: survey<br/>answered"])');
  });

  test('a transfer or a queue whose target or queue the flow lacks names it by its id', () => {
    const f = withNodes({ q: { type: 'queue', queue: 'vaxeln', onMaxWait: 'bye', onFull: 'bye' } });
    const { skola: _skola, ...targets } = f.targets;
    expect(nodeLines({ ...f, targets, queues: {} }).slice(1)).toEqual([
      '  n1_skola[["transfer: skola<br/>→ skola, 25 s"]]',
      '  n2_operator[["transfer: operator<br/>→ Växeln (operator), 25 s"]]',
      '  n3_bye(["hangup: bye<br/>Hej då."])',
      '  n4_q[["queue: q<br/>⏳ vaxeln, at most 300 s"]]',
    ]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildGraph } from '../../src/flow/lint/graph';
import { lintFlow, lintFlowDir, lintFlowFile, lintFlowText } from '../../src/flow/lint/lint';
import type { LintResult } from '../../src/flow/lint/result';
import { loadFlowFile, parseFlow } from '../../src/flow/loader';

const FIXTURES = path.join(__dirname, '../fixtures/flows');
const good = (name: string) => path.join(FIXTURES, 'good', name);
const bad = (name: string) => path.join(FIXTURES, 'bad', name);
const row = (r: LintResult) => [r.severity, r.code, r.path, r.message];

/** Every bad fixture and exactly what the linter must say about it, with the budget set to 2 key presses. */
const EXPECTED: Record<string, string[][]> = {
  'yaml-syntax.yaml': [['error', 'schema', '', 'YAML: Missing closing "quote at line 5, column 1:']],
  'duplicate-key.yaml': [['error', 'schema', '', 'YAML: Map keys must be unique at line 12, column 3:']],
  // The parser reports 7 errors for one tab; what follows the first is its own confusion.
  'tab-indented.yaml': [['error', 'schema', '', 'YAML: Tabs are not allowed as indentation at line 8, column 1:']],
  'unknown-key.yaml': [['error', 'schema', 'nodes.main', 'Unrecognized key: "timeoutSecond"']],
  'unknown-node.yaml': [['error', 'schema', 'nodes.main.routes.1', 'unknown node "skolan"']],
  'opening-hours-invalid.yaml': [
    ['error', 'schema', 'nodes.open_check.timeZone', 'unknown time zone "Europe/Stockholmm": use an IANA name like Europe/Stockholm'],
    ['error', 'schema', 'nodes.open_check.open.fri', 'overlaps "mon-fri": give each weekday its hours once'],
    ['error', 'schema', 'nodes.open_check.open.tis', '"tis" is not a weekday (mon … sun) or a range of them (mon-fri)'],
    ['error', 'schema', 'nodes.open_check.special.2026-12-23', '"12:00-08:00" ends before it starts'],
  ],
  'wrong-digit.yaml': [['error', 'schema', 'nodes.main.routes.12', 'invalid key: must be one key: 0-9, * or #']],
  'unreachable-node.yaml': [['warning', 'unreachable-node', 'nodes.bygglov', 'node "bygglov" cannot be reached from start "main"']],
  'dead-end-key.yaml': [['error', 'dead-end', 'nodes.main.routes.9', 'dead end: key 9 at "main" leads to "bye", which hangs up without a word']],
  'dead-end-node.yaml': [
    ['error', 'dead-end', 'nodes.selfservice', 'dead end: from "selfservice" no person, operator or message can be reached'],
    ['error', 'fallback-dead-end', 'nodes.selfservice.onExhausted', 'when the retries run out at "selfservice" the caller is sent to "bye", which leads to no person, operator or message'],
    ['error', 'dead-end', 'nodes.selfservice.routes.1', 'dead end: key 1 at "selfservice" leads to "bye", which hangs up without a word'],
  ],
  'loop-without-exit.yaml': [
    ['error', 'loop-without-exit', 'nodes.info', 'loop without exit: nodes "info", "more" lead only to each other; a caller there never reaches a person, the operator or an end of the call'],
  ],
  'digit-not-routed.yaml': [
    ['error', 'digit-not-routed', 'nodes.main.prompt', 'the prompt says "tryck 3" but key 3 leads nowhere at "main"'],
    ['warning', 'key-not-announced', 'nodes.main.routes.2', 'key 2 at "main" leads to "omsorg" but the prompt never tells the caller'],
  ],
  'directory-empty.yaml': [
    ['error', 'directory-empty', 'nodes.person', 'person search "person" collects 4 digits but the directory is empty: every extension a caller keys is refused'],
  ],
  'missing-translation.yaml': [
    ['warning', 'missing-translation', 'languages.voices.de-DE', 'callpath has no built-in wording in de-DE (wrong key, no input, connecting, goodbye, survey): callers who chose de-DE hear those sentences in sv-SE'],
    ['warning', 'missing-translation', 'nodes.main.noInputPrompt', 'no en-GB, de-DE text: callers who chose en-GB or de-DE hear the sv-SE text'],
    ['warning', 'missing-translation', 'nodes.main.prompt', 'no de-DE text: callers who chose de-DE hear the sv-SE text'],
  ],
  'fallback-dead-end.yaml': [
    ['error', 'fallback-dead-end', 'nodes.skola.onBusy', 'after busy at "skola" the caller is sent to "bye", which leads to no person, operator or message'],
  ],
  'fallback-loop.yaml': [
    ['error', 'operator-unreachable', 'nodes.skola_again', 'the operator cannot be reached from "skola_again"'],
    ['error', 'fallback-loop', 'nodes.skola.onNoAnswer', 'after no-answer/busy/failed at "skola" the caller is put through again without a choice (skola → skola_again → skola): while nobody answers, the call goes round for ever'],
  ],
  'no-operator.yaml': [
    ['warning', 'no-operator', 'operator', 'the flow has no operator (no operator.node and no transfer to a target of kind operator): a caller who is lost cannot reach a person'],
  ],
  'operator-unreachable.yaml': [
    ['error', 'operator-unreachable', 'nodes.main', 'the operator cannot be reached from "main"'],
    ['warning', 'unreachable-node', 'nodes.operator', 'node "operator" cannot be reached from start "main"'],
  ],
  'operator-by-waiting.yaml': [
    ['warning', 'operator-only-by-waiting', 'nodes.main', 'from "main" no key leads to the operator, only waiting for retries to run out or a transfer to go unanswered (main: retries used up → operator)'],
  ],
  'backup-wrong.yaml': [
    ['error', 'backup-unknown', 'directory.4711.backup', `Anna Lind's backup "4799" is neither an extension of the directory nor a target: nobody would be rung`],
    ['error', 'backup-self', 'directory.4712.backup', "Johan Berg's backup is Johan Berg: a caller nobody answered would ring the same phone again"],
    ['warning', 'backup-cycle', 'directory.4713.backup', 'backups go round in a circle: 4713 → 4714 → 4715 → 4713; a caller passed on from backup to backup would ring Sara Holm again'],
    ['error', 'backup-unknown', 'directory.4716.backup', `Lars Ek's backup "byggnad" is neither an extension of the directory nor a target: nobody would be rung`],
  ],
  'backup-missing.yaml': [
    ['warning', 'backup-missing', 'nodes.colleague', '"colleague" rings the backup of the person sought, but 4712, 4713 have none: their callers go to the operator; set noBackup to say where they go'],
  ],
  'notice-hangs-up.yaml': [
    ['warning', 'notice-hangs-up', 'nodes.person.onNoAnswer', 'a caller who meets an absence notice at "person" is sent to "bye", which hangs up: offer the operator or another extension after the notice'],
  ],
  'callback-without-promise.yaml': [
    [
      'warning',
      'callback-without-promise',
      'nodes.callback',
      'callback node "callback" is offered but the flow gives no promise (callback.promise): callers hear "as soon as we can" and no request is ever overdue',
    ],
  ],
  'callback-never-offered.yaml': [['warning', 'callback-never-offered', 'callback', 'callback promises a callback, but no caller reaches a callback node']],
  'comment-never-asked.yaml': [
    ['warning', 'comment-never-asked', 'survey.comment', 'survey.comment is enabled but the survey is never offered (survey.offer), so no caller is asked for a comment'],
  ],
  'operator-budget.yaml': [
    ['error', 'operator-budget', 'nodes.main', 'reaching the operator from "main" takes 3 key presses (main: 2 → more: 2 → last: 0 → operator), more than the budget of 2'],
  ],
};

describe('flow lint: fixtures', () => {
  test('every bad fixture has its expected findings listed here', () => {
    expect(fs.readdirSync(path.join(FIXTURES, 'bad')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))('bad/%s: exactly the expected findings, naming the file', (name, expected) => {
    const report = lintFlowFile(bad(name), { maxOperatorKeys: 2 });
    expect(report.results.map(row)).toEqual(expected);
    for (const r of report.results) expect(r.file).toBe(bad(name));
    expect(report.errors).toBe(expected.filter((e) => e[0] === 'error').length);
    expect(report.warnings).toBe(expected.filter((e) => e[0] === 'warning').length);
  });

  test.each(fs.readdirSync(path.join(FIXTURES, 'good')))('good/%s: no findings within a budget of 2', (name) => {
    const report = lintFlowFile(good(name), { maxOperatorKeys: 2 });
    expect(report.results).toEqual([]);
    expect(report.flowId).not.toBeNull();
  });

  test('the shipped demo flow has no errors', () => {
    const report = lintFlowFile(path.join(__dirname, '../../ivr-flows/vaxel.yaml'));
    expect(report.results.filter((r) => r.severity === 'error')).toEqual([]);
  });

  test('schema errors come from the loader through lintFlowText too, with the file name given', () => {
    const report = lintFlowText('id: x\nname: y\nstart: a\ntargets: {}\nnodes:\n  a: { type: hangup, sey: hej }\n', 'inline.yaml');
    expect(report.results.map(row)).toEqual([['error', 'schema', 'nodes.a', 'Unrecognized key: "sey"']]);
    expect(report.results[0].file).toBe('inline.yaml');
    expect(report.operator).toBeNull();
  });
});

describe('flow lint: key presses to the operator', () => {
  test('the demo: at most 1 key press from anywhere; after a person does not answer, 1 more (the 0 in the menu that follows)', () => {
    const { operator } = lintFlowFile(good('vaxel.yaml'));
    expect(operator!.max).toMatchObject({ keys: 1, from: ['welcome', 'main', 'language', 'person', 'person_unavailable'] });
    expect(operator!.byNode).toMatchObject({ main: 1, person: 1, person_unavailable: 1, operator: 0 });
    const person = operator!.afterFallbacks.filter((f) => f.node === 'person');
    expect(person).toEqual([
      { node: 'person', reasons: ['no-answer', 'busy'], route: 'person_unavailable', keys: 1, steps: [{ from: 'person_unavailable', label: '0', to: 'operator' }], endsCall: false },
      { node: 'person', reasons: ['failed'], route: 'operator', keys: 0, steps: [], endsCall: false },
    ]);
    expect(operator!.afterFallbacks.find((f) => f.node === 'operator')).toMatchObject({ route: 'operator_closed', keys: null, endsCall: true });
  });

  test('the changed demo: no key press at all after a person does not answer', () => {
    const { operator } = lintFlowFile(good('vaxel-no-answer-to-operator.yaml'));
    expect(operator!.afterFallbacks.filter((f) => f.node === 'person').map((f) => [f.reasons, f.route, f.keys])).toEqual([[['no-answer', 'busy', 'failed'], 'operator', 0]]);
  });

  test('the budget fails each node beyond it, and only those', () => {
    const flow = loadFlowFile(good('vaxel.yaml'));
    expect(lintFlow(flow, { maxOperatorKeys: 1 }).results).toEqual([]);
    const over = lintFlow(flow, { maxOperatorKeys: 0 }).results;
    expect(over.map((r) => [r.code, r.path])).toEqual(
      ['language', 'main', 'person', 'person_unavailable', 'welcome'].map((n) => ['operator-budget', `nodes.${n}`]),
    );
    expect(over.find((r) => r.path === 'nodes.welcome')!.message).toBe(
      'reaching the operator from "welcome" takes 1 key press (welcome: next → main: 0 → operator), more than the budget of 0',
    );
  });

  test('an extension costs one press per digit on the way to a fallback', () => {
    const flow = loadFlowFile(good('vaxel.yaml'));
    const edges = buildGraph(flow).edges.filter((e) => e.from === 'person');
    expect(edges.map((e) => [e.kind, e.label, e.keys, e.to])).toEqual([
      ['operator-key', '0', 1, 'operator'],
      ['fallback', '4 digits + no-answer', 4, 'person_unavailable'],
      ['fallback', '4 digits + busy', 4, 'person_unavailable'],
      ['fallback', '4 digits + failed', 4, 'operator'],
      ['exhausted', 'retries used up', 0, 'operator'],
    ]);
  });

  test('a menu with operatorKey: false gets no operator edge; a route on the key wins over it', () => {
    const flow = parseFlow(
      [
        'id: t', 'name: t', 'operator: { key: "0", node: op }', 'targets: { op: { label: V, number: "+46101300100", kind: operator } }', 'start: a',
        'nodes:',
        '  a: { type: menu, prompt: p, routes: { "1": b }, operatorKey: false }',
        '  b: { type: menu, prompt: p, routes: { "0": op } }',
        '  op: { type: transfer, target: op, onNoAnswer: { next: bye, say: hej } }',
        '  bye: { type: hangup }',
      ].join('\n'),
      't.yaml',
    );
    const g = buildGraph(flow);
    expect(g.nodes.get('a')!.out.map((e) => [e.kind, e.label])).toEqual([['key', '1'], ['exhausted', 'retries used up']]);
    expect(g.nodes.get('b')!.out.map((e) => [e.kind, e.label])).toEqual([['key', '0'], ['exhausted', 'retries used up']]);
  });
});

describe('flow lint: a folder', () => {
  test('checks across files as the service does at start-up: one id in two files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callpath-lint-'));
    fs.copyFileSync(good('vaxel.yaml'), path.join(dir, 'a.yaml'));
    fs.copyFileSync(good('vaxel-no-answer-to-operator.yaml'), path.join(dir, 'b.yaml'));
    const reports = lintFlowDir(dir);
    expect(reports.map((r) => r.results.map(row))).toEqual([
      [],
      [],
      [
        ['error', 'schema', 'id', `flow id "vaxel" is also used by ${path.join(dir, 'a.yaml')}`],
        ['error', 'schema', 'numbers.0', 'number +46101300000 is also claimed by flow "vaxel"'],
        ['error', 'schema', 'default', 'more than one flow is marked default: vaxel, vaxel'],
      ],
    ]);
    expect(reports[2].results.map((r) => r.file)).toEqual([path.join(dir, 'b.yaml'), path.join(dir, 'b.yaml'), dir]);
  });
});

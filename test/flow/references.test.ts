import { checkReferences } from '../../src/flow/references';
import { FlowFile } from '../../src/flow/schema';

/**
 * What the schema cannot see across keys: every node, target, queue and language a flow names must
 * exist. A flow with one of each kind of node is valid; each case breaks one reference and expects
 * exactly one issue, at the path an author would look at.
 */
const sv = (text: string) => ({ 'sv-SE': text });
/** The flow as written, before the schema fills in defaults: each case edits it freely. */
type Raw = any;
const base = (): Raw => ({
  id: 'refs',
  name: 'Every reference',
  numbers: ['+46101300000'],
  languages: { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' } },
  operator: { key: '0', node: 'operator' },
  survey: { prompts: { intro: sv('En fråga.') } },
  targets: {
    operator: { label: 'Växeln', number: '+46101300100', kind: 'operator' },
    skola: { label: 'Skola', number: '+46101300210', kind: 'department' },
  },
  directory: { '4711': { name: 'Anna Lind', number: '+46101304711' } },
  queues: {
    vaxeln: { label: 'Växeln', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' }, omar: { name: 'Omar Haddad', number: '+46701110002' } } },
  },
  callback: { hours: 'open_check' },
  start: 'welcome',
  nodes: {
    welcome: { type: 'message', say: sv('Välkommen.'), next: 'open_check' },
    open_check: { type: 'hours', open: { 'mon-fri': '08:00-16:00' }, next: 'lang', closed: { next: 'bye', say: sv('Stängt.') } },
    lang: { type: 'language', prompt: sv('For English, press 9.'), options: { '9': 'en-GB' }, next: 'main' },
    main: { type: 'menu', prompt: sv('Tryck 1, 2, 3 eller 4.'), routes: { '1': 'skola', '2': 'person', '3': 'queue', '4': 'callback', '0': 'operator' }, onExhausted: 'operator' },
    skola: { type: 'transfer', target: 'skola', onNoAnswer: 'operator' },
    person: { type: 'directory', prompt: sv('Slå anknytningen.'), digits: 4, onNoAnswer: 'colleague', onExhausted: 'operator' },
    colleague: { type: 'backup', onNoAnswer: 'operator', noBackup: 'operator' },
    queue: { type: 'queue', queue: 'vaxeln', onMaxWait: 'callback', onFull: 'operator', keys: { '1': 'callback' }, keysPrompt: sv('Tryck 1 för att bli uppringd.') },
    callback: { type: 'callback', next: 'survey', onExhausted: 'operator' },
    operator: { type: 'transfer', target: 'operator', onNoAnswer: 'bye' },
    survey: { type: 'survey' },
    bye: { type: 'hangup', say: sv('Hej då.') },
  },
});

function issuesOf(change: (f: Raw) => void) {
  const raw = base();
  change(raw);
  const parsed = FlowFile.safeParse(raw);
  if (!parsed.success) throw new Error(`the case's flow is not valid by the schema: ${parsed.error.message}`);
  return checkReferences(parsed.data, 'refs.yaml').map((i) => [i.file, i.path, i.message]);
}

test('a flow whose every reference exists has no issue', () => {
  expect(issuesOf(() => {})).toEqual([]);
});

const cases: [string, (f: Raw) => void, string, string][] = [
  ['start', (f) => (f.start = 'nowhere'), 'start', 'unknown node "nowhere"'],
  [
    'the operator node',
    (f) => {
      f.operator.node = 'nowhere';
      // Else the menu's 0 would be reported too, as routed to another node than the operator's.
      delete f.nodes.main.routes['0'];
    },
    'operator.node',
    'unknown node "nowhere"',
  ],
  ['a default language without a voice', (f) => (f.languages.default = 'de-DE'), 'languages.default', 'no voice configured for "de-DE" in languages.voices'],
  ["a message's next", (f) => (f.nodes.welcome.next = 'nowhere'), 'nodes.welcome.next', 'unknown node "nowhere"'],
  ["a message's text in a language without a voice", (f) => (f.nodes.welcome.say = { 'sv-SE': 'Hej.', 'fi-FI': 'Hei.' }), 'nodes.welcome.say.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a menu's route", (f) => (f.nodes.main.routes['1'] = 'nowhere'), 'nodes.main.routes.1', 'unknown node "nowhere"'],
  ["a menu's prompt", (f) => (f.nodes.main.prompt = { 'fi-FI': 'Paina 1.' }), 'nodes.main.prompt.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a menu's invalid prompt", (f) => (f.nodes.main.invalidPrompt = { 'fi-FI': 'Väärä.' }), 'nodes.main.invalidPrompt.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a menu's no-input prompt", (f) => (f.nodes.main.noInputPrompt = { 'fi-FI': 'Ei.' }), 'nodes.main.noInputPrompt.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a menu's onExhausted", (f) => (f.nodes.main.onExhausted = 'nowhere'), 'nodes.main.onExhausted', 'unknown node "nowhere"'],
  ["a route's next", (f) => (f.nodes.main.onExhausted = { next: 'nowhere' }), 'nodes.main.onExhausted.next', 'unknown node "nowhere"'],
  ["a route's words", (f) => (f.nodes.main.onExhausted = { next: 'operator', say: { 'fi-FI': 'Hei.' } }), 'nodes.main.onExhausted.say.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  [
    'the operator key routed elsewhere',
    (f) => (f.nodes.main.routes['0'] = 'skola'),
    'nodes.main.routes.0',
    'key 0 is the operator key of this flow; route it to "operator" or set operatorKey: false',
  ],
  ["a language node's prompt", (f) => (f.nodes.lang.prompt = { 'fi-FI': 'Hei.' }), 'nodes.lang.prompt.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a language node's next", (f) => (f.nodes.lang.next = 'nowhere'), 'nodes.lang.next', 'unknown node "nowhere"'],
  ["a language node's option", (f) => (f.nodes.lang.options['8'] = 'fi-FI'), 'nodes.lang.options.8', 'language "fi-FI" has no voice in languages.voices'],
  ["a transfer's target", (f) => (f.nodes.skola.target = 'nowhere'), 'nodes.skola.target', 'unknown target "nowhere"'],
  ["a transfer's words", (f) => (f.nodes.skola.say = { 'fi-FI': 'Hei.' }), 'nodes.skola.say.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a transfer's onNoAnswer", (f) => (f.nodes.skola.onNoAnswer = 'nowhere'), 'nodes.skola.onNoAnswer', 'unknown node "nowhere"'],
  ["a transfer's onBusy", (f) => (f.nodes.skola.onBusy = 'nowhere'), 'nodes.skola.onBusy', 'unknown node "nowhere"'],
  ["a transfer's onFailed", (f) => (f.nodes.skola.onFailed = 'nowhere'), 'nodes.skola.onFailed', 'unknown node "nowhere"'],
  ["a transfer's onNotice", (f) => (f.nodes.skola.onNotice = 'nowhere'), 'nodes.skola.onNotice', 'unknown node "nowhere"'],
  ["a backup's words", (f) => (f.nodes.colleague.say = { 'fi-FI': 'Hei.' }), 'nodes.colleague.say.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a backup's noBackup", (f) => (f.nodes.colleague.noBackup = 'nowhere'), 'nodes.colleague.noBackup', 'unknown node "nowhere"'],
  ["a backup's onNoAnswer", (f) => (f.nodes.colleague.onNoAnswer = 'nowhere'), 'nodes.colleague.onNoAnswer', 'unknown node "nowhere"'],
  ["a backup's onBusy", (f) => (f.nodes.colleague.onBusy = 'nowhere'), 'nodes.colleague.onBusy', 'unknown node "nowhere"'],
  ["a backup's onFailed", (f) => (f.nodes.colleague.onFailed = 'nowhere'), 'nodes.colleague.onFailed', 'unknown node "nowhere"'],
  ["a person search's prompt", (f) => (f.nodes.person.prompt = { 'fi-FI': 'Hei.' }), 'nodes.person.prompt.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a person search's invalid prompt", (f) => (f.nodes.person.invalidPrompt = { 'fi-FI': 'Hei.' }), 'nodes.person.invalidPrompt.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a person search's connecting prompt", (f) => (f.nodes.person.connectingPrompt = { 'fi-FI': 'Hei.' }), 'nodes.person.connectingPrompt.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a person search's onExhausted", (f) => (f.nodes.person.onExhausted = 'nowhere'), 'nodes.person.onExhausted', 'unknown node "nowhere"'],
  ["a person search's onNoAnswer", (f) => (f.nodes.person.onNoAnswer = 'nowhere'), 'nodes.person.onNoAnswer', 'unknown node "nowhere"'],
  ["a person search's onBusy", (f) => (f.nodes.person.onBusy = 'nowhere'), 'nodes.person.onBusy', 'unknown node "nowhere"'],
  ["a person search's onFailed", (f) => (f.nodes.person.onFailed = 'nowhere'), 'nodes.person.onFailed', 'unknown node "nowhere"'],
  ["a person search's onNotice", (f) => (f.nodes.person.onNotice = 'nowhere'), 'nodes.person.onNotice', 'unknown node "nowhere"'],
  ['an extension of another length than the search collects', (f) => (f.directory['123'] = { name: 'Kort', number: '+46101300123' }), 'directory.123', 'extension has 3 digits but node "person" collects 4'],
  ["a goodbye's words", (f) => (f.nodes.bye.say = { 'fi-FI': 'Hei.' }), 'nodes.bye.say.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a callback's words", (f) => (f.nodes.callback.say = { 'fi-FI': 'Hei.' }), 'nodes.callback.say.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a callback's next", (f) => (f.nodes.callback.next = 'nowhere'), 'nodes.callback.next', 'unknown node "nowhere"'],
  ["a callback's onExhausted", (f) => (f.nodes.callback.onExhausted = 'nowhere'), 'nodes.callback.onExhausted', 'unknown node "nowhere"'],
  ["an hours node's next", (f) => (f.nodes.open_check.next = 'nowhere'), 'nodes.open_check.next', 'unknown node "nowhere"'],
  ["an hours node's closed route", (f) => (f.nodes.open_check.closed = 'nowhere'), 'nodes.open_check.closed', 'unknown node "nowhere"'],
  ["a queue node's queue", (f) => (f.nodes.queue.queue = 'nowhere'), 'nodes.queue.queue', 'unknown queue "nowhere": add it under queues'],
  ["a queue node's words", (f) => (f.nodes.queue.say = { 'fi-FI': 'Hei.' }), 'nodes.queue.say.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a queue node's keys prompt", (f) => (f.nodes.queue.keysPrompt = { 'sv-SE': 'Tryck 1.', 'fi-FI': 'Paina 1.' }), 'nodes.queue.keysPrompt.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["a queue node's onMaxWait", (f) => (f.nodes.queue.onMaxWait = 'nowhere'), 'nodes.queue.onMaxWait', 'unknown node "nowhere"'],
  ["a queue node's onFull", (f) => (f.nodes.queue.onFull = 'nowhere'), 'nodes.queue.onFull', 'unknown node "nowhere"'],
  ["a queue node's key", (f) => (f.nodes.queue.keys['2'] = 'nowhere'), 'nodes.queue.keys.2', 'unknown node "nowhere"'],
  ['queue keys nobody is told about', (f) => delete f.nodes.queue.keysPrompt, 'nodes.queue.keysPrompt', 'the node has keys: say what they do in keysPrompt, or callers will not know them'],
  ["a survey prompt's language", (f) => (f.survey.prompts.intro = { 'fi-FI': 'Hei.' }), 'survey.prompts.intro.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ["the callback's hours naming no hours node", (f) => (f.callback.hours = 'main'), 'callback.hours', '"main" is not an hours node: name one, or give the hours here'],
  ["the callback's hours naming no node at all", (f) => (f.callback.hours = 'nowhere'), 'callback.hours', '"nowhere" is not an hours node: name one, or give the hours here'],
  ["a queue's connecting prompt", (f) => (f.queues.vaxeln.connectingPrompt = { 'fi-FI': 'Hei.' }), 'queues.vaxeln.connectingPrompt.fi-FI', 'language "fi-FI" has no voice in languages.voices'],
  ['an agent number callers call', (f) => (f.queues.vaxeln.agentNumber = '+46101300000'), 'queues.vaxeln.agentNumber', 'is also in numbers: callers and operators need different numbers'],
  [
    'two queues with one agent number',
    (f) => (f.queues.bygg = { label: 'Bygg', agentNumber: '+46101300199', operators: { kim: { name: 'Kim', number: '+46701110009' } } }),
    'queues.bygg.agentNumber',
    'is also the agent number of queue "vaxeln"',
  ],
  ['two operators with one number', (f) => (f.queues.vaxeln.operators.omar.number = '+46701110001'), 'queues.vaxeln.operators.omar.number', 'is also operator "lena"\'s number'],
];

test.each(cases)('%s: one issue at its path', (_name, change, path, message) => {
  expect(issuesOf(change)).toEqual([['refs.yaml', path, message]]);
});

test('a menu may route the operator key elsewhere when it says so (operatorKey: false), and a flow without an operator has no operator key', () => {
  expect(issuesOf((f) => Object.assign(f.nodes.main, { operatorKey: false, routes: { ...f.nodes.main.routes, '0': 'skola' } }))).toEqual([]);
  expect(issuesOf((f) => delete f.operator)).toEqual([]);
  // A menu without a route on the key at all is fine: the engine adds the operator itself.
  expect(issuesOf((f) => delete f.nodes.main.routes['0'])).toEqual([]);
});

test('every problem is reported, not only the first', () => {
  const issues = issuesOf((f) => {
    f.start = 'nowhere';
    f.nodes.skola.target = 'elsewhere';
    f.nodes.queue.keys['2'] = 'nowhere';
  });
  expect(issues.map(([, path]) => path)).toEqual(['start', 'nodes.skola.target', 'nodes.queue.keys.2']);
});

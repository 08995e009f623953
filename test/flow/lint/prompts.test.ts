/**
 * What the linter reads out of prompts (src/flow/lint/prompts.ts): the texts of a prompt with their
 * language and path, every prompt of each kind of node and of the survey, and the keys a text tells
 * the caller to press ("tryck 1", "tryck på 0", "press 9", "tryck stjärna").
 */
import { allPrompts, announcedKeys, nodePrompts, promptTexts } from '../../../src/flow/lint/prompts';
import { flowOf, type Raw } from './flows';

describe('promptTexts', () => {
  test('none for no prompt', () => {
    expect(promptTexts(undefined, 'nodes.a.say', 'sv-SE')).toEqual([]);
  });

  test('a string is in the default language, at the prompt\'s path', () => {
    expect(promptTexts('Hej.', 'nodes.a.say', 'sv-SE')).toEqual([{ language: 'sv-SE', text: 'Hej.', path: 'nodes.a.say' }]);
  });

  test('one text per language, each at its own path', () => {
    expect(promptTexts({ 'sv-SE': 'Hej.', 'en-GB': 'Hello.' }, 'nodes.a.say', 'sv-SE')).toEqual([
      { language: 'sv-SE', text: 'Hej.', path: 'nodes.a.say.sv-SE' },
      { language: 'en-GB', text: 'Hello.', path: 'nodes.a.say.en-GB' },
    ]);
  });
});

/** Every node kind with every prompt it can have; each text names its own path so a mix-up shows. */
const everyPrompt = (f: Raw) => {
  const r = (next: string, say: string) => ({ next, say });
  f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711', backup: 'skola' } };
  f.queues = { vaxeln: { label: 'Växeln', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };
  f.survey = { prompts: { intro: 'survey intro', thanks: 'survey thanks' } };
  f.nodes = {
    message: { type: 'message', say: 'message say', next: 'menu' },
    menu: {
      type: 'menu', prompt: 'menu prompt', invalidPrompt: 'menu invalid', noInputPrompt: 'menu no input',
      routes: { '1': 'hangup' }, onExhausted: r('hangup', 'menu exhausted'),
    },
    hangup: { type: 'hangup', say: 'hangup say' },
    hours: { type: 'hours', open: { mon: '08:00-16:00' }, next: 'hangup', closed: r('hangup', 'hours closed') },
    language: { type: 'language', prompt: 'language prompt', options: { '1': 'sv-SE' }, next: 'hangup' },
    transfer: {
      type: 'transfer', target: 'skola', say: 'transfer say',
      onNoAnswer: r('hangup', 'transfer no answer'), onBusy: r('hangup', 'transfer busy'), onFailed: r('hangup', 'transfer failed'), onNotice: r('hangup', 'transfer notice'),
    },
    backup: {
      type: 'backup', say: 'backup say', noBackup: r('hangup', 'backup none'),
      onNoAnswer: r('hangup', 'backup no answer'), onBusy: r('hangup', 'backup busy'), onFailed: r('hangup', 'backup failed'),
    },
    directory: {
      type: 'directory', prompt: 'directory prompt', invalidPrompt: 'directory invalid', connectingPrompt: 'directory connecting', digits: 4,
      onExhausted: r('hangup', 'directory exhausted'), onNoAnswer: r('hangup', 'directory no answer'), onBusy: r('hangup', 'directory busy'),
      onFailed: r('hangup', 'directory failed'), onNotice: r('hangup', 'directory notice'),
    },
    queue: {
      type: 'queue', queue: 'vaxeln', say: 'queue say', keysPrompt: 'queue keys', keys: { '1': 'hangup' },
      onMaxWait: r('hangup', 'queue max wait'), onFull: r('hangup', 'queue full'),
    },
    survey: { type: 'survey' },
    callback: { type: 'callback', say: 'callback say', next: 'hangup', onExhausted: r('hangup', 'callback exhausted') },
    operator: { type: 'transfer', target: 'operator', onNoAnswer: 'hangup' },
  };
  f.start = 'message';
};

describe('nodePrompts', () => {
  const flow = flowOf(everyPrompt);
  const of = (id: string) => nodePrompts(id, flow.nodes[id]);

  test.each([
    ['message', [['message say', 'nodes.message.say']]],
    ['menu', [
      ['menu prompt', 'nodes.menu.prompt'],
      ['menu invalid', 'nodes.menu.invalidPrompt'],
      ['menu no input', 'nodes.menu.noInputPrompt'],
      ['menu exhausted', 'nodes.menu.onExhausted.say'],
    ]],
    ['hangup', [['hangup say', 'nodes.hangup.say']]],
    ['hours', [['hours closed', 'nodes.hours.closed.say']]],
    ['language', [['language prompt', 'nodes.language.prompt']]],
    ['transfer', [
      ['transfer say', 'nodes.transfer.say'],
      ['transfer no answer', 'nodes.transfer.onNoAnswer.say'],
      ['transfer busy', 'nodes.transfer.onBusy.say'],
      ['transfer failed', 'nodes.transfer.onFailed.say'],
      ['transfer notice', 'nodes.transfer.onNotice.say'],
    ]],
    ['backup', [
      ['backup say', 'nodes.backup.say'],
      ['backup none', 'nodes.backup.noBackup.say'],
      ['backup no answer', 'nodes.backup.onNoAnswer.say'],
      ['backup busy', 'nodes.backup.onBusy.say'],
      ['backup failed', 'nodes.backup.onFailed.say'],
    ]],
    ['directory', [
      ['directory prompt', 'nodes.directory.prompt'],
      ['directory invalid', 'nodes.directory.invalidPrompt'],
      ['directory connecting', 'nodes.directory.connectingPrompt'],
      ['directory exhausted', 'nodes.directory.onExhausted.say'],
      ['directory no answer', 'nodes.directory.onNoAnswer.say'],
      ['directory busy', 'nodes.directory.onBusy.say'],
      ['directory failed', 'nodes.directory.onFailed.say'],
      ['directory notice', 'nodes.directory.onNotice.say'],
    ]],
    ['queue', [
      ['queue say', 'nodes.queue.say'],
      ['queue keys', 'nodes.queue.keysPrompt'],
      ['queue max wait', 'nodes.queue.onMaxWait.say'],
      ['queue full', 'nodes.queue.onFull.say'],
    ]],
    ['callback', [
      ['callback say', 'nodes.callback.say'],
      ['callback exhausted', 'nodes.callback.onExhausted.say'],
    ]],
    ['survey', []],
  ])('%s: every prompt it can say, at its path', (id, expected) => {
    expect(of(id).map((p) => [p.prompt, p.path])).toEqual(expected);
  });

  test('routes given as a bare node id and prompts left out give nothing', () => {
    const bare = flowOf();
    expect(nodePrompts('skola', bare.nodes.skola)).toEqual([]);
    expect(nodePrompts('bye', bare.nodes.bye)).toEqual([{ prompt: 'Hej då.', path: 'nodes.bye.say' }]);
    expect(nodePrompts('main', bare.nodes.main)).toEqual([{ prompt: 'För skola, tryck 1. För växeln, tryck 0.', path: 'nodes.main.prompt' }]);
    const closed = flowOf((f) => {
      f.nodes.hours = { type: 'hours', open: { mon: '08:00-16:00' }, next: 'main', closed: 'bye' };
    });
    expect(nodePrompts('hours', closed.nodes.hours)).toEqual([]);
  });
});

describe('allPrompts', () => {
  test('every node\'s prompts in file order, then the survey\'s', () => {
    const paths = allPrompts(flowOf(everyPrompt)).map((p) => p.path);
    expect(paths.slice(0, 3)).toEqual(['nodes.message.say', 'nodes.menu.prompt', 'nodes.menu.invalidPrompt']);
    expect(paths.slice(-2)).toEqual(['survey.prompts.intro', 'survey.prompts.thanks']);
    expect(allPrompts(flowOf(everyPrompt)).slice(-2)).toEqual([
      { prompt: 'survey intro', path: 'survey.prompts.intro' },
      { prompt: 'survey thanks', path: 'survey.prompts.thanks' },
    ]);
    expect(paths).toHaveLength(1 + 4 + 1 + 1 + 1 + 5 + 5 + 8 + 4 + 2 + 2);
  });

  test('a flow without survey prompts: the nodes\' alone', () => {
    expect(allPrompts(flowOf()).map((p) => p.path)).toEqual(['nodes.main.prompt', 'nodes.bye.say']);
  });
});

describe('announcedKeys', () => {
  test.each([
    ['Tryck 1.', [{ key: '1', phrase: 'Tryck 1' }]],
    ['För växeln, tryck på 0.', [{ key: '0', phrase: 'tryck på 0' }]],
    ['For English, press 9.', [{ key: '9', phrase: 'press 9' }]],
    ['PRESS 9', [{ key: '9', phrase: 'PRESS 9' }]],
    ['Dial 5 for the extension.', [{ key: '5', phrase: 'Dial 5' }]],
    ['tryck  2', [{ key: '2', phrase: 'tryck  2' }]],
    ['tryck *', [{ key: '*', phrase: 'tryck *' }]],
    ['tryck #', [{ key: '#', phrase: 'tryck #' }]],
    ['Tryck stjärna för att avbryta.', [{ key: '*', phrase: 'Tryck stjärna' }]],
    ['tryck på stjärnan', [{ key: '*', phrase: 'tryck på stjärnan' }]],
    ['tryck fyrkant', [{ key: '#', phrase: 'tryck fyrkant' }]],
    ['tryck fyrkanten', [{ key: '#', phrase: 'tryck fyrkanten' }]],
    ['press star', [{ key: '*', phrase: 'press star' }]],
    ['press Hash', [{ key: '#', phrase: 'press Hash' }]],
    ['press pound', [{ key: '#', phrase: 'press pound' }]],
    ['Tryck 1a', [{ key: '1', phrase: 'Tryck 1' }]],
  ])('%j announces exactly these keys', (text, expected) => {
    expect(announcedKeys(text)).toEqual(expected);
  });

  test.each([
    ['a number of several digits', 'Slå anknytningen och tryck 4711.'],
    ['a verb inside another word', 'Eftertryck 1 och impress 2.'],
    ['a verb followed by more letters', 'trycker 1, pressa 2'],
    ['no verb at all', 'Välkommen. Anknytning 1 eller 2.'],
    ['a verb with no key', 'tryck sedan'],
    ['the empty text', ''],
  ])('%s: nothing announced', (_name, text) => {
    expect(announcedKeys(text)).toEqual([]);
  });

  test('every announcement in order, each key once (its first phrase), only the key right after the verb', () => {
    expect(announcedKeys('För skola, tryck 1 eller 2. För omsorg, tryck 3. Tryck 1 igen, press 1, tryck stjärna, press star, tryck #.')).toEqual([
      { key: '1', phrase: 'tryck 1' },
      { key: '3', phrase: 'tryck 3' },
      { key: '*', phrase: 'tryck stjärna' },
      { key: '#', phrase: 'tryck #' },
    ]);
  });
});

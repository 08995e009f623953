/**
 * The key rules (src/flow/lint/rules/keys.ts): a key a prompt announces that leads nowhere
 * (digit-not-routed) in menus, language menus and person searches, which keys count as leading
 * somewhere (routes, options, the operator key where it applies); a routed key the prompt never
 * mentions (key-not-announced); a person search with an empty directory (directory-empty).
 */
import { keyRules } from '../../../src/flow/lint/rules/keys';
import { FILE, analysisOf, row, type Raw } from './flows';

const keys = (change: (f: Raw) => void) => keyRules(analysisOf(change)).map(row);

const twoLanguages = (f: Raw) => {
  f.languages = { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' } };
};

describe('digit-not-routed in a menu', () => {
  test('a key the prompt announces without a route, at the prompt, quoting the words', () => {
    const results = keyRules(analysisOf((f) => (f.nodes.main.prompt = 'För skola, tryck 1. För bygglov, tryck 3. För växeln, tryck 0.')));
    expect(results.map(row)).toEqual([
      ['error', 'digit-not-routed', 'nodes.main.prompt', 'the prompt says "tryck 3" but key 3 leads nowhere at "main"'],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('the invalid and no-input prompts are read too, each language at its own path', () => {
    expect(keys((f) => {
      twoLanguages(f);
      f.nodes.main.invalidPrompt = { 'sv-SE': 'Fel val. Tryck 1.', 'en-GB': 'Wrong key. Press 4.' };
      f.nodes.main.noInputPrompt = 'Tryck på 5.';
    })).toEqual([
      ['error', 'digit-not-routed', 'nodes.main.invalidPrompt.en-GB', 'the prompt says "Press 4" but key 4 leads nowhere at "main"'],
      ['error', 'digit-not-routed', 'nodes.main.noInputPrompt', 'the prompt says "Tryck på 5" but key 5 leads nowhere at "main"'],
    ]);
  });

  test('the operator key leads somewhere in a menu with operatorKey, and nowhere with operatorKey: false', () => {
    expect(keys(() => {})).toEqual([]);
    expect(keys((f) => (f.nodes.main.operatorKey = false))).toEqual([
      ['error', 'digit-not-routed', 'nodes.main.prompt', 'the prompt says "tryck 0" but key 0 leads nowhere at "main"'],
    ]);
  });

  test('a flow without an operator has no operator key', () => {
    expect(keys((f) => delete f.operator)).toEqual([
      ['error', 'digit-not-routed', 'nodes.main.prompt', 'the prompt says "tryck 0" but key 0 leads nowhere at "main"'],
    ]);
  });

  test('a key routed in the menu is fine even when the flow has no operator', () => {
    expect(keys((f) => {
      delete f.operator;
      f.nodes.main.routes['0'] = 'operator';
    })).toEqual([]);
  });
});

describe('digit-not-routed in a language menu and a person search', () => {
  const lang = (prompt: string) => (f: Raw) => {
    twoLanguages(f);
    f.start = 'lang';
    f.nodes.lang = { type: 'language', prompt, options: { '9': 'en-GB' }, next: 'main' };
  };

  test('a language menu: only its options lead somewhere (the operator key is no option there)', () => {
    expect(keys(lang('For English, press 9.'))).toEqual([]);
    expect(keys(lang('For English, press 7. För växeln, tryck 0.'))).toEqual([
      ['error', 'digit-not-routed', 'nodes.lang.prompt', 'the prompt says "press 7" but key 7 leads nowhere at "lang"'],
      ['error', 'digit-not-routed', 'nodes.lang.prompt', 'the prompt says "tryck 0" but key 0 leads nowhere at "lang"'],
      ['warning', 'key-not-announced', 'nodes.lang.options.9', 'key 9 at "lang" chooses en-GB but the prompt never tells the caller'],
    ]);
  });

  const search = (change: (n: Raw) => void) => (f: Raw) => {
    f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711' } };
    f.nodes.person = { type: 'directory', prompt: 'Slå anknytningen. För växeln, tryck 0.', digits: 4, onNoAnswer: 'operator' };
    change(f.nodes.person);
  };

  test('a person search: the operator key leads somewhere, any other announced key nowhere, in the prompt and the invalid prompt', () => {
    expect(keys(search(() => {}))).toEqual([]);
    expect(keys(search((n) => {
      n.prompt = 'Slå anknytningen, eller tryck 1.';
      n.invalidPrompt = 'Fel. Tryck stjärna.';
      n.connectingPrompt = 'Tryck 2.';
    }))).toEqual([
      ['error', 'digit-not-routed', 'nodes.person.prompt', 'the prompt says "tryck 1" but key 1 leads nowhere at "person"'],
      ['error', 'digit-not-routed', 'nodes.person.invalidPrompt', 'the prompt says "Tryck stjärna" but key * leads nowhere at "person"'],
    ]);
  });

  test('a person search in a flow without an operator: the 0 leads nowhere', () => {
    expect(keys((f) => {
      search(() => {})(f);
      delete f.operator;
      f.nodes.main.prompt = 'För skola, tryck 1.';
    })).toEqual([
      ['error', 'digit-not-routed', 'nodes.person.prompt', 'the prompt says "tryck 0" but key 0 leads nowhere at "person"'],
    ]);
  });
});

describe('key-not-announced', () => {
  test('a routed key the prompt never names, at its route', () => {
    const results = keyRules(analysisOf((f) => (f.nodes.main.routes['2'] = 'bye')));
    expect(results.map(row)).toEqual([
      ['warning', 'key-not-announced', 'nodes.main.routes.2', 'key 2 at "main" leads to "bye" but the prompt never tells the caller'],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('a prompt that names no key at all is not checked (it may be read out in another way)', () => {
    expect(keys((f) => {
      f.nodes.main.prompt = 'Välj vart du vill.';
      f.nodes.main.routes['2'] = 'bye';
    })).toEqual([]);
  });

  test('a key named in any language of the prompt is announced', () => {
    expect(keys((f) => {
      twoLanguages(f);
      f.nodes.main.prompt = { 'sv-SE': 'För skola, tryck 1.', 'en-GB': 'For goodbye, press 2.' };
      f.nodes.main.routes['2'] = 'bye';
    })).toEqual([]);
  });

  test('a key leading to a backup node is announced by the engine itself', () => {
    expect(keys((f) => {
      f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711', backup: 'skola' } };
      f.nodes.colleague = { type: 'backup', onNoAnswer: 'operator' };
      f.nodes.main.routes['4'] = 'colleague';
    })).toEqual([]);
  });

  test('a language option the prompt never names', () => {
    expect(keys((f) => {
      twoLanguages(f);
      f.start = 'lang';
      f.nodes.lang = { type: 'language', prompt: 'For English, press 9.', options: { '9': 'en-GB', '8': 'sv-SE' }, next: 'main' };
    })).toEqual([
      ['warning', 'key-not-announced', 'nodes.lang.options.8', 'key 8 at "lang" chooses sv-SE but the prompt never tells the caller'],
    ]);
  });
});

describe('directory-empty', () => {
  const search = (f: Raw) => {
    f.nodes.main.routes['5'] = 'person';
    f.nodes.main.prompt = 'För skola, tryck 1. För en person, tryck 5. För växeln, tryck 0.';
    f.nodes.person = { type: 'directory', prompt: 'Slå anknytningen.', digits: 3, onNoAnswer: 'operator' };
  };

  test('a person search with nobody in the directory refuses every extension', () => {
    const results = keyRules(analysisOf(search));
    expect(results.map(row)).toEqual([
      ['error', 'directory-empty', 'nodes.person', 'person search "person" collects 3 digits but the directory is empty: every extension a caller keys is refused'],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('one person in the directory is enough', () => {
    expect(keys((f) => {
      search(f);
      f.directory = { '471': { name: 'Anna Lind', number: '+46101304711' } };
    })).toEqual([]);
  });
});

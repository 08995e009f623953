/**
 * The notice rule (src/flow/lint/rules/notices.ts): a person search, or a transfer to a person, whose
 * callers who meet an absence notice are sent (along onNotice, else onNoAnswer) to a hang-up
 * (notice-hangs-up); and the cases one condition away where it says nothing.
 */
import { noticeRules } from '../../../src/flow/lint/rules/notices';
import { FILE, analysisOf, row, type Raw } from './flows';

const notices = (change: (f: Raw) => void) => noticeRules(analysisOf(change)).map(row);

/** main's 2 puts the caller through to Anna Lind, a target of kind person. */
const anna = (route: Raw) => (f: Raw) => {
  f.targets.anna = { label: 'Anna Lind', number: '+46101304711', kind: 'person' };
  f.nodes.main.routes['2'] = 'anna';
  f.nodes.main.prompt = 'Tryck 1 eller 2. För växeln, tryck 0.';
  f.nodes.anna = { type: 'transfer', target: 'anna', ...route };
};

/** main's 5 is a person search. */
const search = (route: Raw) => (f: Raw) => {
  f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711' } };
  f.nodes.main.routes['5'] = 'person';
  f.nodes.main.prompt = 'Tryck 1 eller 5. För växeln, tryck 0.';
  f.nodes.person = { type: 'directory', prompt: 'Slå anknytningen.', digits: 4, ...route };
};

describe('notice-hangs-up', () => {
  test('a transfer to a person whose onNoAnswer (taken after a notice too) hangs up', () => {
    const results = noticeRules(analysisOf(anna({ onNoAnswer: 'bye' })));
    expect(results.map(row)).toEqual([
      ['warning', 'notice-hangs-up', 'nodes.anna.onNoAnswer', 'a caller who meets an absence notice at "anna" is sent to "bye", which hangs up: offer the operator or another extension after the notice'],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('a person search whose onNotice hangs up, with words on the way; a silent hang-up counts too', () => {
    expect(notices(search({ onNoAnswer: 'operator', onNotice: { next: 'bye', say: 'Hen är inte här.' } }))).toEqual([
      ['warning', 'notice-hangs-up', 'nodes.person.onNotice', 'a caller who meets an absence notice at "person" is sent to "bye", which hangs up: offer the operator or another extension after the notice'],
    ]);
    expect(notices((f) => {
      search({ onNoAnswer: 'silent' })(f);
      f.nodes.silent = { type: 'hangup' };
    })).toEqual([
      ['warning', 'notice-hangs-up', 'nodes.person.onNoAnswer', 'a caller who meets an absence notice at "person" is sent to "silent", which hangs up: offer the operator or another extension after the notice'],
    ]);
  });

  test('both seekers in file order', () => {
    expect(notices((f) => {
      search({ onNoAnswer: 'bye' })(f);
      anna({ onNoAnswer: 'bye' })(f);
    }).map((r) => r[2])).toEqual(['nodes.person.onNoAnswer', 'nodes.anna.onNoAnswer']);
  });

  test('onNotice, where there is one, decides: to the operator it is fine though onNoAnswer hangs up', () => {
    expect(notices(anna({ onNoAnswer: 'bye', onNotice: 'operator' }))).toEqual([]);
    expect(notices(search({ onNoAnswer: 'bye', onNotice: { next: 'main', say: 'Hen är inte här.' } }))).toEqual([]);
  });

  test('no finding when the route leads anywhere but a hang-up', () => {
    expect(notices(anna({ onNoAnswer: 'main' }))).toEqual([]);
    expect(notices(search({ onNoAnswer: 'operator' }))).toEqual([]);
  });

  test('no finding for a transfer to a department or the operator, which has no notice', () => {
    expect(notices((f) => (f.nodes.skola.onNoAnswer = 'bye'))).toEqual([]);
  });

  test('no finding for a seeker no caller reaches', () => {
    expect(notices((f) => {
      anna({ onNoAnswer: 'bye' })(f);
      delete f.nodes.main.routes['2'];
    })).toEqual([]);
  });
});

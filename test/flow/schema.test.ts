/**
 * The flow file format's own checks (src/flow/schema.ts), before any reference is followed: what a
 * minimal file is filled in with, and the patterns a value must match whole (not just start or end
 * with), each refused at its path with the message an admin reads at start-up.
 */
import { FlowError } from '../../src/errors';
import { parseFlow } from '../../src/flow/loader';
import { FlowFile } from '../../src/flow/schema';
import { base, type Raw } from './lint/flows';

/** base() changed by `change`, parsed by the schema alone. */
const parse = (change: (f: Raw) => void = () => {}) => {
  const raw = base();
  change(raw);
  return FlowFile.safeParse(raw);
};

/** The issues of a refused file as [path, message], as the loader reports them at start-up. */
const issues = (change: (f: Raw) => void): [string, string][] => {
  const raw = base();
  change(raw);
  try {
    parseFlow(JSON.stringify(raw), 'schema-case.json');
  } catch (err) {
    if (!(err instanceof FlowError)) throw err;
    return err.issues.map((i) => [i.path, i.message]);
  }
  return [];
};

const accepted = (change: (f: Raw) => void) => parse(change).success;

describe('defaults of a minimal flow file', () => {
  test('languages, numbers, directory, queues and the survey are filled in', () => {
    const r = parse();
    expect(r.success).toBe(true);
    const flow = r.data!;
    expect({ languages: flow.languages, numbers: flow.numbers, default: flow.default, directory: flow.directory, queues: flow.queues, survey: flow.survey }).toEqual({
      languages: { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid' } },
      numbers: [],
      default: false,
      directory: {},
      queues: {},
      survey: { offer: 'always', questions: ['bemotande', 'enkelhet'], timeoutSeconds: 8, consent: 'opt-out', comment: { enabled: false, timeoutSeconds: 5, maxSeconds: 30 } },
    });
  });

  test('a languages block without its default and voices gets Swedish with Astrid', () => {
    expect(parse((f) => (f.languages = {})).data!.languages).toEqual({ default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid' } });
  });

  test('a survey block that says only how to offer gets the SKR questions and no spoken comment', () => {
    expect(parse((f) => (f.survey = { offer: 'never', comment: {} })).data!.survey).toEqual({
      offer: 'never',
      questions: ['bemotande', 'enkelhet'],
      timeoutSeconds: 8,
      consent: 'opt-out',
      comment: { enabled: false, timeoutSeconds: 5, maxSeconds: 30 },
    });
  });

  test('survey prompts may override each of the survey\'s sentences', () => {
    const keys = ['intro', 'consent', 'surveyInvalid', 'thanks', 'bemotande', 'enkelhet', 'answered', 'comment', 'commentThanks'];
    const prompts = Object.fromEntries(keys.map((k) => [k, `Text ${k}.`]));
    expect(parse((f) => (f.survey = { prompts })).data!.survey.prompts).toEqual(prompts);
  });

  test('a person\'s sign-in address is kept in lower case', () => {
    const r = parse((f) => (f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711', email: 'Anna.Lind@Kommun.SE' } }));
    expect(r.data!.directory['4711'].email).toBe('anna.lind@kommun.se');
  });
});

describe('values that must match whole', () => {
  test('a language tag', () => {
    const msg = 'must be a language tag like sv-SE';
    expect(issues((f) => (f.languages = { default: 'xsv-SE' }))).toEqual([['languages.default', msg]]);
    expect(issues((f) => (f.languages = { default: 'sv-SEx' }))).toEqual([['languages.default', msg]]);
  });

  test('a node id starts with a letter and holds only letters, digits, _ or -', () => {
    const msg = 'must start with a letter and hold only letters, digits, _ or -';
    expect(issues((f) => (f.id = '1lint'))).toEqual([['id', msg]]);
    expect(issues((f) => (f.id = 'lint!'))).toEqual([['id', msg]]);
    expect(accepted((f) => (f.id = 'vaxel_2-b'))).toBe(true);
  });

  test('a phone number: E.164, a SIP address or a Twilio client', () => {
    const msg = 'must be E.164 (+46...), sip: or client:';
    expect(issues((f) => (f.targets.skola.number = 'x+46101300210'))).toEqual([['targets.skola.number', msg]]);
    expect(issues((f) => (f.targets.skola.number = '+46101300210x'))).toEqual([['targets.skola.number', msg]]);
    expect(issues((f) => (f.targets.skola.number = 'sip:'))).toEqual([['targets.skola.number', msg]]);
    expect(accepted((f) => (f.targets.skola.number = 'sip:reception@pbx.kommun.se'))).toBe(true);
    expect(accepted((f) => (f.targets.skola.number = 'client:vaxel_1'))).toBe(true);
    expect(issues((f) => (f.targets.skola.number = 'client:vaxel 1'))).toEqual([['targets.skola.number', msg]]);
  });

  test('a menu needs a route', () => {
    expect(issues((f) => (f.nodes.main.routes = {}))).toEqual([['nodes.main.routes', 'a menu needs at least one route']]);
  });

  test('extensions of the directory are digits, one to eight', () => {
    const person = { name: 'Anna Lind', number: '+46101304711' };
    expect(issues((f) => (f.directory = { x4711: person }))).toEqual([['directory.x4711', 'invalid key: extensions are digits']]);
    expect(issues((f) => (f.directory = { '4711x': person }))).toEqual([['directory.4711x', 'invalid key: extensions are digits']]);
    expect(accepted((f) => (f.directory = { '7': person, '12345678': person }))).toBe(true);
  });

  test('a backup is an extension or a target id', () => {
    const msg = 'must be an extension of the directory or a target id';
    const withBackup = (backup: string) => (f: Raw) => (f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711', backup } });
    expect(issues(withBackup('!4712'))).toEqual([['directory.4711.backup', msg]]);
    expect(issues(withBackup('4712!'))).toEqual([['directory.4711.backup', msg]]);
    expect(accepted(withBackup('4712'))).toBe(true);
    expect(accepted(withBackup('skola'))).toBe(true);
  });

  test('hold music and calendar feeds are http(s) addresses', () => {
    const queue = (holdMusic: string) => (f: Raw) => {
      f.queues = { vaxeln: { label: 'Växeln', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };
      f.nodes.wait = { type: 'queue', queue: 'vaxeln', holdMusic, onMaxWait: 'bye', onFull: 'bye' };
    };
    const music = 'must be an http(s) URL Twilio can fetch';
    expect(issues(queue('ftp://media.kommun.se/vanta.mp3'))).toEqual([['nodes.wait.holdMusic', music]]);
    expect(issues(queue('xhttps://media.kommun.se/vanta.mp3'))).toEqual([['nodes.wait.holdMusic', music]]);
    expect(issues(queue('httpsx://media.kommun.se/vanta.mp3'))).toEqual([['nodes.wait.holdMusic', music]]);
    expect(accepted(queue('http://media.kommun.se/vanta.mp3'))).toBe(true);
    expect(accepted(queue('https://media.kommun.se/vanta.mp3'))).toBe(true);

    const person = (calendar: string) => (f: Raw) => (f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711', calendar } });
    const feed = 'must be an http(s) URL of an iCalendar (.ics) feed';
    expect(issues(person('webcal://cal.kommun.se/anna.ics'))).toEqual([['directory.4711.calendar', feed]]);
    expect(issues(person('xhttps://cal.kommun.se/anna.ics'))).toEqual([['directory.4711.calendar', feed]]);
    expect(issues(person('httpsx://cal.kommun.se/anna.ics'))).toEqual([['directory.4711.calendar', feed]]);
    expect(accepted(person('http://cal.kommun.se/anna.ics'))).toBe(true);
  });

  test('special dates are YYYY-MM-DD, at an hours node and in the callback\'s hours', () => {
    const msg = 'invalid key: dates are YYYY-MM-DD';
    const atNode = (date: string) => (f: Raw) => {
      f.start = 'open';
      f.nodes.open = { type: 'hours', open: { 'mon-fri': '08:00-16:00' }, special: { [date]: '10:00-12:00' }, next: 'main', closed: 'bye' };
    };
    expect(issues(atNode('x2026-12-23'))).toEqual([['nodes.open.special.x2026-12-23', msg]]);
    expect(issues(atNode('2026-12-23x'))).toEqual([['nodes.open.special.2026-12-23x', msg]]);
    expect(accepted(atNode('2026-12-23'))).toBe(true);

    const inCallback = (date: string) => (f: Raw) => (f.callback = { hours: { open: { 'mon-fri': '08:00-16:00' }, special: { [date]: '10:00-12:00' } } });
    for (const bad of ['x2026-12-23', '2026-12-23x', '2026-1-23', '2026-12-3', '26-12-23', 'abcd-12-23', '2026-ab-23', '2026-12-ab']) {
      expect(issues(inCallback(bad))).toEqual([[`callback.hours.special.${bad}`, msg]]);
    }
    expect(accepted(inCallback('2026-12-23'))).toBe(true);
  });

  test('a callback promised by a time of day: 00:00 to 23:59', () => {
    const msg = 'a time of day like 12:00';
    const by = (time: string) => (f: Raw) => (f.callback = { promise: { byNextWorkingDay: time } });
    expect(issues(by('24:00'))).toEqual([['callback.promise.byNextWorkingDay', msg]]);
    expect(issues(by('12:00x'))).toEqual([['callback.promise.byNextWorkingDay', msg]]);
    expect(accepted(by('23:59'))).toBe(true);
    expect(accepted(by('20:30'))).toBe(true);
  });

  test('a time zone is an IANA name', () => {
    const zone = (timeZone: string) => (f: Raw) => (f.callback = { hours: { timeZone, open: { 'mon-fri': '08:00-16:00' } } });
    expect(issues(zone('Mars/Olympus'))).toEqual([['callback.hours.timeZone', 'unknown time zone "Mars/Olympus": use an IANA name like Europe/Stockholm']]);
    expect(accepted(zone('Europe/Stockholm'))).toBe(true);
  });
});

describe('a value that may take two shapes and fits neither: the reason, not "Invalid input"', () => {
  test('a route written as an object with a bad node id names the key and the rule', () => {
    expect(issues((f) => (f.nodes.skola.onNoAnswer = { next: '1operator', say: 'Ingen svarar.' }))).toEqual([
      ['nodes.skola.onNoAnswer.next', 'must start with a letter and hold only letters, digits, _ or -'],
    ]);
  });

  test('the callback\'s hours written out, with a bad date, name the date', () => {
    expect(issues((f) => (f.callback = { hours: { open: { 'mon-fri': '08:00-16:00' }, special: { '2026-12-3': 'closed' } } }))).toEqual([
      ['callback.hours.special.2026-12-3', 'invalid key: dates are YYYY-MM-DD'],
    ]);
  });

  test('a value of neither shape at all keeps zod\'s own words at its path', () => {
    expect(issues((f) => (f.nodes.skola.onNoAnswer = 42))).toEqual([['nodes.skola.onNoAnswer', 'Invalid input']]);
  });
});

import { openingHoursFrom } from '../../src/flow/nodes/hours';
import { callbackDeadline, instantOf, promiseSentence } from '../../src/reception/callback-promise';
import { callableCallerNumber, maskedNumber, numberSentence, parseKeyedNumber, spokenLastDigits } from '../../src/reception/callback-number';
import { CallbackSealError, openNumber, parseCallbackKeys, sealNumber } from '../../src/reception/callback-seal';
import { callbackFigures, nearestRank } from '../../src/metrics/callbacks';

const TZ = 'Europe/Stockholm';
const hours = openingHoursFrom({ open: { 'mon-thu': '08:00-16:30', fri: '08:00-15:00' }, holidays: 'sweden', dayBeforeHoliday: '08:00-13:00', special: {} }, TZ);
/** A Stockholm wall-clock time as an instant. */
const at = (date: string, hhmm: string) => instantOf(TZ, date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('the promise deadline, in the opening hours and the municipality time zone', () => {
  test('within four working hours on a Monday morning: the same day', () => {
    expect(iso(callbackDeadline({ within: { hours: 4 } }, hours, at('2026-03-02', '09:00')))).toBe(iso(at('2026-03-02', '13:00')));
  });

  test('rounded up to the whole hour the caller hears', () => {
    expect(iso(callbackDeadline({ within: { hours: 4 } }, hours, at('2026-03-02', '09:20')))).toBe(iso(at('2026-03-02', '14:00')));
  });

  test('a Friday afternoon: the rest of Friday, then Monday', () => {
    // Friday 6 March 14:00: one hour left until 15:00, three more on Monday from 08:00.
    expect(iso(callbackDeadline({ within: { hours: 4 } }, hours, at('2026-03-06', '14:00')))).toBe(iso(at('2026-03-09', '11:00')));
    expect(iso(callbackDeadline({ byNextWorkingDay: '12:00' }, hours, at('2026-03-06', '14:00')))).toBe(iso(at('2026-03-09', '12:00')));
  });

  test('a holiday is skipped (annandag påsk 2026-04-06), and a day before one has its own hours', () => {
    // Thursday 2 April (skärtorsdagen, before långfredagen) 12:00: open until 13:00, then Tuesday 7 April.
    expect(iso(callbackDeadline({ within: { hours: 4 } }, hours, at('2026-04-02', '12:00')))).toBe(iso(at('2026-04-07', '11:00')));
    expect(iso(callbackDeadline({ byNextWorkingDay: '12:00' }, hours, at('2026-04-02', '12:00')))).toBe(iso(at('2026-04-07', '12:00')));
  });

  test('across the change to summer time (29 March 2026) the deadline keeps the wall clock', () => {
    const deadline = callbackDeadline({ byNextWorkingDay: '12:00' }, hours, at('2026-03-27', '10:00'))!;
    expect(new Date(deadline).toISOString()).toBe('2026-03-30T10:00:00.000Z');
    const before = callbackDeadline({ byNextWorkingDay: '12:00' }, hours, at('2026-03-20', '10:00'))!;
    expect(new Date(before).toISOString()).toBe('2026-03-23T11:00:00.000Z');
  });

  test('on a Saturday the hours count from Monday morning', () => {
    expect(iso(callbackDeadline({ within: { hours: 2 } }, hours, at('2026-03-07', '11:00')))).toBe(iso(at('2026-03-09', '10:00')));
  });

  test('hours that never open give no deadline', () => {
    const closed = openingHoursFrom({ open: {}, holidays: 'none', special: {} }, TZ);
    expect(callbackDeadline({ within: { hours: 4 } }, closed, at('2026-03-02', '09:00'))).toBeNull();
  });
});

describe('the promise in words', () => {
  const now = at('2026-03-05', '10:00'); // Thursday
  test.each([
    [at('2026-03-05', '15:00'), 'Vi ringer upp dig senast i dag före klockan 15.', 'We will call you back before 3 pm today.'],
    [at('2026-03-06', '12:00'), 'Vi ringer upp dig senast i morgon före klockan 12.', 'We will call you back before 12 noon tomorrow.'],
    [at('2026-03-09', '12:00'), 'Vi ringer upp dig senast måndag före klockan 12.', 'We will call you back before 12 noon on Monday.'],
    [at('2026-03-16', '09:30'), 'Vi ringer upp dig senast måndag den 16 mars före klockan 9.30.', 'We will call you back before 9:30 am on Monday 16 March.'],
  ])('%s', (deadline, sv, en) => {
    expect(promiseSentence(deadline, 'sv-SE', TZ, now)).toBe(sv);
    expect(promiseSentence(deadline, 'en-GB', TZ, now)).toBe(en);
  });
  test('no promise: as soon as we can', () => {
    expect(promiseSentence(null, 'sv-SE', TZ, now)).toBe('Vi ringer upp dig så snart vi kan.');
    expect(promiseSentence(null, 'en-GB', TZ, now)).toBe('We will call you back as soon as we can.');
  });
});

describe('the number', () => {
  test('read back by its last four digits, as people say them', () => {
    expect(numberSentence('+46701234567', 'sv-SE')).toBe('Vi ringer dig på numret som slutar på 45 67.');
    expect(numberSentence('+46701234567', 'en-GB')).toBe('We will call you on the number ending in 4 5 6 7.');
    expect(spokenLastDigits('+46701230507', 'sv-SE')).toBe('noll 5 noll 7');
    expect(spokenLastDigits('+46701231005', 'sv-SE')).toBe('10 noll 5');
  });

  test('a withheld caller id, in words or keypad spellings, is no number to call', () => {
    for (const from of ['anonymous', 'Restricted', 'Unavailable', 'BLOCKED', '', '+266696687', '+7378742833', '+2562533', '+8656696', '+86282452253', 'sip:a@b.se', 'client:x'])
      expect(callableCallerNumber(from)).toBeNull();
    expect(callableCallerNumber('+46701234567')).toBe('+46701234567');
    expect(callableCallerNumber(undefined)).toBeNull();
  });

  test('keyed-in Swedish numbers are validated and made E.164', () => {
    expect(parseKeyedNumber('0701234567')).toBe('+46701234567');
    expect(parseKeyedNumber('0812345')).toBeNull();
    expect(parseKeyedNumber('08123456')).toBe('+468123456');
    expect(parseKeyedNumber('0046701234567#')).toBe('+46701234567');
    expect(parseKeyedNumber('0900123456')).toBeNull();
    expect(parseKeyedNumber('701234567')).toBeNull();
    expect(parseKeyedNumber('07012345678901')).toBeNull();
    expect(parseKeyedNumber('')).toBeNull();
  });

  test('masked for the inbox', () => {
    expect(maskedNumber('+46701234567')).toBe('070-… 45 67');
    expect(maskedNumber('+468123456')).toBe('08-… 34 56');
    expect(maskedNumber('+447911123456')).toBe('+44 … 34 56');
  });
});

describe('sealing the number (AES-256-GCM)', () => {
  const k1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
  const k2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;

  test('round trip, and the clear number is not in the sealed text', () => {
    const keys = parseCallbackKeys(k1);
    const sealed = sealNumber('+46701234567', keys);
    expect(sealed.startsWith('k1.')).toBe(true);
    expect(sealed).not.toContain('701234567');
    expect(openNumber(sealed, keys)).toBe('+46701234567');
    expect(sealNumber('+46701234567', keys)).not.toBe(sealed);
  });

  test('rotation: the new key seals, the old one still opens', () => {
    const old = sealNumber('+46701234567', parseCallbackKeys(k1));
    const rotated = parseCallbackKeys(`${k2},${k1}`);
    expect(openNumber(old, rotated)).toBe('+46701234567');
    const fresh = sealNumber('+46709876543', rotated);
    expect(fresh.startsWith('k2.')).toBe(true);
    expect(openNumber(fresh, rotated)).toBe('+46709876543');
    expect(() => openNumber(fresh, parseCallbackKeys(k1))).toThrow(CallbackSealError);
  });

  test('a changed byte, or a key id swapped, is refused', () => {
    const keys = parseCallbackKeys(`${k1},${k2}`);
    const sealed = sealNumber('+46701234567', keys);
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => openNumber(`k1.${raw.toString('base64url')}`, keys)).toThrow(CallbackSealError);
    expect(() => openNumber(`k2.${sealed.slice(3)}`, keys)).toThrow(CallbackSealError);
    expect(() => openNumber('nonsense', keys)).toThrow(CallbackSealError);
  });

  test('CALLBACK_KEYS must hold 32-byte keys with distinct ids', () => {
    expect(() => parseCallbackKeys('k1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseCallbackKeys(`${k1},${k1}`)).toThrow(/differ/);
  });
});

describe('callback figures', () => {
  test('share within the promise, time to callback, tries per request, expired', () => {
    const base = { requestedAt: '2026-03-02T08:00:00.000Z', deadline: '2026-03-02T12:00:00.000Z' };
    const f = callbackFigures(
      [
        { ...base, state: 'done', closedAt: '2026-03-02T09:00:00.000Z', tries: 0 },
        { ...base, state: 'done', closedAt: '2026-03-02T13:00:00.000Z', tries: 2 },
        { ...base, state: 'expired', closedAt: '2026-03-09T12:00:00.000Z', tries: 1 },
        { ...base, state: 'open', closedAt: null, tries: 0 },
      ],
      Date.parse('2026-03-02T12:30:00.000Z'),
    );
    expect(f).toMatchObject({ requests: 4, done: 2, doneWithinPromise: 1, shareDoneWithinPromise: 0.5, expired: 1, open: 1, overdue: 1 });
    expect(f.timeToCallback).toEqual({ medianMs: 3_600_000, p90Ms: 5 * 3_600_000 });
    expect(f.triesPerRequest).toBeCloseTo((1 + 3 + 1) / 3);
  });

  test('done exactly at the deadline keeps the promise; open exactly at it is overdue; times are sorted before the percentiles', () => {
    const base = { requestedAt: '2026-03-02T08:00:00.000Z', deadline: '2026-03-02T12:00:00.000Z' };
    const f = callbackFigures(
      [
        // Listed out of time order: 5 h (late), 1 h, 4 h (at the deadline to the millisecond).
        { ...base, state: 'done', closedAt: '2026-03-02T13:00:00.000Z', tries: 0 },
        { ...base, state: 'done', closedAt: '2026-03-02T09:00:00.000Z', tries: 2 },
        { ...base, state: 'done', closedAt: '2026-03-02T12:00:00.000Z', tries: 0 },
        { ...base, state: 'open', closedAt: null, tries: 0 },
        { ...base, deadline: '2026-03-02T12:30:00.000Z', state: 'open', closedAt: null, tries: 1 },
        { ...base, deadline: '2026-03-02T13:00:00.000Z', state: 'open', closedAt: null, tries: 0 },
      ],
      Date.parse('2026-03-02T12:30:00.000Z'),
    );
    expect(f).toMatchObject({ done: 3, doneWithinPromise: 2, shareDoneWithinPromise: 2 / 3, open: 3, overdue: 2 });
    // Sorted 1 h, 4 h, 5 h: the median is the second, the 90th percentile the third.
    expect(f.timeToCallback).toEqual({ medianMs: 4 * 3_600_000, p90Ms: 5 * 3_600_000 });
  });

  test('with nothing closed or promised the shares are not known (null), not 0', () => {
    const open = { requestedAt: '2026-03-02T08:00:00.000Z', deadline: null, state: 'open' as const, closedAt: null, tries: 2 };
    const asap = { ...open, state: 'done' as const, closedAt: '2026-03-02T08:30:00.000Z', tries: 0 };
    expect(callbackFigures([], 0)).toEqual({
      requests: 0, done: 0, doneWithinPromise: 0, shareDoneWithinPromise: null, timeToCallback: { medianMs: null, p90Ms: null }, triesPerRequest: null, expired: 0, open: 0, overdue: 0,
    });
    const f = callbackFigures([open, asap], Date.parse('2026-03-03T08:00:00.000Z'));
    // "As soon as we can" has no deadline: done, but neither kept nor broken, and never overdue.
    expect(f).toMatchObject({ requests: 2, done: 1, doneWithinPromise: 0, shareDoneWithinPromise: null, triesPerRequest: 1, open: 1, overdue: 0 });
    expect(f.timeToCallback).toEqual({ medianMs: 1_800_000, p90Ms: 1_800_000 });
    // Done without a closing time (an old record) counts as no callback made.
    expect(callbackFigures([{ ...asap, closedAt: null }], 0).done).toBe(0);
  });

  test('percentiles are the nearest rank', () => {
    expect(nearestRank([], 0.5)).toBeNull();
    expect(nearestRank([7], 0.9)).toBe(7);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(ten, 0.5)).toBe(5);
    expect(nearestRank(ten, 0.9)).toBe(9);
    expect(nearestRank(ten, 0.91)).toBe(10);
    expect(nearestRank(ten, 1)).toBe(10);
    expect(nearestRank(ten, 0)).toBe(1);
  });
});

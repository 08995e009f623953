import { noticeSentence, type SpokenNotice } from '../../src/reception/notice-sentence';
import { noticeApplies, personKey } from '../../src/reception/notice';

const TZ = 'Europe/Stockholm';
/** Thursday 3 December 2026, 09:00 in Stockholm (CET, UTC+1). */
const NOW = Date.parse('2026-12-03T08:00:00Z');
const anna = (reason: SpokenNotice['reason'], until: string | null, text?: string): SpokenNotice => ({ name: 'Anna Lind', reason, until, ...(text ? { text } : {}) });
const say = (n: SpokenNotice, lang: string, now = NOW) => noticeSentence(n, lang, TZ, now);

describe('the sentence a caller hears for a notice', () => {
  test.each([
    ['meeting until a whole hour', anna('meeting', '2026-12-03T13:00:00Z'), 'Anna Lind är på möte till klockan 14.', 'Anna Lind is in a meeting until 2 pm.'],
    ['meeting until half past', anna('meeting', '2026-12-03T13:30:00Z'), 'Anna Lind är på möte till klockan 14.30.', 'Anna Lind is in a meeting until 2:30 pm.'],
    ['out until tomorrow', anna('out', '2026-12-04T09:15:00Z'), 'Anna Lind är ute på uppdrag till i morgon klockan 10.15.', 'Anna Lind is out of the office until tomorrow at 10:15 am.'],
    ['gone for the day, back tomorrow', anna('gone-for-the-day', '2026-12-04T07:00:00Z'), 'Anna Lind har gått för dagen och är tillbaka i morgon klockan 8.', 'Anna Lind has left for the day and will be back tomorrow at 8 am.'],
    ['gone for the day over a weekend', anna('gone-for-the-day', '2026-12-07T07:00:00Z'), 'Anna Lind har gått för dagen och är tillbaka på måndag klockan 8.', 'Anna Lind has left for the day and will be back on Monday at 8 am.'],
    ['leave through a day (back at midnight after it)', anna('leave', '2026-12-07T23:00:00Z'), 'Anna Lind är ledig till och med måndag den 7 december.', 'Anna Lind is on leave up to and including Monday 7 December.'],
    ['leave, open-ended', anna('leave', null), 'Anna Lind är ledig.', 'Anna Lind is on leave.'],
    ['sick, open-ended', anna('sick', null), 'Anna Lind är sjuk.', 'Anna Lind is off sick.'],
    ['sick, back at a time', anna('sick', '2026-12-04T12:00:00Z'), 'Anna Lind är sjuk och är tillbaka i morgon klockan 13.', 'Anna Lind is off sick and will be back tomorrow at 1 pm.'],
    ['other, with its text', anna('other', '2026-12-03T11:00:00Z', 'Hon är på utbildning'), 'Anna Lind kan inte svara till klockan 12. Hon är på utbildning.', 'Anna Lind cannot take calls until 12 noon. Hon är på utbildning.'],
    ['a meeting beyond the week says the date', anna('meeting', '2026-12-14T09:00:00Z'), 'Anna Lind är på möte till måndag den 14 december klockan 10.', 'Anna Lind is in a meeting until Monday 14 December at 10 am.'],
  ])('%s', (_what, notice, sv, en) => {
    expect(say(notice, 'sv-SE')).toBe(sv);
    expect(say(notice, 'en-GB')).toBe(en);
  });

  test('a language the sentence does not have is said in Swedish', () => {
    expect(say(anna('meeting', '2026-12-03T13:00:00Z'), 'de-DE')).toBe('Anna Lind är på möte till klockan 14.');
  });

  test('times are Stockholm wall-clock across the change to summer time', () => {
    // Saturday 28 March 2026 12:00 CET; summer time starts Sunday 29 March at 02:00 (UTC+2).
    const saturday = Date.parse('2026-03-28T11:00:00Z');
    // Monday 08:00 CEST is 06:00 UTC: an hour-blind calculation from UTC+1 would say "klockan 7".
    expect(say(anna('gone-for-the-day', '2026-03-30T06:00:00Z'), 'sv-SE', saturday)).toBe('Anna Lind har gått för dagen och är tillbaka på måndag klockan 8.');
    // Sunday 14:00 CEST, the day of the change, is still "i morgon" seen from Saturday.
    expect(say(anna('meeting', '2026-03-29T12:00:00Z'), 'en-GB', saturday)).toBe('Anna Lind is in a meeting until tomorrow at 2 pm.');
    // Leave ending at midnight of the new time (Wednesday 1 April 00:00 CEST = 31 March 22:00 UTC) covers Tuesday 31 March.
    expect(say(anna('leave', '2026-03-31T22:00:00Z'), 'sv-SE', saturday)).toBe('Anna Lind är ledig till och med tisdag den 31 mars.');
  });

  test('and back to winter time', () => {
    // Saturday 24 October 2026 10:00 CEST; winter time from Sunday 25 October 03:00 (UTC+1).
    const saturday = Date.parse('2026-10-24T08:00:00Z');
    expect(say(anna('out', '2026-10-26T07:30:00Z'), 'sv-SE', saturday)).toBe('Anna Lind är ute på uppdrag till måndag klockan 8.30.');
  });
});

describe('a notice', () => {
  test('applies until its return time, then no longer', () => {
    const n = { until: '2026-12-03T13:00:00Z' };
    expect(noticeApplies(n, Date.parse('2026-12-03T12:59:59Z'))).toBe(true);
    expect(noticeApplies(n, Date.parse('2026-12-03T13:00:00Z'))).toBe(false);
    expect(noticeApplies({ until: null }, NOW)).toBe(true);
  });

  test('is kept under the number in E.164, however it was written', () => {
    expect(personKey('+46 10-130 47 11')).toBe('+46101304711');
    expect(personKey('sip:anna@kommun.se')).toBe('sip:anna@kommun.se');
  });
});

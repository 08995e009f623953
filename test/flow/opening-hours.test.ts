import { easterSunday, isOpenAt, parseIntervals, swedishHolidays, type OpeningHours } from '../../src/flow/opening-hours';

const weekdays = (from: string, to: string) => parseIntervals(`${from}-${to}`);

/** Weekdays 08:00–16:30, Fridays to 15:00, closed at weekends, Swedish holidays, half days before them. */
const hours: OpeningHours = {
  timeZone: 'Europe/Stockholm',
  weekly: [weekdays('08:00', '16:30'), weekdays('08:00', '16:30'), weekdays('08:00', '16:30'), weekdays('08:00', '16:30'), weekdays('08:00', '15:00'), [], []],
  swedishHolidays: true,
  dayBeforeHoliday: weekdays('08:00', '13:00'),
  special: new Map([['2026-12-23', weekdays('08:00', '12:00')], ['2026-08-14', []]]),
};
/** Stockholm wall-clock time to an instant: CET (+01:00) in winter, CEST (+02:00) in summer. */
const at = (local: string, offset: '+01:00' | '+02:00') => Date.parse(`${local}${offset}`);

describe('opening hours', () => {
  test('Easter Sunday by the Gregorian computus', () => {
    expect(easterSunday(2024)).toEqual([3, 31]);
    expect(easterSunday(2025)).toEqual([4, 20]);
    expect(easterSunday(2026)).toEqual([4, 5]);
    expect(easterSunday(2038)).toEqual([4, 25]);
    expect(easterSunday(2285)).toEqual([3, 22]);
  });

  test('the Swedish holidays of 2026, the moving ones included', () => {
    const days = swedishHolidays(2026);
    expect(Object.fromEntries(days)).toEqual({
      '2026-01-01': 'nyårsdagen',
      '2026-01-06': 'trettondedag jul',
      '2026-04-03': 'långfredagen',
      '2026-04-05': 'påskdagen',
      '2026-04-06': 'annandag påsk',
      '2026-05-01': 'första maj',
      '2026-05-14': 'Kristi himmelsfärdsdag',
      '2026-05-24': 'pingstdagen',
      '2026-06-06': 'Sveriges nationaldag',
      '2026-06-19': 'midsommarafton',
      '2026-06-20': 'midsommardagen',
      '2026-10-31': 'alla helgons dag',
      '2026-12-24': 'julafton',
      '2026-12-25': 'juldagen',
      '2026-12-26': 'annandag jul',
      '2026-12-31': 'nyårsafton',
    });
    // Midsommar and alla helgons dag move with the weekday.
    expect(swedishHolidays(2027).get('2027-06-25')).toBe('midsommarafton');
    expect(swedishHolidays(2027).get('2027-11-06')).toBe('alla helgons dag');
  });

  test('open within the weekly hours by the local clock, winter and summer time alike', () => {
    // Monday 2 March 2026 (CET).
    expect(isOpenAt(hours, at('2026-03-02T07:59:59', '+01:00'))).toBe(false);
    expect(isOpenAt(hours, at('2026-03-02T08:00:00', '+01:00'))).toBe(true);
    expect(isOpenAt(hours, at('2026-03-02T16:29:59', '+01:00'))).toBe(true);
    expect(isOpenAt(hours, at('2026-03-02T16:30:00', '+01:00'))).toBe(false);
    // Monday 8 June 2026 (CEST): 08:00 local is 06:00 UTC.
    expect(isOpenAt(hours, Date.parse('2026-06-08T06:00:00Z'))).toBe(true);
    expect(isOpenAt(hours, Date.parse('2026-06-08T05:59:00Z'))).toBe(false);
    // Friday closes earlier; Saturday is closed.
    expect(isOpenAt(hours, at('2026-03-06T15:30:00', '+01:00'))).toBe(false);
    expect(isOpenAt(hours, at('2026-03-07T10:00:00', '+01:00'))).toBe(false);
  });

  test('closed on holidays and the eves, half days before them, special dates over everything', () => {
    expect(isOpenAt(hours, at('2026-04-03T10:00:00', '+02:00'))).toBe(false); // långfredagen
    expect(isOpenAt(hours, at('2026-06-19T10:00:00', '+02:00'))).toBe(false); // midsommarafton, a Friday
    expect(isOpenAt(hours, at('2026-12-24T10:00:00', '+01:00'))).toBe(false); // julafton
    // Skärtorsdagen, the day before långfredagen: open until 13:00 only.
    expect(isOpenAt(hours, at('2026-04-02T12:59:00', '+02:00'))).toBe(true);
    expect(isOpenAt(hours, at('2026-04-02T13:00:00', '+02:00'))).toBe(false);
    // Friday 30 October 2026, the day before alla helgons dag (a Saturday): the half day, closed at 14:00.
    expect(isOpenAt(hours, at('2026-10-30T14:00:00', '+01:00'))).toBe(false);
    // A closed weekday before a holiday stays closed: the half day shortens open days, it opens no
    // closed one. Neither date is a holiday itself, so only that rule keeps them closed: Sunday 30
    // April 2028 (valborgsmässoafton) before första maj on a Monday, and Saturday 4 April 2026
    // (påskafton) before påskdagen.
    expect(isOpenAt(hours, at('2028-04-30T10:00:00', '+02:00'))).toBe(false);
    expect(isOpenAt(hours, at('2026-04-04T10:00:00', '+02:00'))).toBe(false);
    // The same hours with Sunday open: the day before första maj is the half day.
    const sundaysOpen = { ...hours, weekly: [...hours.weekly.slice(0, 6), weekdays('08:00', '16:30')] };
    expect(isOpenAt(sundaysOpen, at('2028-04-30T12:59:00', '+02:00'))).toBe(true);
    expect(isOpenAt(sundaysOpen, at('2028-04-30T13:00:00', '+02:00'))).toBe(false);
    // Special dates: the 23rd of December closes at noon; a closed summer Friday.
    expect(isOpenAt(hours, at('2026-12-23T11:59:00', '+01:00'))).toBe(true);
    expect(isOpenAt(hours, at('2026-12-23T12:00:00', '+01:00'))).toBe(false);
    expect(isOpenAt(hours, at('2026-08-14T10:00:00', '+02:00'))).toBe(false);
    // Without holidays, julafton is a Thursday like any other.
    expect(isOpenAt({ ...hours, swedishHolidays: false, dayBeforeHoliday: null }, at('2026-12-24T10:00:00', '+01:00'))).toBe(true);
  });

  test('time ranges: several a day, whole-day closure, and what is refused', () => {
    expect(parseIntervals('08:00-12:00, 13:00-16:30')).toEqual([
      { from: 480, to: 720 },
      { from: 780, to: 990 },
    ]);
    expect(parseIntervals('closed')).toEqual([]);
    expect(parseIntervals('00:00-24:00')).toEqual([{ from: 0, to: 1440 }]);
    expect(() => parseIntervals('8-16')).toThrow('"8-16" is not a time range like 08:00-16:30');
    expect(() => parseIntervals('08:00-25:00')).toThrow('is not a time of day');
    expect(() => parseIntervals('08:00-12:00, 11:00-13:00')).toThrow('overlapping');
  });
});

import { isValidTimeZone, localTimeIn, wallClock, WEEKDAY_NAMES } from '../../src/metrics/local-time';

/**
 * The municipality's wall clock: the hour-of-day and weekday views and the opening hours read it, so a
 * wrong hour or weekday moves calls between the heatmap's cells and opens a closed switchboard.
 */
const stockholm = localTimeIn('Europe/Stockholm');

describe('localTimeIn', () => {
  test('is the local hour, not the UTC hour, on either side of daylight saving time', () => {
    // Winter: UTC+1.
    expect(stockholm(Date.parse('2026-01-14T07:30:00Z'))).toEqual({ hour: 8, weekday: 3 });
    // Summer: UTC+2.
    expect(stockholm(Date.parse('2026-07-14T07:30:00Z'))).toEqual({ hour: 9, weekday: 2 });
  });

  test('midnight is hour 0, not 24, and belongs to the new day', () => {
    // 2026-03-08 23:00 UTC is Monday 2026-03-09 00:00 in Stockholm.
    expect(stockholm(Date.parse('2026-03-08T23:00:00Z'))).toEqual({ hour: 0, weekday: 1 });
    expect(stockholm(Date.parse('2026-03-08T22:59:59Z'))).toEqual({ hour: 23, weekday: 7 });
  });

  test('numbers every weekday Monday 1 to Sunday 7', () => {
    // Monday 2 March 2026 at noon, then each following day.
    const monday = Date.parse('2026-03-02T11:00:00Z');
    const days = Array.from({ length: 7 }, (_, i) => stockholm(monday + i * 86_400_000).weekday);
    expect(days).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('the hour the clocks go forward has no 02; the next hour is 03', () => {
    // 2026-03-29 01:00 UTC: Stockholm goes from 02:00 CET straight to 03:00 CEST.
    expect(stockholm(Date.parse('2026-03-29T00:59:00Z')).hour).toBe(1);
    expect(stockholm(Date.parse('2026-03-29T01:00:00Z')).hour).toBe(3);
  });

  test('another zone gives its own hour', () => {
    expect(localTimeIn('UTC')(Date.parse('2026-01-14T07:30:00Z'))).toEqual({ hour: 7, weekday: 3 });
  });

  test('an unknown zone throws at once, so configuration fails at start-up', () => {
    expect(() => localTimeIn('Europe/Atlantis')).toThrow(RangeError);
  });
});

describe('wallClock', () => {
  test('is the local date, weekday and minute of the day', () => {
    expect(wallClock('Europe/Stockholm', Date.parse('2026-06-05T06:45:00Z'))).toEqual({ date: '2026-06-05', weekday: 5, minute: 8 * 60 + 45 });
  });

  test('a late UTC evening is already the next local date', () => {
    // Thursday 31 December 2026 23:30 UTC is Friday 1 January 2027 00:30 in Stockholm.
    expect(wallClock('Europe/Stockholm', Date.parse('2026-12-31T23:30:00Z'))).toEqual({ date: '2027-01-01', weekday: 5, minute: 30 });
  });

  test('the last minute of the day is 1439', () => {
    expect(wallClock('Europe/Stockholm', Date.parse('2026-01-14T22:59:00Z')).minute).toBe(1439);
  });

  test('keeps zones apart when both are asked in turn', () => {
    const at = Date.parse('2026-01-14T07:30:00Z');
    expect(wallClock('UTC', at).minute).toBe(7 * 60 + 30);
    expect(wallClock('Europe/Stockholm', at).minute).toBe(8 * 60 + 30);
    expect(wallClock('UTC', at).minute).toBe(7 * 60 + 30);
  });

  test('an unknown zone throws', () => {
    expect(() => wallClock('Mars/Olympus', 0)).toThrow(RangeError);
  });
});

test('isValidTimeZone says which zones the runtime knows', () => {
  expect(isValidTimeZone('Europe/Stockholm')).toBe(true);
  expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
});

test('weekday names are Swedish, Monday first, in lower case as in running text', () => {
  expect(WEEKDAY_NAMES).toEqual(['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag']);
});

/**
 * Reading opening hours as an admin writes them (src/flow/opening-hours.ts): each limit of a time of
 * day, ranges given in any order or touching, the exact words of each refusal (the admin reads them at
 * start-up), weekday ranges, and Easter in the years where the computation's corner cases decide it.
 */
import { easterSunday, parseDays, parseIntervals } from '../../src/flow/opening-hours';

describe('parseIntervals', () => {
  test('the last minute of a day starts a range; midnight ends one; a day is 00:00 to 24:00', () => {
    expect(parseIntervals('23:59-24:00')).toEqual([{ from: 1439, to: 1440 }]);
    expect(parseIntervals('  stängt ')).toEqual([]);
  });

  test.each([
    ['24:00-24:00', '"24:00-24:00" is not a time of day'],
    ['08:60-12:00', '"08:60-12:00" is not a time of day'],
    ['08:00-25:00', '"08:00-25:00" is not a time of day'],
    ['08:00-12:60', '"08:00-12:60" is not a time of day'],
    ['08:00-24:30', '"08:00-24:30" is not a time of day'],
  ])('%s is refused: %s', (text, message) => {
    expect(() => parseIntervals(`  ${text}  `)).toThrow(message);
  });

  test('a range that is not a range is named trimmed in the refusal', () => {
    expect(() => parseIntervals('08:00-12:00,  x08:00-12:00 ')).toThrow(new Error('"x08:00-12:00" is not a time range like 08:00-16:30'));
  });

  test('spaces around the dash and before a comma are allowed; anything else after a range is not', () => {
    expect(parseIntervals('08:00 - 12:00 , 13:00-16:00')).toEqual([
      { from: 480, to: 720 },
      { from: 780, to: 960 },
    ]);
    expect(() => parseIntervals('08:00-16:00x')).toThrow(new Error('"08:00-16:00x" is not a time range like 08:00-16:30'));
  });

  test('a later range of a list is named trimmed in each refusal', () => {
    expect(() => parseIntervals('08:00-12:00,  25:00-26:00')).toThrow(new Error('"25:00-26:00" is not a time of day'));
    expect(() => parseIntervals('08:00-12:00,  16:00-13:00')).toThrow(new Error('"16:00-13:00" ends before it starts'));
  });

  test('a range that ends where it starts, or before, is refused; one minute long is a range', () => {
    expect(() => parseIntervals(' 12:00-12:00 ')).toThrow(new Error('"12:00-12:00" ends before it starts'));
    expect(() => parseIntervals('12:00-11:59')).toThrow(new Error('"12:00-11:59" ends before it starts'));
    expect(parseIntervals('12:00-12:01')).toEqual([{ from: 720, to: 721 }]);
  });

  test('ranges written out of order come back in order; ranges that touch do not overlap', () => {
    expect(parseIntervals('13:00-16:00, 08:00-12:00, 12:00-13:00')).toEqual([
      { from: 480, to: 720 },
      { from: 720, to: 780 },
      { from: 780, to: 960 },
    ]);
    expect(() => parseIntervals('13:00-16:00, 08:00-13:01')).toThrow(new Error('"13:00-16:00, 08:00-13:01" has overlapping ranges'));
  });
});

describe('parseDays', () => {
  test('a day, a range from Monday on, and a range that runs backwards', () => {
    expect(parseDays('wed')).toEqual([2]);
    expect(parseDays('sat-sun')).toEqual([5, 6]);
    expect(parseDays('mon-fri')).toEqual([0, 1, 2, 3, 4]);
    expect(() => parseDays('sun-mon')).toThrow(new Error('"sun-mon" runs backwards: weeks start on Monday'));
  });
});

describe('easterSunday', () => {
  test.each([
    // A year divisible by 19 in this century: the epact's sum goes below zero before the modulo.
    [2014, [4, 20]],
    [2033, [4, 17]],
    // The two exceptions of the Gregorian computation (m = 1): Easter on 19 and 18 April.
    [1981, [4, 19]],
    [2076, [4, 19]],
    [2049, [4, 18]],
    [1954, [4, 18]],
    // Ordinary years around now.
    [2019, [4, 21]],
    [2020, [4, 12]],
    [2027, [3, 28]],
    [2028, [4, 16]],
    [2029, [4, 1]],
    [2030, [4, 21]],
  ])('%i: %j', (year, date) => {
    expect(easterSunday(year)).toEqual(date);
  });
});

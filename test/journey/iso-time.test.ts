import { isoTime } from '../../src/journey/iso-time';

describe('isoTime', () => {
  test('gives what toISOString gives, around day, month, year and leap-day edges and in between', () => {
    const edges = ['1970-01-01T00:00:00.000Z', '2024-02-29T23:59:59.999Z', '2025-12-31T23:59:59.999Z', '2026-03-29T01:00:00.000Z', '9999-12-31T23:59:59.999Z'].map(Date.parse);
    const values = edges.flatMap((e) => [e - 1001, e - 1, e, e + 1, e + 999, e + 60_000, e + 3_599_999]);
    let x = 1_700_000_000_000;
    for (let i = 0; i < 5_000; i++) values.push((x = (x * 48_271 + 7) % 253_402_300_799_999));
    for (const v of values.filter((v) => v >= 0)) expect(isoTime(v)).toBe(new Date(v).toISOString());
  });

  test('outside 1970–9999 and for fractions it is toISOString itself, errors included', () => {
    for (const v of [-1, -86_400_001, 253_402_300_800_000, 8.64e15, 1_700_000_000_000.5]) expect(isoTime(v)).toBe(new Date(v).toISOString());
    expect(() => isoTime(NaN)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});

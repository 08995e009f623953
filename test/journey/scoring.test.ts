import { indexFromCounts, indexPoints } from '../../src/journey/scoring';

/** SKR scoring beyond the projector's suite (issue 24: mutants in src/journey/scoring.ts). */
describe('SKR scoring', () => {
  test('an answer off the scale is refused with what was given', () => {
    expect(() => indexPoints(2.5)).toThrow('answer must be 1-5, got 2.5');
    expect(() => indexPoints(0)).toThrow('answer must be 1-5, got 0');
  });

  test('the index is rounded to one decimal', () => {
    // (100 + 75 + 75) / 3 = 83.33…
    expect(indexFromCounts({ 5: 1, 4: 2 })).toEqual({ index: 83.3, answers: 3 });
    // (0 + 25 + 25 + 100 + 100 + 100) / 6 = 58.33…; steps 2 and 3 weigh 25 and 50
    expect(indexFromCounts({ 1: 1, 2: 2, 5: 3 })).toEqual({ index: 58.3, answers: 6 });
    expect(indexFromCounts({ 3: 2, 2: 1 })).toEqual({ index: 41.7, answers: 3 });
  });
});

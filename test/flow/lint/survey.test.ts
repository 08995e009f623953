/**
 * The survey rule (src/flow/lint/rules/survey.ts): a spoken comment switched on in a survey that is
 * never offered (offer: never, or a sample of 0) is reported once (comment-never-asked); any other
 * offer, or the comment off, is fine.
 */
import { surveyRules } from '../../../src/flow/lint/rules/survey';
import { FILE, analysisOf, row } from './flows';

const survey = (settings: Record<string, unknown>) => surveyRules(analysisOf((f) => (f.survey = settings)));

const NEVER_ASKED = ['warning', 'comment-never-asked', 'survey.comment', 'survey.comment is enabled but the survey is never offered (survey.offer), so no caller is asked for a comment'];

describe('comment-never-asked', () => {
  test('a comment in a survey never offered', () => {
    const results = survey({ offer: 'never', comment: { enabled: true } });
    expect(results.map(row)).toEqual([NEVER_ASKED]);
    expect(results[0].file).toBe(FILE);
  });

  test('a comment in a survey offered to a sample of none', () => {
    expect(survey({ offer: { sample: 0 }, comment: { enabled: true } }).map(row)).toEqual([NEVER_ASKED]);
  });

  test.each([
    ['offered always', { offer: 'always', comment: { enabled: true } }],
    ['offered by default', { comment: { enabled: true } }],
    ['offered to the smallest sample above none', { offer: { sample: 0.01 }, comment: { enabled: true } }],
    ['offered to everyone by sample', { offer: { sample: 1 }, comment: { enabled: true } }],
    ['never offered, but the comment off', { offer: 'never', comment: { enabled: false } }],
    ['a sample of none, the comment off by default', { offer: { sample: 0 } }],
  ])('%s: nothing to say', (_name, settings) => {
    expect(survey(settings)).toEqual([]);
  });
});

import type { LintResult } from '../result';
import type { FlowAnalysis } from '../analysis';

/**
 * A spoken comment switched on in a survey that is never offered: nobody is asked, and whoever reads
 * the flow believes comments are being collected.
 */
export function surveyRules(a: FlowAnalysis): LintResult[] {
  const { survey } = a.graph.flow;
  if (!survey.comment.enabled) return [];
  const never = survey.offer === 'never' || (typeof survey.offer === 'object' && survey.offer.sample === 0);
  if (!never) return [];
  return [
    {
      severity: 'warning',
      code: 'comment-never-asked',
      file: a.file,
      path: 'survey.comment',
      message: 'survey.comment is enabled but the survey is never offered (survey.offer), so no caller is asked for a comment',
    },
  ];
}

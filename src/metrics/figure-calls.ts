import type { Journey } from '../journey/journey';
import { FALLBACK_PREFIX, parseFallbackDim, type FallbackKey } from './dims';

/**
 * The calls behind a figure: which journeys a figure of the dashboard counts, by the same rules
 * the rollups count them (contribution.ts), so a figure's list holds exactly the calls it counts.
 *
 *   noHelp                              ended calls no human answered ("fick ingen hjälp")
 *   fallback:<node>|<target>|<reason>|<route>  calls that took that fallback (a row of the table)
 *   outcome:<outcome>                   calls that ended so
 */
export type Figure = { kind: 'noHelp' } | { kind: 'fallback'; key: FallbackKey } | { kind: 'outcome'; outcome: string };

const OUTCOME_PREFIX = 'outcome:';

/** The figure a query names, or null when the text names none. */
export function parseFigure(text: string): Figure | null {
  if (text === 'noHelp') return { kind: 'noHelp' };
  if (text.startsWith(FALLBACK_PREFIX)) {
    const key = parseFallbackDim(text);
    return key && key.nodeId && key.reason && key.route ? { kind: 'fallback', key } : null;
  }
  if (text.startsWith(OUTCOME_PREFIX) && /^[a-z_]+$/.test(text.slice(OUTCOME_PREFIX.length))) return { kind: 'outcome', outcome: text.slice(OUTCOME_PREFIX.length) };
  return null;
}

/** Whether the rollups count this journey in the figure. Only ended calls with a flow and a start count at all. */
export function countsIn(j: Journey, figure: Figure): boolean {
  if (!j.ended || !j.flowId || !j.flowVersion || !j.startedAt) return false;
  switch (figure.kind) {
    case 'noHelp':
      return !j.answeredBy;
    case 'outcome':
      return j.outcome === figure.outcome;
    case 'fallback': {
      const k = figure.key;
      return j.fallbacks.some((f) => f.nodeId === k.nodeId && f.target === k.target && f.reason === k.reason && f.route === k.route);
    }
  }
}

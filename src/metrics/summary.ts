import type { RollupDoc } from '../store/store';
import { C, DIM_CALL, DIM_WITH_FALLBACK, H, family } from './dims';
import { distributionOf } from './histogram';
import { mergeBy, ratio, scaleFromCounters, indexValue, share, subtractCounters, surveyIndices, type Counters } from './measures';
import { noHelpFromCounters } from './no-help';
import type { Summary } from './view-types';

/** The summary from merged "call" and "withFallback" counters. */
export function summaryFromCounters(call: Counters, withFallback: Counters): Summary {
  const n = call[C.calls] ?? 0;
  const out = (o: string) => call[family(C.outcome, o)] ?? 0;
  const inMenu = out('abandoned_in_menu');
  const whileRinging = out('abandoned_while_ringing');
  const afterFallback = out('abandoned_after_fallback');
  const yes = call[family(C.resolved, 'yes')] ?? 0;
  const no = call[family(C.resolved, 'no')] ?? 0;
  const offered = call[C.surveyOffered] ?? 0;
  const responded = call[C.surveyResponded] ?? 0;
  const fallbackCalls = call[C.fallbackCalls] ?? 0;
  return {
    calls: n,
    answered: share(call[C.human] ?? 0, n),
    answeredBy: {
      operator: call[family(C.answeredBy, 'operator')] ?? 0,
      department: call[family(C.answeredBy, 'department')] ?? 0,
      person: call[family(C.answeredBy, 'person')] ?? 0,
    },
    abandoned: { total: share(inMenu + whileRinging + afterFallback, n), inMenu: share(inMenu, n), whileRinging: share(whileRinging, n), afterFallback: share(afterFallback, n) },
    selfService: share(out('self_service'), n),
    outsideHours: share(out('outside_hours'), n),
    errors: share(out('error_fallback'), n),
    timeToHumanMs: distributionOf(call, H.timeToHuman),
    timeToOperatorMs: distributionOf(call, H.timeToOperator),
    keyPresses: distributionOf(call, H.keyPresses),
    keyPressesBeforeHuman: distributionOf(call, H.keysBeforeHuman),
    fallback: {
      calls: fallbackCalls,
      rate: ratio(fallbackCalls, n),
      occurrences: call[C.occurrences] ?? 0,
      lostMs: distributionOf(call, H.lostMs),
      lostKeys: distributionOf(call, H.lostKeys),
    },
    survey: { offered, declined: call[C.surveyDeclined] ?? 0, responded, completed: call[C.surveyCompleted] ?? 0, responseRate: ratio(responded, offered) },
    bemotande: indexValue(scaleFromCounters(call, C.bemotande)),
    enkelhet: indexValue(scaleFromCounters(call, C.enkelhet)),
    firstContactResolution: { share: ratio(yes, yes + no), yes, answers: yes + no },
    byFallback: { with: surveyIndices(withFallback), without: surveyIndices(subtractCounters(call, withFallback)) },
    noHelp: noHelpFromCounters(call),
  };
}

/** The summary over any set of rollups (hours, grains, versions and flows are summed). */
export function summaryFromRollups(docs: readonly RollupDoc[]): Summary {
  const merged = mergeBy(docs);
  return summaryFromCounters(merged.get(DIM_CALL) ?? {}, merged.get(DIM_WITH_FALLBACK) ?? {});
}

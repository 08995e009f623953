import type { CallerScript, DialBehaviour } from '../src/sim/virtual-caller';
import { between, pickWeighted } from './random';

/**
 * Caller behaviour for the synthetic year of a large municipality's switchboard (the demo flow,
 * ivr-flows/vaxel.yaml): which way callers go, how transfers end, how long things take, and how
 * many answer the survey. Shares are plausible for a Swedish växel, not measured anywhere.
 */
export function randomScript(rand: () => number): CallerScript {
  const s = (ms: [number, number]) => Math.round(between(rand, ms[0], ms[1]));
  const answered = (): DialBehaviour => ({ answer: true, ringMs: s([3_000, 25_000]), talkMs: s([30_000, 420_000]) });
  const dial = (): DialBehaviour => {
    const outcome = pickWeighted(rand, { answer: 70, 'no-answer': 17, busy: 7, 'caller-hangs-up': 6 });
    if (outcome === 'answer') return answered();
    if (outcome === 'caller-hangs-up') return { answer: false, status: 'caller-hangs-up', ringMs: s([5_000, 20_000]) };
    return { answer: false, status: outcome, ringMs: s([1_000, 4_000]) };
  };
  const operator = (): DialBehaviour => {
    const outcome = pickWeighted(rand, { answer: 90, 'caller-hangs-up': 7, 'no-answer': 3 });
    if (outcome === 'answer') return { answer: true, ringMs: s([5_000, 80_000]), talkMs: s([20_000, 240_000]) };
    if (outcome === 'caller-hangs-up') return { answer: false, status: 'caller-hangs-up', ringMs: s([10_000, 60_000]) };
    return { answer: false, status: 'no-answer' };
  };
  const extension = () => String(4711 + Math.floor(rand() * 4));
  const department = () => pickWeighted(rand, { '1': 30, '2': 28, '3': 20, '4': 22 });

  const digits: string[] = [];
  const dials: DialBehaviour[] = [];
  const route = pickWeighted(rand, { department: 42, operator: 24, extension: 20, english: 3, invalid: 4, silent: 3, hangup: 4 });
  switch (route) {
    case 'department':
    case 'english':
    case 'invalid': {
      if (route === 'english') digits.push('9', '1');
      if (route === 'invalid') digits.push(pickWeighted(rand, { '6': 1, '7': 1, '8': 1, '#': 1 }));
      digits.push(department());
      const first = dial();
      dials.push(first);
      // A department that does not answer sends the caller to the operator.
      if (!first.answer && first.status !== 'caller-hangs-up') dials.push(operator());
      break;
    }
    case 'operator':
      digits.push('0');
      dials.push(operator());
      break;
    case 'extension': {
      digits.push('5', extension());
      const first = dial();
      dials.push(first);
      if (!first.answer && first.status !== 'caller-hangs-up') {
        // The "person is not answering" menu: operator, another extension, main menu, or give up.
        const next = pickWeighted(rand, { operator: 50, another: 20, main: 10, hangup: 20 });
        if (next === 'operator') {
          digits.push('0');
          dials.push(operator());
        } else if (next === 'another') {
          digits.push('1', extension());
          dials.push(dial(), operator());
        } else if (next === 'main') {
          digits.push('2', department());
          dials.push(dial(), operator());
        }
      }
      break;
    }
    case 'silent':
      digits.push('', '', '');
      dials.push(operator());
      break;
    case 'hangup':
      break;
  }
  // Answers are redrawn per call when the year is generated; here only whether the caller takes part.
  const survey = pickWeighted(rand, { all: 55, some: 10, none: 35 });
  return {
    digits,
    dials,
    survey: survey === 'all' ? ['5', '5', '1'] : survey === 'some' ? ['4', ''] : [],
    thinkMs: s([1_000, 4_000]),
  };
}

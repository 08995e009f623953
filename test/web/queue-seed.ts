import { newSid } from '../../src/sim/virtual-caller';
import type { Harness } from '../helpers/harness';
import { AGENT_NUMBER, LENA, OMAR, QUEUE_FLOWS, queueSim } from '../helpers/queue-sim';

export { AGENT_NUMBER, LENA, OMAR, QUEUE_FLOWS, queueSim };

/**
 * A morning's queue traffic at 09:00 Swedish (winter) time: one answered within the target, one who
 * sought Anna Lind (no answer) and was answered late, a short abandon, an abandon after 45 s, one
 * who left the queue by a key for a person. A 'short-staffed' afternoon at 13:00: one answered
 * quickly, one taken out at the longest wait (300 s, the flow's onMaxWait); a 'staffed' one: both
 * answered quickly.
 */
async function queueDay(h: Harness, date: string, afternoon: 'short-staffed' | 'staffed' | null): Promise<void> {
  const morning = async () => {
    h.clock.set(Date.parse(`${date}T08:00:00Z`));
    const { caller, operator, after } = queueSim(h);
    await Promise.all([
      after(0, () => caller.call({ digits: ['0'], thinkMs: 2000 })),
      after(2_000, () => caller.call({ digits: ['5', '4711'], dials: [{ answer: false, status: 'no-answer' }], thinkMs: 2000 })),
      after(4_000, () => caller.call({ digits: ['0'], queue: { hangUpAfterSec: 3 }, thinkMs: 2000 })),
      after(6_000, () => caller.call({ digits: ['0'], queue: { hangUpAfterSec: 45 }, thinkMs: 2000 })),
      after(8_000, () => caller.call({ digits: ['0', '4711'], queue: { key: { digit: '1', afterSec: 20 } }, dials: [{ answer: true, ringMs: 5000, talkMs: 20_000 }], thinkMs: 2000 })),
      after(20_000, () => operator.call({ from: LENA, agentNumber: AGENT_NUMBER, talkMs: 60_000, callers: 1 })),
      after(120_000, () => operator.call({ from: OMAR, agentNumber: AGENT_NUMBER, talkMs: 60_000, callers: 1 })),
    ]);
  };
  const later = async () => {
    h.clock.set(Date.parse(`${date}T12:00:00Z`));
    const { caller, operator, after } = queueSim(h);
    await Promise.all([
      after(0, () => caller.call({ digits: ['0'], thinkMs: 2000 })),
      after(3_000, () => caller.call({ digits: ['0'], thinkMs: 2000 })),
      after(30_000, () => operator.call({ from: LENA, agentNumber: AGENT_NUMBER, talkMs: 30_000, callers: 1 })),
      ...(afternoon === 'staffed' ? [after(31_000, () => operator.call({ from: OMAR, agentNumber: AGENT_NUMBER, talkMs: 30_000, callers: 1 }))] : []),
    ]);
  };
  await morning();
  if (afternoon) await later();
}

/**
 * Queue traffic on each date (a morning; on the first and third an afternoon short of staff, on
 * the fifth one fully staffed), then delivered to the store.
 */
export async function seedQueueDays(h: Harness, dates: string[]): Promise<void> {
  for (const [i, date] of dates.entries()) await queueDay(h, date, i === 0 || i === 2 ? 'short-staffed' : i === 4 ? 'staffed' : null);
  await h.settle();
}

export interface FrozenScene {
  /** Resolves when simulated time has stopped with three callers waiting and Lena on a call. */
  frozen: Promise<void>;
  /** Lets time run on: the three waiting hang up and Lena finishes her call. */
  release(): void;
  done: Promise<void>;
  /** The callers: answered by Lena, hung up after 10 s, then waiting (direct, after Anna Lind, after the school). */
  sids: { answered: string; abandoned: string; direct: string; afterPerson: string; afterDepartment: string };
}

/**
 * Today, Monday 2 March 2026 from 09:00 Swedish time: Lena answers the first caller within 15 s and
 * stays on the call, the second hangs up after 10 s, three more wait (one pressed 0, one sought Anna
 * Lind who did not answer, one rang the school, where nobody answered). Simulated time stops a
 * minute in, so a browser sees the queue as it stands, until release().
 */
export function frozenQueueScene(h: Harness): FrozenScene {
  h.clock.set(Date.parse('2026-03-02T08:00:00Z'));
  const { caller, operator, after } = queueSim(h);
  let reached!: () => void;
  let release!: () => void;
  const frozen = new Promise<void>((r) => (reached = r));
  const gate = new Promise<void>((r) => (release = r));
  const sids = { answered: newSid('CA'), abandoned: newSid('CA'), direct: newSid('CA'), afterPerson: newSid('CA'), afterDepartment: newSid('CA') };
  const calls: Promise<unknown>[] = [
    after(0, () => caller.call({ digits: ['0'], thinkMs: 2000 }, sids.answered)),
    after(1_000, () => caller.call({ digits: ['0'], queue: { hangUpAfterSec: 10 }, thinkMs: 2000 }, sids.abandoned)),
    after(3_000, () => caller.call({ digits: ['0'], queue: { hangUpAfterSec: 200 }, thinkMs: 2000 }, sids.direct)),
    after(5_000, () => caller.call({ digits: ['5', '4711'], dials: [{ answer: false, status: 'no-answer' }], queue: { hangUpAfterSec: 200 }, thinkMs: 2000 }, sids.afterPerson)),
    after(7_000, () => caller.call({ digits: ['1'], dials: [{ answer: false, status: 'no-answer' }], queue: { hangUpAfterSec: 200 }, thinkMs: 2000 }, sids.afterDepartment)),
    after(15_000, () => operator.call({ from: LENA, agentNumber: AGENT_NUMBER, talkMs: 600_000, callers: 1 })),
    after(60_000, async () => {
      reached();
      await gate;
    }),
  ];
  const done = Promise.all(calls).then(() => h.settle());
  return { frozen, release, done, sids };
}

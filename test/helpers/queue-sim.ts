import path from 'node:path';
import { SimScheduler } from '../../src/sim/sim-scheduler';
import { VirtualCaller, type SimClock } from '../../src/sim/virtual-caller';
import { VirtualOperator } from '../../src/sim/virtual-operator';
import { VirtualQueues } from '../../src/sim/virtual-queues';
import { AUTH_TOKEN, type Harness } from './harness';

/** The switchboard with its operator as a queue (queue "vaxeln", operators Lena Ek and Omar Haddad). */
export const QUEUE_FLOWS = path.join(__dirname, '../fixtures/flows/queue');
export const LENA = '+46701110001';
export const OMAR = '+46701110002';
export const AGENT_NUMBER = '+46101300199';

/**
 * Callers and operators of one queue at once, in simulated time (see SimScheduler): a virtual
 * caller and a virtual operator sharing Twilio's queues, and `after(ms, run)` to start an actor later.
 */
export function queueSim(h: Harness) {
  const sched = new SimScheduler(h.clock);
  const queues = new VirtualQueues();
  const clock: SimClock = { now: () => sched.now(), sleep: (ms) => sched.sleep(ms), nap: (ms, w) => sched.nap(ms, w) };
  const caller = new VirtualCaller({ authToken: AUTH_TOKEN, publicBaseUrl: h.baseUrl, clock, queues });
  const operator = new VirtualOperator({ publicBaseUrl: h.baseUrl, clock, queues, signer: caller });
  const after = <T>(ms: number, run: () => Promise<T>) =>
    sched.actor(async () => {
      await sched.sleep(ms);
      return run();
    });
  return { sched, queues, clock, caller, operator, after };
}

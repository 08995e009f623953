import { startHarness } from '../helpers/harness';
import { mongoTestUri } from '../helpers/prerequisites';

/** Two service instances behind a load balancer share MongoDB: each one's live view shows the other's calls. */
const uri = mongoTestUri();

test('a call answered by instance A appears in instance B’s live view', async () => {
  const u = new URL(uri!);
  u.pathname = `/callpath_two_${process.pid}`;
  const env = { STORE: 'mongo', MONGODB_URI: u.toString() };
  const a = await startHarness({ env });
  const b = await startHarness({ env });
  try {
    // B's live day must be the day of A's (manual) clock.
    b.clock.set(a.clock.now());
    const t = await a.caller.call({ digits: ['1'], dials: [{ answer: true }], survey: ['5', '5', '1'] });
    await a.settle();
    const deadline = Date.now() + 10_000;
    const seenByB = () => JSON.stringify(b.service.live.snapshot()).includes(t.callSid.slice(-6));
    while (!seenByB() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(seenByB()).toBe(true);
  } finally {
    await a.close();
    await b.close();
  }
}, 30_000);

import { closeStaleCalls } from '../../src/ingest/stale-calls';
import { startHarness } from '../helpers/harness';

test('a call whose end was never reported is closed at its last event after 12 hours, and only then', async () => {
  const h = await startHarness();
  try {
    // Twilio never sends the status callback for this call: only the incoming webhook arrives.
    const params = { CallSid: 'CA' + '3'.repeat(32), AccountSid: 'AC' + 'c'.repeat(32), From: '+46701234567', To: '+46101300000', CallStatus: 'ringing' };
    await h.signedPost('/twilio/voice', params);
    const complete = await h.caller.call({ digits: ['1'], dials: [{ answer: true }], survey: ['5', '5', '1'] });
    await h.settle();
    const record = (events: Parameters<typeof h.service.outbox.enqueue>[0]) => h.service.outbox.enqueue(events);
    h.clock.advance(11 * 3_600_000);
    expect(await closeStaleCalls(h.service.store, h.clock.now(), record)).toBe(0);
    h.clock.advance(2 * 3_600_000);
    expect(await closeStaleCalls(h.service.store, h.clock.now(), record)).toBe(1);
    await h.settle();
    const j = (await h.api(`/api/calls/${params.CallSid}`)).body;
    expect(j).toMatchObject({ ended: true, outcome: 'abandoned_in_menu', endedAt: '2026-03-02T08:00:00.000Z' });
    expect((await h.api(`/api/calls/${complete.callSid}`)).body.outcome).toBe('answered_by_department');
    // Running again changes nothing.
    expect(await closeStaleCalls(h.service.store, h.clock.now(), record)).toBe(0);
  } finally {
    await h.close();
  }
});

import { projectJourney } from '../../src/journey/projector';
import { createRollupContribution } from '../../src/metrics/contribution';
import { callEvents, sid } from '../store/store-contract';

const contribution = createRollupContribution();

// The embedded store keeps journeys of calls in progress off its file on this ground (see its putJourneys).
test('a call adds to the rollups only once it has ended: every projection before its end contributes nothing', () => {
  const events = callEvents(sid(), Date.parse('2026-03-02T08:00:00Z'));
  for (let n = 1; n < events.length; n++) {
    const journey = projectJourney(events[0].callSid, events.slice(0, n));
    expect(journey.ended).toBe(false);
    expect(contribution(journey)).toEqual([]);
  }
  const ended = projectJourney(events[0].callSid, events);
  expect(ended.ended).toBe(true);
  expect(contribution(ended).length).toBeGreaterThan(0);
});

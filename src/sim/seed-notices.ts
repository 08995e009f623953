import type { PersonNotice } from '../flow/context';
import type { Flow } from '../flow/schema';
import { wallClock } from '../metrics/local-time';
import { personKey, type Notice } from '../reception/notice';
import { personNoticeOf } from '../reception/notice-board';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The demo's absence notices over its weeks of traffic, as reception would have set them: the first
 * person in the directory in meetings on Tuesday and Thursday mornings (10–11.30) and on Monday after
 * lunch (13–14), the second on leave for one week in the middle of the period, the third gone for the
 * day from 15.30 on Fridays until Monday at 8. Local wall-clock times in `timeZone`; the instants are
 * found from the wall clock's minute, so on the two days a year the clock changes they may be an hour off.
 */
export function demoNoticeSchedule(flow: Flow, timeZone: string, leave: { from: number; to: number }): (number: string, now: number) => Notice | null {
  const people = Object.values(flow.directory).map((p) => personKey(p.number));
  const [meetings, onLeave, fridays] = people;
  // Whole days: from and until local midnight, so the caller hears "ledig till och med fredag den 13 mars".
  const dayStart = (ms: number) => ms - wallClock(timeZone, ms).minute * 60_000;
  leave = { from: dayStart(leave.from), to: dayStart(leave.to) };
  const setAt = new Date(leave.from - DAY).toISOString();
  const notice = (person: string, reason: Notice['reason'], until: number | null): Notice => ({ person, reason, until: until === null ? null : new Date(until).toISOString(), setBy: 'user:reception@exempelstad.se', setAt });
  return (number, now) => {
    const person = personKey(number);
    const { weekday, minute } = wallClock(timeZone, now);
    const midnight = now - minute * 60_000;
    if (person === meetings) {
      if ((weekday === 2 || weekday === 4) && minute >= 600 && minute < 690) return notice(person, 'meeting', midnight + 11.5 * HOUR);
      if (weekday === 1 && minute >= 780 && minute < 840) return notice(person, 'meeting', midnight + 14 * HOUR);
    }
    if (person === onLeave && now >= leave.from && now < leave.to) return notice(person, 'leave', leave.to);
    if (person === fridays && weekday === 5 && minute >= 930) return notice(person, 'gone-for-the-day', midnight + 3 * DAY + 8 * HOUR);
    return null;
  };
}

/** The schedule as the engine takes it, for the seed's services in place of their notice boards. */
export function demoNoticesForCalls(schedule: ReturnType<typeof demoNoticeSchedule>, timeZone: string): (number: string, now: number) => PersonNotice | null {
  return (number, now) => {
    const n = schedule(number, now);
    return n ? personNoticeOf(n, timeZone, now) : null;
  };
}

/**
 * Notices to leave in the store when the seed is done, so the demo shows some now: the first person
 * in a meeting until the next whole hour but one, the second on leave through the next seven days.
 */
export function currentDemoNotices(flow: Flow, timeZone: string, now: number): Notice[] {
  const people = Object.values(flow.directory).map((p) => personKey(p.number));
  const setAt = new Date(now).toISOString();
  const nextHour = Math.ceil(now / HOUR) * HOUR + HOUR;
  const weekOn = now + 8 * DAY;
  const leaveUntil = weekOn - wallClock(timeZone, weekOn).minute * 60_000;
  const out: Notice[] = [];
  if (people[0]) out.push({ person: people[0], reason: 'meeting', until: new Date(nextHour).toISOString(), setBy: 'user:reception@exempelstad.se', setAt });
  if (people[1]) out.push({ person: people[1], reason: 'leave', until: new Date(leaveUntil).toISOString(), setBy: 'user:reception@exempelstad.se', setAt });
  return out;
}

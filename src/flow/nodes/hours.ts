import { isOpenAt, parseDays, parseIntervals, type OpeningHours } from '../opening-hours';
import type { StepContext } from '../context';
import { EngineFault } from '../context';
import type { HoursNode } from '../schema';

/** Parsed once per node of a loaded flow (flows are immutable once loaded). */
const parsed = new WeakMap<HoursNode, OpeningHours>();

export function openingHoursOf(node: HoursNode): OpeningHours {
  let hours = parsed.get(node);
  if (!hours) parsed.set(node, (hours = openingHoursFrom(node, node.timeZone)));
  return hours;
}

/** Hours as a flow writes them (an hours node's fields, or a callback promise's), parsed. */
export interface HoursSpec {
  open: Record<string, string>;
  holidays: 'sweden' | 'none';
  dayBeforeHoliday?: string;
  special: Record<string, string>;
}

export function openingHoursFrom(spec: HoursSpec, timeZone: string): OpeningHours {
  const weekly: OpeningHours['weekly'] = [[], [], [], [], [], [], []];
  for (const [days, text] of Object.entries(spec.open)) for (const d of parseDays(days)) weekly[d] = parseIntervals(text);
  return {
    timeZone,
    weekly,
    swedishHolidays: spec.holidays === 'sweden',
    dayBeforeHoliday: spec.dayBeforeHoliday === undefined ? null : parseIntervals(spec.dayBeforeHoliday),
    special: new Map(Object.entries(spec.special).map(([date, text]) => [date, parseIntervals(text)])),
  };
}

export const hours = {
  enter(ctx: StepContext, node: HoursNode): void {
    if (ctx.at === undefined) throw new EngineFault(`node "${ctx.state.n}" checks the opening hours, but the step has no time`);
    const open = isOpenAt(openingHoursOf(node), ctx.at);
    ctx.record({ type: 'hours.checked', nodeId: ctx.state.n, open });
    if (open) ctx.goTo(node.next);
    else ctx.follow(node.closed);
  },
};

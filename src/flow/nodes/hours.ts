import { isOpenAt, parseDays, parseIntervals, type OpeningHours } from '../opening-hours';
import type { StepContext } from '../context';
import { EngineFault } from '../context';
import type { HoursNode } from '../schema';

/** Parsed once per node of a loaded flow (flows are immutable once loaded). */
const parsed = new WeakMap<HoursNode, OpeningHours>();

export function openingHoursOf(node: HoursNode): OpeningHours {
  let hours = parsed.get(node);
  if (!hours) {
    const weekly: OpeningHours['weekly'] = [[], [], [], [], [], [], []];
    for (const [days, text] of Object.entries(node.open)) for (const d of parseDays(days)) weekly[d] = parseIntervals(text);
    hours = {
      timeZone: node.timeZone,
      weekly,
      swedishHolidays: node.holidays === 'sweden',
      dayBeforeHoliday: node.dayBeforeHoliday === undefined ? null : parseIntervals(node.dayBeforeHoliday),
      special: new Map(Object.entries(node.special).map(([date, text]) => [date, parseIntervals(text)])),
    };
    parsed.set(node, hours);
  }
  return hours;
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

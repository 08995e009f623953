import { backupOf, backupOffer } from '../backups';
import type { StepContext } from '../context';
import type { MenuNode } from '../schema';
import { isOperatorKey, retryOrGiveUp } from './retry';

/** A key whose route leads to a backup node: offered only when the person last sought has a backup. */
function leadsToBackup(ctx: StepContext, to: string): boolean {
  return ctx.flow.nodes[to]?.type === 'backup';
}

/** The menu's routes as the caller has them now: a route to a backup node only when there is a backup to ring. */
function routeOf(ctx: StepContext, node: MenuNode, digits: string): string | undefined {
  const to = node.routes[digits];
  if (to === undefined || !leadsToBackup(ctx, to)) return to;
  return backupOf(ctx.flow, ctx.state.p) ? to : undefined;
}

/** The placeholder in a menu prompt where the engine says its offer of a backup (or nothing, when there is none). */
export const BACKUP_PLACEHOLDER = '{backup}';

function ask(ctx: StepContext, node: MenuNode, retry: number): void {
  // The engine offers the backup itself, naming where the backup works: at {backup} in the prompt, else before it.
  const sought = ctx.state.p;
  const b = backupOf(ctx.flow, sought);
  const offers = b
    ? Object.entries(node.routes)
        .filter(([, to]) => leadsToBackup(ctx, to))
        .map(([key]) => backupOffer(ctx.flow, sought!, b, key, ctx.language))
        .join(' ')
    : '';
  ctx.say(node.prompt, (text) => {
    if (text.includes(BACKUP_PLACEHOLDER)) return text.split(BACKUP_PLACEHOLDER).join(offers).replace(/\s{2,}/g, ' ').trim();
    return offers ? `${offers} ${text}` : text;
  });
  ctx.ask({ numDigits: 1, timeoutSeconds: node.timeoutSeconds, finishOnKey: '', patch: { r: retry } });
}

export const menu = {
  enter(ctx: StepContext, node: MenuNode): void {
    ask(ctx, node, 0);
  },

  input(ctx: StepContext, node: MenuNode, digits: string): void {
    const nodeId = ctx.state.n;
    const to = routeOf(ctx, node, digits) ?? (isOperatorKey(ctx, digits, node.operatorKey) ? ctx.flow.operator!.node : undefined);
    if (to !== undefined) {
      ctx.record({ type: 'input.digits', nodeId, digits, purpose: 'menu' });
      return ctx.goTo(to);
    }
    ctx.record(digits === '' ? { type: 'input.timeout', nodeId } : { type: 'input.invalid', nodeId, digits });
    retryOrGiveUp(ctx, {
      maxRetries: node.maxRetries,
      onExhausted: node.onExhausted,
      explain: () => {
        if (digits === '') node.noInputPrompt ? ctx.say(node.noInputPrompt) : ctx.sayBuiltIn('noInput');
        else node.invalidPrompt ? ctx.say(node.invalidPrompt) : ctx.sayBuiltIn('invalid');
      },
      ask: (retry) => ask(ctx, node, retry),
    });
  },
};

import { backupOf, backupOffer } from '../backups';
import type { StepContext } from '../context';
import type { Flow, MenuNode } from '../schema';
import { isOperatorKey, retryOrGiveUp } from './retry';

/** A key whose route leads to a backup node: offered only when the person last sought has a backup. */
function leadsToBackup(flow: Flow, to: string): boolean {
  return flow.nodes[to]?.type === 'backup';
}

/** Whether a menu key's route is open to the caller: a route to a backup node only when the person last sought has a backup. */
export function menuRouteOpen(flow: Flow, to: string, sought: string | undefined): boolean {
  return !leadsToBackup(flow, to) || backupOf(flow, sought) !== null;
}

/** The menu's routes as the caller has them now: a route to a backup node only when there is a backup to ring. */
function routeOf(ctx: StepContext, node: MenuNode, digits: string): string | undefined {
  const to = node.routes[digits];
  return to !== undefined && menuRouteOpen(ctx.flow, to, ctx.state.p) ? to : undefined;
}

/** The placeholder in a menu prompt where the engine says its offer of a backup (or nothing, when there is none). */
export const BACKUP_PLACEHOLDER = '{backup}';

/**
 * The menu's prompt text as the caller hears it: the engine offers the backup itself, naming where
 * the backup works, at {backup} in the prompt, else before it.
 */
export function withBackupOffers(flow: Flow, node: MenuNode, sought: string | undefined, language: string, text: string): string {
  const b = backupOf(flow, sought);
  const offers = b
    ? Object.entries(node.routes)
        .filter(([, to]) => leadsToBackup(flow, to))
        .map(([key]) => backupOffer(flow, sought!, b, key, language))
        .join(' ')
    : '';
  if (text.includes(BACKUP_PLACEHOLDER)) return text.split(BACKUP_PLACEHOLDER).join(offers).replace(/\s{2,}/g, ' ').trim();
  return offers ? `${offers} ${text}` : text;
}

function ask(ctx: StepContext, node: MenuNode, retry: number): void {
  ctx.say(node.prompt, (text) => withBackupOffers(ctx.flow, node, ctx.state.p, ctx.language, text));
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

import { backupConnecting, backupOf, dialTargetById, type BackupTarget } from '../backups';
import { EngineFault, type StepContext } from '../context';
import type { BackupNode } from '../schema';
import { dial, dialFinished, noticeInsteadOfRing, type DialResult, type DialTarget } from './dial';

function asDialTarget(b: BackupTarget, backupFor: string | undefined): DialTarget {
  return { id: b.id, kind: b.kind, number: b.number, ...(b.category ? { category: b.category } : {}), ...(backupFor ? { backupFor } : {}) };
}

/**
 * Rings the backup of the person last sought (state `p`): their colleague or their department's
 * group, recorded as a transfer made for that person (`backupFor`), so the fallback views can tell
 * a backup that answered from the operator. Whoever the backup is becomes the one sought, so a second
 * backup node after this one would ring the colleague's own backup.
 */
export const backup = {
  enter(ctx: StepContext, node: BackupNode): void {
    const sought = ctx.state.p;
    const b = backupOf(ctx.flow, sought);
    if (!b) {
      // Reached by a route the engine could not decide beforehand (e.g. a message's next): go where the flow says.
      if (node.noBackup) return ctx.follow(node.noBackup);
      if (ctx.flow.operator && ctx.flow.operator.node !== ctx.state.n) return ctx.goTo(ctx.flow.operator.node);
      ctx.sayBuiltIn('goodbye');
      ctx.record({ type: 'ivr.hangup', nodeId: ctx.state.n });
      return ctx.hangup();
    }
    const target = asDialTarget(b, sought);
    // A colleague has notices as anyone in the directory does; a group has none.
    if (b.kind === 'person' && noticeInsteadOfRing(ctx, target, b.name, node)) return;
    if (node.say) ctx.say(node.say);
    else ctx.sayText(backupConnecting(ctx.flow, sought!, b, ctx.language));
    dial(ctx, target, node.timeoutSeconds);
  },

  dialResult(ctx: StepContext, node: BackupNode, result: DialResult): void {
    const b = dialTargetById(ctx.flow, ctx.state.t ?? '');
    if (!b) throw new EngineFault(`unknown backup "${ctx.state.t}"`);
    dialFinished(ctx, asDialTarget(b, undefined), node, result);
  },
};

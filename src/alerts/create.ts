import type { Clock } from '../clock';
import type { Config } from '../config';
import type { FlowRegistry } from '../flow/registry';
import type { LiveHub } from '../live/hub';
import type { Logger } from '../log';
import { AlertMonitor, type AlertMonitorOptions } from './monitor';
import { NoAnswerStreaks } from './streaks';
import { alertText } from './text';
import { webhookAlertSender, type WebhookSenderOptions } from './webhook-sender';

export interface AlertDeps {
  config: Config['alerts'];
  live: LiveHub;
  registry: FlowRegistry;
  clock: Clock;
  log: Logger;
  /** Tests post to a stand-in receiver through this, and skip the waits between retries. */
  post?: WebhookSenderOptions['post'];
  sleep?: WebhookSenderOptions['sleep'];
  /** Callbacks open past their deadline (reception/callback-watch.ts). */
  overdueCallbacks?: AlertMonitorOptions['overdueCallbacks'];
}

/** A person's name or a department's label, from the flow a call ran, else the current one. */
function streakLabel(registry: FlowRegistry) {
  return ({ target, targetKind, flowId }: { target: string; targetKind: string; flowId: string | null }): string => {
    const flows = [flowId ? registry.get(flowId) : null, ...registry.list()];
    for (const f of flows) {
      const label = targetKind === 'person' ? f?.directory[target]?.name : f?.targets[target]?.label;
      if (label) return label;
    }
    return targetKind === 'person' ? `anknytning ${target}` : target;
  };
}

/** The alert monitor, wired to the live view (boards in, alerts shown) and, when configured, the webhook. */
export function createAlertMonitor(deps: AlertDeps): AlertMonitor {
  const { config } = deps;
  const sender =
    config.webhookUrl && config.webhookSecret
      ? webhookAlertSender({ url: config.webhookUrl, secret: config.webhookSecret, log: deps.log, post: deps.post, sleep: deps.sleep })
      : undefined;
  const monitor: AlertMonitor = new AlertMonitor({
    settings: { waitMinutes: config.waitMinutes, queueLength: config.queueLength, noAnswerStreak: config.noAnswerStreak, serviceLevelMinCalls: config.serviceLevelMinCalls },
    now: () => deps.clock.now(),
    boards: () => deps.live.queueBoards(),
    streaks: new NoAnswerStreaks(streakLabel(deps.registry)),
    flowOf: (callSid) => deps.live.flowOf(callSid),
    overdueCallbacks: deps.overdueCallbacks,
    sender,
    onChange: () =>
      deps.live.setAlerts(
        monitor.active().map(({ alert, raisedAt }) => {
          const { key, kind, ...figures } = alert;
          return { key, kind, text: alertText({ state: 'raised', alert, raisedAt, clearedAt: null }), raisedAt, figures };
        }),
      ),
  });
  return monitor;
}

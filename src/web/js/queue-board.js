// The queues on the live board: one panel per queue (who waits now, in order, how long and where
// they came from; the longest wait; operators on calls; today's service level and the last half
// hour's), and the active alerts. Built from the socket's `queues` and `alerts`; the waits tick.
import { t } from './i18n.js';
import { clock, duration, num, pct, timeOfDay, unit } from './format.js';
import { el } from './view-parts.js';

/** Where a queued caller came from, as a clause ending in ", ": "sökte Anna Lind, svarade inte, ". Empty when they chose the queue. */
export function cameFromText(from) {
  if (!from) return '';
  const who = from.label ?? (from.targetKind === 'person' ? t('live.party.extension', { ext: from.target }) : from.target);
  const why = from.targetKind === 'person' && from.reason === 'no-answer' ? t('queue.why.person.no-answer') : t(`queue.why.${from.reason}`);
  return `${t('queue.sought', { who, why })}, `;
}

/** "73 % inom 60 s, mål 80 %"; without the target when `target` is null. */
export function serviceLevelText(share, seconds, target = null) {
  if (share === null || share === undefined) return '–';
  const within = t('queue.slWithin', { share: pct(share), seconds: unit(seconds, 'second') });
  return target === null ? within : t('queue.slTarget', { within, target: pct(target) });
}

const waitedText = (prefix, ms) => `${prefix}${t('queue.waited', { time: duration(ms) })}`;

function stat(key, label, value, sub) {
  const box = el('div', 'stat');
  box.dataset.stat = key;
  const dd = el('dd', 'stat-value');
  if (value instanceof Node) dd.append(value);
  else dd.textContent = value;
  box.append(el('dt', 'stat-label', label), dd);
  if (sub) box.append(el('dd', 'stat-sub', sub));
  return { box, dd };
}

/** One queue's panel. `now` is the server's clock. */
function queuePanel(b, now) {
  const id = `queue-title-${b.queue.replace(/[^\w-]/g, '_')}`;
  const panel = el('section', 'card queue-board');
  panel.dataset.queue = b.queue;
  panel.setAttribute('aria-labelledby', id);
  const head = el('div', 'queue-head');
  const h2 = el('h2', '', t('queue.title', { label: b.label }));
  h2.id = id;
  head.append(h2, el('span', `waiting-count${b.waiting.length ? ' has-waiting' : ''}`, t('queue.waitingCount', { n: num(b.waiting.length) })));
  panel.append(head);

  const stats = el('dl', 'queue-stats');
  const longest = stat('longest', t('queue.longest'), b.longestWaitingSince === null ? '–' : duration(now - b.longestWaitingSince));
  if (b.longestWaitingSince !== null) longest.dd.dataset.since = String(b.longestWaitingSince);
  const below = (share) => share !== null && share < b.target.share;
  const today = stat(
    'today',
    t('queue.today'),
    serviceLevelText(b.today.serviceLevel, b.target.seconds, b.target.share),
    t('queue.todaySub', { offered: num(b.today.offered), answered: num(b.today.answered), abandoned: num(b.today.abandoned) }),
  );
  today.dd.classList.toggle('sl-below', below(b.today.serviceLevel));
  const recent = stat('recent', t('queue.recent'), serviceLevelText(b.lastHalfHour.serviceLevel, b.target.seconds), t('queue.recentSub', { n: num(b.lastHalfHour.settled) }));
  recent.dd.classList.toggle('sl-below', below(b.lastHalfHour.serviceLevel));
  const ops = el('ul', 'on-calls');
  for (const o of b.onCalls) {
    const li = el('li');
    const timer = el('span', 'oncall-timer', clock(now - o.since));
    timer.dataset.since = String(o.since);
    li.append(el('span', 'name', o.operatorName ?? o.operator), ' ', timer);
    ops.append(li);
  }
  const onCalls = stat('onCalls', t('queue.onCalls'), b.onCalls.length ? ops : t('queue.noneOnCalls'));
  stats.append(longest.box, today.box, recent.box, onCalls.box);
  panel.append(stats);

  const list = el('ol', 'waiting');
  list.setAttribute('aria-label', t('queue.waitingNow'));
  for (const w of b.waiting) {
    const li = el('li');
    li.dataset.callSid = w.callSid;
    const came = el('span', 'came', waitedText(cameFromText(w.cameFrom), now - w.joinedAt));
    came.dataset.prefix = cameFromText(w.cameFrom);
    came.dataset.since = String(w.joinedAt);
    li.append(el('span', 'sid', `#${w.shortId}`), ' ', came);
    list.append(li);
  }
  if (!b.waiting.length) list.append(el('li', 'lane-none', t('queue.nobodyWaiting')));
  panel.append(list);
  return panel;
}

/** Draws every queue's panel; the container is hidden while there are none. */
export function renderQueueBoards(container, boards, now) {
  container.replaceChildren(...boards.map((b) => queuePanel(b, now)));
  container.hidden = !boards.length;
}

/** The alert in the page's language from its figures; the server's Swedish sentence when they are missing. */
export function alertText(a) {
  const f = a.figures;
  if (!f || !['service-level', 'long-wait', 'queue-length', 'no-answers'].includes(a.kind)) return a.text;
  // A long wait in whole minutes: the sentence changes once a minute, not with every figure the server sends.
  const minutes = (ms) => duration(Math.floor(ms / 60_000) * 60_000);
  return t(`alert.${a.kind}`, {
    label: f.label,
    share: pct(f.share),
    target: pct(f.target),
    seconds: unit(f.seconds ?? 0, 'second'),
    waited: minutes(f.waitedMs ?? 0),
    limit: a.kind === 'long-wait' ? duration(f.limitMs) : num(f.limit),
    waiting: num(f.waiting),
    count: num(f.count),
  });
}

/**
 * The active alerts, each an item of the live region: a new alert is added (and announced), a
 * cleared one removed, one whose figures changed has its text replaced in place (not announced).
 */
export function renderAlerts(list, alerts) {
  const keep = new Set(alerts.map((a) => a.key));
  for (const li of [...list.children]) if (!keep.has(li.dataset.alert)) li.remove();
  const byKey = new Map([...list.children].map((li) => [li.dataset.alert, li]));
  for (const a of alerts) {
    let li = byKey.get(a.key);
    const text = alertText(a);
    if (!li) {
      li = el('li', `alert alert-${a.kind}`);
      li.dataset.alert = a.key;
      const time = el('time', '', timeOfDay(a.raisedAt));
      time.dateTime = new Date(a.raisedAt).toISOString();
      const since = el('span', 'alert-since');
      since.append(`${t('live.alerts.since')} `, time);
      li.append(el('span', 'alert-icon', '!'), el('span', 'alert-text', text), since);
      li.firstChild.setAttribute('aria-hidden', 'true');
      list.append(li);
    } else {
      const span = li.querySelector('.alert-text');
      if (span.textContent !== text) span.textContent = text;
      const since = li.querySelector('.alert-since');
      if (since.firstChild.textContent !== `${t('live.alerts.since')} `) since.firstChild.textContent = `${t('live.alerts.since')} `;
      since.querySelector('time').textContent = timeOfDay(a.raisedAt);
    }
  }
}

/** Moves the queues' clocks on. */
export function tickQueues(root, now) {
  for (const e of root.querySelectorAll('.queue-board .came[data-since]')) e.textContent = waitedText(e.dataset.prefix, now - Number(e.dataset.since));
  for (const e of root.querySelectorAll('.queue-board [data-stat="longest"] .stat-value[data-since]')) e.textContent = duration(now - Number(e.dataset.since));
  for (const e of root.querySelectorAll('.queue-board .oncall-timer[data-since]')) e.textContent = clock(now - Number(e.dataset.since));
}

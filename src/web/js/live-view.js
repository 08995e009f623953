// The live board: calls by where they are now, today's counters and the latest fallbacks, each
// queue's panel and the active alerts, kept from the socket's snapshot and changes. Times tick in
// the browser from the server's clock.
import { t } from './i18n.js';
import { clock, duration, longDate, num, timeOfDay } from './format.js';
import { renderAlerts, renderQueueBoards, tickQueues } from './queue-board.js';

const LANES = ['menu', 'ringing', 'operator', 'talking', 'survey'];

function laneOf(call) {
  if (call.phase === 'ringing') return call.party === 'operator' ? 'operator' : 'ringing';
  // In a queue for the operators: waiting for the switchboard, as a ringing operator is.
  if (call.phase === 'queued') return 'operator';
  return call.phase;
}

function partyText(call) {
  if (!call.party) return '';
  if (call.party === 'person') return t('live.party.extension', { ext: call.partyLabel ?? '' });
  if (call.party === 'operator') return t('live.party.operator');
  return call.partyLabel ?? t('live.party.department');
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class LiveView {
  constructor(root) {
    this.root = root;
    this.calls = new Map();
    this.fallbacks = [];
    this.counters = null;
    this.queues = [];
    this.alerts = [];
    this.offset = 0;
    this.ticker = null;
    /** Card elements by call, reused so an update does not redraw (and re-animate) every card. */
    this.cards = new Map();
  }

  serverNow() {
    return Date.now() + this.offset;
  }

  /** Applies one socket message. */
  handle(m) {
    if (typeof m.now === 'number') this.offset = m.now - Date.now();
    if (m.type === 'snapshot') {
      this.day = m.day;
      this.calls = new Map(m.calls.map((c) => [c.callSid, c]));
      this.fallbacks = m.fallbacks;
      this.counters = m.counters;
      this.queues = m.queues ?? [];
      this.alerts = m.alerts ?? [];
      this.render();
    } else if (m.type === 'changes') {
      for (const c of m.changes) {
        if (c.type === 'call') this.calls.set(c.call.callSid, c.call);
        else if (c.type === 'call.removed') this.calls.delete(c.callSid);
        else if (c.type === 'counters') {
          if (c.day !== this.day) this.fallbacks = [];
          this.day = c.day;
          this.counters = c.counters;
        }
        else if (c.type === 'fallback') this.fallbacks = [c.fallback, ...this.fallbacks.filter((f) => f.key !== c.fallback.key)].sort((a, b) => b.at - a.at).slice(0, 25);
        else if (c.type === 'queues') this.queues = c.queues;
        else if (c.type === 'alerts') this.alerts = c.alerts;
      }
      this.render();
    }
    if (!this.ticker) this.ticker = setInterval(() => this.tick(), 1000);
  }

  stop() {
    clearInterval(this.ticker);
    this.ticker = null;
  }

  render() {
    this.renderDay();
    renderAlerts(this.root.querySelector('#live-alerts'), this.alerts);
    renderQueueBoards(this.root.querySelector('#queue-boards'), this.queues, this.serverNow());
    this.renderCounters();
    this.renderBoard();
    this.renderFallbacks();
    this.renderEnded();
  }

  renderDay() {
    const day = this.root.querySelector('#live-day');
    if (day && this.day) day.textContent = longDate(this.day);
  }

  renderCounters() {
    for (const e of this.root.querySelectorAll('[data-counter]')) e.textContent = this.counters ? num(this.counters[e.dataset.counter]) : '–';
    const active = [...this.calls.values()].filter((c) => c.phase !== 'ended').length;
    this.root.querySelector('#active-count').textContent = num(active);
  }

  renderBoard() {
    const byLane = new Map(LANES.map((l) => [l, []]));
    for (const c of this.calls.values()) if (c.phase !== 'ended') byLane.get(laneOf(c))?.push(c);
    for (const lane of LANES) {
      const box = this.root.querySelector(`[data-lane="${lane}"]`);
      const list = box.querySelector('.cards');
      const calls = byLane.get(lane).sort((a, b) => a.phaseSince - b.phaseSince);
      box.querySelector('.count').textContent = calls.length ? `(${calls.length})` : '';
      box.classList.toggle('lane-empty', !calls.length);
      list.replaceChildren(...calls.map((c) => this.card(c)));
      if (!calls.length) list.append(el('li', 'lane-none', t('live.lane.none')));
    }
    for (const sid of this.cards.keys()) if (!this.calls.has(sid) || this.calls.get(sid).phase === 'ended') this.cards.delete(sid);
  }

  card(c) {
    let li = this.cards.get(c.callSid);
    if (!li) {
      li = el('li');
      li.dataset.callSid = c.callSid;
      li.classList.add('call-new');
      this.cards.set(c.callSid, li);
    } else li.classList.remove('call-new');
    li.className = `call call-${c.phase}${c.party ? ' party-' + c.party : ''}${li.classList.contains('call-new') ? ' call-new' : ''}`;
    li.replaceChildren();
    const top = el('div', 'call-top');
    top.append(el('span', 'sid', `#${c.shortId}`));
    const timer = el('span', 'timer', clock(this.serverNow() - c.phaseSince));
    timer.dataset.since = String(c.phaseSince);
    timer.title = t('live.card.inPhase');
    top.append(timer);
    li.append(top);
    const detail = el('div', 'call-detail');
    const what =
      c.phase === 'menu' ? (c.nodeLabel ?? c.nodeId ?? '') : c.phase === 'survey' ? t('live.card.survey') : c.phase === 'queued' ? t('live.card.queued', { queue: c.partyLabel ?? '' }) : partyText(c);
    detail.append(el('span', 'what', what));
    li.append(detail);
    const meta = el('div', 'call-meta');
    const total = el('span', 'total', t('live.card.total', { time: clock(this.serverNow() - c.startedAt) }));
    total.dataset.started = String(c.startedAt);
    meta.append(total);
    if (c.keyPresses) meta.append(el('span', 'keys', t('live.card.keys', { n: c.keyPresses })));
    if (c.fallbacks) meta.append(el('span', 'badge badge-warn', t('live.card.fallbacks', { n: c.fallbacks })));
    if (c.language && !c.language.startsWith('sv')) meta.append(el('span', 'badge', c.language.slice(0, 2).toUpperCase()));
    li.append(meta);
    return li;
  }

  renderFallbacks() {
    const list = this.root.querySelector('#fallback-list');
    list.replaceChildren(
      ...this.fallbacks.slice(0, 12).map((f) => {
        const li = el('li', `fb fate-${f.fate}`);
        li.dataset.key = f.key;
        const top = el('div', 'fb-top');
        const time = el('time', '', timeOfDay(f.at));
        time.dateTime = new Date(f.at).toISOString();
        top.append(time, el('span', 'sid', `#${f.shortId}`));
        const chip = el('span', `chip chip-${f.fate}`);
        if (f.fate === 'pending') {
          // Counted, as the time lost is, from when the phone nobody answered began to ring.
          const since = f.ringStartedAt ?? f.at;
          chip.textContent = t('live.fate.pending', { time: clock(this.serverNow() - since) });
          chip.dataset.since = String(since);
        } else chip.textContent = t(`live.fate.${f.fate}`, { time: duration(f.lostMs) });
        top.append(chip);
        const path = el('div', 'fb-path');
        const from = f.targetKind === 'person' ? t('live.party.extension', { ext: f.target }) : (f.targetLabel ?? f.target);
        path.append(el('span', 'from', from), el('span', 'arrow', ' → '), el('span', 'route', f.routeLabel ?? f.route));
        const reason = el('div', 'fb-reason muted small', t(`reason.${f.reason}`));
        li.append(top, path, reason);
        return li;
      }),
    );
    this.root.querySelector('#fallback-empty').hidden = this.fallbacks.length > 0;
  }

  renderEnded() {
    const ended = [...this.calls.values()].filter((c) => c.phase === 'ended').sort((a, b) => b.endedAt - a.endedAt).slice(0, 8);
    this.root.querySelector('#ended-list').replaceChildren(
      ...ended.map((c) => {
        const li = el('li', `ended ending-${c.ending}`);
        li.append(el('span', 'sid', `#${c.shortId}`), el('span', 'chip chip-' + c.ending, t(`live.ending.${c.ending}`)), el('span', 'muted', clock(c.endedAt - c.startedAt)));
        return li;
      }),
    );
    this.root.querySelector('.ended-title').hidden = !ended.length;
  }

  tick() {
    const now = this.serverNow();
    for (const e of this.root.querySelectorAll('.timer[data-since]')) e.textContent = clock(now - Number(e.dataset.since));
    for (const e of this.root.querySelectorAll('.total[data-started]')) e.textContent = t('live.card.total', { time: clock(now - Number(e.dataset.started)) });
    for (const e of this.root.querySelectorAll('.chip[data-since]')) e.textContent = t('live.fate.pending', { time: clock(now - Number(e.dataset.since)) });
    tickQueues(this.root, now);
  }

  setStatus(state) {
    const conn = this.root.querySelector('#conn');
    conn.dataset.state = state;
    conn.querySelector('.conn-text').textContent = t(`live.conn.${state}`);
  }
}

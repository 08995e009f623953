// Återuppringningar (reception and admins): the callers who asked to be called back, the longest
// waiting first (GET /api/callbacks), filtered by state; each with whom they sought, how long they have
// waited, the promise's deadline (overdue said in words as well as colour), who has it and the tries.
// "Ta" assigns it to oneself, a colleague is chosen from the reception users (GET /api/callbacks/assignees),
// "Ingen svarade" records a try with an optional note, "Klar" closes it. The number is shown masked;
// "Visa numret" fetches it in clear (GET /api/callbacks/:id/number, on the audit trail) into the row as
// a tel: link, kept only in the page until the list is drawn again, never in storage.
import { api, session } from './api.js';
import { addDays, dateTime, duration, timeOfDay, wallClockParts, weekdayDateTime } from './format.js';
import { t } from './i18n.js';
import { el, table } from './view-parts.js';

export const CALLBACK_STATES = ['open', 'overdue', 'done', 'expired', 'all'];

/**
 * A Swedish number as people write it: "070-123 45 67", "08-123 456 78", "031-12 34 56",
 * "0480-123 45". Numbers from abroad stay as E.164.
 */
export function swedishNumber(e164) {
  if (!/^\+46[1-9]\d{6,9}$/.test(e164)) return e164;
  const national = '0' + e164.slice(3);
  // Area codes: 08 (two digits); mobiles and the larger areas three; the rest four.
  const THREE = /^0(7\d|10|11|13|16|18|19|20|21|23|26|31|33|35|36|40|42|44|46|54|60|63|90)/;
  const area = national.startsWith('08') ? 2 : THREE.test(national) ? 3 : 4;
  const sub = national.slice(area);
  const groups = { 5: [3, 2], 6: [2, 2, 2], 7: [3, 2, 2], 8: [3, 3, 2] }[sub.length];
  if (!groups) return `${national.slice(0, area)}-${sub}`;
  const parts = [];
  let at = 0;
  for (const g of groups) {
    parts.push(sub.slice(at, at + g));
    at += g;
  }
  return `${national.slice(0, area)}-${parts.join(' ')}`;
}

/** The promise in words, by the municipality's clock: "senast i dag 15:00", "senast i morgon 09:00". */
export function deadlineWords(deadline, now = session.serverNow(), timeZone = session.timeZone) {
  if (!deadline) return t('callbacks.by.none');
  const at = Date.parse(deadline);
  const day = wallClockParts(at, timeZone).date;
  const today = wallClockParts(now, timeZone).date;
  if (day === today) return t('callbacks.by.today', { time: timeOfDay(at) });
  if (day === addDays(today, 1)) return t('callbacks.by.tomorrow', { time: timeOfDay(at) });
  return t('callbacks.by.day', { time: weekdayDateTime(at, timeZone) });
}

/** The open and overdue callbacks, for the tab's count (counts only: not a read of anyone's request). */
export function callbackCounts() {
  return api('/callbacks/counts');
}

/** The tab's count: how many wait, and how many of them are overdue, in words (not colour alone). */
export function renderBadge(badge, counts) {
  badge.hidden = !counts || counts.open === 0;
  if (!counts) return;
  badge.textContent = t(counts.overdue ? 'callbacks.badgeOverdue' : 'callbacks.badge', counts);
  badge.classList.toggle('badge-overdue', counts.overdue > 0);
  badge.title = t('callbacks.badgeLabel', counts);
}

export class CallbacksView {
  /** onCounts({open, overdue}) is told after each load of the open ones (the tab's badge). */
  constructor(root, { onCounts } = {}) {
    this.root = root;
    this.onCounts = onCounts;
    this.form = root.querySelector('#callbacks-filter');
    this.dialog = document.querySelector('#callback-tried-dialog');
    this.callbacks = null;
    this.assignees = [];
    /** Clear numbers fetched on request, by callback id: in this page only, dropped at the next load. */
    this.numbers = new Map();
    /** The rows whose history is open, by callback id: kept open across a reload. */
    this.openHistory = new Set();
    this.seq = 0;
    this.fillFilter();
    this.form.addEventListener('submit', (ev) => ev.preventDefault());
    this.form.addEventListener('change', () => this.load());
    this.bindDialog();
  }

  async show() {
    if (!this.assigneesLoaded) {
      this.assignees = await api('/callbacks/assignees').then(
        (r) => r.assignees,
        () => [],
      );
      this.assigneesLoaded = true;
    }
    await this.load();
  }

  fillFilter() {
    const select = this.form.elements.state;
    const keep = select.value || 'open';
    select.replaceChildren(...CALLBACK_STATES.map((s) => new Option(t(`callbacks.state.${s}`), s)));
    select.value = keep;
  }

  notice(text) {
    const n = this.root.querySelector('#callbacks-notice');
    n.textContent = text ?? '';
    n.hidden = !text;
  }

  status(text) {
    this.root.querySelector('#callbacks-status').textContent = text ?? '';
  }

  get state() {
    return this.form.elements.state.value || 'open';
  }

  async load() {
    const seq = ++this.seq;
    this.root.dataset.state = 'loading';
    try {
      const res = await api(`/callbacks?state=${encodeURIComponent(this.state)}`);
      if (seq !== this.seq) return;
      // The longest waiting first.
      this.callbacks = res.callbacks.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
      this.numbers.clear();
      this.notice(null);
      this.render();
      this.root.dataset.state = 'ready';
      if (this.state === 'open') this.onCounts?.({ open: this.callbacks.length, overdue: this.callbacks.filter((c) => c.state === 'overdue').length });
      else callbackCounts().then((c) => this.onCounts?.(c), () => {});
    } catch (err) {
      if (seq !== this.seq) return;
      this.root.dataset.state = 'error';
      this.notice(t('callbacks.failed', { message: err.message }));
    }
  }

  nameOf(email) {
    if (!email) return null;
    return this.assignees.find((a) => a.email === email)?.name ?? (email === session.user?.email ? session.user.name : email);
  }

  /** Whom the caller sought, as staff know them. */
  sought(c) {
    return c.sought.label ?? c.sought.target ?? t('callbacks.unknownTarget');
  }

  button(text, label, onClick, action, cls = 'button secondary') {
    const b = el('button', cls, text);
    b.type = 'button';
    if (label) b.setAttribute('aria-label', label);
    b.dataset.action = action;
    b.addEventListener('click', onClick);
    return b;
  }

  render() {
    if (!this.callbacks) return;
    const named = (key, c) => t(key, { who: this.sought(c), time: dateTime(Date.parse(c.requestedAt)) });
    const open = (c) => c.state === 'open' || c.state === 'overdue';
    const out = table(
      [
        {
          head: t('callbacks.when'),
          cell: (c) => {
            const time = el('time', '', dateTime(Date.parse(c.requestedAt)));
            time.dateTime = c.requestedAt;
            return time;
          },
          className: 'text nowrap',
        },
        {
          head: t('callbacks.sought'),
          cell: (c) => {
            const cell = el('div', 'callback-sought');
            cell.append(el('span', '', this.sought(c)));
            if (c.pressed.length) cell.append(el('span', 'muted small', t('callbacks.pressed', { keys: c.pressed.join(', ') })));
            return cell;
          },
          className: 'text',
        },
        { head: t('callbacks.waited'), cell: (c) => duration(c.waitedMs), className: 'text' },
        {
          head: t('callbacks.deadline'),
          cell: (c) => {
            if (c.state === 'done') return t('callbacks.doneAt', { time: dateTime(Date.parse(c.closedAt)) });
            if (c.state === 'expired') return el('span', 'muted', t('callbacks.expiredAt', { time: dateTime(Date.parse(c.closedAt)) }));
            const words = deadlineWords(c.deadline);
            if (c.state !== 'overdue') return words;
            const s = el('strong', 'callback-overdue', t('callbacks.overdueWords', { deadline: words }));
            return s;
          },
          className: 'text',
        },
        { head: t('callbacks.assigned'), cell: (c) => this.nameOf(c.assignedTo) ?? el('span', 'muted', t('callbacks.nobody')), className: 'text' },
        { head: t('callbacks.tries'), cell: (c) => String(c.tries) },
        { head: t('callbacks.number'), cell: (c) => this.numberCell(c, named), className: 'text nowrap' },
        { head: t('callbacks.actions'), cell: (c) => (open(c) ? this.actions(c, named) : '–'), className: 'text' },
        { head: t('callbacks.history'), cell: (c) => this.history(c), className: 'text' },
      ],
      this.callbacks,
      t(`callbacks.none.${this.state}`),
    );
    out.id = 'callbacks-table';
    for (const [i, tr] of [...out.tBodies[0].rows].entries()) {
      const c = this.callbacks[i];
      if (!c) continue;
      tr.dataset.id = c.id;
      tr.dataset.state = c.state;
      if (c.state === 'overdue') tr.classList.add('row-overdue');
    }
    this.root.querySelector('#callbacks-table').replaceWith(out);
    this.root.querySelector('#callbacks-shown').textContent = t('callbacks.shown', { n: this.callbacks.length });
  }

  numberCell(c, named) {
    const clear = this.numbers.get(c.id);
    if (clear) {
      const a = el('a', 'callback-number', swedishNumber(clear));
      a.href = `tel:${clear}`;
      a.setAttribute('aria-label', t('callbacks.callNumber', { number: swedishNumber(clear) }));
      return a;
    }
    const cell = el('div', 'callback-number-cell');
    cell.append(el('span', 'muted', c.number ?? '–'));
    // A closed callback is called no more: its number stays masked.
    if (c.number && (c.state === 'open' || c.state === 'overdue')) cell.append(this.button(t('callbacks.showNumber'), named('callbacks.showNumberNamed', c), () => this.showNumber(c), 'number', 'link-button link-dark'));
    return cell;
  }

  actions(c, named) {
    const cell = el('div', 'row-actions');
    const mine = session.user?.email;
    if (session.has('reception') && c.assignedTo !== mine) cell.append(this.button(t('callbacks.take'), named('callbacks.takeNamed', c), () => this.assign(c, mine), 'take'));
    const others = this.assignees.filter((a) => a.email !== c.assignedTo);
    if (others.length) {
      const select = el('select', 'callback-assign');
      select.setAttribute('aria-label', named('callbacks.assignToNamed', c));
      select.dataset.action = 'assign';
      select.append(new Option(t('callbacks.assignChoose'), ''), ...others.map((a) => new Option(a.name, a.email)));
      select.addEventListener('change', () => select.value && this.assign(c, select.value));
      cell.append(select);
    }
    cell.append(this.button(t('callbacks.tried'), named('callbacks.triedNamed', c), () => this.askTried(c), 'tried'));
    cell.append(this.button(t('callbacks.done'), named('callbacks.doneNamed', c), () => this.act(c, 'done', undefined, t('callbacks.didDone')), 'done'));
    return cell;
  }

  history(c) {
    const details = el('details', 'callback-history');
    details.open = this.openHistory.has(c.id);
    details.addEventListener('toggle', () => (details.open ? this.openHistory.add(c.id) : this.openHistory.delete(c.id)));
    details.append(el('summary', '', t('callbacks.historyCount', { n: c.history.length })));
    if (!c.history.length) {
      details.append(el('p', 'muted small', t('callbacks.historyNone')));
      return details;
    }
    const rows = table(
      [
        {
          head: t('callbacks.history.at'),
          cell: (h) => {
            const time = el('time', '', dateTime(Date.parse(h.at)));
            time.dateTime = h.at;
            return time;
          },
          className: 'text nowrap',
        },
        { head: t('callbacks.history.what'), cell: (h) => t(`callbacks.action.${h.action}`, { name: this.nameOf(h.assignedTo) ?? '' }), className: 'text' },
        { head: t('callbacks.history.who'), cell: (h) => (h.by ? this.nameOf(h.by) : t('callbacks.system')), className: 'text' },
        { head: t('callbacks.history.note'), cell: (h) => h.note ?? '', className: 'text wrap' },
      ],
      c.history,
      '',
    );
    rows.classList.add('history-table');
    details.append(rows);
    return details;
  }

  async showNumber(c) {
    try {
      const { number } = await api(`/callbacks/${encodeURIComponent(c.id)}/number`);
      this.numbers.set(c.id, number);
      this.notice(null);
      this.render();
      this.root.querySelector(`tr[data-id="${CSS.escape(c.id)}"] a.callback-number`)?.focus();
    } catch (err) {
      this.notice(t('callbacks.numberFailed', { message: err.message }));
    }
  }

  assign(c, email) {
    const name = this.nameOf(email);
    return this.act(c, 'assign', { email }, email === session.user?.email ? t('callbacks.didTake') : t('callbacks.didAssign', { name }));
  }

  /** A change (assign, tried, done); a callback closed meanwhile (409) reloads the list and says so. */
  async act(c, what, body, done) {
    try {
      await api(`/callbacks/${encodeURIComponent(c.id)}/${what}`, { method: 'POST', body: body ?? {} });
      const numbers = new Map(this.numbers);
      await this.load();
      // A number shown stays shown while its callback is being worked.
      if (numbers.has(c.id) && this.callbacks?.some((x) => x.id === c.id)) {
        this.numbers.set(c.id, numbers.get(c.id));
        this.render();
      }
      this.status(done);
    } catch (err) {
      if (err.status === 409) {
        await this.load();
        this.notice(t('callbacks.closed'));
      } else this.notice(t('callbacks.actionFailed', { message: err.message }));
    }
  }

  bindDialog() {
    const form = this.dialog.querySelector('form');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const c = this.trying;
      if (!c) return;
      const note = form.elements.note.value.trim();
      this.dialog.close();
      await this.act(c, 'tried', note ? { note } : {}, t('callbacks.didTry'));
    });
    this.dialog.querySelector('[data-action="cancel"]').addEventListener('click', () => this.dialog.close());
    this.dialog.addEventListener('close', () => {
      const c = this.trying;
      this.trying = null;
      if (c) this.root.querySelector(`tr[data-id="${CSS.escape(c.id)}"] [data-action="tried"]`)?.focus();
    });
  }

  askTried(c) {
    this.trying = c;
    const form = this.dialog.querySelector('form');
    form.reset();
    this.dialog.querySelector('#callback-tried-for').textContent = `${this.sought(c)} · ${dateTime(Date.parse(c.requestedAt))}`;
    this.dialog.showModal();
    form.elements.note.focus();
  }

  relabel() {
    this.fillFilter();
    this.render();
  }
}

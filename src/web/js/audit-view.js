// Logg (admins): the audit trail, filtered by who, what, what it concerned and when; each entry's
// time in Swedish, the action in words; the same selection as CSV.
import { api, session } from './api.js';
import { addDays, dateTime, localMidnightIso } from './format.js';
import { t } from './i18n.js';
import { el, table } from './view-parts.js';

/** The actions the trail records (identity/audit-actions.ts), in the order the filter offers them. */
export const AUDIT_ACTIONS = [
  'signin',
  'signin.failed',
  'signout',
  'call.timeline.read',
  'call.read',
  'calls.listed',
  'calls.exported',
  'comments.read',
  'privacy.extract',
  'privacy.erase',
  'audit.read',
  'flows.reload',
  'user.created',
  'user.changed',
  'user.password.changed',
  'user.password.reset',
  'token.created',
  'token.revoked',
  'notice.set',
  'notice.cleared',
  'audit.pruned',
];

/** What happened, in words; an action this page does not know yet by its name. */
export function actionWords(action) {
  const key = `audit.do.${action}`;
  const words = t(key);
  return words === key ? action : words;
}

/** Who did it: a person's address, a service account by its name, the system or someone not signed in. */
export function actorWords(actor) {
  if (actor.startsWith('user:')) return actor.slice(5);
  if (actor.startsWith('service:')) return t('audit.actor.service', { name: actor.slice(8) });
  if (actor === 'system') return t('audit.actor.system');
  if (actor === 'anonymous') return t('audit.actor.anonymous');
  return actor;
}

export class AuditView {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector('#audit-filters');
    this.records = [];
    this.next = null;
    this.loaded = false;
    this.fillActions();
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.load();
    });
    this.form.addEventListener('input', () => this.updateCsvLink());
    root.querySelector('#audit-more').addEventListener('click', () => this.load({ more: true }));
  }

  async show() {
    if (!this.loaded) await this.load();
  }

  fillActions() {
    const select = this.form.elements.action;
    const keep = select.value;
    select.replaceChildren(new Option(t('audit.allActions'), ''), ...AUDIT_ACTIONS.map((a) => new Option(actionWords(a), a)));
    select.value = keep;
  }

  /** The filters as the API's query: an e-mail or whole actor, an action, an object, the days as instants. */
  query() {
    const f = this.form.elements;
    const q = new URLSearchParams();
    for (const name of ['user', 'action', 'object']) if (f[name].value.trim()) q.set(name, f[name].value.trim());
    if (f.from.value) q.set('from', localMidnightIso(f.from.value, session.timeZone));
    if (f.to.value) q.set('to', localMidnightIso(addDays(f.to.value, 1), session.timeZone));
    return q;
  }

  updateCsvLink() {
    const q = this.query();
    this.root.querySelector('#audit-csv').href = `/api/audit.csv${q.size ? `?${q}` : ''}`;
  }

  notice(text) {
    const n = this.root.querySelector('#audit-notice');
    n.textContent = text ?? '';
    n.hidden = !text;
  }

  async load({ more = false } = {}) {
    const q = this.query();
    // The API answers newest first; "Visa fler" goes on to older entries.
    q.set('limit', '500');
    if (more && this.next?.before) q.set('before', String(this.next.before));
    this.updateCsvLink();
    this.root.dataset.state = 'loading';
    try {
      const res = await api(`/audit?${q}`);
      this.records = more ? [...this.records, ...res.records] : res.records;
      this.next = res.next;
      this.loaded = true;
      this.notice(null);
      this.render();
      this.root.dataset.state = 'ready';
    } catch (err) {
      this.root.dataset.state = 'error';
      this.notice(err.status === 400 ? t('audit.badFilter', { message: err.message }) : t('audit.failed', { message: err.message }));
    }
  }

  render() {
    // Newest first, as one reads a log looking for what just happened (the API's order).
    const rows = this.records;
    const out = table(
      [
        {
          head: t('audit.when'),
          cell: (r) => {
            const time = el('time', '', dateTime(Date.parse(r.at)));
            time.dateTime = r.at;
            return time;
          },
          className: 'text nowrap',
        },
        { head: t('audit.who'), cell: (r) => actorWords(r.actor), className: 'text' },
        { head: t('audit.what'), cell: (r) => actionWords(r.action), className: 'text' },
        { head: t('audit.object'), cell: (r) => r.object ?? '–', className: 'text' },
        { head: t('audit.address'), cell: (r) => r.address ?? '–', className: 'text mono' },
      ],
      rows,
      t('audit.none'),
    );
    out.id = 'audit-table';
    this.root.querySelector('#audit-table').replaceWith(out);
    this.root.querySelector('#audit-more').hidden = this.next === null;
  }

  relabel() {
    this.fillActions();
    if (this.loaded) this.render();
  }
}

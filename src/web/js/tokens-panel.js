// One user's personal API keys: the list (name, created, expiry, last use, revoked), a new key (shown
// once, with a copy button) and revoking. Used for one's own keys and by admins for anyone's.
import { api, session } from './api.js';
import { dateTime } from './format.js';
import { t } from './i18n.js';
import { secretBox } from './secret-once.js';
import { el, table } from './view-parts.js';

let panels = 0;
const when = (iso) => (iso ? dateTime(Date.parse(iso)) : '–');

export class TokensPanel {
  /** @param {HTMLElement} root @param {string} email whose keys @param {{ heading: () => string, headingLevel?: string }} opts */
  constructor(root, email, opts = {}) {
    this.root = root;
    this.email = email;
    this.opts = opts;
    this.id = `tokens-${++panels}`;
    this.tokens = null;
    this.secret = null;
    this.build();
  }

  path(rest = '') {
    return `/users/${encodeURIComponent(this.email)}/tokens${rest}`;
  }

  build() {
    const heading = el(this.opts.headingLevel ?? 'h2', '', this.opts.heading());
    this.list = el('div', 'table-wrap');
    this.list.tabIndex = 0;
    this.form = el('form', 'pickers tokens-form');
    const name = this.field('name', t('tokens.name'), Object.assign(document.createElement('input'), { name: 'name', required: true, maxLength: 80, autocomplete: 'off' }));
    const days = this.field('days', t('tokens.days'), Object.assign(document.createElement('input'), { name: 'days', type: 'number', min: 1, max: 366, value: 90, required: true }));
    const submit = el('button', 'primary', t('tokens.create'));
    submit.type = 'submit';
    this.form.append(name, days, submit);
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.create();
    });
    this.message = el('p', 'error');
    this.message.setAttribute('role', 'alert');
    this.message.hidden = true;
    this.secretSlot = el('div');
    this.root.replaceChildren(heading, this.list, el('h3', '', t('tokens.new')), this.form, this.message, this.secretSlot);
  }

  field(name, text, input) {
    const label = el('label');
    input.id = `${this.id}-${name}`;
    label.htmlFor = input.id;
    label.append(el('span', '', text), ' ', input);
    return label;
  }

  async load() {
    try {
      this.tokens = (await api(this.path())).tokens;
      this.render();
    } catch (err) {
      this.fail(err);
    }
  }

  fail(err) {
    this.message.textContent = t('tokens.failed', { message: err.message });
    this.message.hidden = false;
  }

  status(tok) {
    if (tok.revokedAt) return t('tokens.revokedAt', { when: when(tok.revokedAt) });
    // The server's clock, not this computer's, says whether a key still works.
    if (Date.parse(tok.expiresAt) <= session.serverNow()) return t('tokens.expired');
    return t('tokens.valid');
  }

  render() {
    if (!this.tokens) return;
    const rows = [...this.tokens].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const out = table(
      [
        { head: t('tokens.name'), cell: (k) => k.name, className: 'text' },
        { head: t('tokens.created'), cell: (k) => when(k.createdAt), className: 'text' },
        { head: t('tokens.expires'), cell: (k) => when(k.expiresAt), className: 'text' },
        { head: t('tokens.lastUsed'), cell: (k) => (k.lastUsedAt ? when(k.lastUsedAt) : t('tokens.never')), className: 'text' },
        { head: t('tokens.status'), cell: (k) => this.status(k), className: 'text' },
        {
          head: t('tokens.actions'),
          cell: (k) => {
            if (k.revokedAt) return '';
            const b = el('button', 'button secondary', t('tokens.revoke'));
            b.type = 'button';
            b.dataset.tokenId = k.id;
            b.setAttribute('aria-label', t('tokens.revokeNamed', { name: k.name }));
            b.addEventListener('click', () => this.revoke(k));
            return b;
          },
          className: 'text',
        },
      ],
      rows,
      t('tokens.none'),
    );
    out.classList.add('tokens-table');
    this.list.replaceChildren(out);
  }

  async create() {
    const f = this.form.elements;
    this.message.hidden = true;
    try {
      const made = await api(this.path(), { method: 'POST', body: { name: f.name.value.trim(), expiresInDays: Number(f.days.value) } });
      this.form.reset();
      this.secretSlot.replaceChildren(secretBox({ label: t('tokens.shownOnce', { name: made.name, expires: when(made.expiresAt) }), note: t('tokens.note'), value: made.token }));
      await this.load();
    } catch (err) {
      this.fail(err);
    }
  }

  async revoke(tok) {
    if (!confirm(t('tokens.confirmRevoke', { name: tok.name }))) return;
    this.message.hidden = true;
    try {
      await api(this.path(`/${encodeURIComponent(tok.id)}`), { method: 'DELETE' });
      this.secretSlot.replaceChildren();
      await this.load();
    } catch (err) {
      this.fail(err);
    }
  }

  relabel() {
    // Headings and labels are built in the language of the moment: rebuilt, then the list drawn again.
    const secret = this.secretSlot.firstChild;
    this.build();
    if (secret) this.secretSlot.append(secret);
    this.render();
  }
}

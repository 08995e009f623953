// Användare (admins): everyone who may use callpath, inviting someone (a local account's temporary
// password shown once), and for one user: their roles, switching them off and on, a new temporary
// password, and their API keys.
import { api } from './api.js';
import { t } from './i18n.js';
import { rolesInWords } from './roles.js';
import { secretBox } from './secret-once.js';
import { TokensPanel } from './tokens-panel.js';
import { el, table } from './view-parts.js';

const ROLES = ['reception', 'analyst', 'admin'];

export class UsersView {
  constructor(root) {
    this.root = root;
    this.users = null;
    this.selected = null;
    this.invite = root.querySelector('#invite-form');
    this.invite.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submitInvite();
    });
    this.detail = root.querySelector('#user-detail');
  }

  async show() {
    if (!this.users) await this.load();
  }

  notice(text) {
    const n = this.root.querySelector('#users-notice');
    n.textContent = text ?? '';
    n.hidden = !text;
  }

  async load() {
    this.root.dataset.state = 'loading';
    try {
      this.users = (await api('/users')).users;
      this.render();
      this.root.dataset.state = 'ready';
    } catch (err) {
      this.root.dataset.state = 'error';
      this.notice(t('users.failed', { message: err.message }));
    }
  }

  /** A user's state in words: avstängd, låst, väntar på eget lösenord; else aktiv. */
  stateWords(u) {
    const words = [];
    if (u.disabled) words.push(t('users.state.disabled'));
    if (u.locked) words.push(t('users.state.locked'));
    if (u.mustChangePassword && u.source === 'local') words.push(t('users.state.newPassword'));
    return words.length ? words.join(', ') : t('users.state.active');
  }

  render() {
    if (!this.users) return;
    const list = table(
      [
        { head: t('users.name'), cell: (u) => u.name, className: 'text' },
        { head: t('users.email'), cell: (u) => u.email, className: 'text' },
        { head: t('users.roles'), cell: (u) => rolesInWords(u.roles) || t('users.noRoles'), className: 'text' },
        { head: t('users.source'), cell: (u) => t(`users.source.${u.source}.short`), className: 'text' },
        { head: t('users.state'), cell: (u) => this.stateWords(u), className: 'text' },
        {
          head: t('users.actions'),
          cell: (u) => {
            const b = el('button', 'button secondary', t('users.open'));
            b.type = 'button';
            b.dataset.email = u.email;
            b.setAttribute('aria-label', t('users.openNamed', { name: u.name }));
            b.addEventListener('click', () => this.select(u.email));
            return b;
          },
          className: 'text',
        },
      ],
      [...this.users].sort((a, b) => a.name.localeCompare(b.name, 'sv')),
      t('users.none'),
    );
    list.id = 'users-table';
    this.root.querySelector('#users-table').replaceWith(list);
    if (this.selected) this.renderDetail();
  }

  async submitInvite() {
    const f = this.invite.elements;
    const error = this.root.querySelector('#invite-error');
    const result = this.root.querySelector('#invite-result');
    const roles = [...f.roles].filter((c) => c.checked).map((c) => c.value);
    error.hidden = true;
    result.replaceChildren();
    if (!roles.length) {
      error.textContent = t('users.invite.needRole');
      error.hidden = false;
      return;
    }
    try {
      const made = await api('/users', { method: 'POST', body: { email: f.email.value.trim(), name: f.name.value.trim(), roles, source: f.source.value } });
      this.invite.reset();
      result.append(
        made.temporaryPassword
          ? secretBox({ label: t('users.invite.password', { name: made.name, email: made.email }), note: t('users.password.note'), value: made.temporaryPassword })
          : el('p', 'notice', t('users.invite.oidc', { name: made.name })),
      );
      await this.load();
    } catch (err) {
      error.textContent = err.status === 409 ? t('users.invite.exists') : t('users.failed', { message: err.message });
      error.hidden = false;
    }
  }

  select(email) {
    this.selected = email;
    this.secret = null;
    this.tokens = null;
    this.renderDetail();
    this.detail.scrollIntoView({ block: 'nearest' });
    this.detail.querySelector('h2').focus();
  }

  /** The chosen user: roles, on/off, a new password, their keys. */
  renderDetail() {
    const u = this.users.find((x) => x.email === this.selected);
    this.detail.hidden = !u;
    if (!u) return;
    const title = this.detail.querySelector('#user-detail-title');
    title.textContent = t('users.detail', { name: u.name, email: u.email });
    title.tabIndex = -1;
    const body = this.detail.querySelector('.user-detail-body');

    const roles = el('form', 'stack-form');
    const set = el('fieldset', 'choices');
    set.append(el('legend', '', t('users.roles')));
    for (const r of ROLES) {
      const box = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'roles', value: r, checked: u.roles.includes(r) });
      const label = el('label');
      label.append(box, ' ', el('span', '', t(`role.${r}`)));
      set.append(label);
    }
    const save = el('button', 'primary', t('users.saveRoles'));
    save.type = 'submit';
    roles.append(set, save);
    roles.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const chosen = [...roles.elements.roles].filter((c) => c.checked).map((c) => c.value);
      this.change(u, { roles: chosen }, t('users.rolesSaved'));
    });

    const actions = el('div', 'user-actions');
    const toggle = el('button', 'button secondary', t(u.disabled ? 'users.enable' : 'users.disable'));
    toggle.type = 'button';
    toggle.id = 'user-toggle';
    toggle.addEventListener('click', () => this.change(u, { disabled: !u.disabled }, t(u.disabled ? 'users.enabled' : 'users.disabled')));
    actions.append(toggle);
    if (u.source === 'local') {
      const reset = el('button', 'button secondary', t('users.reset'));
      reset.type = 'button';
      reset.id = 'user-reset';
      reset.addEventListener('click', () => this.resetPassword(u));
      actions.append(reset);
    }

    this.status ??= el('p', 'small');
    this.status.setAttribute('role', 'status');
    const secretSlot = el('div');
    if (this.secret) secretSlot.append(this.secret);
    const tokensBox = el('section', 'user-tokens');
    if (!this.tokens || this.tokens.email !== u.email) {
      this.tokens = new TokensPanel(tokensBox, u.email, { heading: () => t('tokens.of', { name: u.name }), headingLevel: 'h3' });
      this.tokens.load();
    } else {
      this.tokens.root = tokensBox;
      this.tokens.relabel();
    }
    body.replaceChildren(roles, actions, this.status, secretSlot, tokensBox);
  }

  async change(u, patch, done) {
    try {
      await api(`/users/${encodeURIComponent(u.email)}`, { method: 'PATCH', body: patch });
      this.secret = null;
      this.status.textContent = done;
      this.status.className = 'small';
      await this.load();
    } catch (err) {
      this.status.textContent = t('users.failed', { message: err.message });
      this.status.className = 'small error';
    }
  }

  async resetPassword(u) {
    if (!confirm(t('users.confirmReset', { name: u.name }))) return;
    try {
      const { temporaryPassword } = await api(`/users/${encodeURIComponent(u.email)}/password-reset`, { method: 'POST' });
      this.secret = secretBox({ label: t('users.reset.password', { name: u.name }), note: t('users.password.note'), value: temporaryPassword });
      this.status.textContent = '';
      await this.load();
    } catch (err) {
      this.status.textContent = t('users.failed', { message: err.message });
      this.status.className = 'small error';
    }
  }

  relabel() {
    this.render();
  }
}

// The sign-in view: e-mail and password, or the municipality's account when one is configured; then,
// for a new account or after a reset, choosing one's own password before anything else.
import { changePassword, oidcStartUrl, signInOptions, signInWithPassword } from './auth-client.js';
import { t } from './i18n.js';

const $ = (sel) => document.querySelector(sel);

/** Why a sign-in was refused, in words a receptionist understands. */
export function signInErrorText(err) {
  if (err.code === 'AUTH_LOCKED') {
    const minutes = Math.max(1, Math.ceil((err.details?.retryAfterSec ?? 900) / 60));
    return t(minutes === 1 ? 'auth.locked.one' : 'auth.locked', { minutes });
  }
  if (err.code === 'AUTH_RATE_LIMITED' || err.status === 429) return t('auth.rateLimited');
  if (err.status === 401) return t('auth.invalid');
  return t('auth.failed', { message: err.message });
}

const PASSWORD_PROBLEMS = ['too-short', 'too-long', 'contains-name', 'unchanged'];

/** Why a new password was refused, by the rule the server names; its own message for anything else. */
export function passwordErrorText(err) {
  if (err.status === 403) return t('password.wrongCurrent');
  if (err.status === 400 && PASSWORD_PROBLEMS.includes(err.details?.reason)) return t(`password.problem.${err.details.reason}`);
  if (err.status === 400) return t('password.refused', { message: err.message });
  return t('auth.failed', { message: err.message });
}

export class SignInView {
  /** @param {{ onSignedIn: () => void, onSignOut: () => void, returnTo: () => string }} opts */
  constructor(opts) {
    this.opts = opts;
    this.root = $('#signin');
    this.signInForm = $('#signin-form');
    this.passwordForm = $('#password-form');
    this.oidc = null;
    this.signInForm.addEventListener('submit', (ev) => this.submitSignIn(ev));
    this.passwordForm.addEventListener('submit', (ev) => this.submitPassword(ev));
    $('#password-sign-out').addEventListener('click', () => opts.onSignOut());
  }

  /** Shows the sign-in form; a message from the identity provider's return or an ended session first. */
  async showSignIn(message = null) {
    this.root.hidden = false;
    this.passwordForm.hidden = true;
    this.signInForm.hidden = false;
    this.error('#signin-error', message);
    await this.loadOptions();
    $('#signin-email').focus();
  }

  showPasswordChange() {
    this.root.hidden = false;
    this.signInForm.hidden = true;
    this.passwordForm.hidden = false;
    this.passwordForm.reset();
    this.error('#password-error', null);
    $('#password-current').focus();
  }

  hide() {
    this.root.hidden = true;
  }

  async loadOptions() {
    try {
      this.oidc ??= (await signInOptions()).oidc;
    } catch {
      this.oidc = null;
    }
    const box = $('#signin-oidc');
    box.hidden = !this.oidc;
    if (this.oidc) {
      const link = $('#signin-oidc-link');
      link.textContent = this.oidc.label;
      link.href = oidcStartUrl(this.oidc.start, this.opts.returnTo());
    }
  }

  error(sel, text) {
    const e = $(sel);
    e.textContent = text ?? '';
    e.hidden = !text;
  }

  async submitSignIn(ev) {
    ev.preventDefault();
    const f = this.signInForm.elements;
    await this.busy(this.signInForm, '#signin-error', async () => {
      try {
        await signInWithPassword(f.email.value.trim(), f.password.value);
      } catch (err) {
        f.password.value = '';
        this.error('#signin-error', signInErrorText(err));
        f.password.focus();
        return;
      }
      this.signInForm.reset();
      this.opts.onSignedIn();
    });
  }

  async submitPassword(ev) {
    ev.preventDefault();
    const f = this.passwordForm.elements;
    if (f.next.value !== f.repeat.value) {
      this.error('#password-error', t('password.mismatch'));
      f.repeat.focus();
      return;
    }
    await this.busy(this.passwordForm, '#password-error', async () => {
      try {
        await changePassword(f.current.value, f.next.value);
      } catch (err) {
        this.error('#password-error', passwordErrorText(err));
        (err.status === 403 ? f.current : f.next).focus();
        return;
      }
      this.passwordForm.reset();
      this.opts.onSignedIn();
    });
  }

  /** Runs a submission with its button disabled, so a double click does not send it twice. */
  async busy(form, errorSel, work) {
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    this.error(errorSel, null);
    try {
      await work();
    } finally {
      button.disabled = false;
    }
  }
}

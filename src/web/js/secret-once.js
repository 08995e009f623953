// A secret the server shows once (a temporary password, a new API key): shown with a note on handing
// it over safely and a copy button. It stays only in this page's DOM until the next change replaces
// it; it is never stored.
import { t } from './i18n.js';
import { el } from './view-parts.js';

/** A box with the secret, its label and note; the copy button says whether copying worked. */
export function secretBox({ label, note, value }) {
  const box = el('div', 'secret-once');
  box.setAttribute('role', 'status');
  const code = el('code', 'secret-value', value);
  const copy = el('button', 'button secondary', t('secret.copy'));
  copy.type = 'button';
  const done = el('span', 'small muted');
  done.setAttribute('aria-live', 'polite');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
      done.textContent = t('secret.copied');
    } catch {
      // No clipboard (an old browser, a page over plain http): the text is selected for Ctrl+C instead.
      getSelection().selectAllChildren(code);
      done.textContent = t('secret.select');
    }
  });
  box.append(el('p', 'secret-label', label), code, el('div', 'secret-actions'), el('p', 'small', note));
  box.querySelector('.secret-actions').append(copy, done);
  return box;
}

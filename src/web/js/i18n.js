// Interface text: Swedish by default, English on request. The choice is kept in localStorage.
// Markup names its text with data-i18n (textContent), data-i18n-title, data-i18n-aria-label and
// data-i18n-placeholder; scripts call t(key, vars).
import { DICTIONARY } from './dictionary.js';

const KEY = 'callpath.lang';
let current = localStorage.getItem(KEY) === 'en' ? 'en' : 'sv';
const listeners = new Set();

export const lang = () => current;

/** The text for a key, with {name} placeholders filled; the Swedish text, then the key, when missing. */
export function t(key, vars = {}) {
  const text = DICTIONARY[current][key] ?? DICTIONARY.sv[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
}

export function applyI18n(root = document) {
  document.documentElement.lang = current;
  for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of root.querySelectorAll('[data-i18n-title]')) e.title = t(e.dataset.i18nTitle);
  for (const e of root.querySelectorAll('[data-i18n-aria-label]')) e.setAttribute('aria-label', t(e.dataset.i18nAriaLabel));
  for (const e of root.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = t(e.dataset.i18nPlaceholder);
  for (const b of root.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === current));
}

export function setLang(next) {
  if (next !== 'sv' && next !== 'en') return;
  current = next;
  localStorage.setItem(KEY, next);
  applyI18n();
  for (const fn of listeners) fn(next);
}

export function onLangChange(fn) {
  listeners.add(fn);
}

/** Wires the SV/EN buttons. */
export function bindLangButtons(root = document) {
  for (const b of root.querySelectorAll('[data-lang]')) b.addEventListener('click', () => setLang(b.dataset.lang));
}

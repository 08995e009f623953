// The dashboard page: sign-in, tabs, the live board, and the metrics views (loaded when opened).
import { resumeSession, session, signIn } from './api.js';
import { HealthBanner } from './health-banner.js';
import { applyI18n, bindLangButtons, onLangChange, t } from './i18n.js';
import { LiveConnection } from './live-client.js';
import { LiveView } from './live-view.js';
import { MetricsView } from './metrics-view.js';
import { MenusView } from './menus-view.js';

const $ = (sel) => document.querySelector(sel);
const TABS = ['live', 'metrics', 'menus'];

const liveView = new LiveView(document.body);
const health = new HealthBanner($('#health-banner'));
let live = null;
let lastStatus = 'connecting';
const views = { metrics: null, menus: null };

function showSignedIn(signedIn) {
  for (const e of document.querySelectorAll('[data-when="signed-in"]')) e.hidden = !signedIn;
  $('#signin').hidden = signedIn;
  const admin = session.role === 'admin';
  for (const e of document.querySelectorAll('[data-role="admin"]')) e.hidden = !signedIn || !admin;
  const badge = $('#role-badge');
  badge.textContent = session.role ? t(`role.${session.role}`) : '';
  badge.dataset.role = session.role ?? '';
  document.body.dataset.role = session.role ?? '';
}

function startLive() {
  live?.stop();
  live = new LiveConnection({
    token: () => session.token,
    onMessage: (m) => liveView.handle(m),
    onStatus: (s) => {
      lastStatus = s;
      liveView.setStatus(s);
    },
    onUnauthorized: () => session.clear(),
  });
  live.start();
}

function openTab(name) {
  if (!TABS.includes(name)) name = 'live';
  for (const b of document.querySelectorAll('.tab[data-tab]')) {
    b.setAttribute('aria-selected', String(b.dataset.tab === name));
    // One tab in the page's tab order, the selected one; the arrow keys move between them (WAI-ARIA tabs).
    b.tabIndex = b.dataset.tab === name ? 0 : -1;
  }
  for (const tab of TABS) $(`#view-${tab}`).hidden = tab !== name;
  if (name === 'metrics') (views.metrics ??= new MetricsView($('#view-metrics'))).show();
  if (name === 'menus') (views.menus ??= new MenusView($('#view-menus'))).show();
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
}

async function enter() {
  showSignedIn(true);
  startLive();
  health.start();
  openTab(location.hash.slice(1));
}

session.onSignOut(() => {
  live?.stop();
  live = null;
  liveView.stop();
  health.stop();
  showSignedIn(false);
  $('#token').value = '';
  $('#token').focus();
});

/** Arrow keys, Home and End move to another tab and open it (tabs that activate on focus). */
function onTabKey(ev) {
  const tabs = [...document.querySelectorAll('.tab[data-tab]')];
  const at = tabs.indexOf(document.activeElement);
  if (at < 0) return;
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[ev.key];
  if (to === undefined) return;
  ev.preventDefault();
  const next = tabs[(to + tabs.length) % tabs.length];
  openTab(next.dataset.tab);
  next.focus();
  health.check();
}

function bind() {
  bindLangButtons();
  onLangChange(() => {
    showSignedIn(!!session.role);
    liveView.render();
    liveView.setStatus(lastStatus);
    health.render();
    views.metrics?.relabel();
    views.menus?.relabel();
  });
  for (const b of document.querySelectorAll('.tab[data-tab]')) {
    b.addEventListener('click', () => {
      openTab(b.dataset.tab);
      // Opening statistics is when their being behind matters: look again rather than wait for the poll.
      health.check();
    });
  }
  $('.tablist').addEventListener('keydown', onTabKey);
  window.addEventListener('hashchange', () => session.role && openTab(location.hash.slice(1)));
  $('#sign-out').addEventListener('click', () => session.clear());
  $('#signin-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const error = $('#signin-error');
    error.hidden = true;
    const button = ev.target.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await signIn($('#token').value.trim());
      await enter();
    } catch (err) {
      error.textContent = err.status === 401 ? t('auth.invalid') : t('auth.failed', { message: err.message });
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
}

async function boot() {
  applyI18n();
  bind();
  if (await resumeSession(enter)) return;
  showSignedIn(false);
  $('#token').focus();
}

boot();

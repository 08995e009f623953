// The dashboard page: sign-in, the tabs each user's roles open, the live board, and the other views
// (loaded when first opened).
import { loadSession, session } from './api.js';
import { signOut } from './auth-client.js';
import { CallDrill } from './call-drill.js';
import { dateTime, localTimeIso, todayIso } from './format.js';
import { HealthBanner } from './health-banner.js';
import { applyI18n, bindLangButtons, onLangChange, t } from './i18n.js';
import { LiveConnection } from './live-client.js';
import { LiveView } from './live-view.js';
import { MetricsView } from './metrics-view.js';
import { MenusView } from './menus-view.js';
import { AuditView } from './audit-view.js';
import { UsersView } from './users-view.js';
import { OwnTokensView } from './own-tokens-view.js';
import { CommentsView } from './comments-view.js';
import { CallbacksView, callbackCounts, renderBadge } from './callbacks-view.js';
import { MyNotice, NoticesView } from './notices-view.js';
import { TABS, canSee, rolesInWords, visibleTabs } from './roles.js';
import { safeReturnTo } from './signin-redirect.js';
import { SignInView } from './signin-view.js';

const $ = (sel) => document.querySelector(sel);

const liveView = new LiveView(document.body);
const health = new HealthBanner($('#health-banner'));
const myNotice = new MyNotice($('#my-notice'), $('#my-notice-dialog'));
let live = null;
let lastStatus = 'connecting';
let counts = null;
const showCounts = (c) => renderBadge($('#callbacks-badge'), (counts = c));
/** The callbacks tab's count, looked at again every few minutes (each look is on the audit trail, as any read of the inbox). */
const COUNT_EVERY_MS = 5 * 60_000;
let countTimer = null;
function watchCallbackCounts() {
  clearInterval(countTimer);
  const look = () => callbackCounts().then(showCounts, () => {});
  look();
  countTimer = setInterval(look, COUNT_EVERY_MS);
}
const VIEW_CLASSES = { callbacks: (root) => new CallbacksView(root, { onCounts: showCounts }), notices: NoticesView, comments: CommentsView, metrics: MetricsView, menus: MenusView, users: UsersView, audit: AuditView, keys: OwnTokensView };
const views = {};
const params = new URLSearchParams(location.search);
/** Where to go once signed in: back to the page that sent the user here (the report), else the dashboard. */
const returnTo = () => safeReturnTo(params.get('returnTo') ?? location.pathname + location.hash);

/** True while the user's own "Logga ut" is under way: the sign-in page then says nothing about an ended session. */
let signingOut = false;
function signOutNow() {
  signingOut = true;
  signOut().catch(() => {});
}

const signInView = new SignInView({ onSignedIn: () => afterSignIn(), onSignOut: signOutNow, returnTo });

/** Shows what the signed-in user's roles open, and hides the rest (the API refuses it anyway). */
function showSignedIn(signedIn) {
  for (const e of document.querySelectorAll('[data-when="signed-in"]')) e.hidden = !signedIn;
  for (const b of document.querySelectorAll('.tab[data-tab]')) b.hidden = !canSee(b.dataset.tab);
  for (const e of document.querySelectorAll('[data-needs-role]')) e.hidden = !signedIn || !session.has(e.dataset.needsRole);
  for (const e of document.querySelectorAll('[data-role="admin"]')) e.hidden = !signedIn || !session.has('admin');
  $('#user-name').textContent = session.user?.name ?? '';
  $('#role-badge').textContent = rolesInWords(session.roles);
  $('#role-badge').dataset.role = session.has('admin') ? 'admin' : '';
  document.body.dataset.roles = session.roles.join(' ');
}

function startLive() {
  live?.stop();
  live = new LiveConnection({
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
  const tabs = visibleTabs();
  if (!tabs.includes(name)) name = tabs[0];
  for (const b of document.querySelectorAll('.tab[data-tab]')) {
    b.setAttribute('aria-selected', String(b.dataset.tab === name));
    // One tab in the page's tab order, the selected one; the arrow keys move between them (WAI-ARIA tabs).
    b.tabIndex = b.dataset.tab === name ? 0 : -1;
  }
  for (const tab of TABS) $(`#view-${tab}`).hidden = tab !== name;
  if (VIEW_CLASSES[name]) (views[name] ??= makeView(name)).show();
  if (location.hash !== `#${name}`) history.replaceState(null, '', `/#${name}`);
}

/** A view's object: a class, or a function that makes one. */
function makeView(name) {
  const make = VIEW_CLASSES[name];
  const root = $(`#view-${name}`);
  return make.prototype ? new make(root) : make(root);
}

async function enter() {
  signInView.hide();
  showSignedIn(true);
  if (canSee('live')) startLive();
  if (canSee('callbacks')) watchCallbackCounts();
  health.start();
  // "Min hänvisning" in the header for a user who is a person in a directory.
  myNotice.init();
  openTab(location.hash.slice(1));
}

/** Signed in (and, if asked, a new password chosen): on to the page the user came for. */
function afterSignIn() {
  if (session.mustChangePassword) return signInView.showPasswordChange();
  const target = returnTo();
  if (target !== '/' && !target.startsWith('/#')) return location.assign(target);
  if (target.startsWith('/#')) history.replaceState(null, '', target);
  enter();
}

/**
 * Signed out (the button, or the session ended): a fresh page at /signin, so nothing the previous
 * user saw stays in this page's memory.
 */
session.onSignOut(() => {
  live?.stop();
  clearInterval(countTimer);
  const q = new URLSearchParams();
  if (!signingOut) {
    q.set('expired', '1');
    q.set('returnTo', location.pathname + location.hash);
  }
  location.replace(`/signin${q.size ? `?${q}` : ''}`);
});

/** Arrow keys, Home and End move to another tab and open it (tabs that activate on focus). */
function onTabKey(ev) {
  const tabs = [...document.querySelectorAll('.tab[data-tab]:not([hidden])')];
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
    if (!session.signedIn) return;
    showSignedIn(true);
    liveView.render();
    liveView.setStatus(lastStatus);
    health.render();
    for (const v of Object.values(views)) v.relabel?.();
    myNotice.relabel();
    if (counts) showCounts(counts);
  });
  for (const b of document.querySelectorAll('.tab[data-tab]')) {
    b.addEventListener('click', () => {
      openTab(b.dataset.tab);
      // Opening statistics is when their being behind matters: look again rather than wait for the poll.
      health.check();
    });
  }
  $('.tablist').addEventListener('keydown', onTabKey);
  window.addEventListener('hashchange', () => session.signedIn && !session.mustChangePassword && openTab(location.hash.slice(1)));
  $('#sign-out').addEventListener('click', signOutNow);
  const drill = CallDrill.shared();
  $('#live-call-search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    drill.find(ev.target.elements.sid.value);
  });
  // A caller who rang "at about half past two": the calls begun five minutes either side, in the municipality's time.
  const byTime = $('#live-time-search');
  // Today by the server's clock, filled when the form is first used (the session is loaded by then).
  byTime.addEventListener('focusin', () => (byTime.elements.date.value ||= todayIso(session.serverNow())), { once: true });
  byTime.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const { date: day, time } = ev.target.elements;
    const at = Date.parse(localTimeIso(day.value, time.value, session.timeZone));
    const around = (ms) => new Date(at + ms).toISOString();
    drill.showList({ title: t('calls.around', { time: dateTime(at) }), query: { from: around(-5 * 60_000), to: around(5 * 60_000) } });
  });
}

/** A message the sign-in page was sent with: the identity provider's refusal, or a session that ended. */
function arrivalMessage() {
  if (params.get('error')) return params.get('error');
  if (params.get('expired')) return t('auth.expired');
  return null;
}

async function boot() {
  applyI18n();
  bind();
  let signedIn = false;
  try {
    signedIn = await loadSession();
  } catch (err) {
    return signInView.showSignIn(t('auth.failed', { message: err.message }));
  }
  if (!signedIn) return signInView.showSignIn(arrivalMessage());
  if (session.mustChangePassword) return signInView.showPasswordChange();
  // Signed in already: /signin has nothing to show, so on to where the user was going.
  if (location.pathname === '/signin') return afterSignIn();
  enter();
}

boot();

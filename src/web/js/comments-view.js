// Kommentarer (reception and admins): callers' spoken comments, newest first, each beside whom the
// call sought, the fallbacks it took and its survey scores ("ris och ros" beside the path that earned
// it); filtered by score, fallback and target, a page at a time by the API's cursor. A comment opens
// its call's timeline (call-drill.js). Every read is on the audit trail (GET /api/comments).
import { api } from './api.js';
import { CallDrill } from './call-drill.js';
import { dateTime } from './format.js';
import { t } from './i18n.js';
import { loadPeople } from './notices-view.js';
import { loadLabels } from './pickers.js';
import { el, nodeName, table, targetLabel } from './view-parts.js';

/** The score filters offered: one score, or the low and high ends (the API takes a list). */
const SCORES = ['', '1,2', '4,5', '1', '2', '3', '4', '5'];
/** The fallback filters the API takes (api/comments.ts). */
const FALLBACKS = ['', 'any', 'none', 'no-answer', 'busy', 'failed', 'queue-full', 'max-wait'];
const PAGE = 25;

const shortId = (sid) => `#${sid.slice(-6).toUpperCase()}`;

export class CommentsView {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector('#comments-filters');
    this.comments = [];
    this.cursor = null;
    this.loaded = false;
    this.seq = 0;
    this.labels = { flows: {} };
    /** Directory people by "flowId|extension": a call that sought a person shows their name. */
    this.people = new Map();
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.load();
    });
    this.form.addEventListener('change', () => this.load());
    root.querySelector('#comments-more').addEventListener('click', () => this.load({ more: true }));
  }

  async show() {
    if (this.loaded) return;
    const [labels, people] = await Promise.all([loadLabels(), loadPeople().catch(() => [])]);
    this.labels = labels;
    for (const p of people) for (const f of p.flows) this.people.set(`${f.flowId}|${f.extension}`, p.name);
    this.fillFilters();
    await this.load();
  }

  /** A target by the name people know it by: a person's name, a department's or queue's label, else the extension. */
  targetName(flowId, target) {
    return this.people.get(`${flowId}|${target}`) ?? targetLabel(this.labels, flowId, target);
  }

  fillFilters() {
    const f = this.form.elements;
    const keep = { score: f.score.value, fallback: f.fallback.value, target: f.target.value };
    f.score.replaceChildren(...SCORES.map((s) => new Option(t(s ? `comments.score.${s}` : 'comments.score.all'), s)));
    f.fallback.replaceChildren(...FALLBACKS.map((r) => new Option(r === '' ? t('comments.fallback.all') : r === 'any' || r === 'none' ? t(`comments.fallback.${r}`) : t(`reason.${r}`), r)));
    // Every department, queue and person a call can seek, by name; one option per target id.
    const targets = new Map();
    for (const [flowId, flow] of Object.entries(this.labels.flows ?? {})) {
      for (const [id, label] of Object.entries(flow.targets ?? {})) if (!targets.has(id)) targets.set(id, label);
      for (const [id, label] of Object.entries(flow.queues ?? {})) if (!targets.has(id)) targets.set(id, label);
      for (const [key, name] of this.people) if (key.startsWith(`${flowId}|`) && !targets.has(key.slice(flowId.length + 1))) targets.set(key.slice(flowId.length + 1), name);
    }
    const sorted = [...targets].sort((a, b) => a[1].localeCompare(b[1], 'sv'));
    f.target.replaceChildren(new Option(t('comments.target.all'), ''), ...sorted.map(([id, label]) => new Option(label, id)));
    for (const [name, value] of Object.entries(keep)) f[name].value = value;
  }

  notice(text) {
    const n = this.root.querySelector('#comments-notice');
    n.textContent = text ?? '';
    n.hidden = !text;
  }

  query() {
    const f = this.form.elements;
    const q = new URLSearchParams();
    for (const name of ['score', 'fallback', 'target']) if (f[name].value) q.set(name, f[name].value);
    return q;
  }

  async load({ more = false } = {}) {
    const seq = ++this.seq;
    const q = this.query();
    q.set('limit', String(PAGE));
    if (more && this.cursor) q.set('cursor', this.cursor);
    this.root.dataset.state = 'loading';
    try {
      const res = await api(`/comments?${q}`);
      if (seq !== this.seq) return;
      this.comments = more ? [...this.comments, ...res.comments] : res.comments;
      this.cursor = res.nextCursor;
      this.loaded = true;
      this.notice(null);
      this.render();
      this.root.dataset.state = 'ready';
    } catch (err) {
      if (seq !== this.seq) return;
      this.root.dataset.state = 'error';
      this.notice(t('comments.failed', { message: err.message }));
    }
  }

  render() {
    const c0 = (c) => c.call;
    const words = (c) => {
      const q = el('q', 'comment-words', c.text);
      // The caller's own words in their own language, so a screen reader says them right.
      q.lang = c.language.slice(0, 2);
      return q;
    };
    const scores = (c) => {
      const s = c0(c)?.survey;
      if (!s || (s.bemotande === null && s.enkelhet === null)) return '–';
      return [s.bemotande !== null ? t('comments.bemotande', { n: s.bemotande }) : null, s.enkelhet !== null ? t('comments.enkelhet', { n: s.enkelhet }) : null].filter(Boolean).join(', ');
    };
    const fallbacks = (c) => {
      const fb = c0(c)?.fallbacks ?? [];
      if (!fb.length) return t('comments.noFallback');
      return fb.map((f) => t('comments.fallbackWords', { target: this.targetName(c.flowId, f.target), reason: t(`reason.${f.reason}`), route: nodeName(this.labels, c.flowId, f.route) })).join('; ');
    };
    const out = table(
      [
        {
          head: t('comments.when'),
          cell: (c) => {
            const time = el('time', '', dateTime(Date.parse(c.at)));
            time.dateTime = c.at;
            return time;
          },
          className: 'text nowrap',
        },
        { head: t('comments.words'), cell: words, className: 'text wrap comment-cell' },
        { head: t('comments.sought'), cell: (c) => (c0(c)?.targets.length ? c0(c).targets.map((x) => this.targetName(c.flowId, x)).join(', ') : '–'), className: 'text' },
        { head: t('comments.fallbacks'), cell: fallbacks, className: 'text wrap' },
        { head: t('comments.scores'), cell: scores, className: 'text' },
        {
          head: t('comments.call'),
          cell: (c) => {
            const b = el('button', 'link', shortId(c.callSid));
            b.type = 'button';
            b.dataset.callSid = c.callSid;
            b.setAttribute('aria-label', t('calls.open', { id: shortId(c.callSid) }));
            b.addEventListener('click', () => {
              const drill = CallDrill.shared();
              // The timeline alone: no list of a figure to go back to.
              drill.list = null;
              drill.showCall(c.callSid);
            });
            return b;
          },
          className: 'text',
        },
      ],
      this.comments,
      t('comments.none'),
    );
    out.id = 'comments-table';
    for (const [i, tr] of [...out.tBodies[0].rows].entries()) if (this.comments[i]) tr.dataset.callSid = this.comments[i].callSid;
    this.root.querySelector('#comments-table').replaceWith(out);
    this.root.querySelector('#comments-shown').textContent = t('comments.shown', { n: this.comments.length });
    this.root.querySelector('#comments-more').hidden = !this.cursor;
  }

  relabel() {
    this.fillFilters();
    if (this.loaded) this.render();
  }
}

// Every figure leads to its calls: a dialog that lists the calls behind a figure (GET /api/calls with
// figure=…) and shows one call's timeline (GET /api/calls/:sid/timeline): each event with its time,
// the path, what the caller pressed and the survey, in words and by the flow's labels.
import { api, session } from './api.js';
import { clock, date, duration, timeOfDay } from './format.js';
import { t } from './i18n.js';
import { loadLabels } from './pickers.js';
import { el, nodeName, table, targetLabel } from './view-parts.js';

const SID = /^CA[0-9a-fA-F]{32}$/;
const shortId = (sid) => `#${sid.slice(-6).toUpperCase()}`;

/** How a call ended, in words. */
export function outcomeWords(outcome) {
  if (outcome.startsWith('answered_by_')) return t(`outcome.${outcome}`);
  const key = `noHelp.way.${outcome}`;
  return t(key) === key ? t('noHelp.way.other') : t(key);
}

const surveyQuestion = (q) => t(`event.survey.${q}`);
const surveyValue = (q, v) => (q === 'answered' ? t(v === 1 ? 'compare.yes' : 'compare.no') : String(v));

/** One event in words, by the flow's labels; null for the events a reader need not see. */
export function eventWords(e, labels, flowId) {
  const step = (id) => nodeName(labels, flowId, id);
  const target = (id, kind) => (kind === 'operator' ? t('live.party.operator') : targetLabel(labels, flowId, id));
  switch (e.type) {
    case 'call.started':
      return t('event.started');
    case 'node.entered':
      return t('event.entered', { step: step(e.nodeId) });
    case 'input.digits':
      return t('event.digits', { digits: e.digits });
    case 'input.invalid':
      return t('event.invalid', { digits: e.digits });
    case 'input.timeout':
      return t('event.timeout');
    case 'language.chosen':
      return t('event.language', { language: e.language.startsWith('sv') ? 'svenska' : 'English' });
    case 'hours.checked':
      return t(e.open ? 'event.open' : 'event.closed');
    case 'transfer.attempted':
      return t('event.ringing', { target: target(e.target, e.targetKind) });
    case 'human.answered':
      return t('event.answered', { target: target(e.target, e.targetKind) });
    case 'transfer.result': {
      const key = `event.result.${e.status}`;
      return t(key, { target: target(e.target, e.targetKind), time: duration(e.durationSec * 1000) });
    }
    case 'fallback.taken':
      return t('event.fallback', { reason: t(`reason.${e.reason}`), step: step(e.route) });
    case 'queue.joined':
      return t('event.queueJoined', { queue: t('live.party.operator') });
    case 'queue.position':
      return t('event.queuePosition', { position: e.position });
    case 'queue.leaving':
      return t(`event.queueLeaving.${e.reason}`, { digits: e.digits ?? '' });
    case 'queue.answered':
      return t('event.queueAnswered', { queue: t('live.party.operator'), time: duration(e.waitSec * 1000) });
    case 'queue.left':
      return t(`event.queueLeft.${e.result}`, { time: duration(e.waitSec * 1000) });
    case 'survey.offered':
      return t('event.surveyOffered');
    case 'survey.declined':
      return t('event.surveyDeclined');
    case 'survey.answer':
      return t('event.surveyAnswer', { question: surveyQuestion(e.question), value: surveyValue(e.question, e.value) });
    case 'survey.skipped':
      return t('event.surveySkipped', { question: surveyQuestion(e.question) });
    case 'survey.comment':
      return t('event.surveyComment');
    case 'survey.completed':
      return t('event.surveyCompleted');
    case 'ivr.hangup':
      return t('event.ivrHangup');
    case 'call.ended':
      return t('event.ended');
    case 'engine.error':
      return t('event.error');
    default:
      // Leg progress and wrong survey keys: the result and the answers already say what they led to.
      return null;
  }
}

let shared = null;

export class CallDrill {
  /** The page's one call dialog, for every view that opens calls. */
  static shared() {
    return (shared ??= new CallDrill(document.querySelector('#call-dialog')));
  }

  constructor(dialog) {
    this.dialog = dialog;
    this.body = dialog.querySelector('.dialog-body');
    this.title = dialog.querySelector('.dialog-title');
    dialog.querySelector('.dialog-close').addEventListener('click', () => dialog.close());
    this.list = null;
  }

  open(title) {
    this.title.textContent = title;
    this.body.replaceChildren(el('p', 'muted', t('metrics.loading')));
    if (!this.dialog.open) this.dialog.showModal();
  }

  /** The calls a figure counts in a range, or all calls of the range: {title, query (from/to/flow), figure?}. */
  async showList(spec) {
    this.list = spec;
    this.open(spec.title);
    const labels = await loadLabels();
    const rows = [];
    let cursor = null;
    const more = el('button', 'button secondary', t('calls.more'));
    more.type = 'button';
    const render = () => {
      const flowOf = (c) => c.flowId;
      const list = table(
        [
          { head: t('calls.when'), cell: (c) => (c.startedAt ? `${date(Date.parse(c.startedAt))} ${timeOfDay(Date.parse(c.startedAt))}` : '–'), className: 'text' },
          {
            head: t('calls.call'),
            cell: (c) => {
              // A call's timeline is personal data, the reception's (and on the audit trail): others see its id only.
              if (!session.has('reception')) return el('span', 'mono', shortId(c.callSid));
              const b = el('button', 'link', shortId(c.callSid));
              b.type = 'button';
              b.dataset.callSid = c.callSid;
              b.setAttribute('aria-label', t('calls.open', { id: shortId(c.callSid) }));
              b.addEventListener('click', () => this.showCall(c.callSid));
              return b;
            },
            className: 'text',
          },
          { head: t('calls.length'), cell: (c) => duration(c.durationMs) },
          { head: t('calls.path'), cell: (c) => c.path.map((id) => nodeName(labels, flowOf(c), id)).join(' → '), className: 'text wrap' },
          { head: t('calls.ending'), cell: (c) => outcomeWords(c.outcome), className: 'text' },
        ],
        rows,
        t('calls.none'),
      );
      list.classList.add('call-list');
      const wrap = el('div', 'table-wrap');
      wrap.tabIndex = 0;
      wrap.append(list);
      this.body.replaceChildren(el('p', 'muted small', t('calls.shown', { n: rows.length })), wrap, ...(cursor ? [more] : []));
    };
    const page = async () => {
      const q = new URLSearchParams(spec.query);
      if (spec.figure) q.set('figure', spec.figure);
      q.set('limit', '100');
      if (cursor) q.set('cursor', cursor);
      const res = await api(`/calls?${q}`);
      rows.push(...res.calls);
      cursor = res.nextCursor;
      render();
    };
    more.addEventListener('click', () => page().catch((err) => this.fail(err)));
    await page().catch((err) => this.fail(err));
  }

  fail(err) {
    this.body.replaceChildren(el('p', 'error', t('metrics.unavailable', { message: err.message })));
  }

  /** One call's timeline. */
  async showCall(callSid) {
    this.open(t('calls.title', { id: shortId(callSid) }));
    try {
      const [labels, { journey, events, comments = [] }] = await Promise.all([loadLabels(), api(`/calls/${encodeURIComponent(callSid)}/timeline`)]);
      const flowId = journey?.flowId ?? events.find((e) => e.type === 'call.started')?.flowId ?? null;
      const start = journey?.startedAt ? Date.parse(journey.startedAt) : (events[0]?.at ?? 0);
      const parts = [];
      if (this.list) {
        const back = el('button', 'link', t('calls.back'));
        back.type = 'button';
        const list = this.list;
        back.addEventListener('click', () => this.showList(list));
        parts.push(back);
      }
      if (journey) {
        const facts = el('dl', 'call-facts');
        const fact = (term, value) => facts.append(el('dt', '', term), el('dd', '', value));
        fact(t('calls.when'), journey.startedAt ? `${date(start)} ${timeOfDay(start)}` : '–');
        fact(t('calls.length'), duration(journey.durationMs));
        fact(t('calls.ending'), journey.ended ? outcomeWords(journey.outcome) : t('calls.inProgress'));
        fact(t('calls.path'), journey.path.map((id) => nodeName(labels, flowId, id)).join(' → ') || '–');
        fact(t('calls.keys'), String(journey.keyPresses));
        const s = journey.survey;
        const answers = ['bemotande', 'enkelhet', 'answered'].filter((q) => s[q] !== null).map((q) => `${surveyQuestion(q)}: ${surveyValue(q, q === 'answered' ? (s.answered ? 1 : 2) : s[q])}`);
        fact(t('calls.survey'), answers.length ? answers.join(', ') : s.offered ? t('calls.surveyUnanswered') : t('calls.surveyNone'));
        parts.push(facts);
      }
      // The caller's own words after the survey (reception only reads timelines; kept apart from the events).
      for (const c of comments) {
        const words = el('blockquote', 'call-comment');
        const q = el('p', '', c.text);
        q.lang = c.language.slice(0, 2);
        words.append(q);
        parts.push(el('h3', '', t('calls.comment')), words);
      }
      const list = el('ol', 'timeline');
      for (const e of events) {
        const words = eventWords(e, labels, flowId);
        if (!words) continue;
        const li = el('li');
        const time = el('time', 'mono', clock(e.at - start));
        time.dateTime = new Date(e.at).toISOString();
        li.append(time, el('span', '', words));
        list.append(li);
      }
      parts.push(el('h3', '', t('calls.events')), list);
      this.body.replaceChildren(...parts);
    } catch (err) {
      this.body.replaceChildren(el('p', 'error', err.status === 404 ? t('calls.notFound', { id: callSid }) : t('metrics.unavailable', { message: err.message })));
    }
  }

  /** Looks a call up by its CallSid as typed (spaces and case forgiven). */
  async find(text) {
    const sid = text.trim();
    if (!SID.test(sid)) {
      this.list = null;
      this.open(t('calls.search'));
      this.body.replaceChildren(el('p', 'error', t('calls.badSid')));
      return;
    }
    this.list = null;
    await this.showCall(`CA${sid.slice(2).toLowerCase()}`);
  }
}

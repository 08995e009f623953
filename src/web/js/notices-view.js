// Hänvisningar (absence notices): the directory's people with their current notice, for reception and
// admins to set and clear (GET /api/people, PUT and DELETE /api/notices/:number); and "Min hänvisning",
// the header's button for anyone signed in who is in a directory, to set their own. A notice's return
// time is picked with the browser's own date and time inputs and sent as the instant that wall clock
// means in the municipality's time zone (the session's), never parsed from text.
import { api, session } from './api.js';
import { actorWords } from './audit-view.js';
import { localTimeIso, wallClockParts, weekdayDateTime } from './format.js';
import { lang, t } from './i18n.js';
import { el, table } from './view-parts.js';

/** The reasons a notice gives (reception/notice.ts), in the order the form offers them. */
export const NOTICE_REASONS = ['meeting', 'out', 'sick', 'leave', 'gone-for-the-day', 'other'];
/** Reasons that need the time the person is back; sick, leave and other may be open-ended. */
const NEEDS_UNTIL = new Set(['meeting', 'out', 'gone-for-the-day']);
const TEXT_MAX = 120;

/** The directory's people with their notices: everyone for reception and admins, else only oneself. */
export async function loadPeople() {
  return (await api('/people')).people;
}

/** A notice in a few words: "Möte till måndag 2 mars 14:00", "Sjuk tills vidare". */
export function noticeWords(n) {
  const reason = t(`notice.reason.${n.reason}`);
  const until = n.until ? t('notice.until', { time: weekdayDateTime(Date.parse(n.until), session.timeZone) }) : t('notice.open');
  return `${reason} ${until}`;
}

/** What the caller hears, in the page's language (the flow's language decides on the phone). */
export const heardWords = (n) => n?.heard?.[lang()] ?? n?.heard?.sv ?? null;

let formCount = 0;

/**
 * The form that sets one person's notice: the reason, a text for "Annat", the return date and time.
 * Calls onSaved(notice) once the API has taken it.
 */
export function noticeForm(person, { onSaved, idPrefix = `notice-form-${++formCount}` } = {}) {
  const form = el('form', 'stack-form notice-form');
  form.noValidate = true;
  form.dataset.number = person.number;
  const id = (name) => `${idPrefix}-${name}`;
  const labelled = (name, text, input) => {
    const label = el('label', '', text);
    label.htmlFor = id(name);
    input.id = id(name);
    input.name = name;
    return [label, input];
  };

  const reason = document.createElement('select');
  for (const r of NOTICE_REASONS) reason.append(new Option(t(`notice.reason.${r}`), r));
  reason.value = person.notice?.reason ?? 'meeting';

  const text = Object.assign(document.createElement('input'), { type: 'text', maxLength: TEXT_MAX, autocomplete: 'off', value: person.notice?.text ?? '' });
  const textHelp = el('p', 'muted small', t('notice.textHelp', { max: TEXT_MAX }));
  textHelp.id = id('text-help');
  text.setAttribute('aria-describedby', textHelp.id);
  const textRow = el('div', 'notice-text');
  textRow.append(...labelled('text', t('notice.text'), text), textHelp);

  // The return time: the browser's date and time pickers, shown in its Swedish (or English) format.
  const until = el('fieldset', 'choices notice-until');
  const legend = el('legend', '', t('notice.back'));
  const date = Object.assign(document.createElement('input'), { type: 'date' });
  const time = Object.assign(document.createElement('input'), { type: 'time', step: 60 });
  const today = wallClockParts(session.serverNow(), session.timeZone).date;
  date.min = today;
  if (person.notice?.until) {
    const back = wallClockParts(Date.parse(person.notice.until), session.timeZone);
    date.value = back.date;
    time.value = back.time;
  }
  const dateLabel = el('label', 'inline-field');
  dateLabel.append(el('span', '', t('notice.date')), date);
  date.name = 'date';
  const timeLabel = el('label', 'inline-field');
  timeLabel.append(el('span', '', t('notice.time')), time);
  time.name = 'time';
  const untilHelp = el('p', 'muted small notice-until-help');
  untilHelp.id = id('until-help');
  // The chosen return time in words, in the municipality's time: what reception reads back before saving.
  const readBack = el('p', 'small notice-readback');
  readBack.id = id('readback');
  readBack.setAttribute('aria-live', 'polite');
  date.setAttribute('aria-describedby', `${untilHelp.id} ${readBack.id}`);
  time.setAttribute('aria-describedby', `${untilHelp.id} ${readBack.id}`);
  const untilRow = el('div', 'notice-until-row');
  untilRow.append(dateLabel, timeLabel);
  until.append(legend, untilRow, untilHelp, readBack);

  const error = el('p', 'error', '');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const save = el('button', 'primary', t('notice.save'));
  save.type = 'submit';

  const chosenIso = () => (date.value && time.value ? localTimeIso(date.value, time.value, session.timeZone) : null);
  const refresh = () => {
    textRow.hidden = reason.value !== 'other';
    text.required = reason.value === 'other';
    untilHelp.textContent = t(NEEDS_UNTIL.has(reason.value) ? 'notice.backNeeded' : 'notice.backOptional');
    const iso = chosenIso();
    readBack.textContent = iso ? t('notice.backAt', { time: weekdayDateTime(Date.parse(iso), session.timeZone) }) : '';
  };
  reason.addEventListener('change', refresh);
  date.addEventListener('input', refresh);
  time.addEventListener('input', refresh);
  refresh();

  form.append(...labelled('reason', t('notice.reason'), reason), textRow, until, error, save);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const fail = (message) => {
      error.textContent = message;
      error.hidden = false;
    };
    error.hidden = true;
    const body = { reason: reason.value };
    if ((date.value && !time.value) || (!date.value && time.value)) return fail(t('notice.needBoth'));
    const iso = chosenIso();
    if (!iso && NEEDS_UNTIL.has(reason.value)) return fail(t('notice.needBack', { reason: t(`notice.reason.${reason.value}`).toLowerCase() }));
    if (iso && Date.parse(iso) <= session.serverNow()) return fail(t('notice.past'));
    if (iso) body.until = iso;
    if (reason.value === 'other') {
      if (!text.value.trim()) return fail(t('notice.needText'));
      body.text = text.value.trim();
    }
    save.disabled = true;
    try {
      const saved = await api(`/notices/${encodeURIComponent(person.number)}`, { method: 'PUT', body });
      onSaved?.(saved);
    } catch (err) {
      fail(t('notice.failed', { message: err.message }));
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

/** Clears a person's notice; resolves once the API has. */
export function clearNotice(person) {
  return api(`/notices/${encodeURIComponent(person.number)}`, { method: 'DELETE' });
}

/** Where callers reach a person: "4711" or "4711 (vaxel), 12 (bygg)" when several flows list them. */
const extensions = (p) => (p.flows.length === 1 ? p.flows[0].extension : p.flows.map((f) => `${f.extension} (${f.flowId})`).join(', '));

export class NoticesView {
  constructor(root) {
    this.root = root;
    this.people = null;
    this.selected = null;
    this.editor = root.querySelector('#notice-editor');
    this.status = root.querySelector('#notices-status');
    root.querySelector('#notices-search').addEventListener('input', () => this.render());
  }

  async show() {
    await this.load();
  }

  notice(text) {
    const n = this.root.querySelector('#notices-notice');
    n.textContent = text ?? '';
    n.hidden = !text;
  }

  async load() {
    this.root.dataset.state = 'loading';
    try {
      this.people = await loadPeople();
      this.notice(null);
      this.render();
      this.root.dataset.state = 'ready';
    } catch (err) {
      this.root.dataset.state = 'error';
      this.notice(t('notice.loadFailed', { message: err.message }));
    }
  }

  render() {
    if (!this.people) return;
    const q = this.root.querySelector('#notices-search').value.trim().toLocaleLowerCase('sv');
    const rows = this.people.filter((p) => !q || p.name.toLocaleLowerCase('sv').includes(q) || p.flows.some((f) => f.extension.includes(q)));
    const button = (text, label, onClick, extra) => {
      const b = el('button', 'button secondary', text);
      b.type = 'button';
      b.setAttribute('aria-label', label);
      b.addEventListener('click', onClick);
      Object.assign(b.dataset, extra);
      return b;
    };
    const out = table(
      [
        { head: t('notice.person'), cell: (p) => p.name, className: 'text' },
        { head: t('notice.extension'), cell: (p) => extensions(p), className: 'text' },
        { head: t('notice.current'), cell: (p) => (p.notice ? noticeWords(p.notice) : el('span', 'muted', t('notice.none'))), className: 'text' },
        { head: t('notice.heard'), cell: (p) => heardWords(p.notice) ?? '–', className: 'text wrap' },
        { head: t('notice.setBy'), cell: (p) => (p.notice ? actorWords(p.notice.setBy) : '–'), className: 'text' },
        {
          head: t('notice.actions'),
          cell: (p) => {
            const cell = el('div', 'row-actions');
            cell.append(button(t(p.notice ? 'notice.change' : 'notice.set'), t(p.notice ? 'notice.changeNamed' : 'notice.setNamed', { name: p.name }), () => this.select(p.number), { action: 'edit', number: p.number }));
            if (p.notice) cell.append(button(t('notice.clear'), t('notice.clearNamed', { name: p.name }), () => this.clear(p), { action: 'clear', number: p.number }));
            return cell;
          },
          className: 'text',
        },
      ],
      rows,
      t(q ? 'notice.noMatch' : 'notice.nobody'),
    );
    out.id = 'notices-table';
    for (const [i, tr] of [...out.tBodies[0].rows].entries()) if (rows[i]) tr.dataset.number = rows[i].number;
    this.root.querySelector('#notices-table').replaceWith(out);
  }

  select(number) {
    this.selected = number;
    this.renderEditor();
    this.editor.scrollIntoView({ block: 'nearest' });
    this.editor.querySelector('select').focus();
  }

  renderEditor() {
    const p = this.people?.find((x) => x.number === this.selected);
    this.editor.hidden = !p;
    if (!p) return;
    this.editor.querySelector('h2').textContent = t('notice.editorTitle', { name: p.name });
    const form = noticeForm(p, {
      idPrefix: 'notice-editor',
      onSaved: async (saved) => {
        this.selected = null;
        this.renderEditor();
        // The table is reloaded before the status speaks, so what it announces is already on screen.
        await this.load();
        this.say(t('notice.saved', { name: p.name }));
        this.root.querySelector(`#notices-table tr[data-number="${CSS.escape(saved.number)}"] button`)?.focus();
      },
    });
    const cancel = el('button', 'link-button link-dark', t('notice.cancel'));
    cancel.type = 'button';
    cancel.addEventListener('click', () => {
      this.selected = null;
      this.renderEditor();
    });
    form.append(cancel);
    this.editor.querySelector('.notice-editor-body').replaceChildren(form);
  }

  say(text) {
    this.status.textContent = text;
  }

  async clear(p) {
    try {
      await clearNotice(p);
      await this.load();
      this.say(t('notice.cleared', { name: p.name }));
    } catch (err) {
      this.say(t('notice.failed', { message: err.message }));
    }
  }

  relabel() {
    this.render();
    this.renderEditor();
  }
}

/**
 * "Min hänvisning": the header's button for a signed-in user who is in a directory (their e-mail is
 * a person's), opening a dialog with their notice, what callers hear, and the form.
 */
export class MyNotice {
  constructor(button, dialog) {
    this.button = button;
    this.dialog = dialog;
    this.body = dialog.querySelector('.dialog-body');
    this.person = null;
    dialog.querySelector('.dialog-close').addEventListener('click', () => dialog.close());
    button.addEventListener('click', () => this.open());
  }

  /** Looks for the user in the directory; the button shows only when they are in it. */
  async init() {
    try {
      this.person = (await loadPeople()).find((p) => p.own) ?? null;
    } catch {
      this.person = null;
    }
    this.button.hidden = !this.person;
  }

  async open() {
    await this.init();
    if (!this.person) return;
    this.render();
    if (!this.dialog.open) this.dialog.showModal();
  }

  render(message) {
    const p = this.person;
    const parts = [];
    if (message) {
      const m = el('p', 'notice', message);
      m.setAttribute('role', 'status');
      parts.push(m);
    }
    const now = el('div', 'my-notice-now');
    if (p.notice) {
      now.append(el('p', '', t('notice.yours', { notice: noticeWords(p.notice) })), el('p', 'muted', t('notice.callersHear', { sentence: heardWords(p.notice) })));
      const clear = el('button', 'button secondary', t('notice.clearMine'));
      clear.type = 'button';
      clear.id = 'my-notice-clear';
      clear.addEventListener('click', async () => {
        try {
          await clearNotice(p);
          await this.init();
          if (this.person) this.render(t('notice.clearedMine'));
        } catch (err) {
          this.render(t('notice.failed', { message: err.message }));
        }
      });
      now.append(clear);
    } else {
      now.append(el('p', '', t('notice.noneMine')));
    }
    parts.push(now, el('h3', '', t(p.notice ? 'notice.changeMine' : 'notice.setMine')));
    parts.push(
      noticeForm(p, {
        idPrefix: 'my-notice',
        onSaved: async () => {
          await this.init();
          if (this.person) this.render(t('notice.savedMine'));
        },
      }),
    );
    this.body.replaceChildren(...parts);
  }

  relabel() {
    if (this.dialog.open && this.person) this.render();
  }
}

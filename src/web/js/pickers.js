// Date range and flow pickers. Dates are local (Swedish) calendar days; the API gets the instants
// they start and end at. "Till och med" is inclusive, as people say it.
import { api, session } from './api.js';
import { t } from './i18n.js';
import { addDays, localMidnightIso, todayIso } from './format.js';

let flowsPromise = null;

/** The flows in service with their versions and names; /healthz as a fallback when /api/flows is absent. */
export function loadFlows({ fresh = false } = {}) {
  if (fresh) flowsPromise = null;
  flowsPromise ??= api('/flows')
    .then((b) => b.flows)
    .catch(async () => {
      const h = await fetch('/healthz').then((r) => r.json());
      return h.flows.map((f) => ({ id: f.id, name: f.id, version: f.version, versions: [f.version] }));
    });
  return flowsPromise;
}

let labelsPromise = null;
/** Target labels per flow (departments, the operator). */
export function loadLabels() {
  labelsPromise ??= api('/dashboard/labels').catch(() => ({ flows: {} }));
  return labelsPromise;
}

export class RangePicker {
  /** @param {HTMLFormElement} form @param {{ allFlows?: boolean, days?: number }} opts */
  constructor(form, opts = {}) {
    this.form = form;
    this.opts = opts;
    this.listeners = new Set();
    const today = todayIso(session.serverNow());
    form.elements.to.value = today;
    form.elements.from.value = addDays(today, -((opts.days ?? 30) - 1));
    form.addEventListener('change', () => this.changed());
    for (const b of form.querySelectorAll('[data-preset]')) b.addEventListener('click', () => this.preset(b.dataset.preset));
  }

  async init() {
    const flows = await loadFlows();
    this.flows = flows;
    this.fillFlows();
  }

  fillFlows() {
    const select = this.form.elements.flow;
    const current = select.value;
    const options = [];
    if (this.opts.allFlows !== false && this.flows.length > 1) options.push(new Option(t('pick.allFlows'), ''));
    for (const f of this.flows) options.push(new Option(f.name ?? f.id, f.id));
    select.replaceChildren(...options);
    const preferred = this.flows.find((f) => f.default)?.id ?? this.flows[0]?.id ?? '';
    select.value = current || (this.opts.allFlows === false ? preferred : options[0]?.value ?? '');
  }

  preset(kind) {
    const today = todayIso(session.serverNow());
    const f = this.form.elements;
    f.to.value = today;
    f.from.value = kind === 'month' ? `${today.slice(0, 8)}01` : addDays(today, -(Number(kind) - 1));
    this.changed();
  }

  onChange(fn) {
    this.listeners.add(fn);
  }

  changed() {
    for (const fn of this.listeners) fn(this.value());
  }

  /** { from, to, flow, query }: query is the API's from/to/flow as a query string. */
  value() {
    const f = this.form.elements;
    let from = f.from.value;
    let to = f.to.value;
    if (from && to && from > to) [from, to] = [to, from];
    const q = new URLSearchParams({ from: localMidnightIso(from, session.timeZone), to: localMidnightIso(addDays(to, 1), session.timeZone) });
    if (f.flow.value) q.set('flow', f.flow.value);
    return { from, to, flow: f.flow.value || null, query: q.toString() };
  }
}

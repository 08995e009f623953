// Number, time and duration formatting in the page's language. Times are shown in Swedish time,
// whatever the viewer's computer says, so everyone reads the same clock as the switchboard.
import { lang } from './i18n.js';

export const TIME_ZONE = 'Europe/Stockholm';
export const locale = () => (lang() === 'en' ? 'en-GB' : 'sv-SE');

/** A number as the language writes it: "1 000" and "3,5" in Swedish (Intl; the group separator is a no-break space). */
export function num(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

/** A share 0–1 as a percentage: "12 %" in Swedish, on one line. */
export function pct(share, digits = 0) {
  if (share === null || share === undefined) return '–';
  return oneLine(new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(share));
}

/** A running clock: 0:42, 12:05, 1:02:03. */
export function clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Text that must not break across lines: its spaces become no-break spaces. */
export const oneLine = (text) => String(text).replace(/ /g, '\u00a0');

/** A number with its unit, as the language writes it (Intl): "2 s", "1,5 min", "1 tim" / "1 hr". */
export function unit(value, name, digits = 1) {
  return oneLine(new Intl.NumberFormat(locale(), { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits }).format(value));
}

/** A range of one unit: "0–15 s", "1–1,5 min". */
export function unitRange(from, to, name) {
  return oneLine(new Intl.NumberFormat(locale(), { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: 1 }).formatRange(from, to));
}

/** A duration in words, short and on one line: 42 s, 3 min 5 s, 1 tim 2 min (Intl's units and list). */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  const parts =
    s < 60 ? [unit(s, 'second')] : m < 60 ? [unit(m, 'minute'), ...(s % 60 ? [unit(s % 60, 'second')] : [])] : [unit(Math.floor(m / 60), 'hour'), ...(m % 60 ? [unit(m % 60, 'minute')] : [])];
  return oneLine(new Intl.ListFormat(locale(), { type: 'unit', style: 'narrow' }).format(parts));
}

export function timeOfDay(ms) {
  return new Intl.DateTimeFormat(locale(), { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' }).format(ms);
}

export function date(ms) {
  return new Intl.DateTimeFormat(locale(), { timeZone: TIME_ZONE, year: 'numeric', month: 'short', day: 'numeric' }).format(ms);
}

/** A calendar day (YYYY-MM-DD) in words: måndag 2 mars 2026. */
export function longDate(day) {
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(Date.parse(`${day}T12:00:00Z`));
}

export function monthName(year, month) {
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(Date.UTC(year, month - 1, 15));
}

/** Today's date in Swedish time, YYYY-MM-DD. */
export function todayIso(now = Date.now()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The offset of Swedish time from UTC at an instant, ms. */
function zoneOffsetMs(ms, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(ms);
  const get = (type) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second')) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a wall-clock date and time in the zone, as an ISO string the API takes: from the
 * values of an <input type="date"> (YYYY-MM-DD) and an <input type="time"> (HH:MM), whatever the
 * viewer's computer's zone, across a change to or from summer time.
 */
export function localTimeIso(date, time, timeZone = TIME_ZONE) {
  const guess = Date.parse(`${date}T${time}:00Z`);
  return new Date(guess - zoneOffsetMs(guess - zoneOffsetMs(guess, timeZone), timeZone)).toISOString();
}

/** The instant a local date starts in Swedish time, as an ISO string the API takes. */
export function localMidnightIso(date, timeZone = TIME_ZONE) {
  return localTimeIso(date, '00:00', timeZone);
}

/** The wall-clock date (YYYY-MM-DD) and time (HH:MM) of an instant in the zone: what date and time inputs take. */
export function wallClockParts(ms, timeZone = TIME_ZONE) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(ms);
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** An instant with its weekday, as people read a return time: "måndag 2 mars 14:00" / "Monday 2 March 14:00". */
export function weekdayDateTime(ms, timeZone = TIME_ZONE) {
  const day = new Intl.DateTimeFormat(locale(), { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(ms);
  const time = new Intl.DateTimeFormat(locale(), { timeZone, hour: '2-digit', minute: '2-digit' }).format(ms);
  return `${day} ${time}`;
}

export function addDays(iso, days) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Escapes text for the few places that build markup from strings. */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** An instant as a date and a time of day in Swedish time: "5 dec 2026 09:14" (no abbreviation dot). */
export function dateTime(ms) {
  return `${date(ms).replace(/\.(?= )/, '')} ${timeOfDay(ms)}`;
}

/**
 * The number a callback is made to: the caller's own (Twilio's From) or one they key in. Pure: no
 * key, no store. The number itself only ever leaves here sealed (callback-seal.ts) or read back by
 * its last digits.
 */

import { isWithheldNumber } from '../privacy/withheld-number';

/** Premium-rate ranges (betalnummer) a municipality never calls back: 0900, 0939, 0944. */
const PREMIUM = /^\+46(900|939|944)/;

/**
 * The caller's own number as E.164 when it can be called back; null when it is withheld (a word, a
 * keypad spelling of one, nothing) or no telephone number at all (sip:, client:).
 */
export function callableCallerNumber(from: string | undefined | null): string | null {
  const t = (from ?? '').trim();
  if (isWithheldNumber(t)) return null;
  if (!/^\+[1-9][0-9]{6,14}$/.test(t)) return null;
  if (PREMIUM.test(t)) return null;
  return t;
}

/**
 * A number keyed in on the phone's keypad, as E.164, or null when it is not a Swedish number that
 * can be called: national form 0 + area code or mobile prefix + subscriber number (8 to 10 digits in
 * all: 08-123 456, 031-12 34 56, 070-123 45 67), or the same after 0046 / +46; no premium rates.
 */
export function parseKeyedNumber(keys: string): string | null {
  const d = keys.replace(/[#*\s]/g, '');
  if (!/^[0-9]+$/.test(d)) return null;
  let national: string;
  if (d.startsWith('0046')) national = '0' + d.slice(4);
  else if (d.startsWith('46') && d.length >= 10) national = '0' + d.slice(2);
  else national = d;
  if (!/^0[1-9][0-9]{6,8}$/.test(national)) return null;
  const e164 = `+46${national.slice(1)}`;
  return PREMIUM.test(e164) ? null : e164;
}

/** The last four digits of a number, as a string of digits. */
export function lastDigits(number: string, count = 4): string {
  return number.replace(/[^0-9]/g, '').slice(-count);
}

/**
 * The last four digits as people say them: in Swedish two pairs, each a number ("45 67": fyrtiofem
 * sextiosju) unless it begins with a zero ("noll 5"); in English digit by digit ("4 5 6 7").
 */
export function spokenLastDigits(number: string, language: string): string {
  const four = lastDigits(number);
  if (language.startsWith('en')) return four.split('').join(' ');
  const pairs = four.length === 4 ? [four.slice(0, 2), four.slice(2)] : [four];
  return pairs.map((p) => (p.length === 2 && p[0] === '0' ? `noll ${p[1]}` : p)).join(' ');
}

/** "Vi ringer dig på numret som slutar på 45 67." */
export function numberSentence(number: string, language: string): string {
  const digits = spokenLastDigits(number, language);
  return language.startsWith('en') ? `We will call you on the number ending in ${digits}.` : `Vi ringer dig på numret som slutar på ${digits}.`;
}

/**
 * The number as reception's inbox shows it before anyone asks for it in clear: a Swedish number by
 * its prefix and last four digits ("070-… 45 67", "08-… 12 34"), another country's by its code.
 */
export function maskedNumber(e164: string): string {
  const four = lastDigits(e164);
  const tail = `${four.slice(0, 2)} ${four.slice(2)}`;
  if (e164.startsWith('+46')) {
    const national = '0' + e164.slice(3);
    const prefix = national.startsWith('07') ? national.slice(0, 3) : national.startsWith('08') ? '08' : national.slice(0, 3);
    return `${prefix}-… ${tail}`;
  }
  const cc = /^\+(1|7|[2-9][0-9])/.exec(e164)?.[0] ?? '+';
  return `${cc} … ${tail}`;
}

/**
 * A withheld caller ID. Twilio puts a word in From (Anonymous, Restricted, …) or, for many carriers,
 * the keypad spelling of one (+266696687 is ANONYMOUS); a SIP caller withholds theirs with an
 * anonymous URI (RFC 3323: sip:anonymous@anonymous.invalid). Such a From names no one: it must neither be
 * called back nor pseudonymised, or every withheld call would share one "caller" and count as that
 * caller's repeat calls.
 */
const WORDS = 'anonymous|restricted|unknown|unavailable|private|blocked|withheld';
const WITHHELD_WORDS = new RegExp(`^(?:${WORDS})$`, 'i');
const WITHHELD_DIGITS = new Set(['+266696687', '+7378742833', '+2562533', '+8656696', '+86282452253']);
/** The same words as a SIP user, or any user at RFC 3323's anonymous.invalid host. */
const ANONYMOUS_SIP = new RegExp(`^sips?:(?:(?:${WORDS})@|[^@]*@anonymous\\.invalid(?:[;:>]|$))`, 'i');

/** True for a From that withholds the caller's number (compared trimmed; empty counts as withheld). */
export function isWithheldNumber(from: string): boolean {
  const t = from.trim();
  return !t || WITHHELD_WORDS.test(t) || WITHHELD_DIGITS.has(t) || ANONYMOUS_SIP.test(t);
}

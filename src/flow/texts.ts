import type { SurveyQuestionId } from './schema';

/**
 * Built-in wording, used where a flow does not override it. The survey questions are SKR's
 * servicemätning wording for the phone channel, so answers are comparable with the national figures.
 */
type Texts = Record<string, string>;

export const BUILT_IN_TEXTS: Record<string, Texts> = {
  'sv-SE': {
    invalid: 'Det valet finns inte.',
    noInput: 'Jag hörde inget val.',
    technicalError: 'Ett tekniskt fel uppstod. Du kopplas till växeln.',
    connecting: 'Du kopplas nu.',
    unknownExtension: 'Det anknytningsnumret finns inte.',
    goodbye: 'Tack för samtalet. Hej då.',
    intro:
      'Tack för ditt samtal. Vi vill gärna veta vad du tyckte. Svara med en siffra från 1 till 5, där 1 är sämst och 5 är bäst. Dina svar sparas utan ditt telefonnummer. Vill du inte svara, tryck stjärna eller lägg på.',
    consent:
      'Tack för ditt samtal. Vill du svara på några korta frågor om hur det gick? Dina svar sparas utan ditt telefonnummer. Tryck 1 för ja. Annars kan du lägga på.',
    introAfterConsent: 'Svara med en siffra från 1 till 5, där 1 är sämst och 5 är bäst.',
    bemotande: 'I din senaste kontakt med kommunens medarbetare via telefoni, hur nöjd var du med bemötandet? Svara 1 till 5.',
    enkelhet: 'Hur enkelt var det att få hjälp av kommunen med din fråga via telefoni? Svara 1 till 5.',
    answered: 'Fick du svar på din fråga? Tryck 1 för ja, 2 för nej.',
    surveyInvalid: 'Svara med en av siffrorna.',
    thanks: 'Tack för dina svar. Hej då.',
    comment: 'Vill du lämna en kort kommentar om samtalet? Säg den nu, eller lägg på.',
    commentThanks: 'Tack för din kommentar. Hej då.',
    callbackConfirm: 'Tryck 1 om det stämmer, eller 2 för att slå ett annat nummer.',
    callbackConfirmKeyed: 'Tryck 1 om det stämmer, eller 2 för att slå numret igen.',
    callbackKeyNumber: 'Slå telefonnumret du vill bli uppringd på, med riktnummer, och avsluta med fyrkant.',
    callbackInvalidNumber: 'Det numret kan vi inte ringa upp.',
    callbackGoodbye: 'Tack. Hej då.',
    queueFirst: 'Du är först i kön.',
    queuePosition: 'Du är nummer {position} i kön.',
    queueWaitUnderMinute: 'Beräknad väntetid är mindre än en minut.',
    queueWaitOneMinute: 'Beräknad väntetid är ungefär en minut.',
    queueWaitMinutes: 'Beräknad väntetid är ungefär {minutes} minuter.',
    agentRefused: 'Det här numret är bara för växelns telefonister. Hej då.',
    agentQueueEmpty: 'Ingen väntar i kön just nu. Hej då.',
    agentQueueFailed: 'Kön gick inte att nå. Försök igen om en stund. Hej då.',
  },
  'en-GB': {
    invalid: 'That option does not exist.',
    noInput: 'I did not hear a choice.',
    technicalError: 'A technical error occurred. Connecting you to the switchboard.',
    connecting: 'Connecting you now.',
    unknownExtension: 'That extension does not exist.',
    goodbye: 'Thank you for calling. Goodbye.',
    intro:
      'Thank you for your call. We would like to know what you thought. Answer with a number from 1 to 5, where 1 is worst and 5 is best. Your answers are stored without your phone number. To decline, press star or hang up.',
    consent:
      'Thank you for your call. Would you answer a few short questions about it? Your answers are stored without your phone number. Press 1 for yes. Otherwise, just hang up.',
    introAfterConsent: 'Answer with a number from 1 to 5, where 1 is worst and 5 is best.',
    bemotande: 'In your latest contact with the municipality by phone, how satisfied were you with how you were treated? Answer 1 to 5.',
    enkelhet: 'How easy was it to get help from the municipality with your question by phone? Answer 1 to 5.',
    answered: 'Did you get an answer to your question? Press 1 for yes, 2 for no.',
    surveyInvalid: 'Please answer with one of the numbers.',
    thanks: 'Thank you for your answers. Goodbye.',
    comment: 'Would you like to leave a short comment about the call? Say it now, or just hang up.',
    commentThanks: 'Thank you for your comment. Goodbye.',
    callbackConfirm: 'Press 1 if that is right, or 2 to enter another number.',
    callbackConfirmKeyed: 'Press 1 if that is right, or 2 to enter the number again.',
    callbackKeyNumber: 'Enter the phone number you want us to call, with the area code, and finish with the hash key.',
    callbackInvalidNumber: 'We cannot call that number.',
    callbackGoodbye: 'Thank you. Goodbye.',
    queueFirst: 'You are first in the queue.',
    queuePosition: 'You are number {position} in the queue.',
    queueWaitUnderMinute: 'The expected wait is less than a minute.',
    queueWaitOneMinute: 'The expected wait is about one minute.',
    queueWaitMinutes: 'The expected wait is about {minutes} minutes.',
    agentRefused: 'This number is for the switchboard operators only. Goodbye.',
    agentQueueEmpty: 'Nobody is waiting in the queue right now. Goodbye.',
    agentQueueFailed: 'The queue could not be reached. Please try again shortly. Goodbye.',
  },
};

export type BuiltInTextKey = keyof (typeof BUILT_IN_TEXTS)['sv-SE'];

/** The valid answers of each survey question. */
export const SURVEY_SCALES: Record<SurveyQuestionId, readonly number[]> = {
  bemotande: [1, 2, 3, 4, 5],
  enkelhet: [1, 2, 3, 4, 5],
  answered: [1, 2],
};

export function builtInText(key: BuiltInTextKey, language: string): string {
  const exact = BUILT_IN_TEXTS[language]?.[key];
  if (exact) return exact;
  const sameLanguage = Object.keys(BUILT_IN_TEXTS).find((l) => l.slice(0, 2) === language.slice(0, 2));
  return (sameLanguage && BUILT_IN_TEXTS[sameLanguage][key]) || BUILT_IN_TEXTS['sv-SE'][key];
}

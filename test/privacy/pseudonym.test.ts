import { allPseudonyms, normalizeNumber, pseudonymize } from '../../src/privacy/pseudonym';

/**
 * The pseudonym of a caller's number, on its own (issue 24: part of the pure core that mutation
 * testing measures). Expected HMACs were computed outside this code, with
 * `echo -n NUMBER | openssl dgst -sha256 -hmac SECRET`, and cut to 32 hex characters.
 */
const K1 = { id: 'k1', secret: 's3cret-key-one-0123456789' };
const K2 = { id: 'k2', secret: 'another-secret-abcdefghij' };

describe('normalizeNumber', () => {
  test('withheld numbers, in any case, and empty ones are no number', () => {
    for (const raw of ['anonymous', 'Anonymous', 'RESTRICTED', 'unknown', 'Private', 'Unavailable', 'blocked', 'Withheld', '', '   ']) expect(normalizeNumber(raw)).toBeNull();
  });

  test("a withheld caller id in its keypad spelling (Twilio's +266696687 for ANONYMOUS) is no number and gets no pseudonym", () => {
    // Else every withheld call would share one pseudonym and count as one caller's repeat calls.
    for (const raw of ['+266696687', '+7378742833', '+2562533', '+8656696', '+86282452253', ' +266696687 ']) {
      expect(normalizeNumber(raw)).toBeNull();
      expect(pseudonymize(raw, K1)).toBeNull();
    }
    expect(pseudonymize('+2666966870', K1)).toMatch(/^k1:[0-9a-f]{32}$/);
  });

  test('an anonymous SIP caller (RFC 3323) is no one either; a named SIP caller keeps a pseudonym', () => {
    for (const raw of ['sip:anonymous@anonymous.invalid', 'SIP:Anonymous@pbx.exempelstad.se', 'sips:restricted@trunk.example', 'sip:x@anonymous.invalid;transport=tls']) {
      expect(normalizeNumber(raw)).toBeNull();
      expect(pseudonymize(raw, K1)).toBeNull();
    }
    expect(pseudonymize('sip:anna.lind@pbx.exempelstad.se', K1)).toMatch(/^k1:[0-9a-f]{32}$/);
    expect(pseudonymize('sip:anonymousfan@pbx.exempelstad.se', K1)).toMatch(/^k1:[0-9a-f]{32}$/);
  });

  test('a number that merely contains such a word is still read for its digits', () => {
    expect(normalizeNumber('private 070-123 45 67')).toBe('+46701234567');
    expect(normalizeNumber('+46701234567 unknown')).toBe('+46701234567');
  });

  test('SIP and client addresses are kept whole, lower-cased, even when the user is called "private"', () => {
    expect(normalizeNumber(' SIP:Alice@Example.com ')).toBe('sip:alice@example.com');
    expect(normalizeNumber('Client:Private')).toBe('client:private');
  });

  test('spaces and dashes go; 00 becomes +; a leading 0 is a Swedish number', () => {
    expect(normalizeNumber('+46 70-123 45 67')).toBe('+46701234567');
    expect(normalizeNumber('0046 70 123 45 67')).toBe('+46701234567');
    expect(normalizeNumber('070-123 45 67')).toBe('+46701234567');
    expect(normalizeNumber('4711')).toBe('4711');
  });

  test('text without a digit is no number', () => {
    expect(normalizeNumber('n/a')).toBeNull();
  });
});

describe('pseudonymize', () => {
  test('is the key id and the first 32 hex characters of the HMAC-SHA256 of the normalized number', () => {
    expect(pseudonymize('070-123 45 67', K1)).toBe('k1:e866a4b02f71fba3d16ee980cfa64654');
    expect(pseudonymize('+46701234567', K2)).toBe('k2:54a329d7e64688ddb6d4569ff4599a82');
    expect(pseudonymize('sip:Alice@example.com', K1)).toBe('k1:5ad3be685703cb45ba54dcc85a3b3881');
  });

  test('no number, no pseudonym', () => {
    expect(pseudonymize(undefined, K1)).toBeNull();
    expect(pseudonymize('anonymous', K1)).toBeNull();
  });
});

describe('allPseudonyms', () => {
  test('one per key, in the keys’ order; none for a withheld number', () => {
    expect(allPseudonyms('0701234567', [K1, K2])).toEqual(['k1:e866a4b02f71fba3d16ee980cfa64654', 'k2:54a329d7e64688ddb6d4569ff4599a82']);
    expect(allPseudonyms('restricted', [K1, K2])).toEqual([]);
  });
});

import { hashPassword, PASSWORD_PROBLEM_TEXT, passwordProblem, SCRYPT_PARAMS, verifyPassword } from '../../src/identity/passwords';

describe('passwords', () => {
  test('a hash is scrypt with its parameters and a fresh salt, and verifies only the same password', async () => {
    const a = await hashPassword('korrekt häst batteri');
    const b = await hashPassword('korrekt häst batteri');
    expect(a.split('$').slice(0, 4)).toEqual(['scrypt', String(SCRYPT_PARAMS.N), String(SCRYPT_PARAMS.r), String(SCRYPT_PARAMS.p)]);
    expect(a).not.toBe(b);
    expect(a).not.toContain('häst');
    await expect(verifyPassword('korrekt häst batteri', a)).resolves.toBe(true);
    await expect(verifyPassword('korrekt häst batteri', b)).resolves.toBe(true);
    await expect(verifyPassword('korrekt hast batteri', a)).resolves.toBe(false);
    await expect(verifyPassword('', a)).resolves.toBe(false);
  });

  test('the same password typed in another Unicode form verifies (å as one character or a + ring)', async () => {
    const h = await hashPassword('sjöboden på ön');
    await expect(verifyPassword('sjöboden på ön'.normalize('NFD'), h)).resolves.toBe(true);
  });

  test('a stored value that is not an scrypt hash never verifies', async () => {
    await expect(verifyPassword('x', 'plain')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$0$8$1$c2FsdA$a2V5')).resolves.toBe(false);
  });

  test('weak passwords are refused with the rule they break, worded in Swedish for the API', () => {
    expect(passwordProblem('kort', 'anna.lind@kommun.se')).toBe('too-short');
    expect(passwordProblem('x'.repeat(257), 'anna.lind@kommun.se')).toBe('too-long');
    expect(passwordProblem('anna.lind-2026-vår', 'anna.lind@kommun.se')).toBe('contains-name');
    expect(passwordProblem('fyra ord som är långa', 'anna.lind@kommun.se')).toBeNull();
    expect(PASSWORD_PROBLEM_TEXT['too-short']).toBe('Lösenordet måste ha minst 12 tecken.');
  });
});

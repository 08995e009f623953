import { ErrorCodes, OidcError } from '../../src/errors';
import { identityFromClaims } from '../../src/identity/oidc-identity';

describe('identityFromClaims', () => {
  test('the email claim, in lower case, the name and the subject', () => {
    expect(identityFromClaims({ sub: 'u-1', email: 'Anna.Andersson@Kommun.se', email_verified: true, name: 'Anna Andersson' })).toMatchObject({
      subject: 'u-1',
      email: 'anna.andersson@kommun.se',
      name: 'Anna Andersson',
    });
  });

  test('Entra without an email claim: the sign-in name (preferred_username, else upn) when it is an address', () => {
    expect(identityFromClaims({ sub: 'e', preferred_username: 'erik@kommun.se', name: 'Erik' }).email).toBe('erik@kommun.se');
    expect(identityFromClaims({ sub: 'e', preferred_username: 'erik', upn: 'Erik@Kommun.se', name: 'Erik' }).email).toBe('erik@kommun.se');
  });

  test('an email the provider marks unverified is passed over for the sign-in name, or refused', () => {
    expect(identityFromClaims({ sub: 'x', email: 'chef@kommun.se', email_verified: false, preferred_username: 'vikarie@kommun.se' }).email).toBe('vikarie@kommun.se');
    expect(() => identityFromClaims({ sub: 'x', email: 'chef@kommun.se', email_verified: false })).toThrow(OidcError);
  });

  test('no address anywhere: refused as email_missing', () => {
    let caught: unknown;
    try {
      identityFromClaims({ sub: 'desk-3', preferred_username: 'desk-3', email: 'not an address' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: ErrorCodes.OIDC_SIGNIN_FAILED, reason: 'email_missing' });
  });

  test('no name: given and family name, else the address', () => {
    expect(identityFromClaims({ sub: 's', email: 'sara@kommun.se', given_name: 'Sara', family_name: 'Berg' }).name).toBe('Sara Berg');
    expect(identityFromClaims({ sub: 's', email: 'sara@kommun.se', name: '  ' }).name).toBe('sara@kommun.se');
  });

  test('all the claims are kept, for the role mapping', () => {
    const claims = { sub: 's', email: 'sara@kommun.se', groups: ['callpath-admin'] };
    expect(identityFromClaims(claims).claims).toBe(claims);
  });
});

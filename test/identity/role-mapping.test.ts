import { parseRoleMap } from '../../src/identity/oidc-settings';
import { rolesFromClaims } from '../../src/identity/role-mapping';

const { roleMap } = parseRoleMap('callpath-reception=reception;callpath-analytiker=analyst;callpath-admin=admin,analyst');

describe('rolesFromClaims', () => {
  test('an array claim: every mapped value’s roles', () => {
    expect(rolesFromClaims({ groups: ['callpath-reception'] }, 'groups', roleMap)).toEqual(['reception']);
    expect(rolesFromClaims({ groups: ['callpath-analytiker', 'callpath-admin'] }, 'groups', roleMap)).toEqual(['analyst', 'admin']);
  });

  test('a single string claim counts as one value', () => {
    expect(rolesFromClaims({ groups: 'callpath-admin' }, 'groups', roleMap)).toEqual(['analyst', 'admin']);
  });

  test('each role once, in the order of ROLES, whatever the claim’s order', () => {
    expect(rolesFromClaims({ groups: ['callpath-admin', 'callpath-analytiker', 'callpath-reception', 'callpath-admin'] }, 'groups', roleMap)).toEqual([
      'reception',
      'analyst',
      'admin',
    ]);
  });

  test('no claim, an empty one, or one of another type: no roles', () => {
    expect(rolesFromClaims({}, 'groups', roleMap)).toEqual([]);
    expect(rolesFromClaims({ groups: [] }, 'groups', roleMap)).toEqual([]);
    expect(rolesFromClaims({ groups: null }, 'groups', roleMap)).toEqual([]);
    expect(rolesFromClaims({ groups: 42 }, 'groups', roleMap)).toEqual([]);
    expect(rolesFromClaims({ groups: { 'callpath-admin': true } }, 'groups', roleMap)).toEqual([]);
  });

  test('values the map does not name grant nothing; non-strings among the values are passed over', () => {
    expect(rolesFromClaims({ groups: ['Domain Users', 7, null, 'callpath-reception'] }, 'groups', roleMap)).toEqual(['reception']);
  });

  test('a group named like an Object.prototype member grants nothing', () => {
    expect(rolesFromClaims({ groups: ['constructor', '__proto__', 'toString', 'hasOwnProperty'] }, 'groups', roleMap)).toEqual([]);
  });

  test('the match is exact: case and surrounding space matter', () => {
    expect(rolesFromClaims({ groups: ['Callpath-Admin', ' callpath-admin'] }, 'groups', roleMap)).toEqual([]);
  });

  test('a dotted name reaches into objects (Keycloak’s realm_access.roles)', () => {
    const claims = { realm_access: { roles: ['offline_access', 'callpath-analytiker'] }, groups: ['callpath-admin'] };
    expect(rolesFromClaims(claims, 'realm_access.roles', roleMap)).toEqual(['analyst']);
    expect(rolesFromClaims({ resource_access: { callpath: { roles: 'callpath-admin' } } }, 'resource_access.callpath.roles', roleMap)).toEqual(['analyst', 'admin']);
  });

  test('a dotted path that stops short, or runs into an array or a value, gives no roles', () => {
    expect(rolesFromClaims({ realm_access: {} }, 'realm_access.roles', roleMap)).toEqual([]);
    expect(rolesFromClaims({ realm_access: 'callpath-admin' }, 'realm_access.roles', roleMap)).toEqual([]);
    expect(rolesFromClaims({ realm_access: [{ roles: ['callpath-admin'] }] }, 'realm_access.roles', roleMap)).toEqual([]);
  });

  test('a claim whose own name holds dots (a namespaced claim) is taken as it is', () => {
    expect(rolesFromClaims({ 'https://kommun.se/roles': ['callpath-reception'] }, 'https://kommun.se/roles', roleMap)).toEqual(['reception']);
  });
});

describe('parseRoleMap', () => {
  test('value=role[,role] entries separated by semicolons; spaces and a trailing semicolon allowed', () => {
    expect(parseRoleMap(' callpath-reception = reception ; callpath-admin=admin, analyst ;')).toEqual({
      roleMap: { 'callpath-reception': ['reception'], 'callpath-admin': ['analyst', 'admin'] },
      problems: [],
    });
  });

  test('a group id (Entra gives object ids) or a value holding "=" maps too: the split is at the last "="', () => {
    expect(parseRoleMap('8a3c1f7e-52d4-4e1b-9a6e-2b7d0c9e4f11=analyst;cn=callpath,ou=groups=admin').roleMap).toEqual({
      '8a3c1f7e-52d4-4e1b-9a6e-2b7d0c9e4f11': ['analyst'],
      'cn=callpath,ou=groups': ['admin'],
    });
  });

  test('every problem at once: unknown roles (named, with the valid ones), entries without roles, a value twice', () => {
    const { problems } = parseRoleMap('a=reception;b=analytiker,boss;c;d=;a=admin');
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe('unknown role "analytiker", "boss" for "b" (the roles are reception, analyst, admin)');
    expect(problems[1]).toMatch(/^"c" is not value=role\[,role\]/);
    expect(problems[2]).toMatch(/^"d=" is not value=role\[,role\]/);
    expect(problems[3]).toMatch(/^"a" is mapped twice/);
  });

  test('a map with no entries is a problem', () => {
    expect(parseRoleMap(' ; ').problems).toEqual([expect.stringMatching(/^must map at least one claim value/)]);
  });

  test('"__proto__" is an ordinary group name, not a way into the object', () => {
    const { roleMap: map, problems } = parseRoleMap('__proto__=admin');
    expect(problems).toEqual([]);
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(rolesFromClaims({ groups: ['__proto__'] }, 'groups', map)).toEqual(['admin']);
  });
});

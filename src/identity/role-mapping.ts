/**
 * From what the identity provider says about a user (their groups, or the provider's roles) to
 * callpath's roles, through the operator's OIDC_ROLE_MAP. Pure.
 */
import { ROLES, type Role } from './model';

/**
 * The roles the user's claims grant, in ROLES order, each once. The role claim may be a string, an
 * array of strings or absent (no roles); a dotted name reaches into objects (Keycloak's
 * `realm_access.roles`), unless a claim has that very name (namespaced claims hold dots).
 * Values the map does not name grant nothing.
 */
export function rolesFromClaims(claims: Record<string, unknown>, roleClaim: string, roleMap: Record<string, Role[]>): Role[] {
  const granted = new Set<Role>();
  for (const value of claimValues(claimAt(claims, roleClaim))) {
    // Own keys only: a group named "constructor" must not reach Object.prototype.
    if (Object.hasOwn(roleMap, value)) for (const role of roleMap[value]) granted.add(role);
  }
  return ROLES.filter((role) => granted.has(role));
}

/** The claim at a name, or else at a dotted path into objects; undefined when absent. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let at: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function claimValues(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim];
  if (Array.isArray(claim)) return claim.filter((value): value is string => typeof value === 'string');
  return [];
}

/**
 * Sign-in through the municipality's OpenID Connect provider (Entra ID, Keycloak ...): what the
 * operator configures, and the checks config.ts applies to it. Pure: config.ts reads the environment.
 */
import { ROLES, type Role } from './model';

export interface OidcSettings {
  /** The provider's issuer identifier, exactly as its discovery document names itself. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claim that carries the user's groups or roles; a dotted path reaches into objects (realm_access.roles). */
  roleClaim: string;
  /** A value of the role claim (a group name or id) to the callpath roles it grants. */
  roleMap: Record<string, Role[]>;
  /** The sign-in button's text. */
  label: string;
  /** Where the provider sends the browser back: registered at the provider as the client's redirect URI. */
  redirectUrl: string;
}

export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
export const OIDC_DEFAULT_ROLE_CLAIM = 'groups';
export const OIDC_DEFAULT_LABEL = 'Logga in med kommunens konto';

/** The keys that configure sign-in through the provider; all or none of them. */
export const OIDC_REQUIRED_KEYS = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ROLE_MAP'] as const;

const ROLE_MAP_FORMAT = 'value=role[,role][;value=role...], e.g. callpath-reception=reception;callpath-admin=admin,analyst';

/**
 * Parses OIDC_ROLE_MAP. Every problem is returned, not just the first, so the operator fixes the
 * value in one go. The split is at the last `=`, since role names never hold one and group names might.
 */
export function parseRoleMap(spec: string): { roleMap: Record<string, Role[]>; problems: string[] } {
  // A Map, then fromEntries: an assignment to roleMap['__proto__'] would set the prototype instead.
  const mapped = new Map<string, Role[]>();
  const problems: string[] = [];
  const entries = spec.split(';').map((entry) => entry.trim()).filter(Boolean);
  if (!entries.length) problems.push(`must map at least one claim value: ${ROLE_MAP_FORMAT}`);
  for (const entry of entries) {
    const at = entry.lastIndexOf('=');
    const value = entry.slice(0, Math.max(at, 0)).trim();
    const names = entry.slice(at + 1).split(',').map((name) => name.trim()).filter(Boolean);
    if (at < 0 || !value || !names.length) {
      problems.push(`"${entry}" is not value=role[,role] (${ROLE_MAP_FORMAT})`);
      continue;
    }
    if (mapped.has(value)) {
      problems.push(`"${value}" is mapped twice; give all its roles in one entry, e.g. ${value}=admin,analyst`);
      continue;
    }
    const unknown = names.filter((name) => !(ROLES as readonly string[]).includes(name));
    if (unknown.length) {
      problems.push(`unknown role ${unknown.map((n) => `"${n}"`).join(', ')} for "${value}" (the roles are ${ROLES.join(', ')})`);
      continue;
    }
    mapped.set(value, ROLES.filter((role) => names.includes(role)));
  }
  return { roleMap: Object.fromEntries(mapped), problems };
}

/** localhost, 127.0.0.0/8 or ::1: the only hosts a plain-http issuer may have (a test or a developer's provider). */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

import { timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal';

export interface ServiceAccountSecrets {
  /** API_TOKEN: what the admin token could do before personal accounts, i.e. everything. */
  adminToken?: string;
  /** API_STAFF_TOKEN: reading, as the staff token could: the live board, timelines and statistics. */
  staffToken?: string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The shared secrets of earlier versions, kept working as two service accounts so that no deployment
 * breaks when personal accounts arrive; the audit trail names them as such.
 */
export function serviceAccountFor(token: string, s: ServiceAccountSecrets): Principal | null {
  if (s.adminToken && same(token, s.adminToken)) {
    return { kind: 'service', actor: 'service:API_TOKEN', email: null, name: 'API_TOKEN (tjänstekonto)', roles: ['reception', 'analyst', 'admin'] };
  }
  if (s.staffToken && same(token, s.staffToken)) {
    return { kind: 'service', actor: 'service:API_STAFF_TOKEN', email: null, name: 'API_STAFF_TOKEN (tjänstekonto)', roles: ['reception', 'analyst'] };
  }
  return null;
}

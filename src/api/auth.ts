import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ApiError, ErrorCodes } from '../errors';

export type Role = 'admin' | 'staff';

export interface AuthOptions {
  adminToken?: string;
  staffToken?: string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The role a bearer token grants, or null. */
export function roleFor(token: string | undefined, opts: AuthOptions): Role | null {
  if (!token) return null;
  if (opts.adminToken && same(token, opts.adminToken)) return 'admin';
  if (opts.staffToken && same(token, opts.staffToken)) return 'staff';
  return null;
}

export function bearerToken(req: Request): string | undefined {
  const h = req.header('authorization');
  const m = h && /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : undefined;
}

/** Staff may read; only admins may change things or see the per-caller export. */
export function requireRole(opts: AuthOptions, needed: Role = 'staff') {
  return (req: Request, res: Response, next: NextFunction) => {
    const role = roleFor(bearerToken(req), opts);
    if (!role) return next(new ApiError(401, ErrorCodes.API_UNAUTHORIZED, 'Missing or invalid bearer token (Authorization: Bearer <API_TOKEN>)'));
    if (needed === 'admin' && role !== 'admin') return next(new ApiError(403, ErrorCodes.API_FORBIDDEN, 'This needs the admin role'));
    res.locals.role = role;
    next();
  };
}

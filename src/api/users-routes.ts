import express, { type Request } from 'express';
import { z } from 'zod';
import { ApiError, ErrorCodes } from '../errors';
import { MAX_TOKEN_DAYS, tokenView } from '../identity/api-tokens';
import { AuditActions } from '../identity/audit-actions';
import type { Identity } from '../identity/create';
import { ROLES } from '../identity/model';
import { UserError, userView } from '../identity/users';
import type { RecordAccess } from './audit-access';
import { principalOf } from './guard';

const Roles = z.array(z.enum(ROLES)).max(ROLES.length);
const NewUserBody = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(120),
  roles: Roles,
  source: z.enum(['local', 'oidc']).optional(),
});
const UserChangeBody = z
  .strictObject({ name: z.string().trim().min(1).max(120).optional(), roles: Roles.optional(), disabled: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of name, roles, disabled');
const NewTokenBody = z.strictObject({ name: z.string().trim().min(1).max(80), expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS) });

function body<S extends z.ZodTypeAny>(schema: S, req: Request, shape: string): z.infer<S> {
  const r = schema.safeParse(req.body);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, `Invalid body${i.path.length ? ` field "${i.path.join('.')}"` : ''}: ${i.message} (expected ${shape})`);
  }
  return r.data;
}

function asApiError(err: unknown): never {
  if (err instanceof UserError) throw new ApiError(err.kind === 'exists' ? 409 : err.kind === 'not-found' ? 404 : 400, err.kind === 'not-found' ? ErrorCodes.API_NOT_FOUND : ErrorCodes.API_BAD_REQUEST, err.message);
  throw err;
}

/** Users and their personal tokens (admins; a user may list, create and revoke their own tokens). */
export function usersRoutes(identity: Identity, recordAccess: RecordAccess, now: () => number): express.Router {
  const r = express.Router();
  r.use('/users', express.json({ limit: '4kb' }));

  r.get('/users', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ users: (await identity.users.list()).map((u) => userView(u, now())) });
  });

  r.post('/users', async (req, res) => {
    const b = body(NewUserBody, req, '{"email", "name", "roles": ["reception"]}');
    const { user, temporaryPassword } = await identity.users.create(b).catch(asApiError);
    await recordAccess(req, res, AuditActions.USER_CREATED, user.email, { roles: user.roles.join(' '), source: user.source });
    res.status(201).json({ ...userView(user, now()), ...(temporaryPassword ? { temporaryPassword } : {}) });
  });

  r.patch('/users/:email', async (req, res) => {
    const b = body(UserChangeBody, req, '{"name"?, "roles"?, "disabled"?}');
    const before = await identity.users.get(req.params.email);
    const user = await identity.users.change(req.params.email, b).catch(asApiError);
    await recordAccess(req, res, AuditActions.USER_CHANGED, user.email, {
      ...(b.roles ? { roles: user.roles.join(' '), rolesBefore: before?.roles.join(' ') ?? '' } : {}),
      ...(b.disabled !== undefined ? { disabled: user.disabled } : {}),
      ...(b.name ? { renamed: true } : {}),
    });
    res.json(userView(user, now()));
  });

  r.post('/users/:email/password-reset', async (req, res) => {
    const { user, temporaryPassword } = await identity.users.resetPassword(req.params.email).catch(asApiError);
    await recordAccess(req, res, AuditActions.PASSWORD_RESET, user.email);
    res.json({ email: user.email, temporaryPassword });
  });

  const ownerOf = async (email: string) => {
    const user = await identity.users.get(email);
    if (!user) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, `No user ${email}`);
    return user;
  };

  r.get('/users/:email/tokens', async (req, res) => {
    const user = await ownerOf(req.params.email);
    res.set('Cache-Control', 'no-store');
    res.json({ tokens: (await identity.tokens.list(user.email)).map(tokenView) });
  });

  r.post('/users/:email/tokens', async (req, res) => {
    const b = body(NewTokenBody, req, '{"name", "expiresInDays"}');
    const user = await ownerOf(req.params.email);
    if (user.disabled) throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, `${user.email} is disabled`);
    const { token, record } = await identity.tokens.create(user, b.name, b.expiresInDays, principalOf(res).actor);
    await recordAccess(req, res, AuditActions.TOKEN_CREATED, user.email, { tokenId: record.id, expiresAt: record.expiresAt });
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ token, expiresAt: record.expiresAt, id: record.id, name: record.name });
  });

  r.delete('/users/:email/tokens/:id', async (req, res) => {
    const user = await ownerOf(req.params.email);
    const mine = (await identity.tokens.list(user.email)).some((t) => t.id === req.params.id);
    if (!mine || !(await identity.tokens.revoke(req.params.id))) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, `No valid token ${req.params.id} of ${user.email}`);
    await recordAccess(req, res, AuditActions.TOKEN_REVOKED, user.email, { tokenId: req.params.id });
    res.status(204).end();
  });

  return r;
}

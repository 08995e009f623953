import type { Request, Response } from 'express';
import type { AuditAction } from '../identity/audit-actions';
import type { AuditRecord } from '../identity/model';
import type { AuditTrail } from '../identity/audit-trail';
import { principalOf } from './guard';

/** Records what the request's principal did, from which address; awaited before the data is sent, so no read goes unrecorded. */
export type RecordAccess = (req: Request, res: Response, action: AuditAction, object?: string | null, details?: AuditRecord['details']) => Promise<void>;

export function recordAccessWith(audit: AuditTrail): RecordAccess {
  return async (req, res, action, object, details) => {
    await audit.record({ actor: principalOf(res), action, object: object ?? null, address: req.ip ?? null, details: details ?? null });
  };
}

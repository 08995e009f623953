/**
 * Every action the audit trail records. Reads of personal data, changes, and sign-ins; the names are
 * stable (an export or a SIEM rule matches on them), so one is never renamed once shipped.
 */
export const AuditActions = {
  // Reads of personal data
  CALL_TIMELINE_READ: 'call.timeline.read',
  CALL_READ: 'call.read',
  CALLS_LISTED: 'calls.listed',
  CALLS_EXPORTED: 'calls.exported',
  REGISTER_EXTRACT: 'privacy.extract',
  COMMENTS_READ: 'comments.read',
  CALLBACKS_READ: 'callbacks.read',
  CALLBACK_NUMBER_READ: 'callback.number.read',
  AUDIT_READ: 'audit.read',
  // Changes
  ERASURE: 'privacy.erase',
  FLOWS_RELOADED: 'flows.reload',
  USER_CREATED: 'user.created',
  USER_CHANGED: 'user.changed',
  PASSWORD_CHANGED: 'user.password.changed',
  PASSWORD_RESET: 'user.password.reset',
  TOKEN_CREATED: 'token.created',
  TOKEN_REVOKED: 'token.revoked',
  AUDIT_PRUNED: 'audit.pruned',
  NOTICE_SET: 'notice.set',
  NOTICE_CLEARED: 'notice.cleared',
  CALLBACK_ASSIGNED: 'callback.assigned',
  CALLBACK_TRIED: 'callback.tried',
  CALLBACK_DONE: 'callback.done',
  // Sign-in
  SIGNIN: 'signin',
  SIGNIN_FAILED: 'signin.failed',
  SIGNOUT: 'signout',
} as const;

export type AuditAction = (typeof AuditActions)[keyof typeof AuditActions];

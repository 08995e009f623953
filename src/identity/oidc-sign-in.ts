import type { Logger } from '../log';
import type { PendingSignIn, Role } from './model';
import { connectOidc, type OidcClient, type StartedSignIn } from './oidc-client';
import type { OidcSettings } from './oidc-settings';
import { rolesFromClaims } from './role-mapping';

/** Sign-in through the municipality's identity provider, as the sign-in routes use it. */
export interface OidcSignIn {
  label: string;
  begin(returnTo: string): Promise<{ url: string; pending: StartedSignIn }>;
  /** Who signed in and their roles from the provider's claim (none: no role in callpath). */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<{ subject: string; email: string; name: string; roles: Role[] }>;
}

/** How long before a failed discovery is tried again (at the next sign-in that asks). */
const RETRY_AFTER_MS = 60_000;

/**
 * The provider, discovered at start in the background: the service (and every call) starts whatever
 * the provider does. A failure is logged at once with the setting's name and the reason, and retried
 * when someone next signs in, at most once a minute; until then that sign-in gets the same reason.
 */
export function oidcSignIn(settings: OidcSettings, log: Logger, connect: typeof connectOidc = connectOidc, now: () => number = Date.now): OidcSignIn & { ready: Promise<void> } {
  let client: Promise<OidcClient>;
  let failedAt = 0;
  const attempt = () => {
    client = connect(settings);
    client.then(
      (c) => log.info({ issuer: c.issuer }, 'sign-in: connected to the identity provider'),
      (err: Error) => {
        failedAt = now();
        log.error({ code: (err as { code?: string }).code, err: err.message }, 'sign-in: the identity provider cannot be used; local accounts still sign in, calls are answered');
      },
    );
    return client;
  };
  const ready = attempt().then(
    () => undefined,
    () => undefined,
  );
  const current = async () => {
    try {
      return await client;
    } catch (err) {
      if (now() - failedAt < RETRY_AFTER_MS) throw err;
      return attempt();
    }
  };
  return {
    label: settings.label,
    ready,
    begin: async (returnTo) => (await current()).begin(returnTo),
    finish: async (callbackUrl, pending) => {
      const who = await (await current()).finish(callbackUrl, pending);
      return { subject: who.subject, email: who.email, name: who.name, roles: rolesFromClaims(who.claims, settings.roleClaim, settings.roleMap) };
    },
  };
}

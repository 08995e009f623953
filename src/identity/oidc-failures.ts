/**
 * What went wrong with the identity provider, in words an operator or the sign-in page can act on.
 * Errors are read by their code, name and cause chain, not by instanceof: openid-client wraps
 * Node's fetch errors, and under jest the library's classes and Node's live in different realms.
 * Never a token, code or secret in a message: only codes, statuses and the provider's error words.
 */
import type { OidcFailureReason } from '../errors';

interface ErrorFacts {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  error?: unknown;
  error_description?: unknown;
  status?: unknown;
}

/** The error and its causes, outermost first. */
function chain(err: unknown): ErrorFacts[] {
  const facts: ErrorFacts[] = [];
  for (let at = err; typeof at === 'object' && at !== null && facts.length < 8; at = (at as ErrorFacts).cause) facts.push(at as ErrorFacts);
  return facts;
}

const NETWORK_CODE = /^(E[A-Z]+|UND_ERR_[A-Z_]+|ERR_TLS_[A-Z_]+|ERR_SSL_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)$/;

/** Why the provider could not be reached (a system error code, `timeout`), or undefined when it answered. */
function unreachableBecause(err: unknown): string | undefined {
  const facts = chain(err);
  if (facts.some((f) => f.name === 'TimeoutError' || f.code === 'OAUTH_TIMEOUT')) return 'timeout';
  const network = facts.find((f) => typeof f.code === 'string' && NETWORK_CODE.test(f.code));
  if (network) return network.code as string;
  const fetchFailed = facts.findIndex((f) => f.name === 'TypeError' && f.message === 'fetch failed');
  if (fetchFailed >= 0) return String(facts[fetchFailed + 1]?.message ?? 'fetch failed');
  return undefined;
}

export function isUnreachable(err: unknown): boolean {
  return unreachableBecause(err) !== undefined;
}

const NOT_METADATA = new Set(['OAUTH_RESPONSE_IS_NOT_JSON', 'OAUTH_PARSE_ERROR', 'OAUTH_INVALID_RESPONSE']);

/** Why discovery of `issuer` failed, as the end of "OIDC_ISSUER_URL: ...". */
export function describeDiscoveryFailure(err: unknown, issuer: string, timeoutSeconds: number): string {
  const discoveryUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const unreachable = unreachableBecause(err);
  if (unreachable === 'timeout') return `the identity provider at ${issuer} did not answer within ${timeoutSeconds} s`;
  if (unreachable) return `the identity provider at ${issuer} is unreachable (${unreachable})`;
  const top = (err ?? {}) as ErrorFacts;
  if (top.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') {
    const named = (top.cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer;
    return `${issuer} is not the issuer its discovery document names (${String(named)}): set OIDC_ISSUER_URL to exactly that`;
  }
  if (top.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') {
    const status = (top.cause as { status?: unknown } | undefined)?.status;
    return `${issuer} is not an OpenID provider: ${discoveryUrl} answered HTTP ${String(status)}`;
  }
  if (typeof top.code === 'string' && NOT_METADATA.has(top.code)) return `${issuer} is not an OpenID provider: ${discoveryUrl} is not OpenID metadata`;
  if (top.code === 'OAUTH_HTTP_REQUEST_FORBIDDEN') return `${issuer} must be an https URL`;
  return `the identity provider at ${issuer} could not be used (${innermostMessage(err)})`;
}

export interface GrantFailure {
  reason: OidcFailureReason;
  message: string;
  details?: Record<string, unknown>;
}

/** Why the callback did not yield verified tokens. */
export function describeGrantFailure(err: unknown): GrantFailure {
  const top = (err ?? {}) as ErrorFacts;
  const providerError = typeof top.error === 'string' ? top.error : undefined;
  const description = typeof top.error_description === 'string' ? ` (${top.error_description.slice(0, 200)})` : '';
  if (top.code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') {
    return { reason: 'provider_error', message: `the identity provider refused the sign-in: ${providerError}${description}`, details: { providerError } };
  }
  if (top.code === 'OAUTH_RESPONSE_BODY_ERROR') {
    return { reason: 'code_rejected', message: `the identity provider's token endpoint refused the code: ${providerError}${description}`, details: { providerError, status: top.status } };
  }
  const unreachable = unreachableBecause(err);
  if (unreachable) return { reason: 'unavailable', message: `the identity provider's token endpoint is unreachable (${unreachable})` };
  if (top.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || top.code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
    return { reason: 'unavailable', message: `the identity provider's token endpoint answered with an error page (${innermostMessage(err)})` };
  }
  return { reason: 'response_invalid', message: `the identity provider's answer does not verify: ${innermostMessage(err)}` };
}

/** The most specific message: openid-client's own are generic ("something went wrong"), their causes say what. */
function innermostMessage(err: unknown): string {
  const messages = chain(err)
    .map((f) => f.message)
    .filter((m): m is string => typeof m === 'string' && m.length > 0);
  return messages.length ? messages[messages.length - 1] : String(err);
}

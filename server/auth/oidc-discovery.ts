import { IdentityProviderUnavailable } from './auth-errors.ts';

/** The OIDC discovery document's URL for `issuer` (OpenID Connect Discovery 1.0, section 4). */
export function discoveryUrl(issuer: string): URL {
  return new URL(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
}

/**
 * Reads `jwks_uri` from the issuer's OIDC discovery document. The document must name the same
 * `issuer` (section 4.3), or a token's `iss` and the keys that sign it could come from two parties.
 * @throws IdentityProviderUnavailable when the document cannot be fetched or read.
 */
export async function discoverJwksUrl(
  issuer: string,
  {
    fetch: fetchImpl = fetch,
    timeoutMs = 5_000,
  }: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<URL> {
  const url = discoveryUrl(issuer);
  const unavailable = (why: string, cause?: unknown) =>
    new IdentityProviderUnavailable(
      `The identity provider's discovery document ${url} ${why}; tokens it signed cannot be checked yet, try again shortly.`,
      { cause },
    );
  let document: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetchImpl(url, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) throw unavailable(`answered HTTP ${response.status}`);
    document = (await response.json()) as typeof document;
  } catch (error) {
    if (error instanceof IdentityProviderUnavailable) throw error;
    throw unavailable(`could not be fetched (${reasonOf(error)})`, error);
  }
  if (document?.issuer !== issuer) {
    throw unavailable(`names issuer ${JSON.stringify(document?.issuer)}, not ${issuer}`);
  }
  if (typeof document.jwks_uri !== 'string' || !/^https?:\/\//.test(document.jwks_uri)) {
    throw unavailable('has no http(s) `jwks_uri`');
  }
  return new URL(document.jwks_uri);
}

/** A short reason for a failed fetch: its cause's code or message (`ECONNREFUSED`, a timeout…). */
export function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

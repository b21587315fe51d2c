import type { AuthOptions } from './auth-options.ts';

/** Where RFC 9728 puts a protected resource's metadata, before the resource's own path. */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';
/** The path of the MCP endpoint, the resource MCP clients sign in for. */
export const MCP_PATH = '/mcp';

/** OAuth 2.0 Protected Resource Metadata (RFC 9728, section 2), as this API publishes it. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers?: string[];
  bearer_methods_supported: ['header'];
  resource_name: string;
  resource_documentation?: string;
}

/** The part of a request the URLs are derived from. */
export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  /** `true` when the connection itself is TLS. */
  encrypted?: boolean;
}

const first = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();

/**
 * The API's public base URL: `AUTH_RESOURCE_URL` when set, else the scheme and `Host` the
 * request came with (`X-Forwarded-Proto` as a proxy terminating TLS sets it). A spoofed `Host`
 * only changes the document sent back to the spoofer.
 */
export function publicBaseUrl(options: Pick<AuthOptions, 'resourceUrl'>, request: RequestLike) {
  if (options.resourceUrl) return options.resourceUrl;
  const proto = first(request.headers['x-forwarded-proto']);
  const scheme =
    proto === 'https' || proto === 'http' ? proto : request.encrypted ? 'https' : 'http';
  const host = first(request.headers.host) ?? 'localhost';
  return `${scheme}://${host}`;
}

/** The resource an MCP client signs in for: the public URL of `/mcp`. */
export const mcpResourceUrl = (base: string) => `${base}${MCP_PATH}`;

/**
 * Where the metadata of `resource` is served: `/.well-known/oauth-protected-resource` with the
 * resource's path appended (RFC 9728, section 3.1): `/.well-known/oauth-protected-resource/mcp`.
 */
export function metadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.origin}${PROTECTED_RESOURCE_PATH}${path}`;
}

/**
 * Whether `path` is where this API serves its protected-resource metadata: the path-aware
 * `/.well-known/oauth-protected-resource/mcp`, and the bare well-known path that MCP clients try
 * when the 401 carries no `resource_metadata`.
 */
export const isMetadataPath = (path: string) =>
  path === PROTECTED_RESOURCE_PATH || path === `${PROTECTED_RESOURCE_PATH}${MCP_PATH}`;

/** The RFC 9728 document naming where to sign in for `resource`. */
export function protectedResourceMetadata(
  options: Pick<AuthOptions, 'authorizationServers'>,
  resource: string,
): ProtectedResourceMetadata {
  return {
    resource,
    ...(options.authorizationServers.length > 0 && {
      authorization_servers: [...options.authorizationServers],
    }),
    bearer_methods_supported: ['header'],
    resource_name: 'todo-events MCP tools',
  };
}

/**
 * A quoted-string of RFC 9110 in the characters RFC 6750 allows (printable ASCII): typographic
 * quotes become plain ones, other characters spaces, backslash and double quote escaped.
 */
const quoted = (value: string) => {
  const ascii = [...value.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"')]
    .map((char) => (char >= ' ' && char <= '~' ? char : ' '))
    .join('');
  return `"${ascii.replace(/[\\"]/g, '\\$&')}"`;
};

/**
 * The `WWW-Authenticate` value of a 401: `Bearer resource_metadata="…"` (RFC 9728, section 5.1),
 * and, when a token was sent and refused, `error="invalid_token"` with the reason (RFC 6750).
 */
export function wwwAuthenticate({
  resourceMetadata,
  refusal,
}: {
  resourceMetadata?: string;
  /** Why the token that was sent is refused; omit when none was sent. */
  refusal?: string;
}): string {
  const params = [
    ...(resourceMetadata ? [`resource_metadata=${quoted(resourceMetadata)}`] : []),
    ...(refusal ? [`error="invalid_token"`, `error_description=${quoted(refusal)}`] : []),
  ];
  return params.length ? `Bearer ${params.join(', ')}` : 'Bearer';
}

import { decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose';
import { signToken } from '../server/auth/jwt.ts';
import type { JwksServer } from './jwks-server.ts';

/** A token the API must refuse, how to make it, and what the refusal's message names. */
export interface RefusedToken {
  name: string;
  make(): Promise<string>;
  reason: string | RegExp;
}

/**
 * The tokens every path must refuse with 401 (4403 on a WebSocket) when the API trusts `idp`
 * (its JWKS, its issuer, `audience`; `provider` is read when a token is made, so the list can be
 * built before the provider starts) and has no shared secret: bad signature, unknown kid,
 * wrong iss, wrong aud, expired, missing exp, an algorithm not allowed, and `alg: none`.
 */
export function refusedTokens(provider: () => JwksServer): RefusedToken[] {
  const idp = {
    sign: (...args: Parameters<JwksServer['sign']>) => provider().sign(...args),
    claims: (extra?: Parameters<JwksServer['claims']>[0]) => provider().claims(extra),
    unpublishedKey: (alg: Parameters<JwksServer['unpublishedKey']>[0]) =>
      provider().unpublishedKey(alg),
    get jwksUrl() {
      return provider().jwksUrl;
    },
  };
  const now = () => Math.floor(Date.now() / 1000);
  return [
    {
      name: 'a bad signature',
      async make() {
        const [header, , signature] = (await idp.sign('RS256', idp.claims())).split('.');
        const payload = Buffer.from(JSON.stringify(idp.claims({ sub: 'victim' })));
        return `${header}.${payload.toString('base64url')}.${signature}`;
      },
      reason: 'signature',
    },
    {
      name: 'a signature by another key under a published kid',
      async make() {
        const { privateKey } = await idp.unpublishedKey('ES256');
        const { kid } = decodeProtectedHeader(await idp.sign('ES256', {}));
        return new SignJWT(idp.claims()).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
      },
      reason: 'signature',
    },
    {
      name: 'an unknown kid',
      async make() {
        const { kid, privateKey } = await idp.unpublishedKey('EdDSA');
        return new SignJWT(idp.claims()).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey);
      },
      reason: '`kid`',
    },
    {
      name: 'another issuer',
      make: () => idp.sign('ES256', idp.claims({ iss: 'https://evil.example.com' })),
      reason: '`iss`',
    },
    {
      name: 'another audience',
      make: () => idp.sign('EdDSA', idp.claims({ aud: 'another-api' })),
      reason: '`aud`',
    },
    {
      name: 'an expired token',
      make: () => idp.sign('RS256', idp.claims({ exp: now() - 60 })),
      reason: 'expired',
    },
    {
      name: 'no exp',
      make: () => idp.sign('ES256', idp.claims({ exp: undefined })),
      reason: '`exp`',
    },
    {
      name: 'an algorithm not allowed (HS256 without AUTH_JWT_SECRET)',
      make: () => signToken('x'.repeat(32), 'someone'),
      reason: 'algorithm HS256 is not allowed',
    },
    {
      name: 'HS256 keyed with the provider’s public key (algorithm confusion)',
      async make() {
        const jwk = ((await (await fetch(idp.jwksUrl)).json()) as { keys: { kid: string }[] })
          .keys[0]!;
        return new SignJWT(idp.claims())
          .setProtectedHeader({ alg: 'HS256', kid: jwk.kid })
          .sign(new TextEncoder().encode(JSON.stringify(jwk)));
      },
      reason: 'algorithm HS256 is not allowed',
    },
    {
      name: 'alg: none',
      make: async () => new UnsecuredJWT(idp.claims()).encode(),
      reason: '`alg: none`',
    },
  ];
}

import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { IdentityProviderUnavailable } from '../auth/auth-errors.ts';
import { AuthError, bearerToken, type Principal } from '../auth/jwt.ts';
import type { GraphQLContext } from '../../schema/context.ts';

/**
 * Resolves the caller from `Authorization: Bearer <JWT>` before any operation runs and adds
 * `userId` to the context; refuses the request with HTTP 401 otherwise, and with 503 when the
 * identity provider's keys cannot be had (the token may be good: retry). WebSocket connections
 * reach it with the token their `connectionParams` carried, copied into the same header.
 */
export function useAuth({
  verify,
  challenge = () => 'Bearer',
}: {
  /** The verifier every path shares (`createTokenVerifier(...).verify`). */
  verify: (token: string) => Promise<Principal>;
  /** The `WWW-Authenticate` value of a 401, given the request and the refusal. */
  challenge?: (request: Request, refusal: string) => string;
}): Plugin<{ request: Request } & Pick<GraphQLContext, 'userId' | 'tokenExpiresAt' | 'email'>> {
  return {
    async onContextBuilding({ context, extendContext }) {
      try {
        const principal = await verify(bearerToken(context.request.headers.get('authorization')));
        extendContext({
          userId: principal.userId,
          tokenExpiresAt: principal.expiresAt,
          email: principal.email,
        });
      } catch (error) {
        if (error instanceof IdentityProviderUnavailable) {
          throw createGraphQLError(error.message, {
            extensions: {
              code: 'IDENTITY_PROVIDER_UNAVAILABLE',
              http: { status: 503, headers: { 'Retry-After': '5' } },
            },
          });
        }
        if (!(error instanceof AuthError)) throw error;
        throw createGraphQLError(error.message, {
          extensions: {
            code: 'UNAUTHENTICATED',
            http: {
              status: 401,
              headers: { 'WWW-Authenticate': challenge(context.request, error.message) },
            },
          },
        });
      }
    },
  };
}

import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { AuthError, bearerToken, tokenVerifier, type ExpectedClaims } from '../auth/jwt.ts';
import type { GraphQLContext } from '../../schema/context.ts';

/**
 * Resolves the caller from `Authorization: Bearer <JWT>` before any operation runs and adds
 * `userId` to the context; refuses the request with HTTP 401 otherwise. WebSocket connections
 * reach it with the token their `connectionParams` carried, copied into the same header. Accepted
 * tokens are remembered until they expire (see {@link tokenVerifier}): a client sends the same
 * token with every request, and checking its HMAC again cost more than the rest of the auth.
 */
export function useAuth({
  secret,
  expectedClaims,
}: {
  secret: string;
  /** The `iss` and `aud` tokens must carry, when configured. */
  expectedClaims?: ExpectedClaims;
}): Plugin<{ request: Request } & Pick<GraphQLContext, 'userId' | 'tokenExpiresAt'>> {
  const verify = tokenVerifier(secret, expectedClaims);
  return {
    async onContextBuilding({ context, extendContext }) {
      try {
        const principal = await verify(bearerToken(context.request.headers.get('authorization')));
        extendContext({ userId: principal.userId, tokenExpiresAt: principal.expiresAt });
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        throw createGraphQLError(error.message, {
          extensions: {
            code: 'UNAUTHENTICATED',
            http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
          },
        });
      }
    },
  };
}

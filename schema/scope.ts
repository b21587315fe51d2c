import type { Scope } from '../domain/scope.js';
import type { GraphQLContext } from '../server/context.js';

/** The domain scope of a GraphQL request: the caller and the database. */
export const scopeOf = (ctx: GraphQLContext): Scope => ({ db: ctx.knex, userId: ctx.userId });

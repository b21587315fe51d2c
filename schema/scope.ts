import type { Scope } from '../domain/scope.ts';
import type { GraphQLContext } from './context.ts';

/** The domain scope of a GraphQL request: the caller and the database. */
export const scopeOf = (ctx: GraphQLContext): Scope => ({ db: ctx.knex, userId: ctx.userId });

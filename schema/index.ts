import { builder } from './builder.js';
import './viewer.js';

/** The GraphQL schema of the task API. */
export const schema = builder.toSchema({ sortSchema: true });

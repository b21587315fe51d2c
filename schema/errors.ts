import {
  ConflictError,
  LimitExceededError,
  NotFoundError,
  ValidationError,
} from '../model/errors.ts';
import { builder } from './builder.ts';

/** What every typed error has: a message that says what is wrong and how to fix it. */
export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure; the message says what is wrong and how to fix it.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'An input value breaks a rule; nothing was changed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString('field', {
      description: 'The offending input field, e.g. `input.title`.',
    }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description:
    'No such task, category, tag, notification channel or delivery exists for the signed-in user.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entity: t.exposeString('entity'),
    id: t.exposeID('id'),
  }),
});

builder.objectType(LimitExceededError, {
  name: 'LimitExceededError',
  description: 'A per-user or per-task limit would be exceeded; nothing was changed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    limit: t.exposeString('limit', { description: 'Which limit, e.g. `tagsPerTask`.' }),
    max: t.exposeInt('max'),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'A unique value (a category or tag name) is already taken.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field') }),
});

/** The typed errors every mutation may answer with. */
export const MUTATION_ERRORS = [ValidationError, NotFoundError, LimitExceededError, ConflictError];

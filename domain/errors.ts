/**
 * Expected failures of the domain. The GraphQL schema registers each class as a typed error, so
 * a client reads what went wrong and how to fix it instead of a generic failure.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  /** What a GraphQL error carries for it: the code, the type and the details (e.g. `field`). */
  get extensions(): Record<string, unknown> {
    const { name, ...details } = this as unknown as Record<string, unknown>;
    return { ...details, type: name };
  }
}

/** An input value breaks a rule; `field` names it (e.g. `title`, `input.tagIds`). */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_ERROR';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** The thing asked for does not exist for this user (another user's rows answer the same). */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly entity: 'Task' | 'Category' | 'Tag',
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist.`);
    this.name = 'NotFoundError';
  }
}

/** A per-user or per-task limit would be exceeded. */
export class LimitExceededError extends DomainError {
  readonly code = 'LIMIT_EXCEEDED';
  constructor(
    readonly limit: string,
    readonly max: number,
    message: string,
  ) {
    super(message);
    this.name = 'LimitExceededError';
  }
}

/** A unique value is already taken (a category or tag name). */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * A live subscription cannot go on without gaps: the subscriber read too slowly and fell behind,
 * or the event it wants to resume after is unknown or past retention. `after` is the last event
 * it was sent, to resume from with `taskEvents(after:)`; null means reload and subscribe afresh.
 */
export class ResyncRequiredError extends DomainError {
  readonly code = 'RESYNC_REQUIRED';
  constructor(
    readonly after: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ResyncRequiredError';
  }
}

/** An error named after its class, so a subclass needs no constructor of its own to say it. */
export class NamedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Expected failures of the domain. The GraphQL schema registers each class as a typed error, so
 * a client reads what went wrong and how to fix it instead of a generic failure.
 */
export abstract class DomainError extends NamedError {
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
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** The thing asked for does not exist for this user (another user's rows answer the same). */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  readonly entity: 'Task' | 'Category' | 'Tag' | 'NotificationChannel' | 'Delivery';
  readonly id: string;

  constructor(entity: NotFoundError['entity'], id: string) {
    super(`${entity} ${id} does not exist.`);
    this.entity = entity;
    this.id = id;
  }
}

/** A per-user or per-task limit would be exceeded. */
export class LimitExceededError extends DomainError {
  readonly code = 'LIMIT_EXCEEDED';
  readonly limit: string;
  readonly max: number;

  constructor(limit: string, max: number, message: string) {
    super(message);
    this.limit = limit;
    this.max = max;
  }
}

/** A unique value is already taken (a category or tag name). */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/**
 * A live subscription cannot go on without gaps: the subscriber read too slowly and fell behind,
 * or the event it wants to resume after is unknown or past retention. `after` is the last event
 * it was sent, to resume from with `taskEvents(after:)`; null means reload and subscribe afresh.
 */
export class ResyncRequiredError extends DomainError {
  readonly code = 'RESYNC_REQUIRED';
  readonly after: string | null;

  constructor(after: string | null, message: string) {
    super(message);
    this.after = after;
  }
}

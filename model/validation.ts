import { z } from 'zod';
import { ValidationError } from './errors.ts';
import { INSTANT_RANGE_MESSAGE, isCarriedInstant } from './instant-range.ts';
import { LIMITS } from './limits.ts';
import {
  formatRecurrenceRule,
  parseRecurrenceRule,
  RecurrenceRuleError,
} from './recurrence/rule.ts';
import { canonicalTimeZone } from './time-zone.ts';

const utf8 = new TextEncoder();

/** The bytes `text` takes inside a JSON document as UTF-8, escapes included, quotes not. */
export function jsonStringBytes(text: string): number {
  return utf8.encode(JSON.stringify(text)).length - 2;
}

/** What a text containing NUL is told; PostgreSQL text cannot hold that character. */
export const NUL_MESSAGE = 'must not contain the NUL character (\\u0000); remove it';

/**
 * Any client-supplied text: a string without NUL (U+0000), which PostgreSQL text cannot store
 * or compare. Every text rule below starts from it, so the NUL is refused first, before the
 * value is trimmed, measured, parsed or echoed in another rule's message.
 */
const text = z.string().refine((value) => !value.includes('\u0000'), {
  message: NUL_MESSAGE,
  abort: true,
});

/** The rules for single values, shared by every input that carries them. */
export const fields = {
  text,
  id: (what: string) => z.uuid({ error: `must be a ${what} id as returned by the API` }),
  title: text
    .trim()
    .min(1, 'must not be empty')
    .max(LIMITS.titleLength, `must be at most ${LIMITS.titleLength} characters`),
  description: text
    .max(LIMITS.descriptionLength, `must be at most ${LIMITS.descriptionLength} characters`)
    .refine((text) => jsonStringBytes(text) <= LIMITS.descriptionJsonBytes, {
      message:
        `must be at most ${LIMITS.descriptionJsonBytes} bytes as UTF-8 once JSON-escaped ` +
        '(a control character counts 6 bytes, a quote, backslash, tab or line break 2); ' +
        'remove control characters or shorten it',
    }),
  color: text
    .trim()
    .regex(/^#[0-9A-Fa-f]{6}$/, 'must be a colour in the form #RRGGBB, such as #3B82F6')
    .transform((color) => color.toUpperCase()),
  categoryName: text
    .trim()
    .min(1, 'must not be empty')
    .max(LIMITS.categoryNameLength, `must be at most ${LIMITS.categoryNameLength} characters`),
  tagName: text
    .trim()
    .min(1, 'must not be empty')
    .max(LIMITS.tagNameLength, `must be at most ${LIMITS.tagNameLength} characters`),
  timeZone: text.transform((zone, ctx) => {
    const canonical = canonicalTimeZone(zone.trim());
    if (!canonical) {
      ctx.addIssue({
        code: 'custom',
        message: `"${zone}" is not an IANA time zone; use a name such as Europe/Berlin or UTC`,
      });
      return z.NEVER;
    }
    return canonical;
  }),
  recurrenceRule: text.transform((rule, ctx) => {
    try {
      return formatRecurrenceRule(parseRecurrenceRule(rule));
    } catch (error) {
      if (!(error instanceof RecurrenceRuleError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  }),
  /**
   * Any date-time a client gives (a due date, a filter bound, a series start): one the whole
   * system can carry (see instant-range.ts), so that no stored value or event leaves the years
   * 0001-9999, whatever the offset it was written with.
   */
  instant: z.date().refine(isCarriedInstant, { message: INSTANT_RANGE_MESSAGE }),
  remindBeforeMinutes: z
    .number()
    .int('must be a whole number of minutes')
    .min(0, 'must not be negative')
    .max(LIMITS.remindBeforeMinutesMax, 'must be at most 525600 (one year)'),
  idempotencyKey: text
    .trim()
    .min(1, 'must not be empty')
    .max(LIMITS.idempotencyKeyLength, `must be at most ${LIMITS.idempotencyKeyLength} characters`),
  searchQuery: text.max(
    LIMITS.searchQueryLength,
    `must be at most ${LIMITS.searchQueryLength} characters`,
  ),
  /** An opaque page cursor as the API hands it out; what it holds is checked where it is read. */
  cursor: text.max(1000, 'is not a cursor; pass an endCursor or edge cursor from the same query'),
  pageSize: z
    .number()
    .int()
    .min(0, 'must not be negative')
    .max(LIMITS.pageSizeMax, `must be at most ${LIMITS.pageSizeMax}`),
};

/**
 * Parses `value` with `schema`, or throws a ValidationError naming the first offending field
 * (prefixed with `path`, e.g. `input.title`) and what is allowed.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  path = '',
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [path, ...issue.path.map(String)].filter(Boolean).join('.');
  throw new ValidationError(field || 'input', `${field || 'input'} ${issue.message}`);
}

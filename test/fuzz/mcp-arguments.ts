import type { Random } from './mcp-random.ts';

/** The part of JSON Schema the tools' input schemas use. */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  [key: string]: unknown;
}

/** Ids a call may refer to: the caller's own rows, the bystander's, and none at all. */
export interface KnownIds {
  own: string[];
  bystander: string[];
}

const EXTREME_DATES = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00Z',
  '2038-01-19T03:14:08Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00.000Z',
  '2030-02-30T10:00:00Z',
  '2030-13-01T10:00:00Z',
  '2030-01-01T24:00:00Z',
  '2030-01-01T10:00:00+25:00',
  '2030-01-01',
  '2030-01-01T10:00:00',
  'tomorrow',
  '',
  '1e400',
];

const EXTREME_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  5e-324,
  1e21,
  123456789012,
];

const TIME_ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Etc/GMT+12',
  'Mars/Olympus',
  '',
  'utc',
  '+05:00',
];

const RULES = [
  'FREQ=DAILY',
  'FREQ=WEEKLY;BYDAY=MO,WE',
  'FREQ=MONTHLY;BYMONTHDAY=31',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=SECONDLY',
  'FREQ=DAILY;COUNT=0',
  'FREQ=DAILY;INTERVAL=1000000000',
  'RRULE:FREQ=DAILY',
  'garbage',
  'FREQ=DAILY;UNTIL=19000101T000000Z',
  'FREQ=MINUTELY;INTERVAL=1',
];

/** A random (but seeded) UUID v4: an id nobody owns. */
export function uuid(rnd: Random): string {
  const hex = rnd.bytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A string that the schema might accept or barely not accept. */
function stringFor(rnd: Random, name: string, schema: Schema, ids: KnownIds): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('id') || lower.endsWith('_ids') || lower === 'cursor') {
    const choice = rnd.int(0, 5);
    if (choice <= 2 && ids.own.length) return rnd.pick(ids.own);
    if (choice === 3 && ids.bystander.length) return rnd.pick(ids.bystander);
    if (choice === 4) return uuid(rnd);
  }
  if (schema.format === 'date-time' || /date|_at$|before|after/.test(lower)) {
    if (rnd.bool(0.5)) return rnd.pick(EXTREME_DATES);
    return new Date(Date.now() + rnd.int(-1000, 1000) * 3_600_000).toISOString();
  }
  if (lower.includes('zone') && rnd.bool(0.7)) return rnd.pick(TIME_ZONES);
  if (lower.includes('rule') && rnd.bool(0.7)) return rnd.pick(RULES);
  if (lower.includes('color') && rnd.bool(0.7))
    return rnd.pick(['#112233', '#abcdef', '#ABCDEF', '#fff', 'red', '#1122334', '#gggggg', '']);
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  switch (rnd.int(0, 6)) {
    case 0:
      return '';
    case 1:
      return 'x'.repeat(min);
    case 2:
      return 'y'.repeat(max);
    case 3:
      return 'z'.repeat(max + 1);
    case 4:
      return rnd.string(rnd.int(1, 40));
    case 5:
      return rnd.string(rnd.pick([1_000, 10_000, 100_000]));
    default:
      return `fuzz ${rnd.int(0, 1e6)}`;
  }
}

function numberFor(rnd: Random, schema: Schema, integer: boolean): number {
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  const edges = [
    min,
    max,
    min === undefined ? undefined : min - 1,
    max === undefined ? undefined : max + 1,
  ].filter((n): n is number => n !== undefined);
  switch (rnd.int(0, 3)) {
    case 0:
      return edges.length ? rnd.pick(edges) : rnd.pick(EXTREME_NUMBERS);
    case 1:
      return rnd.pick(EXTREME_NUMBERS);
    case 2:
      return integer ? rnd.int(min ?? -10, max ?? 1000) : rnd.next() * 100;
    default:
      return rnd.int(-5, 5000) + (integer ? 0 : 0.25);
  }
}

/** Any JSON value of a random type: what a wrongly typed argument looks like. */
export function wrongValue(rnd: Random, depth = 0): unknown {
  switch (rnd.int(0, depth > 2 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return rnd.bool();
    case 2:
      return rnd.pick(EXTREME_NUMBERS);
    case 3:
      return rnd.string(rnd.int(0, 30));
    case 4:
      return rnd.pick(['true', '1', 'null', '[]', '{}', 'NaN', '-Infinity', '__proto__']);
    case 5:
      return '';
    case 6:
      return Array.from({ length: rnd.int(0, 4) }, () => wrongValue(rnd, depth + 1));
    case 7:
      return { __proto__x: 1, constructor: 'x', nested: wrongValue(rnd, depth + 1) };
    default:
      return Array.from({ length: rnd.pick([0, 1, 1000]) }, () => rnd.string(3));
  }
}

/** A value for one property: usually what the schema asks for, sometimes wrong on purpose. */
export function valueFor(
  rnd: Random,
  name: string,
  schema: Schema,
  ids: KnownIds,
  depth = 0,
): unknown {
  if (rnd.bool(0.15)) return wrongValue(rnd);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return valueFor(rnd, name, rnd.pick(alternatives), ids, depth);
  if (schema.enum?.length) {
    if (rnd.bool(0.85)) return rnd.pick(schema.enum);
    return rnd.pick(['', 'HIGH', 'Low ', 'unknown', String(rnd.pick(schema.enum)).toUpperCase()]);
  }
  if ('const' in schema) return schema.const;
  const type = Array.isArray(schema.type) ? rnd.pick(schema.type) : schema.type;
  switch (type) {
    case 'string':
      return stringFor(rnd, name, schema, ids);
    case 'integer':
      return numberFor(rnd, schema, true);
    case 'number':
      return numberFor(rnd, schema, false);
    case 'boolean':
      return rnd.bool();
    case 'null':
      return null;
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = schema.maxItems ?? 5;
      const length = rnd.pick([0, min, Math.min(max, 3), max, max + 1, rnd.bool(0.1) ? 500 : 2]);
      return Array.from({ length }, () => valueFor(rnd, name, schema.items ?? {}, ids, depth + 1));
    }
    case 'object':
      return depth > 3 ? {} : argumentsFor(rnd, schema, ids, depth + 1);
    default:
      return wrongValue(rnd);
  }
}

/** Arguments for a tool from its input schema: required ones usually there, optional ones at random, an unknown one now and then. */
export function argumentsFor(
  rnd: Random,
  schema: Schema,
  ids: KnownIds,
  depth = 0,
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const wanted = required.has(name) ? rnd.bool(0.92) : rnd.bool(0.5);
    if (wanted) args[name] = valueFor(rnd, name, property, ids, depth);
  }
  if (rnd.bool(0.1))
    args[rnd.pick(['extra', 'userId', 'user_id', '__proto__', 'id', ''])] = wrongValue(rnd);
  return args;
}

/** A short, printable description of arguments for failure reports (huge strings cut). */
export function describe(args: unknown): string {
  return JSON.stringify(args, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 60
      ? `${value.slice(0, 30)}…(${value.length} chars)`
      : value,
  );
}

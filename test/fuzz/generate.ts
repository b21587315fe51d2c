import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/**
 * A seeded generator of GraphQL operations built from the executable schema itself: every root
 * field of Query, Mutation and Subscription, random and boundary argument values (passed as
 * variables, sometimes of the wrong type or declared with the wrong type), random selections with
 * aliases and inline fragments. The same seed gives the same sequence of choices.
 */

/** mulberry32: a tiny seeded PRNG, good enough to pick test cases. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Marks where the HTTP runner puts raw invalid UTF-8 bytes into the request body. */
export const INVALID_UTF8_MARK = '@@INVALID_UTF8@@';

const HUGE = 'x'.repeat(10_000);
export const STRINGS: readonly string[] = [
  '',
  ' ',
  'a',
  'buy milk',
  HUGE,
  'é'.repeat(5_000),
  '\u0000',
  'a\u0000b',
  '\ud800',
  'a\udfffb',
  '\ud83d\ude00'.repeat(100),
  '\u202egnp.exe',
  "'; DROP TABLE tasks; --",
  '%_\\',
  '"quoted phrase" or -word pre',
  '-',
  'or',
  '*',
  '<script>alert(1)</script>',
  '{"__proto__":{"x":1}}',
  '__proto__',
  'constructor',
  INVALID_UTF8_MARK,
  `a${INVALID_UTF8_MARK}b`,
];

export const DATES: readonly string[] = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59+14:00',
  '9999-12-31T23:59:59-12:00',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T00:00:60Z',
  '2026-01-01',
  '2026-01-01T00:00:00',
  '2026-01-01T00:00:00+99:99',
  'not a date',
  '',
  '2038-01-19T03:14:08Z',
];

export const INTS: readonly number[] = [
  0, 1, -1, 2, 10, 20, 99, 100, 101, 500, 1000, 8784, 8785, 525600, 525601, 2147483647, -2147483648,
];

/** Values that are not Ints: rejected by the Int scalar before the resolver. */
export const BAD_NUMBERS: readonly unknown[] = [
  2147483648,
  -2147483649,
  1e308,
  -1e308,
  1.5,
  -0,
  'NaN',
  'Infinity',
  '1',
  2 ** 53 + 1,
];

const RULES: readonly string[] = [
  'FREQ=DAILY',
  'FREQ=WEEKLY;BYDAY=MO,WE,FR',
  'FREQ=MONTHLY;BYMONTHDAY=31',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=SECONDLY',
  'FREQ=MINUTELY;INTERVAL=1',
  'FREQ=HOURLY;INTERVAL=1000000',
  'FREQ=DAILY;COUNT=0',
  'FREQ=DAILY;COUNT=2147483647',
  'FREQ=DAILY;UNTIL=19700101T000000Z',
  'FREQ=WEEKLY;BYDAY=-53MO',
  'FREQ=MONTHLY;BYSETPOS=366;BYDAY=MO',
  'FREQ=DAILY;BYHOUR=25',
  'RRULE:FREQ=DAILY',
  'FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO',
  'FREQ=YEARLY;BYYEARDAY=-366',
  'FREQ=',
  'garbage',
];

const ZONES: readonly string[] = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Etc/GMT+12',
  'Not/AZone',
  '+14:00',
  'local',
  '',
];

const COLORS: readonly string[] = ['#000000', '#FFFFFF', '#abcdef', '#GGGGGG', 'red', '#fff', ''];

/** Ids the generator may refer to: rows of the fuzzed user and of the bystander. */
export interface IdPool {
  own: string[];
  foreign: string[];
}

const ID_NOISE: readonly string[] = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '1',
  '-1',
  '0',
  '9223372036854775808',
  'VGFzazox',
  '',
];

function randomString(rng: Rng): string {
  if (rng.chance(0.6)) return rng.pick(STRINGS);
  const length = rng.pick([1, 5, 30, 31, 200, 501]);
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(32 + rng.int(0x2fff));
  return text;
}

function randomId(rng: Rng, ids: IdPool): string {
  const roll = rng.next();
  if (roll < 0.45 && ids.own.length) return rng.pick(ids.own);
  if (roll < 0.6 && ids.foreign.length) return rng.pick(ids.foreign);
  if (roll < 0.9) return rng.pick(ID_NOISE);
  return randomString(rng);
}

/** Hints from the argument or input-field name, so values often land on the interesting paths. */
function stringFor(rng: Rng, name: string): string {
  const lower = name.toLowerCase();
  if (rng.chance(0.7)) {
    if (lower.includes('rule')) return rng.pick(RULES);
    if (lower.includes('zone')) return rng.pick(ZONES);
    if (lower.includes('color')) return rng.pick(COLORS);
    if (lower === 'after' || lower === 'before')
      return rng.chance(0.5)
        ? Buffer.from(rng.pick(['0', '-1', '{}', 'x'.repeat(500), rng.pick(DATES)])).toString(
            'base64',
          )
        : randomString(rng);
  }
  return randomString(rng);
}

/** A value of `type` for variables (JSON): mostly valid, sometimes of a wrong type. */
export function valueFor(
  rng: Rng,
  type: GraphQLInputType,
  name: string,
  ids: IdPool,
  depth = 0,
): unknown {
  if (!isNonNullType(type) && rng.chance(0.15)) return null;
  if (rng.chance(0.04)) return wrongValue(rng);
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const length = rng.pick([0, 1, 2, 3, depth === 0 ? 50 : 2]);
    return Array.from({ length }, () => valueFor(rng, nullable.ofType, name, ids, depth + 1));
  }
  if (isEnumType(nullable)) {
    if (rng.chance(0.05)) return 'NOT_A_VALUE';
    return rng.pick(nullable.getValues()).name;
  }
  if (isInputObjectType(nullable)) {
    const object: Record<string, unknown> = {};
    for (const field of Object.values(nullable.getFields())) {
      const required = isNonNullType(field.type);
      if ((required && rng.chance(0.97)) || rng.chance(0.5))
        object[field.name] = valueFor(rng, field.type, field.name, ids, depth + 1);
    }
    if (rng.chance(0.03)) object.unknownField = 1;
    return object;
  }
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case 'ID':
        return randomId(rng, ids);
      case 'Int':
        return rng.chance(0.1) ? rng.pick(BAD_NUMBERS) : rng.pick(INTS);
      case 'Float':
        return rng.pick([0, -0, 1e308, -1e308, 5e-324, 1.5]);
      case 'Boolean':
        return rng.chance(0.5);
      case 'DateTime':
        if (rng.chance(0.4)) {
          const offsetHours = rng.pick([-24 * 400, -48, -1, 1, 2, 24, 24 * 30, 24 * 400 * 20]);
          return new Date(Date.now() + offsetHours * 3_600_000).toISOString();
        }
        return rng.pick(DATES);
      default:
        return stringFor(rng, name);
    }
  }
  return null;
}

function wrongValue(rng: Rng): unknown {
  return rng.pick<unknown>([
    {},
    [],
    [[[]]],
    true,
    1e308,
    -0,
    'NaN',
    { $ne: null },
    HUGE,
    '\u0000',
    '\ud800',
    { a: { b: { c: {} } } },
  ]);
}

/** A declared variable type other than `type` (the request must be refused, not crash). */
function wrongTypeName(rng: Rng, type: GraphQLInputType): string {
  const options = ['String', 'Int', 'Boolean', 'ID!', '[String]', 'DateTime', 'Priority'];
  const real = type.toString();
  const candidates = options.filter((option) => option !== real);
  return rng.pick(candidates);
}

export interface Operation {
  kind: 'query' | 'mutation' | 'subscription';
  query: string;
  variables: Record<string, unknown>;
  fields: string[];
}

class Builder {
  private variableDefs: string[] = [];
  readonly variables: Record<string, unknown> = {};
  private aliasCount = 0;
  private readonly rng: Rng;
  private readonly schema: GraphQLSchema;
  private readonly ids: IdPool;
  constructor(rng: Rng, schema: GraphQLSchema, ids: IdPool) {
    this.rng = rng;
    this.schema = schema;
    this.ids = ids;
  }

  definitions(): string {
    return this.variableDefs.length ? `(${this.variableDefs.join(', ')})` : '';
  }

  private args(args: readonly GraphQLArgument[]): string {
    const parts: string[] = [];
    for (const arg of args) {
      const required = isNonNullType(arg.type);
      if (!required && !this.rng.chance(0.6)) continue;
      if (required && this.rng.chance(0.01)) continue; // a missing required argument
      const variable = `v${this.variableDefs.length}`;
      const declared = this.rng.chance(0.03)
        ? wrongTypeName(this.rng, arg.type)
        : arg.type.toString();
      this.variableDefs.push(`$${variable}: ${declared}`);
      if (!(required === false && this.rng.chance(0.05)))
        this.variables[variable] = valueFor(this.rng, arg.type, arg.name, this.ids);
      parts.push(`${arg.name}: $${variable}`);
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  private alias(): string {
    return this.rng.chance(0.3) ? `a${this.aliasCount++}: ` : '';
  }

  field(field: GraphQLField<unknown, unknown>, depth: number): string {
    const selection = this.selection(field.type, depth + 1);
    return `${this.alias()}${field.name}${this.args(field.args)}${selection}`;
  }

  selection(type: GraphQLOutputType, depth: number): string {
    const named: GraphQLNamedType = getNamedType(type);
    if (isObjectType(named)) return ` { ${this.objectFields(named, depth)} }`;
    if (isUnionType(named) || isInterfaceType(named)) {
      const possible = this.schema.getPossibleTypes(named);
      const parts = ['__typename'];
      if (isInterfaceType(named) && this.rng.chance(0.5))
        parts.push(this.objectFields(named as unknown as GraphQLObjectType, depth));
      for (const object of possible)
        if (this.rng.chance(0.7))
          parts.push(`... on ${object.name} { ${this.objectFields(object, depth)} }`);
      return ` { ${parts.join(' ')} }`;
    }
    return '';
  }

  private objectFields(type: GraphQLObjectType, depth: number): string {
    const fields = Object.values(type.getFields());
    const leaves = fields.filter((field) => !isObjectLike(field.type));
    const branches = fields.filter((field) => isObjectLike(field.type));
    const chosen: string[] = [];
    for (const field of leaves) if (this.rng.chance(0.4)) chosen.push(this.field(field, depth));
    if (depth < 4)
      for (const field of branches)
        if (this.rng.chance(depth < 2 ? 0.5 : 0.2)) chosen.push(this.field(field, depth));
    if (!chosen.length)
      chosen.push(leaves.length ? this.field(this.rng.pick(leaves), depth) : '__typename');
    if (this.rng.chance(0.1)) chosen.push('__typename');
    return chosen.join(' ');
  }
}

function isObjectLike(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  return isObjectType(named) || isUnionType(named) || isInterfaceType(named);
}

/** The root fields of each operation kind, in schema order. */
export function rootFields(schema: GraphQLSchema) {
  const of = (type: GraphQLObjectType | null | undefined) =>
    type ? Object.values(type.getFields()) : [];
  return {
    query: of(schema.getQueryType()),
    mutation: of(schema.getMutationType()),
    subscription: of(schema.getSubscriptionType()),
  };
}

/**
 * Operation number `index` of the run: its kind cycles so that every root field comes up early
 * (the first operations walk all fields in order), then random.
 */
export function generateOperation(
  rng: Rng,
  schema: GraphQLSchema,
  ids: IdPool,
  index: number,
  kindWanted?: Operation['kind'],
): Operation {
  const roots = rootFields(schema);
  const all = [
    ...roots.query.map((field) => ['query', field] as const),
    ...roots.mutation.map((field) => ['mutation', field] as const),
    ...roots.subscription.map((field) => ['subscription', field] as const),
  ];
  let kind: Operation['kind'];
  let first: GraphQLField<unknown, unknown>;
  if (!kindWanted && index < all.length) [kind, first] = all[index]!;
  else {
    kind = kindWanted ?? rng.pick(['query', 'query', 'mutation', 'mutation', 'subscription']);
    first = rng.pick(roots[kind]);
  }
  const builder = new Builder(rng, schema, ids);
  const selections = [builder.field(first, 0)];
  const fields = [first.name];
  if (kind !== 'subscription') {
    const extra = rng.pick([0, 0, 1, 2]);
    for (let i = 0; i < extra; i++) {
      const field = rng.pick(roots[kind]);
      selections.push(builder.field(field, 0));
      fields.push(field.name);
    }
  }
  const name = rng.chance(0.2) ? ` Fuzz${index}` : '';
  const query = `${kind}${name}${builder.definitions()} { ${selections.join(' ')} }`;
  return { kind, query, variables: builder.variables, fields };
}

import { uuid } from './mcp-arguments.ts';
import type { Random } from './mcp-random.ts';

/** One bad message for a consumer, and what its dead-letter reason must say. */
export interface BadMessage {
  kind: string;
  key: string;
  /** A Buffer for raw bytes, a string for text, null for a tombstone. */
  value: Buffer | string | null;
  /** The dead-letter reason must match this; undefined: it need not be dead-lettered (valid by contract). */
  reason?: RegExp;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const at = (path: string) => new RegExp(`^not a valid event: ${escape(path)}(\\.|:)`);

/** A field of the envelope or snapshot and values it must never accept. */
const WRONG: [path: string, values: unknown[]][] = [
  ['id', [42, 'not-a-uuid', '', null, 'x'.repeat(300_000)]],
  ['schemaVersion', [2, 0, '1', null]],
  ['occurredAt', ['yesterday', 1e308, '', '2030-01-01', '+275760-09-13T00:00:00.001Z', null]],
  ['userId', ['', 'u'.repeat(256), 5, null, ['a']]],
  ['taskId', ['abc', 7, null]],
  ['payload', [null, [], 'payload', 1]],
  ['payload.task', [null, 5, 'task', []]],
  ['payload.task.id', [7, 'nope', null]],
  ['payload.task.title', [5, null, { t: 1 }]],
  ['payload.task.completed', ['yes', 1, null]],
  ['payload.task.priority', ['HIGHEST', '', 3, null]],
  ['payload.task.dueAt', ['soon', 1e308, '9999-99-99T00:00:00Z']],
  ['payload.task.timeZone', [null, 1]],
  ['payload.task.tagIds', ['a', [5], null, { 0: 'x' }]],
  ['payload.task.recurrenceAnchor', ['sometimes', 1]],
  ['payload.task.seriesIndex', [0, -1, 1.5, '1', null]],
  ['payload.task.version', [0, 'v', 2.5]],
  ['payload.task.remindBeforeMinutes', [1.5, 'x']],
  ['payload.task.createdAt', ['', null, 0]],
];

function setPath(target: Record<string, any>, path: string, value: unknown) {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part];
  node[parts.at(-1)!] = value;
}

/**
 * Bad messages built from a good event of the consumer's: random bytes, text that is not JSON,
 * JSON that is not an envelope, envelopes of unknown types, envelopes with wrongly typed fields
 * (some huge), and tombstones.
 */
export function badMessage(rnd: Random, good: Record<string, any>, key: string): BadMessage {
  const kind = rnd.pick([
    'bytes',
    'bytes',
    'text',
    'truncated',
    'not-envelope',
    'wrong-type',
    'wrong-field',
    'wrong-field',
    'huge',
    'tombstone',
  ]);
  switch (kind) {
    case 'bytes': {
      const value = rnd.bytes(rnd.pick([0, 1, 2, 16, 200, 5_000]));
      const text = value.toString('utf8');
      let reason = /^not JSON/;
      try {
        JSON.parse(text);
        reason = /^not a valid event/;
      } catch {
        if (value.length === 0) reason = /^(not JSON|empty message)/;
      }
      return { kind, key, value, reason };
    }
    case 'text':
      return {
        kind,
        key,
        value: rnd.pick([
          '',
          'hello',
          '{',
          '{"id": ',
          'undefined',
          "{'a':1}",
          'NaN',
          '\u0000',
          rnd.string(rnd.int(1, 100)),
        ]),
        reason: /^(not JSON|not a valid event|empty message)/,
      };
    case 'truncated': {
      const json = JSON.stringify(good);
      return { kind, key, value: json.slice(0, rnd.int(1, json.length - 1)), reason: /^not JSON/ };
    }
    case 'not-envelope':
      return {
        kind,
        key,
        value: JSON.stringify(
          rnd.pick<unknown>([
            null,
            0,
            -1.5,
            'task.completed',
            [],
            [good],
            {},
            { type: good.type },
            { event: good },
            { ...good, type: undefined },
            true,
          ]),
        ),
        reason: /^not a valid event/,
      };
    case 'wrong-type': {
      const type = rnd.pick<unknown>([
        'task.exploded',
        '',
        'TASK.COMPLETED',
        `${good.type} `,
        42,
        null,
        ['task.completed'],
        'x'.repeat(100_000),
        'constructor',
        '__proto__',
      ]);
      return {
        kind,
        key,
        value: JSON.stringify({ ...good, type }),
        reason: /^not a valid event: type/,
      };
    }
    case 'wrong-field':
    case 'huge': {
      const event = structuredClone(good);
      let path: string;
      if (kind === 'huge') {
        path = rnd.pick(['id', 'taskId', 'userId', 'payload.task.priority', 'payload.task.dueAt']);
        setPath(event, path, 'h'.repeat(rnd.pick([1_000, 100_000, 400_000])));
        // Valid huge values besides the bad one.
        event.payload.task.title = 't'.repeat(rnd.pick([10, 100_000]));
      } else {
        const [field, values] = rnd.pick(WRONG);
        path = field;
        setPath(event, path, rnd.pick(values));
      }
      return { kind, key, value: JSON.stringify(event), reason: at(path) };
    }
    default:
      return { kind, key, value: null, reason: /^empty message/ };
  }
}

/**
 * Messages that the contract accepts but that make no sense: a task id or user nobody has, a
 * huge title. They may be applied or dead-lettered, but must not stop the consumer.
 */
export function oddButValid(rnd: Random, good: Record<string, any>, key: string): BadMessage {
  const event = structuredClone(good);
  event.id = uuid(rnd);
  const variant = rnd.int(0, 3);
  switch (variant) {
    case 0:
      event.taskId = uuid(rnd);
      event.payload.task.id = event.taskId;
      break;
    case 1:
      event.userId = rnd.pick(['nobody', 'u'.repeat(255), uuid(rnd), '\u0000', "' or 1=1 --"]);
      break;
    case 2:
      event.payload.task.title = 't'.repeat(300_000);
      break;
    default:
      event.payload.task.recurrenceRule = rnd.pick([
        'garbage',
        'FREQ=SECONDLY',
        'FREQ=DAILY;COUNT=0',
        '',
      ]);
      event.payload.task.dueAt = rnd.pick(['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', null]);
  }
  const kind = ['unknown-task', 'odd-user', 'huge-title', 'odd-rule'][variant]!;
  return { kind: `odd-but-valid:${kind}`, key, value: JSON.stringify(event) };
}

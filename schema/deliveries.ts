import {
  listDeliveries,
  replayDelivery,
  type Delivery as DeliveryShape,
  type DeliveryAttempt as AttemptShape,
} from '../domain/delivery-log.ts';
import { findChannelsByIds } from '../domain/notification-channels.ts';
import { LIMITS } from '../model/limits.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { NotificationChannel } from './notification-channels.ts';
import { scopeOf } from './scope.ts';

const DeliveryStatus = builder.enumType('DeliveryStatus', {
  values: {
    PENDING: { value: 'pending', description: 'Waiting for its next try.' },
    SENDING: { value: 'sending', description: 'Being sent now.' },
    DELIVERED: { value: 'delivered', description: 'The destination accepted it.' },
    FAILED: {
      value: 'failed',
      description: 'Every try failed, or the destination is gone; replayDelivery sends it again.',
    },
    CANCELLED: {
      value: 'cancelled',
      description: 'Not sent: the reminder was dismissed or the channel disabled first.',
    },
  } as const,
});

const AttemptOutcome = builder.enumType('AttemptOutcome', {
  values: {
    DELIVERED: { value: 'delivered' },
    RETRY: { value: 'retry', description: 'Failed; it is tried again later.' },
    FAILED: { value: 'failed', description: 'Failed for good.' },
    GONE: { value: 'gone', description: 'The destination no longer exists (404/410).' },
  } as const,
});

const DeliveryAttempt = builder.objectRef<AttemptShape>('DeliveryAttempt').implement({
  description: 'One try of a delivery.',
  fields: (t) => ({
    attempt: t.exposeInt('attempt', { description: 'The first try is 1.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    durationMs: t.exposeInt('durationMs'),
    statusCode: t.exposeInt('statusCode', {
      nullable: true,
      description: 'The HTTP status (push, webhook) or SMTP reply code; null without an answer.',
    }),
    error: t.exposeString('error', { nullable: true }),
    outcome: t.expose('outcome', { type: AttemptOutcome }),
  }),
});

/** One event sent (or to be sent) to one of the user's channels. */
export const Delivery = builder.objectRef<DeliveryShape>('Delivery').implement({
  description: 'One event sent to one of your channels, with every try.',
  fields: (t) => ({
    id: t.exposeID('id'),
    channel: t.loadable({
      type: NotificationChannel,
      load: (ids: string[], ctx) => findChannelsByIds(scopeOf(ctx), ids),
      resolve: (delivery) => delivery.channelId,
    }),
    eventId: t.exposeID('eventId'),
    eventType: t.exposeString('eventType', { description: 'e.g. reminder.due.' }),
    taskId: t.exposeID('taskId', { nullable: true }),
    status: t.expose('status', { type: DeliveryStatus }),
    attempts: t.exposeInt('attempts', { description: 'How many tries were made.' }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    lastDurationMs: t.exposeInt('lastDurationMs', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    attemptLog: t.field({
      type: [DeliveryAttempt],
      description: 'Every try, first to last.',
      resolve: (delivery) => delivery.attemptLog,
    }),
  }),
});

const DeliveryConnection = builder.connectionObject(
  {
    type: Delivery,
    name: 'DeliveryConnection',
    fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }),
  },
  { name: 'DeliveryEdge' },
);

builder.queryField('deliveries', (t) =>
  t.field({
    type: DeliveryConnection,
    description: 'Your delivery log, newest first: what was sent to which channel, and how.',
    args: {
      first: t.arg.int({
        description: `Page size, 0-${LIMITS.pageSizeMax} (default ${LIMITS.pageSizeDefault}).`,
      }),
      after: t.arg.string({ description: 'The endCursor of the previous page.' }),
      channelId: t.arg.id({ description: 'Only the deliveries to this channel.' }),
    },
    complexity: (args) => ({
      field: 2,
      multiplier: Math.min(args.first ?? LIMITS.pageSizeDefault, LIMITS.pageSizeMax),
    }),
    resolve: async (_root, args, ctx) => {
      const page = await listDeliveries(scopeOf(ctx), {
        ...args,
        channelId: args.channelId == null ? args.channelId : String(args.channelId),
      });
      return {
        edges: page.items.map(({ node, cursor }) => ({ node, cursor })),
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: Boolean(args.after),
          startCursor: page.items[0]?.cursor ?? null,
          endCursor: page.items.at(-1)?.cursor ?? null,
        },
        totalCount: page.totalCount,
      };
    },
  }),
);

builder.mutationField('replayDelivery', (t) =>
  t.field({
    type: Delivery,
    description:
      'Sends a finished delivery (delivered, failed or cancelled) again, within a second; its channel must be enabled.',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: MUTATION_ERRORS, dataField: { name: 'delivery' } },
    resolve: (_root, { id }, ctx) => replayDelivery(scopeOf(ctx), String(id)),
  }),
);

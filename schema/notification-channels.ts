import {
  confirmEmailChannel,
  removeEmailChannel,
  setEmailChannel,
} from '../domain/email-channel.ts';
import { listChannels } from '../domain/notification-channels.ts';
import { registerPushSubscription, removePushSubscription } from '../domain/push-channels.ts';
import { CHANNEL_LIMITS, type NotificationChannel as ChannelShape } from '../model/channels.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { scopeOf } from './scope.ts';

const ChannelKind = builder.enumType('ChannelKind', {
  values: {
    PUSH: { value: 'push', description: 'A browser’s Web Push subscription.' },
    WEBHOOK: { value: 'webhook', description: 'A signed HTTP POST (Standard Webhooks).' },
    EMAIL: { value: 'email', description: 'Mail to a confirmed address.' },
  } as const,
});

/** Where reminders reach the user without an open tab: a push subscription, webhook or address. */
export const NotificationChannel = builder.interfaceRef<ChannelShape>('NotificationChannel');

NotificationChannel.implement({
  description: 'Where reminders reach you without an open tab.',
  resolveType: (channel) =>
    ({ push: 'PushChannel', webhook: 'WebhookChannel', email: 'EmailChannel' })[channel.kind],
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: ChannelKind }),
    enabled: t.exposeBoolean('enabled', {
      description: 'Whether deliveries go to it; see disabledReason when not.',
    }),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description:
        'Why it was disabled: the destination is gone, it has failed for days, or you disabled it.',
    }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    failingSince: t.expose('failingSince', {
      type: 'DateTime',
      nullable: true,
      description: 'Since when every delivery to it has failed; null while it works.',
    }),
    lastSuccessAt: t.expose('lastSuccessAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

/** A browser's Web Push subscription. */
export const PushChannel = builder.objectRef<ChannelShape>('PushChannel').implement({
  interfaces: [NotificationChannel],
  fields: (t) => ({
    endpoint: t.string({
      description: 'The push service URL the browser subscribed with.',
      resolve: (channel) => channel.url ?? '',
    }),
  }),
});

/** A webhook endpoint; its secret is shown only when it is created or rotated. */
export const WebhookChannel = builder.objectRef<ChannelShape>('WebhookChannel').implement({
  interfaces: [NotificationChannel],
  fields: (t) => ({
    url: t.string({ resolve: (channel) => channel.url ?? '' }),
    eventTypes: t.exposeStringList('eventTypes', {
      description: 'The events it receives, e.g. reminder.due.',
    }),
    description: t.exposeString('description', { nullable: true }),
  }),
});

/** The user's email address for reminders. */
export const EmailChannel = builder.objectRef<ChannelShape>('EmailChannel').implement({
  interfaces: [NotificationChannel],
  fields: (t) => ({
    address: t.string({ resolve: (channel) => channel.emailAddress ?? '' }),
    verified: t.boolean({
      description:
        'Whether the address is confirmed; reminders are mailed only then. Confirm it with confirmEmailChannel.',
      resolve: (channel) => channel.emailVerifiedAt !== null,
    }),
  }),
});

builder.queryFields((t) => ({
  pushPublicKey: t.string({
    nullable: true,
    description:
      'The VAPID public key (base64url) to pass as applicationServerKey to PushManager.subscribe; null when this server does not offer Web Push.',
    resolve: (_root, _args, ctx) => ctx.channels.vapidPublicKey ?? null,
  }),
  notificationChannels: t.field({
    type: [NotificationChannel],
    description: 'Your push subscriptions, webhooks and email address, oldest first.',
    resolve: (_root, _args, ctx) => listChannels(scopeOf(ctx)),
  }),
}));

const PushSubscriptionInput = builder.inputType('PushSubscriptionInput', {
  description: 'What PushSubscription.toJSON() gives: the endpoint and keys.p256dh, keys.auth.',
  fields: (t) => ({
    endpoint: t.string({
      required: true,
      description: `The push service's https URL, at most ${CHANNEL_LIMITS.urlLength} characters.`,
    }),
    p256dh: t.string({ required: true, description: 'The P-256 public key, base64url.' }),
    auth: t.string({ required: true, description: 'The 16-byte auth secret, base64url.' }),
  }),
});

const errors = { types: MUTATION_ERRORS, dataField: { name: 'channel' } };

builder.mutationFields((t) => ({
  registerPushSubscription: t.field({
    type: PushChannel,
    description:
      'Registers this browser for Web Push (again: refreshes its keys and enables it). ' +
      `At most ${CHANNEL_LIMITS.pushSubscriptionsPerUser} per user.`,
    args: { input: t.arg({ type: PushSubscriptionInput, required: true }) },
    errors,
    resolve: (_root, { input }, ctx) => registerPushSubscription(scopeOf(ctx), ctx.channels, input),
  }),
  removePushSubscription: t.field({
    type: PushChannel,
    description: 'Removes the push subscription with this endpoint, and its delivery log.',
    args: { endpoint: t.arg.string({ required: true }) },
    errors,
    resolve: (_root, { endpoint }, ctx) => removePushSubscription(scopeOf(ctx), endpoint),
  }),
  setEmailChannel: t.field({
    type: EmailChannel,
    description:
      'Sets where reminders are mailed. Your sign-in address (when your identity provider verified it) ' +
      'is confirmed at once; any other gets a 6-digit code to pass to confirmEmailChannel.',
    args: { address: t.arg.string({ required: true }) },
    errors,
    resolve: (_root, { address }, ctx) =>
      setEmailChannel(scopeOf(ctx), ctx.channels, ctx.email, address),
  }),
  confirmEmailChannel: t.field({
    type: EmailChannel,
    description: 'Confirms the email address with the code mailed to it.',
    args: { code: t.arg.string({ required: true }) },
    errors,
    resolve: (_root, { code }, ctx) => confirmEmailChannel(scopeOf(ctx), code),
  }),
  removeEmailChannel: t.field({
    type: EmailChannel,
    description: 'Stops mailing reminders and removes the address and its delivery log.',
    errors,
    resolve: (_root, _args, ctx) => removeEmailChannel(scopeOf(ctx)),
  }),
}));

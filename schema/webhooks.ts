import {
  createWebhook,
  deleteWebhook,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookWithSecret,
} from '../domain/webhooks.ts';
import { CHANNEL_LIMITS, WEBHOOK_EVENT_TYPES } from '../model/channels.ts';
import { builder } from './builder.ts';
import { MUTATION_ERRORS } from './errors.ts';
import { WebhookChannel } from './notification-channels.ts';
import { scopeOf } from './scope.ts';

const urlRule =
  `http or https, without credentials or fragment, at most ${CHANNEL_LIMITS.urlLength} characters; ` +
  'private, loopback and link-local addresses are refused unless the server allows them.';
const eventTypesRule = `A non-empty subset of ${WEBHOOK_EVENT_TYPES.join(', ')}.`;
const descriptionRule = `A note for you, at most ${CHANNEL_LIMITS.descriptionLength} characters.`;

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: `Where deliveries are POSTed: ${urlRule}` }),
    eventTypes: t.stringList({ description: `${eventTypesRule} Default [reminder.due].` }),
    description: t.string({ description: descriptionRule }),
  }),
});

const UpdateWebhookInput = builder.inputType('UpdateWebhookInput', {
  description: 'Only the given fields change; null clears description.',
  fields: (t) => ({
    url: t.string({ description: urlRule }),
    eventTypes: t.stringList({ description: eventTypesRule }),
    description: t.string({ description: descriptionRule }),
    enabled: t.boolean({
      description: 'false pauses deliveries; true resumes them and clears the failure streak.',
    }),
  }),
});

/** A webhook with its signing secret, for the answers that show it. */
const webhookWithSecret = (name: string) =>
  builder.objectRef<WebhookWithSecret>(name).implement({
    fields: (t) => ({
      webhook: t.field({ type: WebhookChannel, resolve: (result) => result.channel }),
      secret: t.exposeString('secret', {
        description:
          'The signing secret (whsec_...), shown only now: store it to verify the webhook-signature ' +
          'header with a Standard Webhooks library.',
      }),
    }),
  });

const CreateWebhookSuccess = webhookWithSecret('CreateWebhookSuccess');
const RotateWebhookSecretSuccess = webhookWithSecret('RotateWebhookSecretSuccess');

const errors = { types: MUTATION_ERRORS, dataField: { name: 'webhook' } };

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: CreateWebhookSuccess,
    description: `Creates a signed webhook. At most ${CHANNEL_LIMITS.webhooksPerUser} per user.`,
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    errors: { types: MUTATION_ERRORS, directResult: true },
    resolve: (_root, { input }, ctx) => createWebhook(scopeOf(ctx), ctx.channels, input),
  }),
  updateWebhook: t.field({
    type: WebhookChannel,
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateWebhookInput, required: true }),
    },
    errors,
    resolve: (_root, { id, input }, ctx) =>
      updateWebhook(scopeOf(ctx), ctx.channels, String(id), input),
  }),
  rotateWebhookSecret: t.field({
    type: RotateWebhookSecretSuccess,
    description: 'Gives the webhook a new signing secret; the old one stops working at once.',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: MUTATION_ERRORS, directResult: true },
    resolve: (_root, { id }, ctx) => rotateWebhookSecret(scopeOf(ctx), String(id)),
  }),
  deleteWebhook: t.field({
    type: WebhookChannel,
    description: 'Deletes the webhook and its delivery log, and answers with it as it was.',
    args: { id: t.arg.id({ required: true }) },
    errors,
    resolve: (_root, { id }, ctx) => deleteWebhook(scopeOf(ctx), String(id)),
  }),
}));

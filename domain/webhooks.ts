import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { toChannel, type ChannelRow } from '../db/channel-rows.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import {
  CHANNEL_LIMITS,
  WEBHOOK_EVENT_TYPES,
  type NotificationChannel,
} from '../model/channels.ts';
import { NotFoundError } from '../model/errors.ts';
import { fields, parseInput } from '../model/validation.ts';
import type { ChannelSettings } from './channel-settings.ts';
import { destinationUrl } from './channel-urls.ts';
import { channelId, checkChannelLimit, lockChannel } from './notification-channels.ts';
import { removeChannel } from './channel-removal.ts';
import { nowOf, type Scope } from './scope.ts';

/** A webhook with its signing secret, which is shown only when it is created or rotated. */
export interface WebhookWithSecret {
  channel: NotificationChannel;
  /** `whsec_` and the base64 key, as the Standard Webhooks libraries take it. */
  secret: string;
}

/** What a webhook disabled by its owner says as its reason. */
export const DISABLED_BY_USER = 'Disabled by you; enable it with updateWebhook(enabled: true).';

const eventTypes = z
  .array(
    z.enum(WEBHOOK_EVENT_TYPES, {
      error: `must each be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    }),
  )
  .min(1, `must name at least one event type, e.g. ["reminder.due"]`)
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)]);

const description = fields.text
  .trim()
  .max(
    CHANNEL_LIMITS.descriptionLength,
    `must be at most ${CHANNEL_LIMITS.descriptionLength} characters`,
  )
  .transform((text) => text || null);

const createInput = z.object({
  url: fields.text,
  eventTypes: eventTypes.nullish(),
  description: description.nullish(),
});

const updateInput = z.object({
  url: fields.text.nullish(),
  eventTypes: eventTypes.nullish(),
  description: description.nullish(),
  enabled: z.boolean().nullish(),
});

/** A new signing secret: 24 random bytes, as the Standard Webhooks spec suggests (24-64). */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

const webhookUrl = (url: string, settings: ChannelSettings, field: string) =>
  destinationUrl(url, field, {
    protocols: ['https:', 'http:'],
    allowPrivate: settings.allowPrivateAddresses,
  });

/**
 * Creates a webhook that receives `eventTypes` (default `reminder.due`) signed with a new secret,
 * which this answer alone shows. At most CHANNEL_LIMITS.webhooksPerUser per user.
 */
export async function createWebhook(
  scope: Scope,
  settings: ChannelSettings,
  raw: { url: string; eventTypes?: string[] | null; description?: string | null },
): Promise<WebhookWithSecret> {
  const input = parseInput(createInput, raw, 'input');
  const url = webhookUrl(input.url, settings, 'input.url');
  const secret = newSecret();
  return writeTransaction(scope.db, async (trx) => {
    await checkChannelLimit(trx, scope.userId, 'webhook', {
      name: 'webhooksPerUser',
      max: CHANNEL_LIMITS.webhooksPerUser,
      what: 'webhooks',
    });
    const [row]: ChannelRow[] = await trx('notification_channels')
      .insert({
        user_id: scope.userId,
        kind: 'webhook',
        url,
        webhook_secret: secret,
        event_types: input.eventTypes ?? ['reminder.due'],
        description: input.description ?? null,
      })
      .returning('*');
    return { channel: toChannel(row!), secret };
  });
}

/**
 * Changes a webhook: only the given fields; `description: null` clears it. Disabling keeps it
 * with the reason DISABLED_BY_USER; enabling clears the reason and the failure streak.
 */
export async function updateWebhook(
  scope: Scope,
  settings: ChannelSettings,
  id: string,
  raw: {
    url?: string | null;
    eventTypes?: string[] | null;
    description?: string | null;
    enabled?: boolean | null;
  },
): Promise<NotificationChannel> {
  channelId(id);
  const input = parseInput(updateInput, raw, 'input');
  const url = input.url == null ? undefined : webhookUrl(input.url, settings, 'input.url');
  return writeTransaction(scope.db, async (trx) => {
    const before = await lockChannel(trx, scope.userId, 'webhook', id);
    const changes: Partial<ChannelRow> = {};
    if (url !== undefined) changes.url = url;
    if (input.eventTypes != null) changes.event_types = input.eventTypes;
    if (input.description !== undefined) changes.description = input.description;
    if (input.enabled === false && before.enabled) {
      Object.assign(changes, {
        enabled: false,
        disabled_at: nowOf(scope),
        disabled_reason: DISABLED_BY_USER,
      });
    }
    if (input.enabled === true) {
      Object.assign(changes, {
        enabled: true,
        disabled_at: null,
        disabled_reason: null,
        failing_since: null,
      });
    }
    if (Object.keys(changes).length === 0) return toChannel(before);
    const [row]: ChannelRow[] = await trx('notification_channels')
      .where({ id })
      .update({ ...changes, updated_at: trx.fn.now() })
      .returning('*');
    return toChannel(row!);
  });
}

/**
 * Gives a webhook a new signing secret, shown in this answer only; deliveries from now on are
 * signed with it and the old one stops working at once.
 */
export async function rotateWebhookSecret(scope: Scope, id: string): Promise<WebhookWithSecret> {
  channelId(id);
  const secret = newSecret();
  const [row]: ChannelRow[] = await scope
    .db('notification_channels')
    .where({ user_id: scope.userId, kind: 'webhook', id })
    .update({ webhook_secret: secret, updated_at: scope.db.fn.now() })
    .returning('*');
  if (!row) throw new NotFoundError('NotificationChannel', id);
  return { channel: toChannel(row), secret };
}

/** Deletes a webhook with its delivery log and answers with it as it was. */
export async function deleteWebhook(scope: Scope, id: string): Promise<NotificationChannel> {
  channelId(id);
  const row = await removeChannel(scope, 'webhook', { id });
  if (!row) throw new NotFoundError('NotificationChannel', id);
  return toChannel(row);
}

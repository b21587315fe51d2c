import { ECDH } from 'node:crypto';
import { z } from 'zod';
import { toChannel, type ChannelRow } from '../db/channel-rows.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { CHANNEL_LIMITS, type NotificationChannel } from '../model/channels.ts';
import { NotFoundError, ValidationError } from '../model/errors.ts';
import { fields, parseInput } from '../model/validation.ts';
import type { ChannelSettings } from './channel-settings.ts';
import { destinationUrl } from './channel-urls.ts';
import { removeChannel } from './channel-removal.ts';
import { checkChannelLimit } from './notification-channels.ts';
import type { Scope } from './scope.ts';

/** The bytes of a base64url text (padding allowed), or undefined when it is not one. */
function base64url(text: string): Buffer | undefined {
  return /^[A-Za-z0-9_-]*={0,2}$/.test(text)
    ? Buffer.from(text.replace(/=+$/, ''), 'base64url')
    : undefined;
}

/** Whether `point` is an uncompressed point on P-256, as a subscription's `p256dh` must be. */
function isP256Point(point: Buffer): boolean {
  if (point.length !== 65 || point[0] !== 0x04) return false;
  try {
    ECDH.convertKey(point, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}

const subscriptionInput = z.object({
  endpoint: fields.text,
  p256dh: fields.text.trim().refine((key) => isP256Point(base64url(key) ?? Buffer.alloc(0)), {
    message:
      "must be the subscription's p256dh key: a P-256 public key (65 bytes, uncompressed, starting 0x04) in base64url, " +
      'as PushSubscription.toJSON().keys.p256dh gives it',
  }),
  auth: fields.text.trim().refine((key) => base64url(key)?.length === 16, {
    message:
      "must be the subscription's auth secret: 16 bytes in base64url, as PushSubscription.toJSON().keys.auth gives it",
  }),
});

const endpointOf = (endpoint: string, settings: ChannelSettings, field: string) =>
  destinationUrl(endpoint, field, {
    protocols: settings.allowPrivateAddresses ? ['https:', 'http:'] : ['https:'],
    allowPrivate: settings.allowPrivateAddresses,
  });

/**
 * Registers a browser's Web Push subscription (what `PushSubscription.toJSON()` gives), or
 * refreshes its keys when the endpoint is registered already, enabling it again if it was
 * disabled. Refused when push is not configured, and beyond
 * CHANNEL_LIMITS.pushSubscriptionsPerUser subscriptions.
 */
export async function registerPushSubscription(
  scope: Scope,
  settings: ChannelSettings,
  raw: { endpoint: string; p256dh: string; auth: string },
): Promise<NotificationChannel> {
  if (settings.vapidPublicKey === undefined) {
    throw new ValidationError(
      'input.endpoint',
      'Web Push is not configured on this server (no VAPID keys; see pushPublicKey, which is null); ' +
        'set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or use a webhook or email instead',
    );
  }
  const input = parseInput(subscriptionInput, raw, 'input');
  const endpoint = endpointOf(input.endpoint, settings, 'input.endpoint');
  return writeTransaction(scope.db, async (trx) => {
    const existing = await trx('notification_channels')
      .where({ user_id: scope.userId, kind: 'push', url: endpoint })
      .first('id');
    if (!existing) {
      await checkChannelLimit(trx, scope.userId, 'push', {
        name: 'pushSubscriptionsPerUser',
        max: CHANNEL_LIMITS.pushSubscriptionsPerUser,
        what: 'push subscriptions',
      });
    }
    const { rows } = await trx.raw<{ rows: ChannelRow[] }>(
      `INSERT INTO notification_channels (user_id, kind, url, push_p256dh, push_auth)
       VALUES (?, 'push', ?, ?, ?)
       ON CONFLICT (user_id, url) WHERE kind = 'push' DO UPDATE SET
         push_p256dh = excluded.push_p256dh, push_auth = excluded.push_auth, enabled = true,
         disabled_at = NULL, disabled_reason = NULL, failing_since = NULL, updated_at = now()
       RETURNING *`,
      [scope.userId, endpoint, input.p256dh, input.auth],
    );
    const [row] = rows;
    return toChannel(row!);
  });
}

/**
 * Removes the user's push subscription with this endpoint (its deliveries go with it) and
 * answers with it as it was.
 */
export async function removePushSubscription(
  scope: Scope,
  rawEndpoint: string,
): Promise<NotificationChannel> {
  const given = parseInput(fields.text, rawEndpoint, 'endpoint').trim();
  // Stored endpoints are normalised as registration normalised them.
  const endpoint = URL.canParse(given) ? new URL(given).href : given;
  const row = await removeChannel(scope, 'push', { url: endpoint });
  if (!row) throw new NotFoundError('NotificationChannel', given);
  return toChannel(row);
}

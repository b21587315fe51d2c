import type { ChannelKind } from '../../../model/channels.ts';
import type { Mailer } from '../../../lib/mailer.ts';
import type { ChannelSender } from '../channel-sender.ts';
import type { DeliveryOptions } from '../options.ts';
import { emailSender } from './email.ts';
import { pushSender } from './push.ts';
import { webhookSender } from './webhook.ts';

/**
 * The senders the configuration allows: webhooks always, Web Push with VAPID keys, email with a
 * mailer. A delivery to a kind with no sender fails with the reason.
 */
export function createSenders(
  options: DeliveryOptions,
  mailer: Mailer | undefined,
): Map<ChannelKind, ChannelSender> {
  const { requestTimeoutMs, allowPrivateAddresses, publicUrl } = options;
  const senders = new Map<ChannelKind, ChannelSender>();
  senders.set('webhook', webhookSender({ requestTimeoutMs, allowPrivateAddresses }));
  if (options.vapid) {
    const vapid = options.vapid;
    senders.set('push', pushSender({ vapid, requestTimeoutMs, allowPrivateAddresses, publicUrl }));
  }
  if (mailer) senders.set('email', emailSender(mailer, { publicUrl }));
  return senders;
}

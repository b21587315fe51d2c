import type { ChannelKind, NotificationChannel } from '../model/channels.ts';

/** A row of `notification_channels` as pg returns it. */
export interface ChannelRow {
  id: string;
  user_id: string;
  kind: ChannelKind;
  url: string | null;
  push_p256dh: string | null;
  push_auth: string | null;
  webhook_secret: string | null;
  email_address: string | null;
  email_verified_at: Date | null;
  email_code_hash: string | null;
  email_code_expires_at: Date | null;
  email_code_attempts: number;
  event_types: string[];
  description: string | null;
  enabled: boolean;
  disabled_at: Date | null;
  disabled_reason: string | null;
  failing_since: Date | null;
  last_success_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The channel a row holds, without its secrets. */
export function toChannel(row: ChannelRow): NotificationChannel {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    url: row.url,
    emailAddress: row.email_address,
    emailVerifiedAt: row.email_verified_at,
    eventTypes: row.event_types,
    description: row.description,
    enabled: row.enabled,
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    lastSuccessAt: row.last_success_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

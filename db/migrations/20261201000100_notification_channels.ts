import type { Knex } from 'knex';

/**
 * Where reminders reach people without an open tab, and the record of each delivery.
 *
 * - `notification_channels`: one row per Web Push subscription, webhook endpoint or email
 *   address of a user. Kind-specific columns are null for the other kinds (checked). A channel
 *   is disabled, with the reason, when its destination is gone (a push service's 404/410) or has
 *   failed for days; the user sees why and may enable it again.
 * - `deliveries`: one row per (event, channel), the dedup key that makes a reminder reach each
 *   channel once with replicas, redelivery and restarts. `next_attempt_at` is when it is due:
 *   a pending delivery's next try, or the end of the lease of one being sent (a sender that dies
 *   mid-request leaves it to be taken again when the lease ends).
 * - `delivery_attempts`: the log of each try, status code and timing.
 * - `delivery_events`: one row per reminder with deliveries. A sender finishing one locks it and
 *   counts the deliveries still unfinished, so exactly one (on any replica: the row lock orders
 *   them) writes `reminder.sent`, and marks it `reported_at`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE notification_channels (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('push', 'webhook', 'email')),
      url text,
      push_p256dh text,
      push_auth text,
      webhook_secret text,
      email_address text,
      email_verified_at timestamptz,
      email_code_hash text,
      email_code_expires_at timestamptz,
      email_code_attempts integer NOT NULL DEFAULT 0,
      event_types text[] NOT NULL DEFAULT ARRAY['reminder.due'],
      description text,
      enabled boolean NOT NULL DEFAULT true,
      disabled_at timestamptz,
      disabled_reason text,
      failing_since timestamptz,
      last_success_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (kind <> 'push' OR (url IS NOT NULL AND push_p256dh IS NOT NULL AND push_auth IS NOT NULL)),
      CHECK (kind <> 'webhook' OR (url IS NOT NULL AND webhook_secret IS NOT NULL)),
      CHECK (kind <> 'email' OR email_address IS NOT NULL),
      CHECK (enabled OR disabled_reason IS NOT NULL)
    );
    CREATE UNIQUE INDEX notification_channels_push_endpoint_idx
      ON notification_channels (user_id, url) WHERE kind = 'push';
    CREATE UNIQUE INDEX notification_channels_one_email_idx
      ON notification_channels (user_id) WHERE kind = 'email';
    CREATE INDEX notification_channels_user_idx ON notification_channels (user_id, created_at, id);

    CREATE TABLE deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id text NOT NULL,
      channel_id uuid NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      task_id uuid,
      event jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'delivered', 'failed', 'cancelled')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      last_duration_ms integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      UNIQUE (event_id, channel_id),
      CHECK ((status IN ('pending', 'sending')) = (next_attempt_at IS NOT NULL))
    );
    CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at)
      WHERE status IN ('pending', 'sending');
    CREATE INDEX deliveries_user_idx ON deliveries (user_id, created_at DESC, id DESC);
    CREATE INDEX deliveries_channel_idx ON deliveries (channel_id, created_at DESC, id DESC);

    CREATE TABLE delivery_attempts (
      delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      started_at timestamptz NOT NULL,
      duration_ms integer NOT NULL,
      status_code integer,
      error text,
      outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed', 'gone')),
      PRIMARY KEY (delivery_id, attempt)
    );

    CREATE TABLE delivery_events (
      event_id uuid PRIMARY KEY,
      user_id text NOT NULL,
      reported_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE delivery_events;
    DROP TABLE delivery_attempts;
    DROP TABLE deliveries;
    DROP TABLE notification_channels;
  `);
}

import type { Knex } from 'knex';
import * as categoriesAndTags from './20261124000100_categories_and_tags.ts';
import * as tasks from './20261124000200_tasks.ts';
import * as outbox from './20261124000300_outbox_and_processed_events.ts';
import * as userEventSequences from './20261124000400_user_event_sequences.ts';
import * as outboxFailures from './20261124000500_outbox_failures.ts';
import * as outboxWithoutNotify from './20261124000600_outbox_without_notify.ts';
import * as relayNumbering from './20261129000700_relay_numbering.ts';
import * as reminderClaimKeepsVersion from './20261129000800_reminder_claim_keeps_version.ts';
import * as taskSearchTerms from './20261130000100_task_search_terms.ts';
import * as notificationChannels from './20261201000100_notification_channels.ts';
import * as snoozePastDue from './20261201000200_snooze_past_due.ts';
import * as searchTermsPlpgsql from './20261201000300_search_terms_plpgsql.ts';
import * as taskCounts from './20261202000100_task_counts.ts';
import * as outboxPayloadBytes from './20261202000200_outbox_payload_bytes.ts';
import * as searchTermsParallelRestricted from './20261203000100_search_terms_parallel_restricted.ts';

const migrations: Record<string, Knex.Migration> = {
  '20261124000100_categories_and_tags': categoriesAndTags,
  '20261124000200_tasks': tasks,
  '20261124000300_outbox_and_processed_events': outbox,
  '20261124000400_user_event_sequences': userEventSequences,
  '20261124000500_outbox_failures': outboxFailures,
  '20261124000600_outbox_without_notify': outboxWithoutNotify,
  '20261129000700_relay_numbering': relayNumbering,
  '20261129000800_reminder_claim_keeps_version': reminderClaimKeepsVersion,
  '20261130000100_task_search_terms': taskSearchTerms,
  '20261201000100_notification_channels': notificationChannels,
  '20261201000200_snooze_past_due': snoozePastDue,
  '20261201000300_search_terms_plpgsql': searchTermsPlpgsql,
  '20261202000100_task_counts': taskCounts,
  '20261202000200_outbox_payload_bytes': outboxPayloadBytes,
  '20261203000100_search_terms_parallel_restricted': searchTermsParallelRestricted,
};

/**
 * Every migration, in order. Listed statically rather than read from the folder so the same
 * list works under Node, jest and the compiled build.
 */
export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};

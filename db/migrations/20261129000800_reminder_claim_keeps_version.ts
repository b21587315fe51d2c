import type { Knex } from 'knex';

const BUMP = `
      NEW.updated_at := now();
      NEW.version := OLD.version + 1;
      RETURN NEW;`;

// Only an update that marks a reminder sent pays for comparing the rows. Generated columns are
// left out: a BEFORE trigger sees them not yet computed.
const ONLY_MARKED_SENT = `
      IF OLD.reminder_sent_at IS NULL AND NEW.reminder_sent_at IS NOT NULL THEN
        IF to_jsonb(NEW) - ARRAY['reminder_sent_at', 'search_vector', 'priority_rank']
            = to_jsonb(OLD) - ARRAY['reminder_sent_at', 'search_vector', 'priority_rank'] THEN
          RETURN NEW;
        END IF;
      END IF;`;

/**
 * Marking a reminder sent is not a new version of its task: the reminder's own `reminder.due`
 * event tells of it, and no task event would account for a version or `updated_at` it moved (a
 * gap in the versions subscribers see). An update that only sets `reminder_sent_at` where it was
 * null (the notification service's claim) keeps the task's version and `updated_at`; any other
 * update, re-arming a sent reminder included, still makes a new version.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION touch_task() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN${ONLY_MARKED_SENT}${BUMP}
    END $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION touch_task() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN${BUMP}
    END $$;
  `);
}

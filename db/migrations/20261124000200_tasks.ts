import type { Knex } from 'knex';

/**
 * Tasks and their tags. Foreign keys carry the user id, so a task can only point at its own
 * user's category and tags. The weighted search vector is a stored generated column, kept
 * current by the database itself, and indexed together with the user id (btree_gin) so a
 * search reads only the caller's matches. Angle brackets are blanked before parsing because
 * the default parser would take `<Button>` for an HTML tag and skip it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE EXTENSION IF NOT EXISTS btree_gin;

    CREATE TABLE tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id text NOT NULL CONSTRAINT tasks_user_id_length
        CHECK (char_length(user_id) BETWEEN 1 AND 255),
      title text NOT NULL CONSTRAINT tasks_title_length
        CHECK (char_length(btrim(title)) >= 1 AND char_length(title) <= 200),
      description text CONSTRAINT tasks_description_length
        CHECK (char_length(description) <= 10000),
      completed boolean NOT NULL DEFAULT false,
      completed_at timestamptz,
      priority text NOT NULL DEFAULT 'medium' CONSTRAINT tasks_priority_valid
        CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
      priority_rank smallint GENERATED ALWAYS AS (
        CASE priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END
      ) STORED,
      due_at timestamptz,
      time_zone text NOT NULL DEFAULT 'UTC' CONSTRAINT tasks_time_zone_length
        CHECK (char_length(time_zone) BETWEEN 1 AND 64),
      category_id uuid,
      recurrence_rule text CONSTRAINT tasks_recurrence_rule_length
        CHECK (char_length(recurrence_rule) BETWEEN 1 AND 500),
      recurrence_anchor text NOT NULL DEFAULT 'due_date' CONSTRAINT tasks_recurrence_anchor_valid
        CHECK (recurrence_anchor IN ('due_date', 'completion')),
      series_id uuid,
      series_index integer NOT NULL DEFAULT 1 CONSTRAINT tasks_series_index_positive
        CHECK (series_index >= 1),
      series_start_at timestamptz,
      previous_task_id uuid CONSTRAINT tasks_previous_task_unique UNIQUE,
      remind_before_minutes integer CONSTRAINT tasks_remind_before_minutes_range
        CHECK (remind_before_minutes BETWEEN 0 AND 525600),
      remind_at timestamptz,
      reminder_sent_at timestamptz,
      idempotency_key text CONSTRAINT tasks_idempotency_key_length
        CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', translate(coalesce(title, ''), '<>', '  ')), 'A') ||
        setweight(to_tsvector('english', translate(coalesce(description, ''), '<>', '  ')), 'B')
      ) STORED,
      CONSTRAINT tasks_completed_at_consistent CHECK (completed = (completed_at IS NOT NULL)),
      CONSTRAINT tasks_remind_needs_time CHECK (remind_before_minutes IS NULL OR due_at IS NOT NULL),
      CONSTRAINT tasks_remind_before_due CHECK (remind_at IS NULL OR due_at IS NULL OR remind_at <= due_at),
      CONSTRAINT tasks_user_id_id_unique UNIQUE (user_id, id),
      CONSTRAINT tasks_user_idempotency_key_unique UNIQUE (user_id, idempotency_key),
      CONSTRAINT tasks_category_fk FOREIGN KEY (user_id, category_id)
        REFERENCES categories (user_id, id) ON DELETE SET NULL (category_id),
      CONSTRAINT tasks_previous_task_fk FOREIGN KEY (previous_task_id)
        REFERENCES tasks (id) ON DELETE SET NULL
    );

    CREATE FUNCTION touch_task() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.updated_at := now();
      NEW.version := OLD.version + 1;
      RETURN NEW;
    END $$;
    CREATE TRIGGER tasks_touch BEFORE UPDATE ON tasks
      FOR EACH ROW EXECUTE FUNCTION touch_task();

    CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at, id);
    CREATE INDEX tasks_user_updated_idx ON tasks (user_id, updated_at, id);
    CREATE INDEX tasks_user_due_idx ON tasks (user_id, (coalesce(due_at, 'infinity'::timestamptz)), id);
    CREATE INDEX tasks_user_priority_idx ON tasks (user_id, priority_rank, id);
    CREATE INDEX tasks_user_title_idx ON tasks (user_id, lower(title), id);
    CREATE INDEX tasks_user_category_idx ON tasks (user_id, category_id);
    CREATE INDEX tasks_user_search_idx ON tasks USING gin (user_id, search_vector);
    CREATE INDEX tasks_pending_reminder_idx ON tasks (remind_at)
      WHERE reminder_sent_at IS NULL AND NOT completed AND remind_at IS NOT NULL;
    CREATE INDEX tasks_series_idx ON tasks (series_id) WHERE series_id IS NOT NULL;

    CREATE TABLE task_tags (
      user_id text NOT NULL,
      task_id uuid NOT NULL,
      tag_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT task_tags_pkey PRIMARY KEY (task_id, tag_id),
      CONSTRAINT task_tags_task_fk FOREIGN KEY (user_id, task_id)
        REFERENCES tasks (user_id, id) ON DELETE CASCADE,
      CONSTRAINT task_tags_tag_fk FOREIGN KEY (user_id, tag_id)
        REFERENCES tags (user_id, id) ON DELETE CASCADE
    );
    CREATE INDEX task_tags_tag_idx ON task_tags (tag_id);

    CREATE FUNCTION enforce_tags_per_task() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      max_tags integer := TG_ARGV[0]::integer;
    BEGIN
      PERFORM 1 FROM tasks WHERE id = NEW.task_id FOR UPDATE;
      IF (SELECT count(*) FROM task_tags WHERE task_id = NEW.task_id) >= max_tags THEN
        RAISE EXCEPTION 'violates limit "task_tags_per_task_limit": a task may have at most % tags',
          max_tags
          USING ERRCODE = 'check_violation', CONSTRAINT = 'task_tags_per_task_limit',
                TABLE = 'task_tags';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER task_tags_per_task_limit BEFORE INSERT ON task_tags
      FOR EACH ROW EXECUTE FUNCTION enforce_tags_per_task(10);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE task_tags;
    DROP FUNCTION enforce_tags_per_task();
    DROP TABLE tasks;
    DROP FUNCTION touch_task();
    DROP EXTENSION IF EXISTS btree_gin;
  `);
}

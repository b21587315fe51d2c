import type { Knex } from 'knex';

/**
 * Categories and tags: per-user labels with unique names, `#RRGGBB` colours and a per-user
 * count limit that the database enforces under an advisory lock, so concurrent inserts cannot
 * pass it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION touch_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.updated_at := now();
      RETURN NEW;
    END $$;

    CREATE FUNCTION enforce_per_user_limit() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      max_rows integer := TG_ARGV[0]::integer;
      constraint_name text := TG_ARGV[1];
      existing integer;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext(TG_TABLE_NAME), hashtext(NEW.user_id));
      EXECUTE format('SELECT count(*) FROM %I WHERE user_id = $1', TG_TABLE_NAME)
        INTO existing USING NEW.user_id;
      IF existing >= max_rows THEN
        RAISE EXCEPTION 'violates limit "%": a user may have at most % rows in %',
          constraint_name, max_rows, TG_TABLE_NAME
          USING ERRCODE = 'check_violation', CONSTRAINT = constraint_name,
                TABLE = TG_TABLE_NAME;
      END IF;
      RETURN NEW;
    END $$;
  `);

  for (const [table, maxName, maxRows] of [
    ['categories', 50, 50],
    ['tags', 30, 100],
  ] as const) {
    await knex.raw(`
      CREATE TABLE ${table} (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id text NOT NULL CONSTRAINT ${table}_user_id_length
          CHECK (char_length(user_id) BETWEEN 1 AND 255),
        name text NOT NULL CONSTRAINT ${table}_name_length
          CHECK (char_length(btrim(name)) >= 1 AND char_length(name) <= ${maxName}),
        color text NOT NULL CONSTRAINT ${table}_color_format CHECK (color ~ '^#[0-9A-Fa-f]{6}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ${table}_user_name_unique UNIQUE (user_id, name),
        CONSTRAINT ${table}_user_id_id_unique UNIQUE (user_id, id)
      );
      CREATE TRIGGER ${table}_touch BEFORE UPDATE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION touch_row();
      CREATE TRIGGER ${table}_per_user_limit BEFORE INSERT ON ${table}
        FOR EACH ROW EXECUTE FUNCTION enforce_per_user_limit(${maxRows}, '${table}_per_user_limit');
    `);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE tags;
    DROP TABLE categories;
    DROP FUNCTION enforce_per_user_limit();
    DROP FUNCTION touch_row();
  `);
}

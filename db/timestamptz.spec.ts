import { createRequire } from 'node:module';
import pg from 'pg';
import { parseTimestamptz } from './timestamptz.ts';
import { createKnex } from './knex.ts';
import { requireTestEnv } from '../test/env.ts';

/** node-postgres's own parser (pg-types reads a timestamptz with postgres-date). */
const reference = createRequire(import.meta.url)('postgres-date') as (text: string) => unknown;

it('is the parser node-postgres uses for timestamptz once db/knex.ts is loaded', () => {
  expect(pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text')).toBe(parseTimestamptz);
});

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `ms` as PostgreSQL prints a timestamptz in a session `offsetSeconds` east of UTC. */
function printed(ms: number, micros: number, fractionDigits: number, offsetSeconds: number) {
  const local = new Date(ms + offsetSeconds * 1000);
  const fraction = pad(local.getUTCMilliseconds() * 1000 + micros, 6).slice(0, fractionDigits);
  const abs = Math.abs(offsetSeconds);
  const [h, m, s] = [Math.floor(abs / 3600), Math.floor(abs / 60) % 60, abs % 60];
  const offset = `${offsetSeconds < 0 ? '-' : '+'}${pad(h)}${m || s ? `:${pad(m)}` : ''}${s ? `:${pad(s)}` : ''}`;
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${fraction ? `.${fraction}` : ''}${offset}`
  );
}

it("reads PostgreSQL's output as node-postgres's own parser does, in any time zone", () => {
  const offsets = [0, 3600, -3600, 19_800, -12_600, -12_652, 50_400, -43_200, 20_700];
  const from = Date.UTC(100, 0, 2);
  const to = Date.UTC(9999, 11, 30);
  for (let i = 0; i < 20_000; i++) {
    const ms = Math.floor(from + Math.random() * (to - from));
    const text = printed(
      ms,
      Math.floor(Math.random() * 1000),
      Math.floor(Math.random() * 7),
      offsets[i % offsets.length]!,
    );
    expect([text, parseTimestamptz(text)]).toEqual([text, reference(text)]);
  }
});

it('leaves what is not a plain date and time in years 100-9999 to that parser', () => {
  for (const text of [
    'infinity',
    '-infinity',
    '0099-01-01 00:00:00+00 BC',
    '0050-06-01 12:00:00+00',
    '20000-01-01 00:00:00+00',
    '2026-12-01 02:08:40.021069+05:30',
  ]) {
    expect([text, parseTimestamptz(text)]).toEqual([text, reference(text)]);
  }
});

it('reads the instants a real server sends, whatever its session time zone', async () => {
  const knex = createKnex(requireTestEnv('TEST_DATABASE_URL'), { poolMax: 1 });
  try {
    for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham']) {
      await knex.raw(`SET TIME ZONE '${zone}'`);
      const { rows } = await knex.raw<{ rows: { at: Date; ms: number }[] }>(
        `SELECT at, floor(extract(epoch FROM at) * 1000)::float8 AS ms FROM (VALUES
           ('2026-12-01 02:08:40.021069+00'::timestamptz), ('1800-01-01 00:00:00+00'),
           ('2024-02-29 23:59:59.999999+00'), ('0101-03-01 00:00:00.5+00'), (now())) AS v(at)`,
      );
      for (const row of rows) expect([zone, row.at.getTime()]).toEqual([zone, row.ms]);
    }
  } finally {
    await knex.destroy();
  }
});

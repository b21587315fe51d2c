import net from 'node:net';
import { startRole } from '../test/roles.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { createKnex } from './knex.ts';
import {
  assertPostgresVersion,
  checkPostgresVersion,
  PostgresVersionError,
  REQUIRED_POSTGRES_MAJOR,
  versionName,
} from './postgres-version.ts';

/** A knex stand-in whose server reports `serverVersionNum`. */
const reporting = (serverVersionNum: string) => ({
  raw: async () => ({ rows: [{ server_version_num: serverVersionNum }] }),
});

const message = (found: string) =>
  `PostgreSQL ${found} found; todo-events needs PostgreSQL ${REQUIRED_POSTGRES_MAJOR} or newer`;

describe('the PostgreSQL version check', () => {
  it.each([
    [130004, '13.4'],
    [140011, '14.11'],
    [90624, '9.6.24'],
    [150019, '15.19'],
  ])('names server_version_num %d as %s', (num, name) => {
    expect(versionName(num)).toBe(name);
  });

  it('refuses a server older than 15, naming the version found and the version needed', async () => {
    await expect(assertPostgresVersion(reporting('130004'))).rejects.toThrow(message('13.4'));
    await expect(assertPostgresVersion(reporting('149999'))).rejects.toThrow(PostgresVersionError);
    expect(() => checkPostgresVersion(90624)).toThrow(message('9.6.24'));
  });

  it('accepts 15 and newer', async () => {
    await expect(assertPostgresVersion(reporting('150000'))).resolves.toBe(150000);
    await expect(assertPostgresVersion(reporting('170004'))).resolves.toBe(170004);
  });

  it('accepts the embedded PGlite', async () => {
    const embedded = await startEmbeddedPostgres('memory://');
    const knex = createKnex(embedded.url, { poolMax: 1 });
    try {
      expect(await assertPostgresVersion(knex)).toBeGreaterThanOrEqual(170000);
    } finally {
      await knex.destroy();
      await embedded.stop();
    }
  }, 60_000);
});

describe('a process on a PostgreSQL that reports 13.4', () => {
  let server: net.Server;
  let url: string;
  beforeAll(async () => {
    server = await fakePostgres({ version: '13.4', versionNum: '130004' });
    url = `postgres://postgres@127.0.0.1:${(server.address() as net.AddressInfo).port}/todo`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(['migrate', 'relay'])(
    'exits 1 from the %s role with one line naming both versions, no stack trace',
    async (role) => {
      const running = startRole(role, { DATABASE_URL: url, KAFKA_BROKERS: '127.0.0.1:1' });
      expect(await running.exited).toBe(1);
      const errors = running
        .output()
        .split('\n')
        .filter((line) => line && !line.startsWith('{'));
      expect(errors).toEqual([
        `${message('13.4')}. Upgrade the server or point DATABASE_URL at a newer one.`,
      ]);
    },
    30_000,
  );
});

/**
 * Just enough of the PostgreSQL wire protocol for a client to connect and run simple queries:
 * `select version()` answers `PostgreSQL <version>`, anything else `server_version_num`.
 */
async function fakePostgres(report: { version: string; versionNum: string }): Promise<net.Server> {
  const message = (type: string, body: Buffer) => {
    const header = Buffer.alloc(5);
    header.write(type, 0, 'latin1');
    header.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([header, body]);
  };
  const int32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const int16 = (n: number) => Buffer.from([(n >>> 8) & 255, n & 255]);
  const cstring = (text: string) => Buffer.from(`${text}\0`);
  const ready = message('Z', Buffer.from('I'));
  const row = (column: string, value: string) =>
    Buffer.concat([
      message(
        'T',
        Buffer.concat([
          int16(1),
          cstring(column),
          int32(0),
          int16(0),
          int32(25), // text
          int16(-1),
          int32(-1),
          int16(0),
        ]),
      ),
      message('D', Buffer.concat([int16(1), int32(Buffer.byteLength(value)), Buffer.from(value)])),
      message('C', cstring('SELECT 1')),
      ready,
    ]);

  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerLength = started ? 5 : 4;
        if (buffer.length < headerLength) return;
        const length = buffer.readInt32BE(started ? 1 : 0) + (started ? 1 : 0);
        if (buffer.length < length) return;
        const packet = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        if (!started) {
          started = true;
          socket.write(
            Buffer.concat([
              message('R', int32(0)),
              message('S', Buffer.concat([cstring('server_version'), cstring(report.version)])),
              message('S', Buffer.concat([cstring('client_encoding'), cstring('UTF8')])),
              message('K', Buffer.concat([int32(1), int32(2)])),
              ready,
            ]),
          );
        } else if (packet[0] === 'Q'.charCodeAt(0)) {
          const query = packet.subarray(5, -1).toString();
          socket.write(
            /version\(\)/i.test(query)
              ? row('version', `PostgreSQL ${report.version} on x86_64-pc-linux-gnu`)
              : row('server_version_num', report.versionNum),
          );
        } else if (packet[0] === 'X'.charCodeAt(0)) {
          socket.end();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

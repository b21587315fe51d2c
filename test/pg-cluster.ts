import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL server of a benchmark's or a test's own, in a temporary directory, so that it can
 * be configured, stopped and started without touching the machine's server.
 */
export interface PgCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, trust authentication. */
  url: string;
  /** Where its data, socket and server log are. */
  dir: string;
  /** The running postmaster's process id (its backends are its children). */
  readonly pid: number;
  /**
   * Takes the server down and keeps its data: `fast` disconnects clients and shuts down cleanly,
   * `immediate` quits at once as a crash would (the next start recovers from the WAL).
   */
  shutDown(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts the server again on the same port and data directory, once it is down. */
  startUp(): Promise<void>;
  /** Stops the server (fast shutdown) and deletes its directory. */
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin directory, or `PG_BIN` (or `BENCH_PG_BIN`). */
async function binDir(): Promise<string> {
  const configured = process.env.PG_BIN ?? process.env.BENCH_PG_BIN;
  if (configured) return configured;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? (await readdir(root)).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return path.join(root, newest, 'bin');
  return (await run('pg_config', ['--bindir'])).stdout.trim();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throwaway PostgreSQL cluster: `initdb` into a temporary directory, then `pg_ctl start`
 * on a free port of 127.0.0.1 with trust authentication and the given server `settings` (e.g.
 * `track_commit_timestamp: 'on'`, which the machine's shared server may lack and cannot be
 * restarted for). Durability stays as configured by default (fsync on). PostgreSQL refuses to
 * run as root, so as root the cluster belongs to the `postgres` user.
 */
export async function startPgCluster(settings: Record<string, string> = {}): Promise<PgCluster> {
  const bin = await binDir();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pg-cluster-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const [uid, gid] = await Promise.all(
      ['-u', '-g'].map(async (flag) => Number((await run('id', [flag, 'postgres'])).stdout)),
    );
    await chown(dir, uid!, gid!);
  }
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args])
      : run(path.join(bin, tool), args);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const options = Object.entries({
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    max_connections: '200',
    ...settings,
  })
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  const start = () =>
    pg(
      'pg_ctl',
      ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60'].concat([
        '-o',
        options,
        'start',
      ]),
    );
  const readPid = async () =>
    Number((await readFile(path.join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  let pid: number;
  try {
    await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await start();
    pid = await readPid();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    get pid() {
      return pid;
    },
    async shutDown(mode = 'fast') {
      await pg('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    },
    async startUp() {
      await start();
      pid = await readPid();
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

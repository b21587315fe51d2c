import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** The live server (bench/live-server.ts) running in a process of its own. */
export interface LiveServerProcess {
  /** Its GraphQL endpoint. */
  url: string;
  /** The secret its tokens are signed with. */
  secret: string;
  pid: number;
  /** The most sockets and files it may hold open. */
  openFileLimit: number;
  rssMiB(): Promise<number>;
  /** Its memory after a full garbage collection. */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

const SECRET = 'bench-live-secret-bench-live-secret-0123';

/**
 * Starts bench/live-server.ts and waits for its URL. `BENCH_LIVE_PROFILE=<dir>` writes a CPU
 * profile of it there when it stops.
 */
export async function startLiveServer(
  databaseUrl: string,
  brokers: string,
): Promise<LiveServerProcess> {
  const profile = process.env.BENCH_LIVE_PROFILE;
  const flags = ['--expose-gc', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [])];
  const child = spawn(process.execPath, [...flags, 'bench/live-server.ts'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: {
      ...process.env,
      BENCH_DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers,
      BENCH_SECRET: SECRET,
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`live server exited with ${code}`)));
  });
  const pid = child.pid!;
  const limits = await readFile(`/proc/${pid}/limits`, 'utf8');
  return {
    url,
    secret: SECRET,
    pid,
    openFileLimit: Number(/Max open files\s+(\d+)/.exec(limits)?.[1] ?? NaN),
    rssMiB: async () => {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    },
    memory: () =>
      new Promise((resolve) => {
        child.once('message', (usage) => resolve(usage as NodeJS.MemoryUsage));
        child.send('memory');
      }),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

import { readdir, readFile, readlink } from 'node:fs/promises';

/** The local TCP port of each socket, by socket inode, from /proc/net/tcp and tcp6. */
async function socketPorts(): Promise<Map<string, number>> {
  const ports = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const inode = fields[9];
      if (local && inode) ports.set(inode, parseInt(local.split(':').at(-1)!, 16));
    }
  }
  return ports;
}

/**
 * Which process has a TCP socket on local `port` (a listener, or one end of a connection), among
 * `pids` or else every process. Linux only: reads /proc; undefined when none is seen.
 */
export async function portOwner(port: number, pids?: number[]): Promise<number | undefined> {
  const ports = await socketPorts();
  const candidates =
    pids ?? (await readdir('/proc')).map(Number).filter((pid) => Number.isInteger(pid));
  for (const pid of candidates) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode && ports.get(inode) === port) return pid;
    }
  }
  return undefined;
}

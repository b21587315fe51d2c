import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../lib/logger.ts';

/** What a {@link SessionListener} listens on and whom it tells. */
export interface SessionListenerOptions {
  /** A URL whose connections are sessions: the server itself, not a transaction-mode pooler. */
  url: string;
  channel: string;
  /** The product's pool: the probe NOTIFY is sent on it, so from another session. */
  knex: Knex;
  logger: Logger;
  /** Called on every notification of the channel. */
  onNotify: () => void;
  /** How long a probe NOTIFY may take to arrive. */
  probeTimeoutMs?: number;
  /** The first wait before reconnecting a lost connection; it doubles up to a minute. */
  reconnectMs?: number;
}

const MAX_RECONNECT_MS = 60_000;

/** Where a URL points, without its credentials, for logs. */
export const serverOf = (url: string): string => {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname}:${port || 5432}${pathname}`;
};

/**
 * LISTENs on one channel over a connection of its own, held open as one session, and reconnects
 * when it is lost. LISTEN needs a session: through a transaction-mode pooler (PgBouncer, Neon or
 * Supabase pooled URLs) the next transaction of the same server connection may be anyone's, so
 * notifications reach other clients. A probe NOTIFY at start finds that out; the listener then
 * warns and closes, and its owner keeps polling.
 */
export class SessionListener {
  private readonly options: SessionListenerOptions;
  private client: pg.Client | undefined;
  private running = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly probes = new Map<string, (arrived: boolean) => void>();

  constructor(options: SessionListenerOptions) {
    this.options = options;
  }

  /** Whether a connection is LISTENing now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Connects and LISTENs (throws when it cannot), then checks in the background with a probe. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
    void this.check();
  }

  /** Closes the connection and stops reconnecting. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.reconnectTimer);
    for (const settle of this.probes.values()) settle(false);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /**
   * Sends a NOTIFY on the channel from another session (the pool) and tells whether it arrived
   * here within the probe timeout.
   */
  async probe(): Promise<boolean> {
    const token = `probe-${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<boolean>((resolve) => {
      this.probes.set(token, resolve);
      timer = setTimeout(() => resolve(false), this.options.probeTimeoutMs ?? 5_000);
    });
    try {
      await this.options.knex.raw('SELECT pg_notify(?, ?)', [this.options.channel, token]);
      return await arrived;
    } finally {
      clearTimeout(timer);
      this.probes.delete(token);
    }
  }

  private async check(): Promise<void> {
    const { logger, channel, url } = this.options;
    let arrived: boolean;
    try {
      arrived = await this.probe();
    } catch (error) {
      logger.warn({ err: error, channel }, 'could not send a probe NOTIFY; keeping the LISTEN');
      return;
    }
    // A connection lost meanwhile says nothing about the URL; it reconnects and stays.
    if (!this.running || !this.listening) return;
    if (arrived) {
      logger.info({ channel, server: serverOf(url) }, 'listening for NOTIFY on a session');
      return;
    }
    logger.warn(
      { channel, server: serverOf(url) },
      'NOTIFY does not reach the LISTEN connection (a transaction-mode pooler?); polling ' +
        'instead. Set DATABASE_DIRECT_URL to a direct connection to be woken at once.',
    );
    await this.stop();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url, keepAlive: true });
    client.on('notification', ({ channel, payload }) => {
      if (channel !== this.options.channel) return;
      this.probes.get(payload ?? '')?.(true);
      this.options.onNotify();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.options.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (!this.running) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (!this.running) return;
    this.options.logger.warn(
      { err: error, channel: this.options.channel },
      'lost the LISTEN connection; polling until it is back',
    );
    this.reconnect(this.options.reconnectMs ?? 1_000);
  }

  private reconnect(delayMs: number): void {
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => {
          if (!this.running) return;
          this.options.logger.info({ channel: this.options.channel }, 'LISTEN connection is back');
          // Whatever was notified while the connection was down is looked for now.
          this.options.onNotify();
        },
        (error: unknown) => {
          if (!this.running) return;
          this.options.logger.warn(
            { err: error, channel: this.options.channel },
            'could not reconnect the LISTEN connection; retrying',
          );
          this.reconnect(Math.min(delayMs * 2, MAX_RECONNECT_MS));
        },
      );
    }, delayMs);
  }
}

import pg from 'pg';
import type { Logger } from '../lib/logger.ts';

/** Only the relay holding this lock publishes, so one task's events leave in commit order. */
const PUBLISH_TURN_LOCK = 0x7e1a_0001;

/**
 * The publishing turn among relay replicas: a session advisory lock held on a connection of the
 * relay's own, on which it also claims its batches (claim-batch.ts), so a relay that lost the
 * turn cannot claim. When the holder dies, even by SIGKILL, the server ends its session and the
 * lock is free for the next `hold()` of a standby.
 *
 * The URL must reach the server itself: through a transaction-mode pooler a session lock means
 * nothing. On the embedded database all connections share one session, so every relay there
 * holds the turn; it runs one relay.
 */
export class PublishTurn {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private held = false;
  private taken = 0;
  private readonly url: string | pg.ClientConfig;
  private readonly logger: Logger;

  /** `url`: a connection string, or the settings of a pool's connections. */
  constructor(url: string | pg.ClientConfig, logger: Logger) {
    this.url = url;
    this.logger = logger;
  }

  /**
   * Takes the turn if it is free (or keeps it); resolves to whether this relay holds it. The
   * session on which it is held is `session` until it is lost.
   * @throws when the server cannot be reached.
   */
  async hold(): Promise<boolean> {
    if (this.held && this.client) return true;
    const client = await this.connect();
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [PUBLISH_TURN_LOCK],
    );
    this.held = rows[0]!.locked && this.client === client;
    if (this.held) {
      this.taken++;
      this.logger.info('took the publishing turn');
    }
    return this.held;
  }

  /**
   * How many times this relay has taken the turn. Whatever it claimed under an earlier count may
   * or may not have committed when that session was lost.
   */
  get takenCount(): number {
    return this.taken;
  }

  /** Whether the turn is held now (it is lost with its connection). */
  get isHeld(): boolean {
    return this.held;
  }

  /** The session holding the turn. @throws when the turn is not held. */
  get session(): pg.Client {
    if (!this.held || !this.client) throw new Error('the publishing turn is not held');
    return this.client;
  }

  /** Gives the turn up by closing its session. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    this.held = false;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const settings = typeof this.url === 'string' ? { connectionString: this.url } : this.url;
      const client = new pg.Client({ ...settings, keepAlive: true });
      client.on('error', (error) => this.lost(client, error));
      client.on('end', () => this.lost(client));
      try {
        await client.connect();
      } catch (error) {
        this.connecting = undefined;
        await client.end().catch(() => undefined);
        throw error;
      }
      this.client = client;
      this.connecting = undefined;
      return client;
    })();
    return this.connecting;
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    if (this.held) this.logger.warn({ err: error }, 'lost the publishing turn with its session');
    this.client = undefined;
    this.held = false;
    void client.end().catch(() => undefined);
  }
}

import type { Knex } from 'knex';
import type { ChannelSettings } from '../domain/channel-settings.ts';
import type { LiveSource } from '../domain/live-updates.ts';
import type { Logger } from '../lib/logger.ts';

/** What every resolver receives: the signed-in user and the request's resources. */
export interface GraphQLContext {
  /** The caller, from the verified token's `sub`; every query is scoped to it. */
  userId: string;
  /** When the caller's token expires, if it says; live connections end then. */
  tokenExpiresAt: Date | undefined;
  requestId: string;
  /** The HTTP request (for a WebSocket operation, one made from the connection's token). */
  request: Request;
  knex: Knex;
  logger: Logger;
  /** Live events of the signed-in user, for subscriptions. */
  live: LiveSource;
  /** The caller's email address, when the token's provider marks it verified. */
  email: string | undefined;
  /** What notification channels can be set up here (push keys, email). */
  channels: ChannelSettings;
}

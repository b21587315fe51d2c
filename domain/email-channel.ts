import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { toChannel, type ChannelRow } from '../db/channel-rows.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import type { Mailer } from '../lib/mailer.ts';
import { CHANNEL_LIMITS, type NotificationChannel } from '../model/channels.ts';
import { NotFoundError, ValidationError } from '../model/errors.ts';
import { fields, parseInput } from '../model/validation.ts';
import type { ChannelSettings } from './channel-settings.ts';
import { nowOf, type Scope } from './scope.ts';
import { removeChannel } from './channel-removal.ts';

/** The longest address SMTP can carry (RFC 5321's 256-octet path less its angle brackets). */
export const EMAIL_ADDRESS_MAX = 254;

const addressSchema = fields.text
  .trim()
  .max(EMAIL_ADDRESS_MAX, `must be at most ${EMAIL_ADDRESS_MAX} characters`)
  .pipe(z.email({ error: 'must be an email address such as ada@example.com' }));

const codeSchema = fields.text
  .trim()
  .regex(/^\d{6}$/, 'must be the 6-digit code from the confirmation email');

const CODE_TTL_MINUTES = Math.round(CHANNEL_LIMITS.emailCodeTtlMs / 60_000);

const hashOf = (code: string) => createHash('sha256').update(code).digest();
const sameAddress = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.toLowerCase() === b.toLowerCase();

const emailRow = (db: Scope['db'], userId: string) =>
  db('notification_channels').where({ user_id: userId, kind: 'email' });

function codeMessage(to: string, code: string) {
  return {
    to,
    subject: `Your confirmation code: ${code}`,
    text: [
      `Enter ${code} to receive task reminders at ${to}.`,
      '',
      `The code is valid for ${CODE_TTL_MINUTES} minutes. If you did not ask for it, ignore this mail.`,
      '',
    ].join('\n'),
  };
}

async function sendCode(mailer: Mailer, to: string, code: string): Promise<void> {
  try {
    await mailer.send(codeMessage(to, code));
  } catch (error) {
    const { responseCode, permanent } = error as { responseCode?: unknown; permanent?: unknown };
    const refused = permanent === true || (typeof responseCode === 'number' && responseCode >= 500);
    throw new ValidationError(
      'address',
      refused
        ? `the mail server refused ${to} (${(error as Error).message}): check the address and ` +
            'call setEmailChannel again'
        : `the confirmation code could not be sent to ${to} just now: try again with ` +
            'setEmailChannel in a few minutes',
    );
  }
}

/**
 * Sets where the user's reminders are mailed, replacing the address they had (one per user; its
 * delivery history stays). The address is confirmed at once when it is `verifiedEmail` (the
 * token's email claim, which the identity provider marked verified) or the address already
 * confirmed; otherwise a 6-digit code is mailed to it, to pass to `confirmEmailChannel` within
 * CHANNEL_LIMITS.emailCodeTtlMs, and reminders go to it only then. Only the code's hash is
 * stored. A code that cannot be sent is a ValidationError saying to try again; the channel then
 * stays unconfirmed.
 */
export async function setEmailChannel(
  scope: Scope,
  settings: ChannelSettings,
  verifiedEmail: string | undefined,
  rawAddress: string,
): Promise<NotificationChannel> {
  const address = parseInput(addressSchema, rawAddress, 'address');
  const { mailer } = settings;
  if (!mailer) {
    throw new ValidationError(
      'address',
      'email is not configured on this server: set SMTP_URL (and SMTP_FROM) in its ' +
        'configuration to offer email reminders, or use Web Push or a webhook',
    );
  }
  const now = nowOf(scope);
  const { channel, code } = await writeTransaction(scope.db, async (trx) => {
    // The lock of the user's channel counts: two first addresses at once cannot both insert.
    await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('notification_channels'), hashtext(?))`, [
      scope.userId,
    ]);
    const existing: ChannelRow | undefined = await emailRow(trx, scope.userId).forUpdate().first();
    const alreadyConfirmed =
      existing?.email_verified_at && sameAddress(address, existing.email_address)
        ? existing.email_verified_at
        : null;
    const verified = alreadyConfirmed ?? (sameAddress(address, verifiedEmail) ? now : null);
    const code = verified ? null : String(randomInt(0, 1_000_000)).padStart(6, '0');
    const values = {
      email_address: address,
      email_verified_at: verified,
      email_code_hash: code === null ? null : hashOf(code).toString('hex'),
      email_code_expires_at:
        code === null ? null : new Date(now.getTime() + CHANNEL_LIMITS.emailCodeTtlMs),
      email_code_attempts: 0,
      enabled: true,
      disabled_at: null,
      disabled_reason: null,
      failing_since: null,
      updated_at: now,
    };
    const [row]: ChannelRow[] = existing
      ? await trx('notification_channels').where({ id: existing.id }).update(values).returning('*')
      : await trx('notification_channels')
          .insert({ user_id: scope.userId, kind: 'email', ...values, created_at: now })
          .returning('*');
    return { channel: toChannel(row!), code };
  });
  if (code !== null) await sendCode(mailer, address, code);
  return channel;
}

/** What checking a code came to; errors are thrown after the attempt is committed. */
type Check = { row: ChannelRow } | { error: ValidationError };

const askAgain = 'ask for a new one by calling setEmailChannel again';

/**
 * Confirms the user's email address with the code mailed to it. A wrong code counts as a try;
 * after CHANNEL_LIMITS.emailCodeAttempts wrong tries, or once it has expired, the code is void
 * and a new one must be asked for. Every refusal is a ValidationError on `code`.
 */
export async function confirmEmailChannel(
  scope: Scope,
  rawCode: string,
): Promise<NotificationChannel> {
  const code = parseInput(codeSchema, rawCode, 'code');
  const now = nowOf(scope);
  const check = await writeTransaction(scope.db, async (trx): Promise<Check> => {
    const row: ChannelRow | undefined = await emailRow(trx, scope.userId).forUpdate().first();
    const refuse = (message: string) => ({ error: new ValidationError('code', message) });
    if (!row) return refuse('no email address awaits confirmation: set one with setEmailChannel');
    if (!row.email_code_hash || !row.email_code_expires_at) {
      return refuse(
        row.email_verified_at
          ? `${row.email_address} is already confirmed; there is no code to enter`
          : `no code is pending for ${row.email_address}: ${askAgain}`,
      );
    }
    const voidCode = () =>
      trx('notification_channels')
        .where({ id: row.id })
        .update({ email_code_hash: null, email_code_expires_at: null, updated_at: now });
    if (row.email_code_expires_at <= now) {
      await voidCode();
      return refuse(`the code has expired: ${askAgain}`);
    }
    if (row.email_code_attempts >= CHANNEL_LIMITS.emailCodeAttempts) {
      await voidCode();
      return refuse(`the code was tried too often: ${askAgain}`);
    }
    if (!timingSafeEqual(hashOf(code), Buffer.from(row.email_code_hash, 'hex'))) {
      const attempts = row.email_code_attempts + 1;
      const left = CHANNEL_LIMITS.emailCodeAttempts - attempts;
      await trx('notification_channels')
        .where({ id: row.id })
        .update({
          email_code_attempts: attempts,
          ...(left > 0 ? {} : { email_code_hash: null, email_code_expires_at: null }),
          updated_at: now,
        });
      return refuse(
        left > 0
          ? `wrong code: check the latest confirmation email (${left} ${left === 1 ? 'try' : 'tries'} left)`
          : `wrong code, and that was the last try: the code is void; ${askAgain}`,
      );
    }
    const [confirmed]: ChannelRow[] = await trx('notification_channels')
      .where({ id: row.id })
      .update({
        email_verified_at: now,
        email_code_hash: null,
        email_code_expires_at: null,
        email_code_attempts: 0,
        updated_at: now,
      })
      .returning('*');
    return { row: confirmed! };
  });
  if ('error' in check) throw check.error;
  return toChannel(check.row);
}

/**
 * Removes the user's email channel (its deliveries go with it) and answers with it as it was;
 * NotFoundError when there is none.
 */
export async function removeEmailChannel(scope: Scope): Promise<NotificationChannel> {
  const row = await removeChannel(scope, 'email');
  if (!row) throw new NotFoundError('NotificationChannel', 'email');
  return toChannel(row);
}

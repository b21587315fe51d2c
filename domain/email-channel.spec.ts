import type { Knex } from 'knex';
import { createMailer } from '../lib/smtp-mailer.ts';
import type { Mailer } from '../lib/mailer.ts';
import { CHANNEL_LIMITS } from '../model/channels.ts';
import { NotFoundError, ValidationError } from '../model/errors.ts';
import { testKnex, uniqueUserId } from '../test/env.ts';
import { useSmtpServer } from '../test/smtp-server.ts';
import type { ChannelSettings } from './channel-settings.ts';
import { confirmEmailChannel, removeEmailChannel, setEmailChannel } from './email-channel.ts';
import type { Scope } from './scope.ts';

const smtp = useSmtpServer();
let knex: Knex;
let mailer: Mailer;
let settings: ChannelSettings;

beforeAll(() => {
  knex = testKnex();
  mailer = createMailer({ url: smtp.url, from: 'Todo reminders <reminders@todo.test>' });
  settings = {
    vapidPublicKey: undefined,
    mailer,
    allowPrivateAddresses: false,
    publicUrl: 'https://todo.test',
  };
});
afterAll(async () => {
  await mailer.close();
  await knex.destroy();
});

const scopeOf = (userId: string, now?: () => Date): Scope => ({
  db: knex,
  userId,
  ...(now ? { now } : {}),
});
/** A user and an address only this test mails to. */
const someone = (label: string) => {
  const userId = uniqueUserId(label);
  return { scope: scopeOf(userId), address: `${userId}@example.test` };
};

/** The code in the latest confirmation mail to `address`. */
function codeSentTo(address: string): string {
  const mails = smtp.receivedBy(address);
  const code = /\b(\d{6})\b/.exec(mails.at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error(`no confirmation code was mailed to ${address}`);
  return code;
}
/** A six-digit code other than `code`. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

const rowsOf = (userId: string) =>
  knex('notification_channels').where({ user_id: userId, kind: 'email' });

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!error) throw new Error('expected a refusal, but it succeeded');
  return error as Error;
}

describe('setEmailChannel', () => {
  it('confirms the address of a verified email claim at once, without mail', async () => {
    const { scope, address } = someone('claimed');

    const channel = await setEmailChannel(scope, settings, address.toUpperCase(), address);

    expect(channel).toMatchObject({
      userId: scope.userId,
      kind: 'email',
      emailAddress: address,
      enabled: true,
    });
    expect(channel.emailVerifiedAt).toBeInstanceOf(Date);
    expect(smtp.receivedBy(address)).toEqual([]);
  });

  it('mails a code to another address and keeps it unconfirmed until the code comes back', async () => {
    const { scope, address } = someone('coded');

    const pending = await setEmailChannel(scope, settings, 'other@example.test', address);

    expect(pending.emailVerifiedAt).toBeNull();
    const [mail] = smtp.receivedBy(address);
    expect(mail!.from).toBe('reminders@todo.test');
    const code = codeSentTo(address);
    const [row] = await rowsOf(scope.userId);
    expect(row.email_code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.email_code_hash).not.toContain(code);
    expect(row.email_code_expires_at.getTime() - row.updated_at.getTime()).toBe(
      CHANNEL_LIMITS.emailCodeTtlMs,
    );

    const confirmed = await confirmEmailChannel(scope, ` ${code} `);

    expect(confirmed.id).toBe(pending.id);
    expect(confirmed.emailVerifiedAt).toBeInstanceOf(Date);
    const [after] = await rowsOf(scope.userId);
    expect(after).toMatchObject({ email_code_hash: null, email_code_expires_at: null });
  });

  it('replaces the address, keeping one channel that needs confirming again', async () => {
    const { scope, address } = someone('moving');
    const first = await setEmailChannel(scope, settings, address, address);
    const next = `new-${address}`;

    const replaced = await setEmailChannel(scope, settings, address, next);

    expect(replaced).toMatchObject({ id: first.id, emailAddress: next, emailVerifiedAt: null });
    expect(await rowsOf(scope.userId)).toHaveLength(1);
    expect(smtp.receivedBy(next)).toHaveLength(1);
    expect(smtp.receivedBy(address)).toEqual([]);
    expect((await confirmEmailChannel(scope, codeSentTo(next))).emailAddress).toBe(next);
  });

  it('keeps an address already confirmed confirmed when it is set again', async () => {
    const { scope, address } = someone('again');
    await setEmailChannel(scope, settings, undefined, address);
    const confirmed = await confirmEmailChannel(scope, codeSentTo(address));

    const again = await setEmailChannel(scope, settings, undefined, address.toUpperCase());

    expect(again.emailVerifiedAt).toEqual(confirmed.emailVerifiedAt);
    expect(smtp.receivedBy(address)).toHaveLength(1);
  });

  it.each([
    ['something that is not an address', 'not an address', /email address/],
    ['an address over 254 characters', `${'a'.repeat(250)}@example.test`, /at most 254/],
    ['an address with NUL', 'ada\u0000@example.test', /NUL/],
  ])('refuses %s', async (_what, raw, message) => {
    const { scope } = someone('invalid');

    const error = await refusal(setEmailChannel(scope, settings, undefined, raw));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'address', message: expect.stringMatching(message) });
    expect(await rowsOf(scope.userId)).toEqual([]);
  });

  it('refuses when the server has no mail configured', async () => {
    const { scope, address } = someone('nomail');

    const error = await refusal(
      setEmailChannel(scope, { ...settings, mailer: undefined }, address, address),
    );

    expect(error).toMatchObject({ field: 'address', message: expect.stringMatching(/SMTP_URL/) });
    expect(await rowsOf(scope.userId)).toEqual([]);
  });

  it.each([
    [550, /refused .*check the address/],
    [451, /could not be sent .*try again/],
  ] as const)(
    'says so when the server answers %i to the code, leaving it unconfirmed',
    async (code, message) => {
      const { scope, address } = someone(`refused${code}`);
      smtp.refuse(address, code);

      const error = await refusal(setEmailChannel(scope, settings, undefined, address));

      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'address', message: expect.stringMatching(message) });
      const [row] = await rowsOf(scope.userId);
      expect(row).toMatchObject({ email_address: address, email_verified_at: null });
    },
  );
});

describe('confirmEmailChannel', () => {
  it('counts a wrong code as a try and still accepts the right one', async () => {
    const { scope, address } = someone('wrong');
    await setEmailChannel(scope, settings, undefined, address);
    const code = codeSentTo(address);

    const error = await refusal(confirmEmailChannel(scope, wrong(code)));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      field: 'code',
      message: expect.stringMatching(/wrong code.*4 tries left/),
    });
    expect((await rowsOf(scope.userId))[0].email_code_attempts).toBe(1);
    expect((await confirmEmailChannel(scope, code)).emailVerifiedAt).toBeInstanceOf(Date);
  });

  it('voids the code after too many wrong tries', async () => {
    const { scope, address } = someone('guess');
    await setEmailChannel(scope, settings, undefined, address);
    const code = codeSentTo(address);

    const errors: Error[] = [];
    for (let i = 0; i < CHANNEL_LIMITS.emailCodeAttempts; i++) {
      errors.push(await refusal(confirmEmailChannel(scope, wrong(code))));
    }
    const afterwards = await refusal(confirmEmailChannel(scope, code));

    expect(errors.at(-1)!.message).toMatch(/last try.*setEmailChannel/);
    expect(afterwards).toMatchObject({
      field: 'code',
      message: expect.stringMatching(/no code is pending.*setEmailChannel/),
    });
    expect((await rowsOf(scope.userId))[0].email_verified_at).toBeNull();
  });

  it('refuses an expired code, even the right one, and voids it', async () => {
    const { scope, address } = someone('late');
    await setEmailChannel(scope, settings, undefined, address);
    const code = codeSentTo(address);
    const [row] = await rowsOf(scope.userId);
    const expiry = row.email_code_expires_at as Date;

    const late = await refusal(
      confirmEmailChannel(
        scopeOf(scope.userId, () => expiry),
        code,
      ),
    );
    const again = await refusal(confirmEmailChannel(scope, code));

    expect(late).toMatchObject({ field: 'code', message: expect.stringMatching(/expired/) });
    expect(again.message).toMatch(/no code is pending/);
    expect((await rowsOf(scope.userId))[0].email_verified_at).toBeNull();
  });

  it('accepts a code until just before it expires', async () => {
    const { scope, address } = someone('intime');
    await setEmailChannel(scope, settings, undefined, address);
    const [row] = await rowsOf(scope.userId);
    const justBefore = new Date((row.email_code_expires_at as Date).getTime() - 1);

    const confirmed = await confirmEmailChannel(
      scopeOf(scope.userId, () => justBefore),
      codeSentTo(address),
    );

    expect(confirmed.emailVerifiedAt).toEqual(justBefore);
  });

  it("does not confirm a user's address with another user's code", async () => {
    const ada = someone('ada');
    const bob = someone('bob');
    await setEmailChannel(ada.scope, settings, undefined, ada.address);
    await setEmailChannel(bob.scope, settings, undefined, bob.address);
    const adaCode = codeSentTo(ada.address);
    // Two users' codes coincide once in a million: then Bob asks for another.
    while (codeSentTo(bob.address) === adaCode) {
      await setEmailChannel(bob.scope, settings, undefined, bob.address);
    }
    const bobCode = codeSentTo(bob.address);

    const error = await refusal(confirmEmailChannel(ada.scope, bobCode));

    expect(error.message).toMatch(/wrong code/);
    const rows = await knex('notification_channels')
      .whereIn('user_id', [ada.scope.userId, bob.scope.userId])
      .select('email_verified_at');
    expect(rows.map((row) => row.email_verified_at)).toEqual([null, null]);
  });

  it('says so when there is nothing to confirm', async () => {
    const none = someone('none');
    const claimed = someone('claimed');
    await setEmailChannel(claimed.scope, settings, claimed.address, claimed.address);

    const noChannel = await refusal(confirmEmailChannel(none.scope, '123456'));
    const alreadyConfirmed = await refusal(confirmEmailChannel(claimed.scope, '123456'));
    const malformed = await refusal(confirmEmailChannel(claimed.scope, '12345a'));

    expect(noChannel).toMatchObject({ field: 'code', message: expect.stringMatching(/set one/) });
    expect(alreadyConfirmed.message).toMatch(/already confirmed/);
    expect(malformed).toMatchObject({ field: 'code', message: expect.stringMatching(/6-digit/) });
  });
});

describe('removeEmailChannel', () => {
  it('removes the channel and answers with it; then there is none', async () => {
    const { scope, address } = someone('leaving');
    const channel = await setEmailChannel(scope, settings, address, address);

    const removed = await removeEmailChannel(scope);
    const again = await refusal(removeEmailChannel(scope));

    expect(removed).toEqual(channel);
    expect(await rowsOf(scope.userId)).toEqual([]);
    expect(again).toBeInstanceOf(NotFoundError);
    expect(again).toMatchObject({ entity: 'NotificationChannel' });
  });

  it("leaves another user's channel alone", async () => {
    const ada = someone('ada');
    const bob = someone('bob');
    await setEmailChannel(bob.scope, settings, bob.address, bob.address);

    await expect(removeEmailChannel(ada.scope)).rejects.toBeInstanceOf(NotFoundError);

    expect(await rowsOf(bob.scope.userId)).toHaveLength(1);
  });
});

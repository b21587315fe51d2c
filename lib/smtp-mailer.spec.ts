import { downSmtpUrl, useSmtpServer } from '../test/smtp-server.ts';
import type { Mailer } from './mailer.ts';
import { createMailer } from './smtp-mailer.ts';

const smtp = useSmtpServer();
let mailer: Mailer;

beforeAll(() => {
  mailer = createMailer({ url: smtp.url, from: 'Todo reminders <reminders@todo.test>' });
});
afterAll(() => mailer.close());

describe('createMailer', () => {
  it('sends through the SMTP server from the configured sender and resolves once accepted', async () => {
    const sent = await mailer.send({
      to: 'ada@example.test',
      subject: 'Hello',
      text: 'plain body',
      html: '<p>html body</p>',
      messageId: '<d-1@todo-events>',
    });

    expect(sent.response).toMatch(/^250\b/);
    expect(sent.messageId).toBe('<d-1@todo-events>');
    const [mail, ...more] = smtp.receivedBy('ada@example.test');
    expect(more).toEqual([]);
    expect(mail).toMatchObject({
      envelope: { from: 'reminders@todo.test', to: ['ada@example.test'] },
      from: 'reminders@todo.test',
      to: ['ada@example.test'],
      subject: 'Hello',
      text: 'plain body',
      html: '<p>html body</p>',
      messageId: '<d-1@todo-events>',
    });
    expect(mail!.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail!.date).toBeInstanceOf(Date);
  });

  it('sends several messages over its pool', async () => {
    await Promise.all(
      [1, 2, 3].map((n) => mailer.send({ to: 'pool@example.test', subject: `n${n}`, text: '.' })),
    );

    const subjects = smtp.receivedBy('pool@example.test').map((mail) => mail.subject);
    expect(subjects.sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it.each([
    [451, false],
    [550, true],
  ] as const)('rejects with the reply code when the server answers %i', async (code, permanent) => {
    const to = `refused-${code}@example.test`;
    smtp.refuse(to, code);

    const sending = mailer.send({ to, subject: 'refused', text: '.' });

    await expect(sending).rejects.toMatchObject({ responseCode: code, permanent });
    expect(smtp.receivedBy(to)).toEqual([]);
  });

  it('rejects with a connection error when the server is down', async () => {
    const down = createMailer({ url: await downSmtpUrl(), from: 'reminders@todo.test' });
    try {
      const error = await down.send({ to: 'x@example.test', subject: 's', text: '.' }).then(
        () => undefined,
        (error: unknown) => error as { code?: string; responseCode?: number },
      );
      expect(error).toBeDefined();
      expect(error!.code).toMatch(/^E(CONNECTION|SOCKET)$/);
      expect(error!.responseCode).toBeUndefined();
    } finally {
      await down.close();
    }
  });
});

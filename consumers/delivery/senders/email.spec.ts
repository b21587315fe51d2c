import { randomUUID } from 'node:crypto';
import { createMailer } from '../../../lib/smtp-mailer.ts';
import type { Mailer } from '../../../lib/mailer.ts';
import { envelopeSchema, type Event } from '../../../model/events/contracts.ts';
import { downSmtpUrl, useSmtpServer } from '../../../test/smtp-server.ts';
import type { ChannelSender, DeliveryJob } from '../channel-sender.ts';
import { emailSender } from './email.ts';

const smtp = useSmtpServer();
const PUBLIC_URL = 'https://todo.test/app/';
let mailer: Mailer;
let sender: ChannelSender;

beforeAll(() => {
  mailer = createMailer({ url: smtp.url, from: 'Todo reminders <reminders@todo.test>' });
  sender = emailSender(mailer, { publicUrl: PUBLIC_URL });
});
afterAll(() => sender.close?.());

/** A `reminder.due` event as the notification scheduler writes it. */
function reminderDue(task: {
  title: string;
  description?: string | null;
  dueAt: string | null;
  timeZone: string;
}): Event<'reminder.due'> {
  const taskId = randomUUID();
  const at = '2026-12-01T07:45:00.000Z';
  return envelopeSchema('reminder.due').parse({
    id: randomUUID(),
    type: 'reminder.due',
    schemaVersion: 1,
    occurredAt: at,
    userId: 'user-email-spec',
    taskId,
    payload: {
      task: {
        id: taskId,
        title: task.title,
        description: task.description ?? null,
        completed: false,
        completedAt: null,
        priority: 'medium',
        dueAt: task.dueAt,
        timeZone: task.timeZone,
        categoryId: null,
        tagIds: [],
        recurrenceRule: null,
        recurrenceAnchor: 'due_date',
        seriesId: null,
        seriesIndex: 1,
        seriesStartAt: null,
        previousTaskId: null,
        remindBeforeMinutes: 15,
        remindAt: at,
        reminderSentAt: null,
        createdAt: at,
        updatedAt: at,
        version: 1,
      },
      remindAt: at,
      dueAt: task.dueAt,
      firedAt: at,
      late: false,
    },
  }) as Event<'reminder.due'>;
}

function jobFor(to: string, event: Event, attempt = 1, deliveryId = randomUUID()): DeliveryJob {
  return {
    deliveryId,
    attempt,
    event,
    channel: {
      id: randomUUID(),
      userId: event.userId,
      kind: 'email',
      url: null,
      pushP256dh: null,
      pushAuth: null,
      webhookSecret: null,
      emailAddress: to,
    },
  };
}

describe('emailSender', () => {
  it('mails the reminder with its due time in the task time zone, a link and the delivery as Message-ID', async () => {
    const event = reminderDue({
      title: 'Call the dentist',
      description: 'Ask about Thursday',
      dueAt: '2026-12-01T08:00:00.000Z',
      timeZone: 'America/New_York',
    });
    const job = jobFor('ny@example.test', event);

    const result = await sender.send(job);

    expect(result).toMatchObject({ outcome: 'delivered', statusCode: 250 });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const [mail, ...more] = smtp.receivedBy('ny@example.test');
    expect(more).toEqual([]);
    const link = `https://todo.test/app/#task=${event.taskId}`;
    expect(mail!.subject).toBe('Reminder: Call the dentist');
    expect(mail!.from).toBe('reminders@todo.test');
    expect(mail!.messageId).toBe(`<${job.deliveryId}@todo-events>`);
    expect(mail!.text).toContain('Due: Tue, 1 Dec 2026, 03:00 (America/New_York)');
    expect(mail!.text).toContain('Ask about Thursday');
    expect(mail!.text).toContain(link);
    expect(mail!.html).toContain('Tue, 1 Dec 2026, 03:00 (America/New_York)');
    expect(mail!.html).toContain(`href="${link}"`);
  });

  it('shows the same instant in UTC for a task kept in UTC', async () => {
    const event = reminderDue({
      title: 'Standup',
      dueAt: '2026-12-01T08:00:00.000Z',
      timeZone: 'UTC',
    });

    await sender.send(jobFor('utc@example.test', event));

    const [mail] = smtp.receivedBy('utc@example.test');
    expect(mail!.text).toContain('Due: Tue, 1 Dec 2026, 08:00 (UTC)');
    expect(mail!.text).not.toContain('America/New_York');
  });

  it('says when a task has no due date', async () => {
    await sender.send(
      jobFor('nodue@example.test', reminderDue({ title: 'Someday', dueAt: null, timeZone: 'UTC' })),
    );

    const [mail] = smtp.receivedBy('nodue@example.test');
    expect(mail!.text).toContain('Due: no due date');
  });

  it('escapes the title and description in the HTML part', async () => {
    const event = reminderDue({
      title: '<script>alert(1)</script> & "x"',
      description: '<img src=x onerror=alert(2)>',
      dueAt: null,
      timeZone: 'UTC',
    });

    await sender.send(jobFor('html@example.test', event));

    const [mail] = smtp.receivedBy('html@example.test');
    expect(mail!.subject).toBe('Reminder: <script>alert(1)</script> & "x"');
    expect(mail!.html).not.toMatch(/<script|<img/);
    expect(mail!.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(mail!.html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(mail!.text).toContain('<img src=x onerror=alert(2)>');
  });

  it('sends a retry with the same Message-ID, so the resend is recognisable', async () => {
    const event = reminderDue({ title: 'Twice', dueAt: null, timeZone: 'UTC' });
    const first = jobFor('resend@example.test', event, 1);

    await sender.send(first);
    await sender.send({ ...first, attempt: 2 });

    const ids = smtp.receivedBy('resend@example.test').map((mail) => mail.messageId);
    expect(ids).toEqual([`<${first.deliveryId}@todo-events>`, `<${first.deliveryId}@todo-events>`]);
  });

  it('asks for a retry when the server answers 451', async () => {
    smtp.refuse('busy@example.test', 451);
    const event = reminderDue({ title: 'Later', dueAt: null, timeZone: 'UTC' });

    const result = await sender.send(jobFor('busy@example.test', event));

    expect(result).toMatchObject({ outcome: 'retry', statusCode: 451 });
    expect(result.error).toMatch(/temporarily unavailable/);
    expect(smtp.receivedBy('busy@example.test')).toEqual([]);
  });

  it('fails the delivery when the server answers 550', async () => {
    smtp.refuse('nobody@example.test', 550);
    const event = reminderDue({ title: 'Never', dueAt: null, timeZone: 'UTC' });

    const result = await sender.send(jobFor('nobody@example.test', event));

    expect(result).toMatchObject({ outcome: 'failed', statusCode: 550 });
    expect(result.error).toMatch(/No such mailbox/);
  });

  it('asks for a retry when the server is down', async () => {
    const down = emailSender(
      createMailer({ url: await downSmtpUrl(), from: 'reminders@todo.test' }),
      { publicUrl: PUBLIC_URL },
    );
    try {
      const event = reminderDue({ title: 'Down', dueAt: null, timeZone: 'UTC' });

      const result = await down.send(jobFor('down@example.test', event));

      expect(result).toMatchObject({ outcome: 'retry', statusCode: null });
      expect(result.error).toMatch(/^E(CONNECTION|SOCKET)/);
    } finally {
      await down.close?.();
    }
  });

  it('fails an event other than reminder.due without sending it', async () => {
    const due = reminderDue({ title: 'Created', dueAt: null, timeZone: 'UTC' });
    const created = { ...due, type: 'task.created', payload: { task: due.payload.task } } as Event;

    const result = await sender.send(jobFor('created@example.test', created));

    expect(result).toMatchObject({ outcome: 'failed', statusCode: null });
    expect(result.error).toMatch(/reminder\.due events only, not task\.created/);
    expect(smtp.receivedBy('created@example.test')).toEqual([]);
  });
});

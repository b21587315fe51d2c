/**
 * Email reminders end to end: the address set and confirmed in the dashboard with the code the
 * API mailed, then a reminder mailed by the delivery role, through a real SMTP server.
 */
import type { Browser, Page } from 'playwright-core';
import { startSmtpServer, type TestSmtpServer } from '../test/smtp-server.ts';
import { launchBrowser, openDashboard } from './browser.ts';
import { startStack, type Stack } from './stack.ts';

let smtp: TestSmtpServer;
let stack: Stack;
let browser: Browser;
let page: Page | undefined;

beforeAll(async () => {
  smtp = await startSmtpServer();
  [stack, browser] = await Promise.all([
    startStack({
      delivery: true,
      env: { SMTP_URL: smtp.url, SMTP_FROM: 'Todo reminders <reminders@example.test>' },
    }),
    launchBrowser(),
  ]);
}, 120_000);
afterEach(() => page?.close());
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await smtp?.close();
});

it('confirms an address with the mailed code, then mails a reminder to it', async () => {
  const token = await stack.token();
  page = await openDashboard(browser, stack.url, token);
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Settings' })
    .click();

  const address = `reader-${Date.now()}@example.test`;
  await page.getByLabel('Email address').fill(address);
  await page.getByRole('button', { name: 'Save address' }).click();
  const [codeMail] = await smtp.waitFor(1, address);
  const code = /\b(\d{6})\b/.exec(codeMail!.text ?? '')![1]!;

  // A wrong code is refused with the API's message; the right one confirms the address.
  await page.getByLabel('Confirmation code').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Confirm address' }).click();
  await page.getByRole('alert').filter({ hasText: /code/i }).first().waitFor();
  await page.getByLabel('Confirmation code').fill(code);
  await page.getByRole('button', { name: 'Confirm address' }).click();
  await page.getByTestId('email-channel').filter({ hasText: 'Verified' }).waitFor();

  const remindAt = new Date(Math.ceil((Date.now() + 4_000) / 1000) * 1000);
  const created = await stack.gql(
    token,
    `mutation($input: CreateTaskInput!) { createTask(input: $input) {
       ... on CreateTaskSuccess { task { id } } ... on Error { message } } }`,
    {
      input: {
        title: 'Post the letter',
        dueAt: new Date(remindAt.getTime() + 60_000).toISOString(),
        timeZone: 'Europe/Berlin',
        remindBeforeMinutes: 1,
      },
    },
  );
  const taskId = created.createTask.task.id as string;
  const [, reminder] = await smtp.waitFor(2, address);
  expect(reminder!.subject).toBe('Reminder: Post the letter');
  expect(reminder!.text).toContain('Europe/Berlin');
  expect(reminder!.text).toContain(`#task=${taskId}`);
  expect(smtp.receivedBy(address)).toHaveLength(2);
});

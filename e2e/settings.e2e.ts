/**
 * Settings, reminder notices and the overview, end to end against the real processes (the
 * delivery role included, with a webhook receiver on localhost): what the user does in the page,
 * checked through the public API.
 */
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../test/kafka.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.ts';
import { launchBrowser, openDashboard } from './browser.ts';
import { checkPage } from './page-checks.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
let browser: Browser;
let receiver: WebhookReceiver;
let page: Page | undefined;

beforeAll(async () => {
  [stack, browser, receiver] = await Promise.all([
    startStack({ delivery: true, env: { DELIVERY_ALLOW_PRIVATE_ADDRESSES: 'true' } }),
    launchBrowser(),
    startWebhookReceiver(),
  ]);
}, 120_000);
afterEach(() => page?.close());
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await stack?.stop();
});

/** Runs one GraphQL operation as the holder of `token`; throws on errors. */
/** One GraphQL operation as the user of `token`, through the public API. */
const gql = <T = any>(token: string, query: string, variables: Record<string, unknown> = {}) =>
  stack.gql<T>(token, query, variables);

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

/** A task due `dueInMs` from now whose reminder fires in about three seconds. */
async function taskWithReminder(token: string, title: string, dueInMs: number): Promise<string> {
  const { createTask } = await gql(
    token,
    `mutation($input: CreateTaskInput!) { createTask(input: $input) {
      ... on CreateTaskSuccess { task { id } } } }`,
    { input: { title, dueAt: inMs(dueInMs), timeZone: 'Europe/Berlin' } },
  );
  const id = createTask.task.id as string;
  const { setReminder } = await gql(
    token,
    `mutation($id: ID!, $at: DateTime!) { setReminder(taskId: $id, remindAt: $at) {
      __typename ... on Error { message } } }`,
    { id, at: inMs(3_000) },
  );
  expect(setReminder.__typename).toBe('SetReminderSuccess');
  return id;
}

const remindAtOf = async (token: string, id: string): Promise<string | null> =>
  (await gql(token, 'query($id: ID!) { task(id: $id) { remindAt } }', { id })).task.remindAt;

const channels = async (token: string) =>
  (await gql(token, '{ notificationChannels { kind enabled ... on WebhookChannel { url } } }'))
    .notificationChannels;

async function openPage(token: string, name: 'Settings' | 'Overview'): Promise<Page> {
  const opened = await openDashboard(browser, stack.url, token);
  await opened.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name }).click();
  await opened.getByRole('heading', { name, level: 2 }).waitFor();
  return opened;
}

it('shows a reminder as a notice, shows a refused snooze, snoozes and dismisses', async () => {
  const token = await stack.token();
  page = await openPage(token, 'Settings');
  const snoozed = await taskWithReminder(token, 'Renew the passport', 30 * 60_000);
  const notice = page.getByTestId('reminder').filter({ hasText: 'Renew the passport' });
  await notice.waitFor({ timeout: 15_000 });
  expect(await notice.textContent()).toMatch(/Due .*(GMT\+1|GMT\+2|CET|CEST)/);

  // A refusal is shown in the notice: the task was completed meanwhile (in another tab, say).
  const done = await gql(token, 'mutation($id: ID!) { completeTask(id: $id) { __typename } }', {
    id: snoozed,
  });
  expect(done.completeTask.__typename).toBe('CompleteTaskSuccess');
  await notice.getByRole('button', { name: 'Snooze 1 h' }).click();
  await notice
    .getByRole('alert')
    .filter({ hasText: /reopenTask/ })
    .waitFor();
  await gql(token, 'mutation($id: ID!) { reopenTask(id: $id) { __typename } }', { id: snoozed });

  await notice.getByRole('button', { name: 'Snooze 10 min' }).click();
  await page.getByText(/Snoozed “Renew the passport” until/).waitFor();
  expect(await notice.count()).toBe(0);
  const remindAt = Date.parse((await remindAtOf(token, snoozed))!);
  expect(Math.abs(remindAt - (Date.now() + 10 * 60_000))).toBeLessThan(60_000);

  const dismissed = await taskWithReminder(token, 'Water the ferns', 60 * 60_000);
  const second = page.getByTestId('reminder').filter({ hasText: 'Water the ferns' });
  await second.waitFor({ timeout: 15_000 });
  await second.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByText('Dismissed the reminder for “Water the ferns”.').waitFor();
  expect(await remindAtOf(token, dismissed)).toBeNull();
});

it('creates a webhook with its secret shown once, logs a delivered reminder, disables, enables and deletes it', async () => {
  const token = await stack.token();
  page = await openPage(token, 'Settings');

  await page.getByLabel('URL').fill(receiver.url);
  await page.getByLabel('Description (optional)').fill('Home server');
  await page.getByRole('checkbox', { name: 'task.completed' }).check();
  await page.getByRole('button', { name: 'Create webhook' }).click();
  const secret = (await page.getByTestId('webhook-secret').textContent())!;
  expect(secret).toMatch(/^whsec_/);
  expect(await page.getByText('Shown only now.').isVisible()).toBe(true);
  receiver.verifyWith(secret);
  await checkPage(page, 'settings');
  await page.getByRole('button', { name: 'I stored it' }).click();
  expect(await page.getByTestId('webhook-secret').count()).toBe(0);
  expect(await channels(token)).toEqual([{ kind: 'WEBHOOK', enabled: true, url: receiver.url }]);

  // A reminder reaches the receiver (signature verified) and shows in the log as delivered.
  await taskWithReminder(token, 'Pay the rent', 3_600_000);
  await eventually(
    () => receiver.acknowledged().some((r) => r.payload?.type === 'reminder.due'),
    'the webhook to receive the reminder',
    20_000,
  );
  const webhook = page.getByTestId('webhook').filter({ hasText: receiver.url });
  await webhook.getByRole('button', { name: /^Delivery log/ }).click();
  const delivered = webhook.getByTestId('delivery').filter({ hasText: 'Delivered' });
  await eventually(
    async () => {
      if ((await delivered.count()) > 0) return true;
      await webhook.getByRole('button', { name: /^Refresh/ }).click();
      return false;
    },
    'the delivery log to show the delivery',
    10_000,
  );
  expect(await delivered.first().textContent()).toMatch(/reminder\.due.*Delivered.*204/);

  await webhook.getByRole('button', { name: /^Disable/ }).click();
  await page.getByRole('status').filter({ hasText: 'Disabled the webhook' }).waitFor();
  expect(await channels(token)).toEqual([{ kind: 'WEBHOOK', enabled: false, url: receiver.url }]);
  await webhook.getByRole('button', { name: /^Enable/ }).click();
  await page.getByRole('status').filter({ hasText: 'Enabled the webhook' }).waitFor();
  expect((await channels(token))[0].enabled).toBe(true);

  await webhook.getByRole('button', { name: /^Rotate secret/ }).click();
  const rotated = (await page.getByTestId('webhook-secret').textContent())!;
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(secret);

  await webhook.getByRole('button', { name: /^Delete/ }).click();
  await webhook.getByRole('button', { name: /^Yes, delete/ }).click();
  await page.getByRole('status').filter({ hasText: 'Deleted the webhook' }).waitFor();
  expect(await page.getByTestId('webhook').count()).toBe(0);
  expect(await channels(token)).toEqual([]);
});

it('edits a webhook in place: its description and the events it gets', async () => {
  const token = await stack.token();
  const url = `${receiver.url}?edit=1`;
  await gql(
    token,
    `mutation($url: String!) { createWebhook(input: { url: $url, description: "Old" }) {
       __typename } }`,
    { url },
  );
  page = await openPage(token, 'Settings');
  const item = page.getByTestId('webhook').filter({ hasText: url });
  await item.getByRole('button', { name: `Edit the webhook for ${url}` }).click();
  await item.getByLabel('Description (optional)').fill('Home server');
  await item.getByRole('checkbox', { name: 'task.created' }).check();
  await item.getByRole('button', { name: 'Save webhook' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Saved the webhook for ${url}` })
    .waitFor();
  const { notificationChannels } = await gql(
    token,
    '{ notificationChannels { ... on WebhookChannel { url description eventTypes } } }',
  );
  expect(notificationChannels).toEqual([
    { url, description: 'Home server', eventTypes: ['reminder.due', 'task.created'] },
  ]);
  expect(await item.getByRole('button', { name: 'Save webhook' }).count()).toBe(0);
});

it('shows the typed error when email is not configured', async () => {
  const token = await stack.token();
  page = await openPage(token, 'Settings');
  await page.getByLabel('Email address').fill('someone@example.com');
  await page.getByRole('button', { name: 'Save address' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /email is not configured/ })
    .waitFor();
  expect(await page.getByText('Signed in as').textContent()).toContain(
    (await gql(token, '{ me { id } }')).me.id,
  );
});

it('draws the completions per day and links the overdue count', async () => {
  const token = await stack.token();
  const create = async (title: string, dueAt?: string) =>
    (
      await gql(
        token,
        `mutation($input: CreateTaskInput!) { createTask(input: $input) {
          ... on CreateTaskSuccess { task { id } } } }`,
        { input: { title, dueAt } },
      )
    ).createTask.task.id as string;
  const ids = await Promise.all(['One', 'Two', 'Three'].map((title) => create(title)));
  await create('Late one', inMs(-3_600_000));
  for (const id of ids.slice(0, 2))
    await gql(token, 'mutation($id: ID!) { completeTask(id: $id) { __typename } }', { id });

  page = await openPage(token, 'Overview');
  const overdue = page.getByTestId('overdue-count');
  await overdue.filter({ hasText: '1 overdue' }).waitFor();
  expect(await overdue.getAttribute('href')).toBe('#/tasks?view=overdue');
  expect(
    await page.getByRole('img', { name: 'Tasks completed per day, last 4 weeks' }).count(),
  ).toBe(1);
  await page.getByRole('button', { name: 'Show the numbers' }).click();
  const rows = page.getByRole('table', { name: 'Tasks completed per day' }).getByRole('row');
  expect(await rows.count()).toBe(29);
  // Newest first: today holds both completions, the other days none.
  expect(await rows.nth(1).getByRole('cell').textContent()).toBe('2');
  const counts = await rows.locator('td').allTextContents();
  expect(counts.reduce((sum, count) => sum + Number(count), 0)).toBe(2);
  await checkPage(page, 'overview');

  // Completing one more in another tab (through the API) updates the overview live.
  await gql(token, 'mutation($id: ID!) { completeTask(id: $id) { __typename } }', { id: ids[2] });
  await page.getByText('3 completed in the last 4 weeks').waitFor();
});

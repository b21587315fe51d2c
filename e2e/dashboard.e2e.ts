import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { callTool, httpClient } from '../test/mcp.ts';
import { launchBrowser, localInput, openDashboard, SCREENSHOTS } from './browser.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
let browser: Browser;
let page: Page | undefined;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
}, 120_000);
afterEach(() => page?.close());
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** `ms` from now, on a whole second: the form's time inputs hold seconds. */
const secondsFromNow = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);

/** Fills the dashboard's form and adds the task. */
async function addTask(
  page: Page,
  fields: { title: string; dueAt?: Date; remindAt?: Date; repeat?: string },
) {
  await page.getByLabel('Title').fill(fields.title);
  if (fields.dueAt) await page.getByLabel('Due').fill(localInput(fields.dueAt));
  if (fields.remindAt) await page.getByLabel('Remind at').fill(localInput(fields.remindAt));
  if (fields.repeat) await page.getByLabel('Repeat').fill(fields.repeat);
  await page.getByRole('button', { name: 'Add' }).click();
  await page.getByTestId('task').filter({ hasText: fields.title }).first().waitFor();
}

const reminders = (page: Page, title: string) =>
  page.getByTestId('reminder').filter({ hasText: title });

it('shows a reminder on the page when it fires, without a reload', async () => {
  page = await openDashboard(browser, stack.url, await stack.token());
  const remindAt = secondsFromNow(5_000);
  await addTask(page, {
    title: 'Water the plants',
    dueAt: new Date(Date.now() + 3_600_000),
    remindAt,
  });
  await reminders(page, 'Water the plants').waitFor({ timeout: 15_000 });
  expect(Date.now()).toBeGreaterThanOrEqual(remindAt.getTime());
  await page.screenshot({ path: fileURLToPath(new URL('reminder.png', SCREENSHOTS)) });
  await pause(2_000);
  expect(await reminders(page, 'Water the plants').count()).toBe(1);
});

it('shows the next instance of a recurring task an agent completed through MCP', async () => {
  const token = await stack.token();
  page = await openDashboard(browser, stack.url, token);
  await addTask(page, {
    title: 'Weekly review',
    dueAt: new Date(Date.now() + 86_400_000),
    repeat: 'FREQ=WEEKLY',
  });
  const agent = await httpClient(stack.url, token);
  try {
    const listed = await callTool(agent.client, 'search_tasks', { query: 'Weekly review' });
    expect(listed.structured.tasks).toHaveLength(1);
    const completed = await callTool(agent.client, 'complete_task', {
      task_id: listed.structured.tasks[0].id,
    });
    expect(completed.isError).toBe(false);
    expect(completed.structured.next_instance).toBeDefined();
  } finally {
    await agent.close();
  }
  const rows = page.getByTestId('task').filter({ hasText: 'Weekly review' });
  await rows.nth(1).waitFor({ timeout: 20_000 });
  expect(await rows.count()).toBe(2);
  expect(await page.locator('li.completed', { hasText: 'Weekly review' }).count()).toBe(1);
});

it('delivers a reminder once after the notification service was killed before its time', async () => {
  page = await openDashboard(browser, stack.url, await stack.token());
  const remindAt = secondsFromNow(4_000);
  stack.processes.notification.child.kill('SIGKILL');
  await stack.processes.notification.exited;
  await addTask(page, { title: 'Call mom', dueAt: new Date(Date.now() + 3_600_000), remindAt });
  await pause(remindAt.getTime() + 1_000 - Date.now());
  expect(await reminders(page, 'Call mom').count()).toBe(0);

  await stack.restart('notification');
  await reminders(page, 'Call mom').waitFor({ timeout: 20_000 });
  await pause(3_000);
  expect(await reminders(page, 'Call mom').count()).toBe(1);
});

it('searches, completes and deletes tasks from the page', async () => {
  page = await openDashboard(browser, stack.url, await stack.token());
  await addTask(page, { title: 'Buy oat milk' });
  await addTask(page, { title: 'Renew passport' });
  await page.getByLabel('Search').fill('passport');
  await page.getByRole('button', { name: 'Search' }).click();
  const rows = page.getByTestId('task');
  await rows.filter({ hasText: 'Buy oat milk' }).waitFor({ state: 'detached' });
  expect(await rows.count()).toBe(1);
  expect(await rows.first().locator('mark').textContent()).toBe('passport');

  const passport = rows.filter({ hasText: 'Renew passport' });
  await passport.getByRole('button', { name: 'Complete' }).click();
  await page.locator('li.completed', { hasText: 'Renew passport' }).waitFor();
  await passport.getByRole('button', { name: 'Delete' }).click();
  await passport.waitFor({ state: 'detached' });
});

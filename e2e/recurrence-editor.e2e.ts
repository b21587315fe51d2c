import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openDashboard } from './browser.ts';
import { checkPage } from './page-checks.ts';
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

interface Stored {
  title: string;
  recurrenceRule: string | null;
  recurrenceAnchor: string;
}

async function storedTasks(token: string): Promise<Stored[]> {
  const response = await fetch(new URL('/graphql', stack.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query:
        'query { tasks(first: 10) { edges { node { title recurrenceRule recurrenceAnchor } } } }',
    }),
  });
  const body = (await response.json()) as { data: { tasks: { edges: { node: Stored }[] } } };
  return body.data.tasks.edges.map((edge) => edge.node);
}

/** Waits until `locator` holds `text`. */
const shows = (locator: Locator, text: string | RegExp) =>
  locator.filter({ hasText: text }).first().waitFor();

/**
 * A date as the preview shows it at 9:00 in Berlin, e.g. "Wed, Jan 9, 9:00 AM GMT+1"; a date
 * written "Mon, Apr 8 (+2)" is in summer time.
 */
const at9 = (date: string) => {
  const [, day, offset = '1'] = /^(.*?)(?: \(\+(\d)\))?$/.exec(date)!;
  return `${day}, 9:00\\sAM GMT\\+${offset}`;
};
const next = (...dates: string[]) => new RegExp(`Next: ${dates.map(at9).join('; ')}`);

it('sets a recurrence with presets, previews the next dates in the task’s zone, and saves the rule', async () => {
  const token = await stack.token('recurrence');
  page = await openDashboard(browser, stack.url, token);
  await page.getByRole('button', { name: 'More options' }).click();
  const editor = page.getByRole('form', { name: 'New task' });
  await editor.getByLabel('Title').fill('Team sync');
  await editor.getByLabel('Time zone').selectOption('Europe/Berlin');
  // Tuesday, January 8, 2030, 9:00 in Berlin: the second Tuesday of the month.
  await editor.getByLabel(/^Due/).fill('2030-01-08T09:00');

  const repeat = editor.getByRole('group', { name: 'Repeat', exact: true });
  const preview = repeat.getByRole('status');
  const repeats = repeat.getByLabel('Repeats');
  await repeats.selectOption({ label: 'Daily' });
  await shows(preview, next('Wed, Jan 9', 'Thu, Jan 10', 'Fri, Jan 11'));

  await repeat.getByLabel('Every', { exact: true }).fill('2');
  await shows(preview, next('Thu, Jan 10', 'Sat, Jan 12', 'Mon, Jan 14'));
  await repeat.getByLabel('Every', { exact: true }).fill('1');

  await repeats.selectOption({ label: 'Weekly on chosen days' });
  const days = repeat.getByRole('group', { name: 'On' });
  expect(await days.getByLabel('Tuesday').isChecked()).toBe(true);
  await days.getByLabel('Thursday').check();
  await shows(preview, next('Thu, Jan 10', 'Tue, Jan 15', 'Thu, Jan 17'));
  await checkPage(page, 'recurrence-editor');

  await repeats.selectOption({ label: 'Every weekday (Monday to Friday)' });
  await shows(preview, next('Wed, Jan 9', 'Thu, Jan 10', 'Fri, Jan 11'));

  await repeats.selectOption({ label: 'Monthly on day 8' });
  await shows(preview, next('Fri, Feb 8', 'Fri, Mar 8', 'Mon, Apr 8 (+2)'));

  await repeats.selectOption({ label: 'Yearly on January 8' });
  await shows(preview, next('Wed, Jan 8', 'Thu, Jan 8', 'Sat, Jan 8'));

  // A custom rule starts from the current one; the API's refusal is shown as an alert.
  await repeats.selectOption({ label: 'Custom rule' });
  const rule = repeat.getByLabel('Rule (RRULE)');
  expect(await rule.inputValue()).toBe('FREQ=YEARLY');
  await rule.fill('FREQ=SECONDLY');
  await shows(repeat.getByRole('alert'), /SECONDLY is not supported/);
  expect(await rule.getAttribute('aria-invalid')).toBe('true');
  await rule.fill('FREQ=WEEKLY;BYDAY=MO,FR;COUNT=3');
  await shows(preview, next('Fri, Jan 11', 'Mon, Jan 14'));
  expect(await rule.getAttribute('aria-invalid')).toBeNull();

  // The nth weekday follows the due date.
  await repeats.selectOption({ label: 'Monthly on the second Tuesday' });
  await shows(preview, next('Tue, Feb 12', 'Tue, Mar 12', 'Tue, Apr 9 (+2)'));
  await editor.getByLabel(/^Due/).fill('2030-01-29T09:00');
  await repeats.locator('option:checked', { hasText: 'Monthly on the last Tuesday' }).waitFor({
    state: 'attached',
  });
  await shows(preview, next('Tue, Feb 26', 'Tue, Mar 26', 'Tue, Apr 30 (+2)'));
  await repeat.getByLabel('when it is completed').check();
  await shows(preview, '(if completed when due)');

  await editor.getByRole('button', { name: 'Add task' }).click();
  await editor.waitFor({ state: 'detached' });
  expect(await storedTasks(token)).toEqual([
    {
      title: 'Team sync',
      recurrenceRule: 'FREQ=MONTHLY;BYDAY=-1TU',
      recurrenceAnchor: 'COMPLETION',
    },
  ]);

  // Opened again, the stored rule is shown as its preset.
  await page.getByRole('button', { name: 'Edit Team sync' }).click();
  const again = page.getByRole('form', { name: 'Edit Team sync' });
  const repeatAgain = again.getByRole('group', { name: 'Repeat', exact: true });
  expect(await repeatAgain.getByLabel('Repeats').locator('option:checked').textContent()).toBe(
    'Monthly on the last Tuesday',
  );
  expect(await repeatAgain.getByLabel('when it is completed').isChecked()).toBe(true);
  await repeatAgain.getByLabel('Repeats').selectOption({ label: 'Does not repeat' });
  await again.getByRole('button', { name: 'Save' }).click();
  await again.waitFor({ state: 'detached' });
  expect((await storedTasks(token))[0]!.recurrenceRule).toBeNull();
});

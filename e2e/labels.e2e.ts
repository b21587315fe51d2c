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

/** One GraphQL operation as the user of `token`, through the public API. */
const gql = <T = any>(token: string, query: string, variables: Record<string, unknown> = {}) =>
  stack.gql<T>(token, query, variables);

interface Label {
  id: string;
  name: string;
  color: string;
  taskCount: number;
}
const labelsOf = (token: string) =>
  gql<{ categories: Label[]; tags: Label[] }>(
    token,
    'query { categories { id name color taskCount } tags { id name color taskCount } }',
  );

async function createTask(
  token: string,
  input: { title: string; categoryId?: string; tagIds?: string[] },
): Promise<string> {
  const data = await gql<{ createTask: { __typename: string; task?: { id: string } } }>(
    token,
    `mutation($input: CreateTaskInput!) {
      createTask(input: $input) { __typename ... on CreateTaskSuccess { task { id } } } }`,
    { input },
  );
  expect(data.createTask.__typename).toBe('CreateTaskSuccess');
  return data.createTask.task!.id;
}

const taskLabels = async (token: string, id: string) =>
  (
    await gql<{ task: { category: { id: string } | null; tags: { id: string }[] } }>(
      token,
      'query($id: ID!) { task(id: $id) { category { id } tags { id } } }',
      { id },
    )
  ).task;

/** Waits until `locator` holds `text`. */
const shows = (locator: Locator, text: string | RegExp) =>
  locator.filter({ hasText: text }).first().waitFor();

/** The list item of a label, found by its link to the filtered task list. */
const rowOf = (page: Page, link: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('link', { name: link, exact: true }) });

/** Waits until the focus is on the element with this id, aria-label or text. */
const focusOn = (page: Page, name: string) =>
  page.waitForFunction((name) => {
    const active = document.activeElement;
    return (
      !!active &&
      (active.id === name ||
        active.getAttribute('aria-label') === name ||
        active.textContent?.trim() === name)
    );
  }, name);

async function openLabels(token: string): Promise<Page> {
  const opened = await openDashboard(browser, stack.url, token);
  await opened
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Labels' })
    .click();
  await opened.getByRole('heading', { name: 'Labels', level: 2 }).waitFor();
  return opened;
}

it('creates, counts, renames, recolours and deletes categories and tags', async () => {
  const token = await stack.token('labels');
  page = await openLabels(token);
  const status = page.getByRole('status').filter({ hasText: /category|tag/ });

  // Create a category and a tag, choosing a preset colour for the tag.
  const newCategory = page.getByRole('form', { name: 'New category' });
  await newCategory.getByLabel('Name').fill('Work');
  await newCategory.getByRole('button', { name: 'Add category' }).click();
  await shows(status, 'Added category Work.');
  const newTag = page.getByRole('form', { name: 'New tag' });
  await newTag.getByLabel('Name').fill('urgent');
  await newTag.getByRole('button', { name: 'Red' }).click();
  expect(await newTag.getByRole('button', { name: 'Red' }).getAttribute('aria-pressed')).toBe(
    'true',
  );
  await newTag.getByRole('button', { name: 'Add tag' }).click();
  await shows(status, 'Added tag urgent.');
  // The name field keeps the focus, empty, ready for the next one.
  expect(await newTag.getByLabel('Name').inputValue()).toBe('');
  await focusOn(page, 'new-tag-name');

  const created = await labelsOf(token);
  const work = created.categories.find((c) => c.name === 'Work')!;
  const urgent = created.tags.find((t) => t.name === 'urgent')!;
  expect(urgent.color.toLowerCase()).toBe('#b91c1c');

  // Tasks made elsewhere (here, straight through the API) count on the open page.
  const first = await createTask(token, {
    title: 'Report',
    categoryId: work.id,
    tagIds: [urgent.id],
  });
  const second = await createTask(token, { title: 'Slides', categoryId: work.id });
  await createTask(token, { title: 'Call back', tagIds: [urgent.id] });
  await shows(rowOf(page, 'Tasks in category Work'), '2 tasks');
  await shows(rowOf(page, 'Tasks tagged urgent'), '2 tasks');

  // A taken name is refused at the name field.
  await newCategory.getByLabel('Name').fill('Work');
  await newCategory.getByRole('button', { name: 'Add category' }).click();
  await shows(newCategory.getByRole('alert'), /already/);
  expect(await newCategory.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');

  await checkPage(page, 'labels');
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkPage(page, 'labels-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Rename in place; the focus returns to the label's Edit button.
  await page.getByRole('button', { name: 'Edit Work' }).click();
  const edit = page.getByRole('form', { name: 'Edit category Work' });
  await focusOn(page, `category-${work.id}-name`);
  await edit.getByLabel('Name').fill('Office');
  await edit.getByRole('button', { name: 'Save' }).click();
  await shows(status, 'Saved category Office.');
  await shows(rowOf(page, 'Tasks in category Office'), '2 tasks');
  await focusOn(page, 'Edit Office');

  // Recolour with the colour input.
  await page.getByRole('button', { name: 'Edit Office' }).click();
  await page
    .getByRole('form', { name: 'Edit category Office' })
    .getByLabel('Colour', { exact: true })
    .fill('#ff8800');
  await page.getByRole('button', { name: 'Save' }).click();
  await shows(status, 'Saved category Office.');
  await page.getByRole('form', { name: 'Edit category Office' }).waitFor({ state: 'detached' });
  expect((await labelsOf(token)).categories[0]!.color.toLowerCase()).toBe('#ff8800');

  // A rename to a taken name is refused at the field; Escape cancels the edit.
  await newCategory.getByLabel('Name').fill('Home');
  await newCategory.getByRole('button', { name: 'Add category' }).click();
  await shows(status, 'Added category Home.');
  await page.getByRole('button', { name: 'Edit Home' }).click();
  const editHome = page.getByRole('form', { name: 'Edit category Home' });
  await editHome.getByLabel('Name').fill('Office');
  await editHome.getByRole('button', { name: 'Save' }).click();
  await shows(editHome.getByRole('alert'), /already/);
  await editHome.getByLabel('Name').press('Escape');
  await editHome.waitFor({ state: 'detached' });
  await focusOn(page, 'Edit Home');
  await rowOf(page, 'Tasks in category Home').waitFor();

  // Deleting says what happens to the tasks, and does it.
  await page.getByRole('button', { name: 'Delete Office' }).click();
  const confirm = page.getByRole('group', { name: /Delete the category “Office”/ });
  await shows(confirm, 'Its 2 tasks stay, without a category.');
  await focusOn(page, 'Keep it');
  await confirm.getByRole('button', { name: 'Delete category' }).click();
  await shows(status, 'Deleted category Office. Its 2 tasks stay, without a category.');
  await rowOf(page, 'Tasks in category Office').waitFor({ state: 'detached' });
  expect((await taskLabels(token, first)).category).toBeNull();
  expect((await taskLabels(token, second)).category).toBeNull();

  await page.getByRole('button', { name: 'Delete urgent' }).click();
  const confirmTag = page.getByRole('group', { name: /Delete the tag “urgent”/ });
  await shows(confirmTag, 'It is taken off its 2 tasks; the tasks stay.');
  await confirmTag.getByRole('button', { name: 'Delete tag' }).click();
  await shows(status, 'Deleted tag urgent.');
  expect((await taskLabels(token, first)).tags).toEqual([]);
  await shows(page.getByRole('region', { name: /^Tags/ }), 'No tags yet.');
  expect((await labelsOf(token)).categories.map((c) => c.name)).toEqual(['Home']);
});

it('links each label to the task list filtered by it', async () => {
  const token = await stack.token('label-links');
  const category = await gql<{ createCategory: { category: Label } }>(
    token,
    'mutation { createCategory(input: { name: "Garden", color: "#15803d" }) { ... on CreateCategorySuccess { category { id name color taskCount } } } }',
  );
  const tag = await gql<{ createTag: { tag: Label } }>(
    token,
    'mutation { createTag(input: { name: "weekend", color: "#7e22ce" }) { ... on CreateTagSuccess { tag { id name color taskCount } } } }',
  );
  page = await openLabels(token);
  await page.getByRole('link', { name: 'Tasks in category Garden' }).click();
  await page.waitForURL(
    (url) => url.hash === `#/tasks?category=${category.createCategory.category.id}`,
  );
  await page.goBack();
  await page.getByRole('link', { name: 'Tasks tagged weekend' }).click();
  await page.waitForURL((url) => url.hash === `#/tasks?tags=${tag.createTag.tag.id}`);
});

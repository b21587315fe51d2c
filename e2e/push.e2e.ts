import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import webPush from 'web-push';
import { createSubscription } from '../test/push-subscription.ts';
import { launchBrowser } from './browser.ts';
import { startStack, type Stack } from './stack.ts';

// Headless Chromium has no push service to subscribe with (pushManager.subscribe needs Google's
// FCM), so the message is handed to the worker through the DevTools protocol
// (ServiceWorker.deliverPushMessage): the worker's push handler runs as it would for a real one.
const vapid = webPush.generateVAPIDKeys();
let stack: Stack;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startStack({ env: { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey } }),
    launchBrowser(),
  ]);
}, 120_000);
beforeEach(async () => {
  context = await browser.newContext();
  await context.grantPermissions(['notifications'], { origin: stack.url });
});
afterEach(() => context?.close());
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Signs in and opens Settings, where notifications are turned on and off. */
async function signIn(token: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(stack.url);
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor();
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Settings' })
    .click();
  return page;
}

/** The id DevTools gives the page's service worker registration, once it is active. */
async function activeRegistration(cdp: CDPSession): Promise<string> {
  const active = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      const version = versions.find((v) => v.status === 'activated');
      if (version) resolve(version.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return active;
}

it('registers /sw.js, whose push handler shows the reminder with an action to open the task', async () => {
  const page = await signIn(await stack.token());
  const cdp = await context.newCDPSession(page);
  const registrationId = activeRegistration(cdp);

  await page.getByRole('button', { name: 'Enable notifications' }).click();
  await page
    .getByTestId('push-status')
    .filter({ hasText: /Notifications/ })
    .waitFor();
  const scriptURL = await page.evaluate(
    async () => (await navigator.serviceWorker.ready).active?.scriptURL,
  );
  expect(scriptURL).toBe(`${stack.url}/sw.js`);

  const taskId = '5b0c3a0e-8d61-4c9e-9d3f-3f7e8d2a1b44';
  const message = {
    origin: stack.url,
    registrationId: await registrationId,
    data: JSON.stringify({
      type: 'reminder',
      deliveryId: 'c0ffee00-0000-4000-8000-000000000001',
      taskId,
      title: 'Call the dentist',
      dueAt: '2026-12-01T08:00:00.000Z',
      timeZone: 'Europe/Berlin',
      remindAt: '2026-12-01T07:45:00.000Z',
      url: `${stack.url}/#task=${taskId}`,
    }),
  };
  /** The notification the worker shows, looked for during one second. */
  const notificationShown = () =>
    page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      for (let tries = 0; tries < 20; tries++) {
        const [notification] = await registration.getNotifications();
        if (notification) {
          const { title, body, data, tag } = notification;
          const { actions } = notification as unknown as { actions: { title: string }[] };
          return { title, body, data, tag, actions: actions.map((a) => a.title) };
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return undefined;
    });
  // A message DevTools hands over while the worker is still starting can be dropped, as a push
  // service's can; like one, deliver it again. The notification's tag makes a repeat replace it.
  let shown: Awaited<ReturnType<typeof notificationShown>>;
  for (let attempt = 0; attempt < 20 && !shown; attempt++) {
    await cdp.send('ServiceWorker.deliverPushMessage', message);
    shown = await notificationShown();
  }
  expect(shown).toEqual({
    title: 'Call the dentist',
    body: expect.stringMatching(/^Due .*9:00.*(GMT\+1|CET)/),
    data: { url: `${stack.url}/#task=${taskId}`, taskId },
    tag: 'c0ffee00-0000-4000-8000-000000000001',
    actions: ['Open task'],
  });
});

it('turns notifications on and off through the API', async () => {
  // Headless Chromium cannot subscribe (above), so the page gets the subscription a browser
  // would make: a real key pair and auth secret, on a push service URL.
  const { endpoint, keys } = createSubscription('https://push.example.net', vapid.publicKey);
  await context.addInitScript(
    (subscription) => {
      const scope = globalThis as any;
      let current: unknown = null;
      const made = {
        endpoint: subscription.endpoint,
        toJSON: () => subscription,
        unsubscribe: async () => {
          current = null;
          return true;
        },
      };
      scope.PushManager.prototype.subscribe = async (options: any) => {
        scope.subscribedWith = Array.from(options.applicationServerKey as Uint8Array);
        current = made;
        return made;
      };
      scope.PushManager.prototype.getSubscription = async () => current;
    },
    { endpoint, keys },
  );
  const token = await stack.token();
  const channels = async () => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: '{ notificationChannels { kind enabled ... on PushChannel { endpoint } } }',
      }),
    });
    return ((await response.json()) as any).data.notificationChannels;
  };
  const page = await signIn(token);
  const status = page.getByTestId('push-status');

  await page.getByRole('button', { name: 'Enable notifications' }).click();
  await status.filter({ hasText: 'Notifications are on.' }).waitFor();

  const subscribedWith = await page.evaluate(() => (globalThis as any).subscribedWith);
  expect(Buffer.from(subscribedWith).toString('base64url')).toBe(vapid.publicKey);
  expect(await channels()).toEqual([{ kind: 'PUSH', enabled: true, endpoint }]);
  expect(await page.getByRole('button', { name: 'Enable notifications' }).isHidden()).toBe(true);

  await page.getByRole('button', { name: 'Turn off notifications' }).click();
  await status.filter({ hasText: 'Notifications are off.' }).waitFor();

  expect(await channels()).toEqual([]);
  expect(await page.getByRole('button', { name: 'Enable notifications' }).isVisible()).toBe(true);
});

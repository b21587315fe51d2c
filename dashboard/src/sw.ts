/**
 * The dashboard's service worker, served at `/sw.js` (scope `/`): shows a reminder that arrives
 * by Web Push, and opens the task when the notification is clicked. Bundled by
 * scripts/build-dashboard.ts.
 */
import { dueText } from './due-time.ts';
import { isReminderMessage } from './push-message.ts';

// The DOM library the dashboard is checked against has no service worker scope (it lives in the
// WebWorker library, which cannot be loaded beside DOM), so the parts used are described here.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface PushEvent extends ExtendableEvent {
  data: { json(): unknown } | null;
}
interface NotificationEvent extends ExtendableEvent {
  notification: Notification;
  action: string;
}
interface WindowClient {
  url: string;
  focus(): Promise<WindowClient>;
}
interface WorkerScope {
  registration: ServiceWorkerRegistration;
  location: Location;
  clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<WindowClient[]>;
    openWindow(url: string): Promise<WindowClient | null>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'push', listener: (event: PushEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationEvent) => void): void;
}
/** Notification options with action buttons, which only a worker's notifications have. */
interface WorkerNotificationOptions extends NotificationOptions {
  actions: { action: string; title: string }[];
}

const worker = self as unknown as WorkerScope;
const OPEN_TASK = 'open-task';

worker.addEventListener('install', (event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('push', (event) => {
  let data: unknown;
  try {
    data = event.data?.json();
  } catch {
    data = undefined;
  }
  if (!isReminderMessage(data)) return;
  const options: WorkerNotificationOptions = {
    body: dueText(data),
    // One notification per delivery, however often the push service hands it over.
    tag: data.deliveryId,
    data: { url: data.url, taskId: data.taskId },
    actions: [{ action: OPEN_TASK, title: 'Open task' }],
  };
  event.waitUntil(worker.registration.showNotification(data.title, options));
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data as { url?: string } | null)?.url ?? '/';
  event.waitUntil(openDashboard(url));
});

/** Focuses a tab that shows the dashboard, or opens `url` in a new one. */
async function openDashboard(url: string): Promise<void> {
  const tabs = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = tabs.find((tab) => new URL(tab.url).origin === worker.location.origin);
  if (open) await open.focus();
  else await worker.clients.openWindow(url);
}

import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); Playwright downloads no browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where screenshots go (ignored by git). */
export const SCREENSHOTS = new URL('./screenshots/', import.meta.url);

/** Headless Chromium. `--no-sandbox`: CI runs as root, where Chromium's sandbox cannot start. */
export async function launchBrowser(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** Opens the dashboard and signs in with `token`. */
export async function openDashboard(browser: Browser, url: string, token: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor();
  return page;
}

/** `datetime-local` input value (the browser's zone, UTC here) for a moment. */
export const localInput = (date: Date) => date.toISOString().slice(0, 19);

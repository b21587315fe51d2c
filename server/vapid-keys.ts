import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import webPush from 'web-push';
import type { VapidKeys } from '../model/channels.ts';

/** The contact development keys give push services. */
const DEVELOPMENT_SUBJECT = 'mailto:dev@localhost';

/**
 * The VAPID key pair of a development install without `VAPID_PUBLIC_KEY`: made once with
 * web-push and kept in the data folder (`dev-vapid-keys.json`, mode 0600), so the browsers
 * subscribed to it stay subscribed across restarts. Processes starting at once agree on one pair.
 */
export async function developmentVapidKeys(dataDir: string): Promise<VapidKeys> {
  const file = path.join(dataDir, 'dev-vapid-keys.json');
  const kept = await readKeys(file);
  if (kept) return kept;
  await mkdir(dataDir, { recursive: true });
  const draft = `${file}.${randomUUID()}`;
  await writeFile(draft, `${JSON.stringify(webPush.generateVAPIDKeys())}\n`, { mode: 0o600 });
  // `link` publishes the whole file at once and fails if another process published first, so a
  // reader never sees half a file and every process ends up with the first pair.
  await link(draft, file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await unlink(draft);
  const keys = await readKeys(file);
  if (!keys) throw new Error(`${file} vanished while it was being made`);
  return keys;
}

/** The keys kept in `file`, or undefined when there is no such file. */
async function readKeys(file: string): Promise<VapidKeys | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const { publicKey, privateKey } = JSON.parse(text) as Partial<VapidKeys>;
  if (typeof publicKey !== 'string' || typeof privateKey !== 'string')
    throw new Error(`${file} holds no VAPID keys: delete it to make new ones`);
  return { publicKey, privateKey, subject: DEVELOPMENT_SUBJECT };
}

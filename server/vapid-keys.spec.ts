import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import webPush from 'web-push';
import { developmentVapidKeys } from './vapid-keys.ts';

let dataDir: string;

beforeEach(async () => {
  dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'vapid-')), 'data');
});
afterEach(() => rm(path.dirname(dataDir), { recursive: true, force: true }));

it('makes a key pair web-push signs with, once, readable by its owner only', async () => {
  const keys = await developmentVapidKeys(dataDir);

  expect(Buffer.from(keys.publicKey, 'base64url')).toHaveLength(65);
  expect(Buffer.from(keys.privateKey, 'base64url')).toHaveLength(32);
  expect(keys.subject).toBe('mailto:dev@localhost');
  expect(() =>
    webPush.getVapidHeaders(
      'https://push.example.net',
      keys.subject,
      keys.publicKey,
      keys.privateKey,
      'aes128gcm',
    ),
  ).not.toThrow();
  const { mode } = await stat(path.join(dataDir, 'dev-vapid-keys.json'));
  expect(mode & 0o777).toBe(0o600);
  expect(await developmentVapidKeys(dataDir)).toEqual(keys);
});

it('gives processes starting at once the same pair', async () => {
  const all = await Promise.all(Array.from({ length: 8 }, () => developmentVapidKeys(dataDir)));

  expect(new Set(all.map((keys) => keys.publicKey)).size).toBe(1);
  expect(await developmentVapidKeys(dataDir)).toEqual(all[0]);
});

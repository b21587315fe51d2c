import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from './stats.ts';

const DIST = new URL('../dashboard/dist/', import.meta.url);

/**
 * The dashboard's weight as a browser downloads it: the bundles `npm run build:dashboard` makes,
 * gzipped (level 9, as a server or CDN would serve them). Goal: the JavaScript under 150 KB.
 */
export async function benchDashboard(): Promise<BenchResult[]> {
  await promisify(execFile)(process.execPath, ['scripts/build-dashboard.ts'], {
    cwd: new URL('..', import.meta.url),
  });
  const gzipped = async (file: string) =>
    gzipSync(await readFile(new URL(file, DIST)), { level: 9 }).length;
  const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
  const [app, css, worker] = await Promise.all(
    ['app.js', 'app.css', 'sw.js'].map((file) => gzipped(file)),
  );
  const conditions = 'npm run build:dashboard (esbuild, minified), gzip level 9';
  return [
    { name: 'dashboard: JavaScript, gzipped', value: kb(app!), unit: 'KB', conditions },
    { name: 'dashboard: CSS, gzipped', value: kb(css!), unit: 'KB', conditions },
    { name: 'dashboard: service worker, gzipped', value: kb(worker!), unit: 'KB', conditions },
  ];
}

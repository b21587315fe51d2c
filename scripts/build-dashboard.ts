import { build } from 'esbuild';

/**
 * Bundles the dashboard (`npm run build:dashboard`): src/main.ts and its imports, graphql-ws
 * included, into dist/app.js, the service worker src/sw.ts into dist/sw.js, and copies the page
 * and its styles beside them. No CDN at run time.
 */
const root = new URL('../dashboard/', import.meta.url).pathname;
await build({
  entryPoints: [`${root}src/main.ts`],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: `${root}dist/app.js`,
  logLevel: 'warning',
});
// A classic script: module service workers are not supported by every browser yet.
await build({
  entryPoints: [`${root}src/sw.ts`],
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: `${root}dist/sw.js`,
  logLevel: 'warning',
});
const { copyFile } = await import('node:fs/promises');
await copyFile(`${root}index.html`, `${root}dist/index.html`);
await copyFile(`${root}app.css`, `${root}dist/app.css`);

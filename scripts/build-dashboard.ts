import { build } from 'esbuild';

/**
 * Bundles the dashboard (`npm run build:dashboard`): src/main.tsx and its imports, Preact and
 * graphql-ws included, into dist/app.js, the service worker src/sw.ts into dist/sw.js, and copies the page beside them;
 * the stylesheets the components import are bundled into dist/app.css. No CDN at run time.
 */
const root = new URL('../dashboard/', import.meta.url).pathname;
await build({
  entryPoints: [`${root}src/main.tsx`],
  bundle: true,
  format: 'esm',
  jsx: 'automatic',
  jsxImportSource: 'preact',
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

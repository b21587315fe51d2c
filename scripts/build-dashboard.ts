import { build } from 'esbuild';

/**
 * Bundles the dashboard (`npm run build:dashboard`): src/main.ts and its imports, graphql-ws
 * included, into dist/app.js, and copies the page and its styles beside it. No CDN at run time.
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
const { copyFile } = await import('node:fs/promises');
await copyFile(`${root}index.html`, `${root}dist/index.html`);
await copyFile(`${root}app.css`, `${root}dist/app.css`);

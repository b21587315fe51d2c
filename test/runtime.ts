import { readFileSync } from 'node:fs';

const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  .engines as { node: string };

/** The lowest Node major the project supports, read from `engines.node` in package.json. */
export const SUPPORTED_NODE_MAJOR = Number(/(\d+)/.exec(engines.node)![1]);

/** Throws unless `version` (e.g. `v24.22.3`) is the supported Node major or newer. */
export function assertSupportedNode(version: string | undefined, what: string): void {
  const major = Number(/^v(\d+)\./.exec(version ?? '')?.[1]);
  if (!(major >= SUPPORTED_NODE_MAJOR)) {
    throw new Error(
      `${what} runs on Node ${version ?? '(unknown)'}; the project needs Node ${SUPPORTED_NODE_MAJOR} or newer`,
    );
  }
}

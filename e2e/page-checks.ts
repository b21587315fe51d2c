import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from './browser.ts';

const require = createRequire(import.meta.url);
/** axe-core from node_modules, injected into the page (no CDN). */
const AXE = require.resolve('axe-core/axe.min.js');
let axeSource: string | undefined;

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}

/** The serious and critical axe-core violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  // Evaluated rather than added as a <script>: the dashboard's CSP allows no inline script.
  if (!loaded) await page.evaluate((axeSource ??= readFileSync(AXE, 'utf8')));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run();
    return result.violations as AxeViolation[];
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const describe = (v: AxeViolation) =>
  `${v.impact} ${v.id}: ${v.help}\n` +
  v.nodes.map((n) => `  at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`).join('\n');

/**
 * Checks the page as it is now: no serious or critical axe-core violation at desktop or phone
 * width, and screenshots `${name}-desktop.png` and `${name}-phone.png` into SCREENSHOTS. The
 * viewport is restored afterwards.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  const problems: string[] = [];
  try {
    for (const [width, size] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      for (const v of await axeViolations(page)) problems.push(`[${width}] ${describe(v)}`);
      await page.screenshot({
        path: fileURLToPath(new URL(`${name}-${width}.png`, SCREENSHOTS)),
        fullPage: true,
      });
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
  if (problems.length) {
    throw new Error(`axe found serious or critical violations on ${name}:\n${problems.join('\n')}`);
  }
}

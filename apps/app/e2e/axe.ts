import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, as text: it runs in the page, not in Node. */
const AXE_SOURCE: string = (require('axe-core') as { source: string }).source;

/** What axe-core reports for one broken rule (the part a reader needs to find and fix it). */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** Each element: its selector and the start of its HTML (react-native-web's class names alone say little). */
  targets: string[];
}

/** Impacts that block a user outright (no name for a button, unreadable contrast): a test fails on them. */
const BLOCKING = new Set(['serious', 'critical']);

/** Runs axe-core on the page as it is now and returns its violations, every impact. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated, not added as a <script>: the app's Content-Security-Policy (script-src 'self')
  // rightly refuses inline scripts, and a test should not loosen it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string }[] }[];
    }
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.map(String).join(' ')}  ${n.html.slice(0, 160)}`),
    }));
  });
}

/** The serious and critical violations, one line per rule with the elements under it ("" when none). */
export async function seriousViolations(page: Page): Promise<string> {
  const blocking = (await axeViolations(page)).filter((v) => v.impact && BLOCKING.has(v.impact));
  return blocking.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.targets.join('\n    ')}`).join('\n');
}
